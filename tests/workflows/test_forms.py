"""Tests for workflows.forms: loading form JSON and validating what practitioners submit."""

from datetime import date
from pathlib import Path

import pytest

from workflows.forms import Field, FormDefinition, form_from_dicts, load_form

FORMS = Path(__file__).parent / "forms"
TODAY = date(2026, 3, 10)


@pytest.fixture(scope="module")
def ppm() -> FormDefinition:
    return load_form(FORMS / "initial-ppm.json", FORMS / "initial-ppm-uischema.json")


@pytest.fixture(scope="module")
def needs() -> FormDefinition:
    return load_form(FORMS / "support-needs.json")


def good_ppm(**changes):
    data = {
        "held_on": "2026-03-03",
        "child_attended": "true",
        "background": "Accommodated under section 20 after a hospital admission.",
        "wishes_and_feelings": "Wants to see her brother every week.",
        "plan": "reunification",
        "contingency_plan": "family_and_friends",
        "actions": [{"action": "Complete a parenting assessment", "owner": "Social worker", "due_on": "2026-04-01"}],
        "next_ppm_on": "2026-04-14",
    }
    data.update(changes)
    return data


# --- loading ---------------------------------------------------------------


def test_loads_definition(ppm):
    assert ppm.name == "initial-ppm.json"
    assert ppm.title == "Initial Permanency Planning Meeting"
    assert ppm.description.startswith("Record the initial")
    assert ppm.schema_json["type"] == "object"
    assert all(isinstance(f, Field) for f in ppm.fields)


def test_ui_order_with_wildcard(ppm):
    assert [f.name for f in ppm.fields] == [
        "held_on", "child_attended", "plan", "contingency_plan",
        "background", "wishes_and_feelings", "parents_views", "siblings", "family_time_hours",
        "actions", "next_ppm_on",
    ]


def test_properties_order_without_ui_schema():
    form = load_form(FORMS / "initial-ppm.json")
    assert [f.name for f in form.fields][:3] == ["held_on", "child_attended", "background"]


def test_kinds_and_widgets(ppm):
    by = {f.name: f for f in ppm.fields}
    assert (by["held_on"].kind, by["held_on"].widget) == ("date", "date")
    assert (by["child_attended"].kind, by["child_attended"].widget) == ("boolean", "radios")
    assert (by["background"].kind, by["background"].widget) == ("textarea", "textarea")
    assert (by["plan"].kind, by["plan"].widget) == ("choice", "radios")  # 6 options
    assert (by["contingency_plan"].kind, by["contingency_plan"].widget) == ("choice", "select")  # 7 options
    assert (by["siblings"].kind, by["siblings"].widget) == ("integer", "hidden")
    assert (by["family_time_hours"].kind, by["family_time_hours"].widget) == ("number", "input")
    assert (by["actions"].kind, by["actions"].widget) == ("list", "list")
    action = by["actions"].item_fields[0]
    assert (action.kind, action.widget, action.max_length) == ("textarea", "textarea", 500)
    assert by["actions"].item_fields[1].widget == "input"


def test_field_details(ppm):
    by = {f.name: f for f in ppm.fields}
    assert by["held_on"].label == "When was the meeting held?"
    assert by["held_on"].hint == "For example, 27 3 2026"
    assert by["held_on"].required and by["held_on"].not_in_future
    assert not by["parents_views"].required
    assert by["parents_views"].max_length == 2000  # default cap on free text
    assert by["background"].hint == "Why the child is looked after."
    assert by["plan"].options[0] == ("reunification", "Reunification with parents")
    assert ("residential", "Residential care") in by["contingency_plan"].options
    assert (by["siblings"].minimum, by["siblings"].maximum) == (0, 20)
    assert (by["actions"].min_items, by["actions"].max_items) == (1, 20)
    assert by["next_ppm_on"].not_before == "held_on"


def test_default_widgets_without_ui_schema():
    form = form_from_dicts("w.json", {"type": "object", "properties": {
        "notes": {"type": "string", "default": "n/a"},
        "choice": {"type": "string", "enum": list("abcdefg")},
        "flag": {"type": "boolean"},
        "items": {"type": "array", "items": {"type": "object", "properties": {"x": {"type": "string"}}}},
    }})
    notes, choice, flag, items = form.fields
    assert (notes.kind, notes.widget, notes.label, notes.default) == ("text", "input", "Notes", "n/a")
    assert choice.widget == "select" and choice.options[0] == ("a", "a")
    assert flag.widget == "radios"
    assert items.max_items == 100  # default cap on lists


# --- valid data is converted --------------------------------------------------


def test_valid_submission_converts(ppm):
    clean, errors = ppm.validate(good_ppm(siblings="2", family_time_hours="1.5", junk="x"), TODAY)
    assert errors == {}
    assert clean["held_on"] == date(2026, 3, 3)
    assert clean["child_attended"] is True
    assert clean["siblings"] == 2 and isinstance(clean["siblings"], int)
    assert clean["family_time_hours"] == 1.5 and isinstance(clean["family_time_hours"], float)
    assert clean["actions"] == [{"action": "Complete a parenting assessment", "owner": "Social worker",
                                 "due_on": date(2026, 4, 1)}]
    assert clean["plan"] == "reunification"
    assert "junk" not in clean


def test_optional_fields_present_as_none(ppm):
    clean, errors = ppm.validate(good_ppm(parents_views="  "), TODAY)
    assert errors == {}
    assert clean["parents_views"] is None and clean["siblings"] is None


def test_json_native_values_accepted(ppm):
    clean, errors = ppm.validate(good_ppm(child_attended=False, siblings=3, family_time_hours=2,
                                          held_on=date(2026, 3, 3)), TODAY)
    assert errors == {}
    assert clean["child_attended"] is False and clean["siblings"] == 3 and clean["family_time_hours"] == 2.0


def test_govuk_date_dict(ppm):
    clean, errors = ppm.validate(good_ppm(held_on={"day": "3", "month": "3", "year": "2026"}), TODAY)
    assert errors == {}
    assert clean["held_on"] == date(2026, 3, 3)


def test_uk_style_date_text(ppm):
    clean, errors = ppm.validate(good_ppm(held_on="3/3/2026"), TODAY)
    assert errors == {} and clean["held_on"] == date(2026, 3, 3)


def test_text_is_trimmed_and_line_endings_normalised(ppm):
    clean, _ = ppm.validate(good_ppm(background="  line one\r\nline two  "), TODAY)
    assert clean["background"] == "line one\nline two"


def test_today_is_allowed_for_not_in_future(ppm):
    _, errors = ppm.validate(good_ppm(held_on="2026-03-10", next_ppm_on="2026-03-10",
                                      actions=[{"action": "a", "owner": "b", "due_on": "2026-03-10"}]), TODAY)
    assert errors == {}


# --- error messages -----------------------------------------------------------


def test_missing_required_messages(ppm):
    _, errors = ppm.validate({}, TODAY)
    assert errors == {
        "held_on": ["Enter the date the meeting was held"],
        "child_attended": ["Select yes or no: Did the child attend?"],
        "background": ["Enter the background"],
        "wishes_and_feelings": ["Enter the child's wishes and feelings"],
        "plan": ["Select the plan"],
        "contingency_plan": ["Select the contingency plan"],
        "actions": ["Actions must have at least 1 entry"],
        "next_ppm_on": ["Enter the date of the next PPM"],
    }


def test_blank_strings_count_as_missing(ppm):
    _, errors = ppm.validate(good_ppm(plan="", held_on={"day": "", "month": "", "year": ""}, actions=[]), TODAY)
    assert errors["plan"] == ["Select the plan"]
    assert errors["held_on"] == ["Enter the date the meeting was held"]
    assert errors["actions"] == ["Actions must have at least 1 entry"]


@pytest.mark.parametrize("value", ["31/02/2026", "2026-02-31", {"day": "31", "month": "2", "year": "2026"},
                                   {"day": "x", "month": "2", "year": "2026"}, {"day": "1", "month": "2", "year": "26"},
                                   "next Tuesday", "2026-13-01", 20260303])
def test_impossible_dates(ppm, value):
    _, errors = ppm.validate(good_ppm(held_on=value), TODAY)
    assert errors == {"held_on": ["The date the meeting was held must be a real date"]}


def test_incomplete_date_dict(ppm):
    _, errors = ppm.validate(good_ppm(held_on={"day": "3", "month": "", "year": "2026"}), TODAY)
    assert errors == {"held_on": ["The date the meeting was held must include a month"]}


def test_future_date_refused(ppm):
    _, errors = ppm.validate(good_ppm(held_on="2026-03-11", next_ppm_on="2026-04-30",
                                      actions=[{"action": "a", "owner": "b", "due_on": "2026-04-30"}]), TODAY)
    assert errors == {"held_on": ["The date the meeting was held must be today or in the past"]}


def test_not_before_top_level(ppm):
    _, errors = ppm.validate(good_ppm(next_ppm_on="2026-03-02"), TODAY)
    assert errors == {"next_ppm_on": ["Date of the next PPM must be the same as or after the date the meeting was held"]}


def test_not_before_skipped_when_reference_invalid(ppm):
    _, errors = ppm.validate(good_ppm(held_on="2026-02-30", next_ppm_on="2026-01-01"), TODAY)
    assert errors == {"held_on": ["The date the meeting was held must be a real date"]}


def test_nested_action_errors_keyed_by_index(ppm):
    actions = [
        {"action": "Fine", "owner": "Social worker", "due_on": "2026-04-01"},
        {"action": "x" * 501, "owner": "", "due_on": "2026-03-01", "extra": "ignored"},
        {"action": "Book a viewing", "owner": "IRO", "due_on": "2026-04-31"},
    ]
    clean, errors = ppm.validate(good_ppm(actions=actions), TODAY)
    assert errors == {"actions": {
        1: {"action": ["Action must be 500 characters or fewer"], "owner": ["Enter the owner"],
            # a cross-field message merges with the item's field errors
            "due_on": ["Due date must be the same as or after the date the meeting was held"]},
        2: {"due_on": ["Due date must be a real date"]},
    }}
    assert clean["actions"][0]["due_on"] == date(2026, 4, 1)


def test_nested_not_before_uses_top_level_field(ppm):
    actions = [{"action": "a", "owner": "b", "due_on": "2026-04-01"}, {"action": "a", "owner": "b", "due_on": "2026-03-01"}]
    _, errors = ppm.validate(good_ppm(actions=actions), TODAY)
    assert errors == {"actions": {1: {"due_on": ["Due date must be the same as or after the date the meeting was held"]}}}


def test_nested_missing_everything(ppm):
    _, errors = ppm.validate(good_ppm(actions=[{}]), TODAY)
    assert errors == {"actions": {0: {"action": ["Enter the action"], "owner": ["Enter the owner"],
                                      "due_on": ["Enter the due date"]}}}


def test_too_many_actions(ppm):
    action = {"action": "a", "owner": "b", "due_on": "2026-04-01"}
    _, errors = ppm.validate(good_ppm(actions=[action] * 21), TODAY)
    assert errors == {"actions": ["Actions must have 20 entries or fewer"]}


def test_text_length_cap(ppm):
    _, errors = ppm.validate(good_ppm(background="x" * 4001, parents_views="y" * 2001), TODAY)
    assert errors == {"background": ["Background must be 4000 characters or fewer"],
                      "parents_views": ["Parents' views must be 2000 characters or fewer"]}
    assert ppm.validate(good_ppm(background="x" * 4000), TODAY)[1] == {}


def test_choice_not_in_options(ppm):
    _, errors = ppm.validate(good_ppm(plan="kinship", contingency_plan=3), TODAY)
    assert errors == {"plan": ["Select the plan"], "contingency_plan": ["Select the contingency plan"]}


def test_boolean_and_number_messages(ppm):
    _, errors = ppm.validate(good_ppm(child_attended="perhaps", siblings="2.5", family_time_hours="lots"), TODAY)
    assert errors == {"child_attended": ["Select yes or no: Did the child attend?"],
                      "siblings": ["Number of brothers and sisters must be a whole number"],
                      "family_time_hours": ["Hours of family time each week must be a number"]}
    _, errors = ppm.validate(good_ppm(siblings=21, family_time_hours=-1), TODAY)
    assert errors == {"siblings": ["Number of brothers and sisters must be between 0 and 20"],
                      "family_time_hours": ["Hours of family time each week must be between 0 and 40"]}
    assert ppm.validate(good_ppm(siblings=2.5), TODAY)[1] == {"siblings": ["Number of brothers and sisters must be a whole number"]}
    assert ppm.validate(good_ppm(family_time_hours="nan"), TODAY)[1] == {"family_time_hours": ["Hours of family time each week must be a number"]}


def test_one_sided_bounds_and_min_length():
    form = form_from_dicts("b.json", {"type": "object", "properties": {
        "age": {"type": "integer", "minimum": 0},
        "score": {"type": "number", "maximum": 10},
        "code": {"type": "string", "minLength": 3, "maxLength": 5},
    }})
    _, errors = form.validate({"age": -1, "score": 11, "code": "ab"})
    assert errors == {"age": ["Age must be 0 or more"], "score": ["Score must be 10 or less"],
                      "code": ["Code must be 3 characters or more"]}
    assert form.validate({"code": "abcdef"})[1] == {"code": ["Code must be 5 characters or fewer"]}


def test_text_must_be_text(ppm):
    assert ppm.validate(good_ppm(background=["a"]), TODAY)[1] == {"background": ["Background must be text"]}


def test_boolean_with_statement_label():
    form = form_from_dicts("b.json", {"type": "object", "required": ["ok"], "properties": {
        "ok": {"type": "boolean", "title": "Plan agreed"}}})
    assert form.validate({})[1] == {"ok": ["Select yes or no for the plan agreed"]}


def test_today_defaults_to_real_today():
    form = form_from_dicts("d.json", {"type": "object", "properties": {
        "on": {"type": "string", "format": "date", "x-notInFuture": True}}})
    assert form.validate({"on": date.today().isoformat()})[1] == {}
    assert form.validate({"on": date.max.isoformat()})[1] == {"on": ["On must be today or in the past"]}


# --- multi-select ---------------------------------------------------------------


def test_multi_select(needs):
    field = needs.fields[0]
    assert (field.kind, field.widget) == ("multichoice", "checkboxes")
    assert field.options[1] == ("substance_misuse", "Drug or alcohol use")
    clean, errors = needs.validate({"needs": ["housing", "parenting", "housing"], "other_agencies": "police"})
    assert errors == {}
    assert clean == {"needs": ["housing", "parenting"], "other_agencies": ["police"]}


def test_multi_select_errors(needs):
    assert needs.validate({})[1] == {"needs": ["Select the support needed"]}
    assert needs.validate({"needs": []})[1] == {"needs": ["Select the support needed"]}
    assert needs.validate({"needs": ["housing", "benefits"]})[1] == {"needs": ["Select the support needed"]}
    assert needs.validate({"needs": ["housing", "parenting", "mental_health", "domestic_abuse"]})[1] == {
        "needs": ["Select 3 options or fewer for the support needed"]}
    assert needs.validate({"needs": ["housing"]})[0]["other_agencies"] == []


# --- sample data ------------------------------------------------------------------


def test_sample_data_validates(ppm, needs):
    sample = ppm.sample_data(TODAY)
    assert sample["held_on"] == TODAY and sample["plan"] == "reunification"
    assert sample["background"] == "Sample text" and len(sample["actions"]) == 1
    assert ppm.validate(sample, TODAY) == (sample, {})
    assert needs.validate(needs.sample_data(TODAY), TODAY)[1] == {}


def test_sample_data_respects_bounds():
    form = form_from_dicts("s.json", {"type": "object", "required": ["n", "t", "m"], "properties": {
        "n": {"type": "integer", "minimum": 3, "maximum": 9},
        "f": {"type": "number", "maximum": -2.5},
        "t": {"type": "string", "maxLength": 4},
        "u": {"type": "string", "minLength": 20},
        "m": {"type": "array", "minItems": 2, "items": {"type": "string", "enum": ["a", "b", "c"]}},
    }})
    sample = form.sample_data(TODAY)
    assert sample["n"] == 3 and sample["f"] == -2.5 and sample["t"] == "Samp" and sample["m"] == ["a", "b"]
    assert form.validate(sample, TODAY)[1] == {}


def test_not_before_in_list_item_may_name_a_sibling():
    form = form_from_dicts("p.json", {"type": "object", "properties": {"steps": {"type": "array", "items": {
        "type": "object", "properties": {"start": {"type": "string", "format": "date"},
                                         "end": {"type": "string", "format": "date", "x-notBefore": "start"}}}}}})
    _, errors = form.validate({"steps": [{"start": "2026-03-05", "end": "2026-03-04"}]})
    assert errors == {"steps": {0: {"end": ["End must be the same as or after the start"]}}}


def test_schema_class_built_once(ppm):
    cls = ppm._schema_cls
    ppm.validate(good_ppm(), TODAY)
    assert ppm._schema_cls is cls


def test_malformed_rows_keep_later_rows_aligned(ppm):
    late = {"action": "a", "owner": "b", "due_on": "2026-03-01"}
    clean, errors = ppm.validate(good_ppm(actions=["x", None, late]), TODAY)
    assert set(errors["actions"]) == {0, 1, 2}
    assert errors["actions"][2] == {"due_on": ["Due date must be the same as or after the date the meeting was held"]}
    assert clean["actions"][2]["due_on"] == date(2026, 3, 1)
    assert ppm.validate(good_ppm(actions="not a list"), TODAY)[1] == {"actions": ["Actions must be a list"]}


def test_each_check_stands_alone_though_the_form_checks_with_one_schema_per_thread(ppm):
    """The form's marshmallow schema is made once per thread and reused (issue 15): a check
    carries nothing from the one before it, neither errors nor the day it was checked on,
    and another thread checks with its own."""
    import threading
    clean, errors = ppm.validate(good_ppm(held_on="2026-03-12", plan=""), today=TODAY)
    assert set(errors) == {"held_on", "plan"}
    clean, errors = ppm.validate(good_ppm(), today=TODAY)
    assert errors == {} and clean["held_on"] == date(2026, 3, 3)
    _, errors = ppm.validate(good_ppm(held_on="2026-03-12"), today=date(2026, 3, 12))
    assert errors == {}   # today moved with the call
    _, errors = ppm.validate(good_ppm(held_on="2026-03-12"), today=TODAY)
    assert list(errors) == ["held_on"]
    found = []
    other = threading.Thread(target=lambda: found.append(ppm.validate(good_ppm(plan=""), today=TODAY)[1]))
    other.start()
    other.join()
    assert list(found[0]) == ["plan"]
    assert ppm.validate(good_ppm(), today=TODAY)[1] == {}
