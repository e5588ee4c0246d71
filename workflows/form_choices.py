"""Lists a form's questions are picked from that only the service knows (`x-choices`): the
form with each such question turned into a list to pick from (A5: a PPM action's owner is
picked from staff, never typed). Plain data: the engine supplies the lists."""
import functools
import json
import weakref

from .forms import FormDefinition


def with_choices(form: FormDefinition, choices: dict[str, list[tuple[str, str]]]) -> FormDefinition:
    """The form with its `x-choices` questions (rows' too) turned into lists to pick from:
    shown as a select and checked against the list, and kept so in the record it makes.
    Unfilled (diagram checks, rehearsal), such a question takes any short text."""
    if "x-choices" not in schema_text(form):
        return form
    return _filled(form, tuple(sorted((name, tuple(tuple(pair) for pair in pairs))
                                      for name, pairs in choices.items())))


_TEXTS: "weakref.WeakKeyDictionary[FormDefinition, str]" = weakref.WeakKeyDictionary()


def schema_text(form: FormDefinition) -> str:
    """The form's JSON Schema as text, made once per form (a diagram version's forms never
    change, and every page and check of one asks whether it picks from a list)."""
    text = _TEXTS.get(form)
    if text is None:
        text = _TEXTS[form] = json.dumps(form.schema_json)
    return text


@functools.lru_cache(maxsize=64)
def _filled(form: FormDefinition, choices: tuple) -> FormDefinition:
    """Built once per form and list: a form is parsed and its marshmallow schema made again
    only when the lists change (staff joining or leaving), not on every page that shows it.
    Keyed by the form object itself (held here, so never mistaken for another) and the lists'
    whole content, read fresh by the caller each time: nothing here can go stale."""
    choices = {name: list(pairs) for name, pairs in choices}
    ui = json.loads(json.dumps(form.ui_schema_json or {}))

    def fill(prop: dict, ui_of: dict) -> dict:
        prop = dict(prop)
        if prop.get("x-choices") in choices:
            pairs = choices[prop.pop("x-choices")] or [("nobody", "No one to choose")]
            prop.pop("maxLength", None)
            prop.update(enum=[v for v, _ in pairs], enumNames=[t for _, t in pairs])
            ui_of["ui:widget"] = "select"   # a list of staff is long: never radios
        if isinstance(prop.get("items"), dict) and "properties" in prop["items"]:
            items_ui = ui_of.setdefault("items", {})
            prop["items"] = {**prop["items"], "properties": {
                k: fill(v, items_ui.setdefault(k, {})) for k, v in prop["items"]["properties"].items()}}
        return prop

    schema = {**form.schema_json, "properties": {
        k: fill(v, ui.setdefault(k, {})) for k, v in (form.schema_json.get("properties") or {}).items()}}
    return FormDefinition(form.name, schema, {k: v for k, v in ui.items() if v} or None)
