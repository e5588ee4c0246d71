"""Read a form's JSON Schema (and optional UI schema) into `Field` descriptions.

Forms are written by process owners, not developers, in the RJSF/SpiffArena
style so that diagrams stay portable. We support a deliberately small subset
and reject anything else at load time: a keyword we silently ignored (say a
`pattern`) would be a rule the owner believes is enforced but is not.
"""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass

from .scripting import check_source
from typing import Any

TEXT_CAP = 2000  # never accept unbounded free text
LIST_CAP = 100
RADIOS_UP_TO = 6  # GOV.UK: radios for a few options, a select beyond that

_COMMON = {"type", "title", "description", "default", "$comment", "x-errorName"}
_CHOICE = {"enum", "enumNames", "oneOf"}
_KEYWORDS = {
    "string": _COMMON | _CHOICE | {"maxLength", "minLength", "format", "x-notInFuture", "x-notBefore",
               "x-earliest", "x-choices"},
    "number": _COMMON | {"minimum", "maximum"},
    "integer": _COMMON | {"minimum", "maximum"},
    "boolean": _COMMON,
    "array": _COMMON | {"items", "minItems", "maxItems", "uniqueItems"},
}
_TOP_KEYWORDS = {"title", "description", "type", "required", "properties", "$schema", "$id", "$comment", "x-rules"}
_ITEM_OBJECT_KEYWORDS = {"type", "title", "description", "required", "properties"}
_UI_KEYS = {"ui:widget", "ui:help", "items"}
# Which `ui:widget` values suit which kind, and the widget each one gives.
_WIDGETS = {
    "text": {"text": "input", "textarea": "textarea", "hidden": "hidden"},
    "date": {"hidden": "hidden"},
    "number": {"text": "input", "hidden": "hidden"},
    "integer": {"text": "input", "hidden": "hidden"},
    "boolean": {"radio": "radios", "hidden": "hidden"},
    "choice": {"radio": "radios", "select": "select", "hidden": "hidden"},
    "multichoice": {"checkboxes": "checkboxes"},
    "list": {},
}
# Labels starting with these read well without "the": "Enter what you have done".
_NO_ARTICLE = {"the", "a", "an", "your", "their", "this", "any", "what", "when", "where", "who", "why", "how", "which"}


#: Free text allowed to be longer than this is a paragraph, not a line: it is shown as a text
#: area, and may hold tabs and line breaks.
LONG_TEXT = 250


def is_multiline(field: "Field") -> bool:
    return field.kind == "textarea" or (field.kind == "text" and (field.max_length or 0) > LONG_TEXT)


class FormDefinitionError(ValueError):
    """A form file a process owner must fix; the message names the file and JSON path."""


@dataclass(frozen=True)
class Field:
    """One question on a form, already resolved to how we render and check it."""

    name: str
    label: str
    kind: str  # text, textarea, date, number, integer, boolean, choice, multichoice, list
    required: bool = False
    hint: str | None = None
    options: tuple[tuple[str, str], ...] = ()  # (value, label)
    widget: str = "input"  # input, textarea, radios, select, checkboxes, date, hidden, list
    item_fields: tuple[Field, ...] = ()
    max_length: int | None = None
    min_length: int | None = None
    minimum: int | float | None = None
    maximum: int | float | None = None
    min_items: int | None = None
    max_items: int | None = None
    default: Any = None
    not_in_future: bool = False
    not_before: str | None = None
    earliest: str | None = None  # ISO date: overrides 1990 and the child's birth (`typed_input`)
    error_name: str = ""  # follows "Enter"/"Select": "the date the meeting was held"
    error_subject: str = ""  # starts "... must be": "Date the meeting was held"


def _fail(src: str, path: str, message: str):
    raise FormDefinitionError(f"{src}: {path}: {message}")


def _expect(src, path, value, types, what):
    if not isinstance(value, types) or (isinstance(value, bool) and bool not in _tuple(types)):
        _fail(src, path, f"must be {what}")
    return value


def _tuple(types):
    return types if isinstance(types, tuple) else (types,)


def _count(src, path, value):
    if _expect(src, path, value, int, "a whole number") < 0:
        _fail(src, path, "must not be negative")
    return value


def parse_form(src: str, schema: Any, ui: Any, ui_src: str) -> tuple[str, str | None, tuple[Field, ...]]:
    """Check the whole definition and return (title, description, fields)."""
    _expect(src, "(top level)", schema, dict, "a JSON object")
    _expect(ui_src, "(top level)", ui if ui is not None else {}, dict, "a JSON object")
    if extra := sorted(set(schema) - _TOP_KEYWORDS):
        _fail(src, "(top level)", f"unsupported keyword {extra[0]!r}")
    if schema.get("type") != "object":
        _fail(src, "type", "the form must have type 'object'")
    title = _expect(src, "title", schema.get("title", ""), str, "text")
    description = _expect(src, "description", schema.get("description"), (str, type(None)), "text")
    fields = _parse_object(src, "", schema, ui or {}, ui_src, "uiSchema")
    _check_refs(src, "", fields, fields)
    return title or "", description, fields


@dataclass(frozen=True)
class FormRule:
    """A check across fields and the case (`x-rules`): when `when` is true for the answers
    and the task's data, `message` is shown against `field` and the task does not complete.
    For rules of law a schema cannot say, e.g. consent to adoption before 6 weeks (R18)."""
    when: str
    field: str
    message: str


def parse_rules(src: str, schema: dict, fields: tuple) -> tuple[FormRule, ...]:

    rules = _expect(src, "x-rules", schema.get("x-rules", []), list, "a list")
    names = {f.name for f in fields}
    parsed = []
    for i, rule in enumerate(rules):
        path = f"x-rules[{i}]"
        _expect(src, path, rule, dict, "a JSON object")
        if set(rule) != {"when", "field", "message"}:
            _fail(src, path, "a rule has exactly 'when', 'field' and 'message'")
        when, field, message = (_expect(src, f"{path}.{k}", rule[k], str, "text")
                                for k in ("when", "field", "message"))
        if field not in names:
            _fail(src, f"{path}.field", f"{field!r} is not a field of this form")
        if problems := check_source(when, "eval"):
            _fail(src, f"{path}.when", problems[0])
        parsed.append(FormRule(when, field, message))
    return tuple(parsed)


def _parse_object(src, path, obj, ui, ui_src, ui_path) -> tuple[Field, ...]:
    props = _expect(src, f"{path}properties", obj.get("properties", {}), dict, "a JSON object")
    required = _expect(src, f"{path}required", obj.get("required", []), list, "a list")
    for name in required:
        if name not in props:
            _fail(src, f"{path}required", f"{name!r} is not in properties")
    _expect(ui_src, ui_path, ui, dict, "a JSON object")
    for key in ui:
        if key != "ui:order" and key not in props:
            _fail(ui_src, f"{ui_path}.{key}", "not a field of this form")
    parsed = {}
    for name, prop in props.items():
        if not name.isidentifier() or keyword.iskeyword(name):
            _fail(src, f"{path}properties.{name}", "field names must be usable in expressions (letters, digits, _)")
        parsed[name] = _parse_field(src, f"{path}properties.{name}", name, prop, name in required,
                                    ui.get(name, {}), ui_src, f"{ui_path}.{name}")
    return tuple(parsed[n] for n in _order(ui_src, ui_path, ui.get("ui:order"), list(parsed)))


def _order(ui_src, ui_path, order, names):
    if order is None:
        return names
    path = f"{ui_path}.ui:order"
    _expect(ui_src, path, order, list, "a list")
    for item in order:
        if item != "*" and item not in names:
            _fail(ui_src, path, f"{item!r} is not a field of this form")
    rest = [n for n in names if n not in order]
    if rest and "*" not in order:
        _fail(ui_src, path, f"{rest[0]!r} is missing (add it, or '*' for the rest)")
    return [n for item in order for n in (rest if item == "*" else [item])]


def _parse_field(src, path, name, prop, required, ui, ui_src, ui_path) -> Field:
    _expect(src, path, prop, dict, "a JSON object")
    kind_type = prop.get("type")
    if kind_type not in _KEYWORDS:
        _fail(src, path, f"unsupported type {kind_type!r}")
    if extra := sorted(set(prop) - _KEYWORDS[kind_type]):
        _fail(src, path, f"unsupported keyword {extra[0]!r}")
    _expect(ui_src, ui_path, ui, dict, "a JSON object")
    if extra := sorted(set(ui) - _UI_KEYS):
        _fail(ui_src, ui_path, f"unsupported UI keyword {extra[0]!r}")
    label = _expect(src, f"{path}.title", prop.get("title") or _humanise(name), str, "text")
    explicit = _expect(src, f"{path}.x-errorName", prop.get("x-errorName"), (str, type(None)), "text")
    hints = [_expect(src, f"{path}.description", prop.get("description"), (str, type(None)), "text"),
             _expect(ui_src, f"{ui_path}.ui:help", ui.get("ui:help"), (str, type(None)), "text")]
    info: dict[str, Any] = dict(name=name, label=label, required=required, default=prop.get("default"),
                                hint="\n\n".join(h for h in hints if h) or None, **error_words(label, explicit))
    if kind_type == "string":
        info.update(_parse_string(src, path, prop))
    elif kind_type in ("number", "integer"):
        info["kind"] = kind_type
        for key in ("minimum", "maximum"):
            info[key] = _expect(src, f"{path}.{key}", prop.get(key), (int, float, type(None)), "a number")
        if None not in (info["minimum"], info["maximum"]) and info["minimum"] > info["maximum"]:
            _fail(src, path, "minimum is greater than maximum")
    elif kind_type == "boolean":
        info["kind"] = "boolean"
    else:
        info.update(_parse_array(src, path, prop, ui.get("items", {}), ui_src, f"{ui_path}.items"))
    if "items" in ui and info["kind"] != "list":
        _fail(ui_src, f"{ui_path}.items", "only a list of objects has item settings")
    kind = info["kind"]
    widget = ui.get("ui:widget")
    if widget is None:
        info["widget"] = _default_widget(kind, len(info.get("options", ())))
    elif widget not in _WIDGETS[kind]:
        _fail(ui_src, f"{ui_path}.ui:widget", f"widget {widget!r} does not suit a {kind} field")
    else:
        info["widget"] = _WIDGETS[kind][widget]
        if info["widget"] == "textarea":
            info["kind"] = "textarea"
    return Field(**info)


#: Lists of choices the service fills in when a form is shown or checked (`x-choices`):
#: "staff" is every active member of staff, picked by name, never typed (A5).
DYNAMIC_CHOICES = ("staff",)


def _parse_string(src, path, prop) -> dict:
    out: dict[str, Any] = {"kind": "text"}
    if "x-choices" in prop:
        if prop["x-choices"] not in DYNAMIC_CHOICES:
            _fail(src, f"{path}.x-choices", f"must be one of {', '.join(DYNAMIC_CHOICES)}")
        if bad := sorted(set(prop) & (_CHOICE | {"format", "minLength"})):
            _fail(src, path, f"keyword {bad[0]!r} does not apply to a field with x-choices")
    options = _parse_options(src, path, prop)
    fmt = prop.get("format")
    if fmt not in (None, "date"):
        _fail(src, f"{path}.format", f"unsupported format {fmt!r} (only 'date')")
    if options:
        out.update(kind="choice", options=options)
    elif fmt == "date":
        out["kind"] = "date"
        out["not_in_future"] = _expect(src, f"{path}.x-notInFuture", prop.get("x-notInFuture", False), bool, "true or false")
        out["not_before"] = _expect(src, f"{path}.x-notBefore", prop.get("x-notBefore"), (str, type(None)), "a field name")
        out["earliest"] = _expect(src, f"{path}.x-earliest", prop.get("x-earliest"), (str, type(None)), "a date")
        if out["earliest"] is not None and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", out["earliest"]):
            _fail(src, f"{path}.x-earliest", "must be a date written 2026-03-02")
    else:
        out["max_length"] = _count(src, f"{path}.maxLength", prop.get("maxLength", TEXT_CAP))
        out["min_length"] = _count(src, f"{path}.minLength", prop["minLength"]) if "minLength" in prop else None
        if (out["min_length"] or 0) > out["max_length"]:
            _fail(src, path, "minLength is greater than maxLength")
    misplaced = {"x-notInFuture", "x-notBefore", "x-earliest"} if out["kind"] != "date" else {"maxLength", "minLength"}
    if out["kind"] == "choice":
        misplaced |= {"maxLength", "minLength"}
    if bad := sorted(misplaced & set(prop)):
        _fail(src, path, f"keyword {bad[0]!r} does not apply to a {out['kind']} field")
    return out


def _parse_options(src, path, prop) -> tuple[tuple[str, str], ...]:
    if "enum" in prop and "oneOf" in prop:
        _fail(src, path, "use either enum or oneOf, not both")
    if "enum" in prop:
        values = _expect(src, f"{path}.enum", prop["enum"], list, "a list")
        labels = _expect(src, f"{path}.enumNames", prop.get("enumNames", values), list, "a list")
        if len(labels) != len(values):
            _fail(src, f"{path}.enumNames", "must have one label for each enum value")
    elif "oneOf" in prop:
        entries = _expect(src, f"{path}.oneOf", prop["oneOf"], list, "a list")
        for i, entry in enumerate(entries):
            if not isinstance(entry, dict) or set(entry) - {"const", "title"} or "const" not in entry:
                _fail(src, f"{path}.oneOf[{i}]", 'must be {"const": ..., "title": ...}')
        values = [e["const"] for e in entries]
        labels = [e.get("title", e["const"]) for e in entries]
    else:
        if "enumNames" in prop:
            _fail(src, f"{path}.enumNames", "enumNames needs enum")
        return ()
    if not values or not all(isinstance(v, str) and v for v in values + labels):
        _fail(src, path, "options must be a non-empty list of non-empty strings")
    if len(set(values)) != len(values):
        _fail(src, path, "options must not repeat")
    return tuple(zip(values, labels))


def _parse_array(src, path, prop, item_ui, ui_src, ui_path) -> dict:
    items = _expect(src, f"{path}.items", prop.get("items"), dict, "a JSON object")
    out: dict[str, Any] = {"min_items": _count(src, f"{path}.minItems", prop.get("minItems", 0)) or None}
    if prop.get("uniqueItems", True) is not True:
        _fail(src, f"{path}.uniqueItems", "only true is supported")
    if items.get("type") == "object":
        if extra := sorted(set(items) - _ITEM_OBJECT_KEYWORDS):
            _fail(src, f"{path}.items", f"unsupported keyword {extra[0]!r}")
        if "uniqueItems" in prop:
            _fail(src, f"{path}.uniqueItems", "only applies to a multi-select")
        item_fields = _parse_object(src, f"{path}.items.", items, item_ui, ui_src, ui_path)
        if bad := next((f for f in item_fields if f.kind == "list"), None):
            _fail(src, f"{path}.items.properties.{bad.name}", "lists inside lists are not supported")
        out.update(kind="list", item_fields=item_fields, max_items=prop.get("maxItems", LIST_CAP))
    elif items.get("type") == "string" and set(items) <= {"type"} | _CHOICE and (options := _parse_options(src, f"{path}.items", items)):
        out.update(kind="multichoice", options=options, max_items=prop.get("maxItems"))
    else:
        _fail(src, f"{path}.items", "must be an object, or a string with enum/oneOf (a multi-select)")
    if out["max_items"] is not None:
        _count(src, f"{path}.maxItems", out["max_items"])
    if item_ui and out["kind"] != "list":
        _fail(ui_src, ui_path, "only a list of objects has item settings")
    return out


def _default_widget(kind: str, option_count: int) -> str:
    if kind == "choice":
        return "radios" if option_count <= RADIOS_UP_TO else "select"
    return {"text": "input", "number": "input", "integer": "input", "boolean": "radios",
            "date": "date", "multichoice": "checkboxes", "list": "list"}[kind]


def _humanise(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name).replace("_", " ").strip().capitalize()


def error_words(label: str, explicit: str | None) -> dict:
    """GOV.UK messages need a noun phrase ("Enter the owner") and a subject ("Owner must ...").

    Labels phrased as questions cannot be turned into either; `x-errorName` supplies one.
    """
    if explicit:
        return {"error_name": explicit, "error_subject": explicit[0].upper() + explicit[1:]}
    base = label.strip().rstrip(" ?:") or label
    first = base.split(" ", 1)[0]
    lowered = base if len(first) > 1 and first.isupper() else base[0].lower() + base[1:]
    article = "" if first.lower() in _NO_ARTICLE else "the "
    return {"error_name": article + lowered, "error_subject": base}


def _check_refs(src, path, fields, top_fields):
    """x-notBefore must name a date field in the same list item or at the top level."""
    for f in fields:
        if f.kind == "list":
            _check_refs(src, f"{path}properties.{f.name}.items.", f.item_fields, top_fields)
        elif f.not_before:
            target = find_ref(f, fields, top_fields)
            if target is None or target.kind != "date" or target.name == f.name:
                _fail(src, f"{path}properties.{f.name}.x-notBefore", f"{f.not_before!r} is not another date field")


def find_ref(field: Field, siblings, top_fields) -> Field | None:
    """The field an x-notBefore names: a sibling first, then a top-level field."""
    return next((g for g in (*siblings, *top_fields) if g.name == field.not_before), None)
