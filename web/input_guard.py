"""Control characters are refused at the door: in every query parameter (a search, a page
number, `next`), in the path, and in every form field of the pages that do not check their
fields one by one. The task form and the child form do (`workflows.forms`,
`engine.children`), so that their message sits beside the field with the rest kept.

Without this a NUL in a search answered 500 on PostgreSQL, which refuses it in a query."""
from flask import Flask, abort, request

from workflows.typed_input import control_character

from .errors import error_page

#: Pages whose forms give each field its own message (the same rules, `typed_input`).
FIELD_CHECKED = frozenset({"tasks.task", "children.new", "children.before_care"})


def _refuse_control_characters():
    if control_character(request.path):
        abort(404)
    if request.path.startswith("/api/"):
        return None   # the API refuses them field by field, as problem documents (web/api)
    for key, value in request.args.items(multi=True):
        found = control_character(key) or control_character(value)
        if found:
            return error_page(400, f"The address of this page contains {found}, which cannot be "
                                   "used. Go back, remove it from what you typed and try again.")
    # Uploads (multipart) are read by their pages under their own size limits, and checked
    # as files there.
    if request.method == "POST" and request.endpoint not in FIELD_CHECKED \
            and request.mimetype == "application/x-www-form-urlencoded":
        for key, value in request.form.items(multi=True):
            found = control_character(key) or control_character(value, multiline=True)
            if found:
                return error_page(400, f"What you sent contains {found}, which cannot be used. "
                                       "Go back, remove it from what you typed and try again.")
    return None


def init_app(app: Flask) -> None:
    app.before_request(_refuse_control_characters)
