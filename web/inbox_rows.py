"""The inbox's rows and fixed pieces (the filters, each list's pagination), each rendered
once (`inbox_rows.html`) and kept by everything it shows: the row's own values or the
piece's arguments, the macro and where the app is mounted. A row whose task,
child or alert changes is a different key, so a kept row is only reused for the very same
values (nothing to invalidate, safe with other processes writing); the oldest go first."""
import json
from dataclasses import fields, is_dataclass

from flask import current_app, request
from markupsafe import Markup

from engine.kept import Kept

_KEPT: Kept[Markup] = Kept(4096)


def _values(item) -> tuple:
    if isinstance(item, dict):
        return tuple(item.items())
    if is_dataclass(item):
        return tuple(getattr(item, f.name) for f in fields(item))
    raise TypeError(f"a row must be a dict or a dataclass, not {type(item).__name__}")


def _macro(name: str):
    return getattr(current_app.jinja_env.get_template("inbox_rows.html").module, name)


def piece(macro_name: str, *args) -> Markup:
    """`macro_name(*args)`, kept by the arguments as JSON (plain data: dicts, lists, strings,
    numbers; anything else by its repr, as a frozen dataclass's shows every field)."""
    macro = _macro(macro_name)
    key = (macro, request.script_root, json.dumps(args, sort_keys=True, default=repr))
    return _KEPT.get_or_make(key, lambda: macro(*args))


def rows(macro_name: str, items, *args) -> Markup:
    """Each item's row by `macro_name(item, *args)`, joined."""
    macro = _macro(macro_name)
    base = (macro, request.script_root, args)     # a reloaded template is a new macro
    return Markup("\n").join(_KEPT.get_or_make((base, type(item), _values(item)), lambda item=item: macro(item, *args))
                             for item in items)
