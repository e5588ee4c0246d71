"""The app's own `indent` filter (web/layout.py) gives exactly what Jinja's gives, for plain
and safe (Markup) text, every option, so GOV.UK Frontend's components render unchanged."""
import itertools

from jinja2.filters import do_indent
from markupsafe import Markup

from web.layout import indent

TEXTS = ["", "one line", "two\nlines", "\n\nblank lines\n\n\nbetween\n", "trailing\n", "\r\nwindows\r\nends",
         "<b>safe</b>\n  <i>nested</i>\n", "tab\tand\x0bvertical\x0cfeeds\u2028unicode breaks",
         "a & b < c\nd > e"]


def test_indent_matches_jinja_for_text_and_markup_with_every_option():
    for text, width, first, blank in itertools.product(TEXTS, [0, 2, 4, "  ", "<>"], [False, True], [False, True]):
        for value in (text, Markup(text)):
            ours, jinja = indent(value, width, first, blank), do_indent(value, width, first, blank)
            assert ours == jinja and type(ours) is type(jinja), (value, width, first, blank)


def test_the_app_renders_govuk_components_with_it(app):
    with app.app_context():
        env = app.jinja_env
        assert env.filters["indent"] is indent
        html = env.from_string(
            '{% from "govuk_frontend_jinja/components/textarea/macro.html" import govukTextarea %}'
            '{{ govukTextarea({"id": "why", "name": "why", "label": {"text": "Why"}, "value": "line 1\n  line 2"}) }}'
        ).render()
        assert ">line 1\n  line 2</textarea>" in html
