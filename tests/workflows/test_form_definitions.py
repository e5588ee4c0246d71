"""Form definitions a process owner gets wrong are refused when they load, with the file and the
JSON path of the problem, never silently ignored."""
import pytest

from workflows.forms import FormDefinitionError, form_from_dicts, load_form

def bad(properties, required=(), ui=None, **top):
    return form_from_dicts("ppm.json", {"type": "object", "properties": properties, "required": list(required), **top}, ui)


@pytest.mark.parametrize("make, message", [
    (lambda: bad({"held_on": {"type": "datetime"}}), "ppm.json: properties.held_on: unsupported type 'datetime'"),
    (lambda: bad({"held_on": {"title": "x"}}), "ppm.json: properties.held_on: unsupported type None"),
    (lambda: bad({"name": {"type": "string", "pattern": "^a"}}), "ppm.json: properties.name: unsupported keyword 'pattern'"),
    (lambda: bad({"a": {"type": "string"}}, required=["b"]), "ppm.json: required: 'b' is not in properties"),
    (lambda: bad({}, **{"additionalProperties": False}), "ppm.json: (top level): unsupported keyword 'additionalProperties'"),
    (lambda: form_from_dicts("ppm.json", {"type": "array"}), "ppm.json: type: the form must have type 'object'"),
    (lambda: bad({"d": {"type": "string", "format": "date-time"}}), "ppm.json: properties.d.format: unsupported format 'date-time'"),
    (lambda: bad({"d": {"type": "string", "format": "date", "maxLength": 3}}), "ppm.json: properties.d: keyword 'maxLength' does not apply to a date field"),
    (lambda: bad({"t": {"type": "string", "x-notInFuture": True}}), "ppm.json: properties.t: keyword 'x-notInFuture' does not apply to a text field"),
    (lambda: bad({"d": {"type": "string", "format": "date", "x-notBefore": "nope"}}), "ppm.json: properties.d.x-notBefore: 'nope' is not another date field"),
    (lambda: bad({"t": {"type": "string", "maxLength": -1}}), "ppm.json: properties.t.maxLength: must not be negative"),
    (lambda: bad({"t": {"type": "string", "maxLength": "10"}}), "ppm.json: properties.t.maxLength: must be a whole number"),
    (lambda: bad({"n": {"type": "number", "minimum": 5, "maximum": 1}}), "ppm.json: properties.n: minimum is greater than maximum"),
    (lambda: bad({"c": {"type": "string", "enum": ["a"], "enumNames": ["A", "B"]}}), "ppm.json: properties.c.enumNames: must have one label for each enum value"),
    (lambda: bad({"c": {"type": "string", "oneOf": [{"const": "a", "label": "A"}]}}), "ppm.json: properties.c.oneOf[0]: must be"),
    (lambda: bad({"c": {"type": "string", "enum": ["a", "a"]}}), "ppm.json: properties.c: options must not repeat"),
    (lambda: bad({"c": {"type": "string", "enum": [1, 2]}}), "ppm.json: properties.c: options must be a non-empty list"),
    (lambda: bad({"class": {"type": "string"}}), "ppm.json: properties.class: field names must be usable in expressions"),
    (lambda: bad({"l": {"type": "array", "items": {"type": "integer"}}}), "ppm.json: properties.l.items: must be an object, or a string with enum/oneOf"),
    (lambda: bad({"l": {"type": "array", "items": {"type": "object", "properties": {"when": {"type": "string", "format": "time"}}}}}),
     "ppm.json: properties.l.items.properties.when.format: unsupported format 'time'"),
    (lambda: bad({"l": {"type": "array", "items": {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["b"]}}}),
     "ppm.json: properties.l.items.required: 'b' is not in properties"),
    (lambda: bad({"l": {"type": "array", "items": {"type": "object", "properties": {"m": {"type": "array", "items": {"type": "object"}}}}}}),
     "ppm.json: properties.l.items.properties.m: lists inside lists are not supported"),
    (lambda: bad({"t": {"type": "string"}}, ui={"t": {"ui:widget": "calendar"}}), "ppm.json (UI schema): uiSchema.t.ui:widget: widget 'calendar' does not suit a text field"),
    (lambda: bad({"t": {"type": "string"}}, ui={"t": {"ui:placeholder": "x"}}), "ppm.json (UI schema): uiSchema.t: unsupported UI keyword 'ui:placeholder'"),
    (lambda: bad({"t": {"type": "string"}}, ui={"u": {}}), "ppm.json (UI schema): uiSchema.u: not a field of this form"),
    (lambda: bad({"t": {"type": "string"}, "u": {"type": "string"}}, ui={"ui:order": ["t"]}), "ppm.json (UI schema): uiSchema.ui:order: 'u' is missing"),
    (lambda: bad({"t": {"type": "string"}}, ui={"ui:order": ["t", "v"]}), "ppm.json (UI schema): uiSchema.ui:order: 'v' is not a field"),
    (lambda: bad({"b": {"type": "boolean"}}, ui={"b": {"ui:widget": "textarea"}}), "does not suit a boolean field"),
])
def test_definition_errors(make, message):
    with pytest.raises(FormDefinitionError) as info:
        make()
    assert str(info.value).startswith(message) or message in str(info.value)


def test_definition_error_from_file_names_file(tmp_path):
    (tmp_path / "review.json").write_text('{"type": "object", "properties": {"x": {"type": "date"}}}')
    (tmp_path / "broken.json").write_text('{"type": ')
    (tmp_path / "review-ui.json").write_text('{"x": {"ui:widget": "wobble"}}')
    (tmp_path / "ok.json").write_text('{"type": "object", "properties": {"x": {"type": "string"}}}')
    with pytest.raises(FormDefinitionError, match=r"^review\.json: properties\.x: unsupported type 'date'"):
        load_form(tmp_path / "review.json")
    with pytest.raises(FormDefinitionError, match=r"^broken\.json: line 1: not valid JSON"):
        load_form(str(tmp_path / "broken.json"))
    with pytest.raises(FormDefinitionError, match=r"^review-ui\.json: uiSchema\.x\.ui:widget"):
        load_form(tmp_path / "ok.json", tmp_path / "review-ui.json")
    assert issubclass(FormDefinitionError, ValueError)
