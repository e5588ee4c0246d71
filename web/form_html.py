"""A form's fields as HTML, each field's GOV.UK markup rendered once per shape.

Rendering a long form through GOV.UK Frontend's macros (`form_fields.html`) was three
quarters of a task page's time, yet a field's markup depends only on its question (label,
hint, options, which are chosen, errors), all of it fixed by the form's version, and on what
was typed in it. So each field is rendered through the same macro with what was typed
replaced by placeholders; that markup is kept, keyed by everything else the macro was given
(its whole parameters, as JSON), and what was typed is escaped into the placeholders. The
key is the content itself, so nothing kept can go stale: a new diagram version, a new
member of staff to pick, a new error message is a new key, rendered the first time it is
seen. A field whose typed text the macros would change (an indented date part holding a line
break) is rendered through the macro as before.
"""
import json
import re
import threading
import weakref

from flask import current_app
from markupsafe import Markup, escape

#: Placeholders for typed text: characters of Unicode's private use area, which escaping,
#: trimming and indenting all leave alone; a field holding one is never rendered from a copy.
_OPEN, _CLOSE = "\ue000", "\ue001"
_PLACEHOLDER = re.compile(f"{_OPEN}(\\d+){_CLOSE}")
#: How much markup is kept per template (keys and markup, in characters: a few megabytes for
#: every field and state of the forms in use); past this all is dropped and made again.
MAX_KEPT_CHARS = 4_000_000

_kept: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
_lock = threading.Lock()


class _Kept(dict):
    """Markup by shape, and how many characters it holds."""
    chars = 0


class _Unsafe(Exception):
    """The field holds something a copy could not reproduce exactly."""


def fields_html(widgets: list[dict]) -> Markup:
    """The fields of `web/form_widgets.widgets` as `{% for w in widgets %}{{ form_field(w) }}`
    renders them, character for character."""
    template = current_app.jinja_env.get_template("form_fields.html")
    with _lock:
        kept = _kept.setdefault(template, _Kept())
    form_field = template.module.form_field
    return Markup("".join([_field_html(w, form_field, kept) for w in widgets]))


def _field_html(w: dict, form_field, kept: _Kept) -> str:
    typed: list[str] = []
    try:
        shape = _shape(w, typed)
        key = json.dumps(shape, ensure_ascii=False)
    except (_Unsafe, TypeError, ValueError):   # TypeError: not plain data (a date, say)
        return str(form_field(w))
    if key.count(_OPEN) != len(typed) or key.count(_CLOSE) != len(typed):
        return str(form_field(w))   # the field's own text holds a placeholder's character
    html = kept.get(key)
    if html is None:
        html = str(form_field(shape))
        if len(_PLACEHOLDER.findall(html)) != len(typed):   # typed text used other than once
            html = False
        if kept.chars > MAX_KEPT_CHARS:
            kept.clear()
            kept.chars = 0
        kept[key] = html
        kept.chars += len(key) + len(html or "")
    if html is False:
        return str(form_field(w))
    if not typed:
        return html
    return _PLACEHOLDER.sub(lambda m: escape(typed[int(m.group(1))]), html)


def _placeholder(value, typed: list[str], one_line: bool = False):
    """Typed text as a placeholder; empty text stays as it is (macros test for it)."""
    if not isinstance(value, str) or not value:
        return value
    if _OPEN in value or _CLOSE in value:
        raise _Unsafe
    if one_line and value.splitlines() != [value]:   # an indent would change it
        raise _Unsafe
    typed.append(value)
    return f"{_OPEN}{len(typed) - 1}{_CLOSE}"


def _shape(w: dict, typed: list[str]) -> dict:
    """The widget with the text typed into it replaced by numbered placeholders."""
    macro = w.get("macro")
    if macro == "hidden":
        return _typed(w, typed)
    if macro in ("input", "textarea"):
        return {**w, "params": _typed(w["params"], typed)}
    if macro == "dateInput":
        params = w["params"]
        items = [_typed(item, typed, one_line=True) for item in params.get("items") or []]
        return {**w, "params": {**params, "items": items}}
    if macro == "list":
        rows = [{**row, "widgets": [_shape(sub, typed) for sub in row["widgets"]]} for row in w["rows"]]
        return {**w, "rows": rows}
    return w


def _typed(params: dict, typed: list[str], one_line: bool = False) -> dict:
    if "value" not in params:
        return params
    return {**params, "value": _placeholder(params["value"], typed, one_line)}
