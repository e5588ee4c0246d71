"""A question picked from a list the service fills in (`x-choices`, A5): a PPM action's owner
is picked from staff, never typed. Checked when the list is given; plain short text for the
diagram checks and the rehearsal, which have no staff."""
from datetime import date

import pytest

from workflows.form_choices import with_choices
from workflows.forms import FormDefinitionError, form_from_dicts

SCHEMA = {"type": "object", "required": ["actions"], "properties": {"actions": {
    "type": "array", "title": "Actions", "items": {"type": "object", "required": ["action", "owner"], "properties": {
        "action": {"type": "string", "title": "Action", "maxLength": 100},
        "owner": {"type": "string", "title": "Owner", "x-choices": "staff"}}}}}}
STAFF = {"staff": [("sw", "Sam Worker (Social Worker, North)"), ("fp", "Fay Fostering (Social Worker, Fostering)")]}


def test_a5_an_owner_is_picked_from_the_list_given():
    form = with_choices(form_from_dicts("actions", SCHEMA), STAFF)
    owner = form.fields[0].item_fields[1]
    assert (owner.kind, owner.widget, owner.options) == ("choice", "select", tuple(STAFF["staff"]))
    today = date(2026, 3, 2)
    assert form.validate({"actions": [{"action": "Book the FGC", "owner": "fp"}]}, today)[1] == {}
    assert form.validate({"actions": [{"action": "Book the FGC", "owner": "Fay"}]}, today)[1] == {
        "actions": {0: {"owner": ["Select the owner"]}}}


def test_a5_without_a_list_the_question_takes_short_text():
    form = form_from_dicts("actions", SCHEMA)
    assert form.validate({"actions": [{"action": "a", "owner": "Anyone"}]}, date(2026, 3, 2))[1] == {}


def test_only_known_lists_may_be_named():
    bad = {"type": "object", "properties": {"owner": {"type": "string", "x-choices": "teams"}}}
    with pytest.raises(FormDefinitionError, match="x-choices: must be one of staff"):
        form_from_dicts("bad", bad)


def test_a5_the_filled_form_is_made_once_per_list_and_again_when_the_list_changes():
    """Pages fill the form on every request: the same form and the same list give the form
    already made; a new member of staff gives a new form that offers them."""
    plain = form_from_dicts("actions", SCHEMA)
    first = with_choices(plain, STAFF)
    assert with_choices(plain, {"staff": [list(p) for p in STAFF["staff"]]}) is first
    joined = {"staff": STAFF["staff"] + [("nw", "Nia New (Social Worker, North)")]}
    again = with_choices(plain, joined)
    assert again is not first
    assert again.fields[0].item_fields[1].options == tuple(joined["staff"])
    today = date(2026, 3, 2)
    assert again.validate({"actions": [{"action": "a", "owner": "nw"}]}, today)[1] == {}
    assert first.validate({"actions": [{"action": "a", "owner": "nw"}]}, today)[1] == {
        "actions": {0: {"owner": ["Select the owner"]}}}
