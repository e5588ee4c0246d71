"""The inbox's rows, each rendered once (`inbox_rows.html`) and kept by everything it shows:
the row's own values, the macro's arguments and where the app is mounted. A row whose task,
child or alert changes is a different key, so a kept row is only reused for the very same
values (nothing to invalidate, safe with other processes writing); the oldest go first."""
import threading
from collections import OrderedDict
from dataclasses import fields, is_dataclass

from flask import current_app, request
from markupsafe import Markup

KEEP = 4096
_KEPT: OrderedDict = OrderedDict()
_LOCK = threading.Lock()


def _values(item) -> tuple:
    if isinstance(item, dict):
        return tuple(item.items())
    if is_dataclass(item):
        return tuple(getattr(item, f.name) for f in fields(item))
    raise TypeError(f"a row must be a dict or a dataclass, not {type(item).__name__}")


def rows(macro_name: str, items, *args) -> Markup:
    """Each item's row by `macro_name(item, *args)`, joined."""
    macro = getattr(current_app.jinja_env.get_template("inbox_rows.html").module, macro_name)
    base = (macro, request.script_root, args)     # a reloaded template is a new macro
    found = []
    for item in items:
        key = (base, type(item), _values(item))
        with _LOCK:
            row = _KEPT.get(key)
            if row is not None:
                _KEPT.move_to_end(key)
        if row is None:
            row = macro(item, *args)
            with _LOCK:
                _KEPT[key] = row
                while len(_KEPT) > KEEP:
                    _KEPT.popitem(last=False)
        found.append(row)
    return Markup("\n").join(found)
