"""x-rules: checks across the answers and the case that a schema cannot express."""
from datetime import date

import pytest

from workflows.form_fields import FormDefinitionError
from workflows.forms import form_from_dicts

CONSENT = {
    "title": "Consent to adoption", "type": "object", "required": ["consent_given_on"],
    "properties": {"consent_given_on": {"type": "string", "format": "date", "title": "Date consent was given"}},
    "x-rules": [{"when": "consent_given_on < as_date(add_weeks(date_of_birth, 6))",
                 "field": "consent_given_on",
                 "message": "Consent is not valid before the child is 6 weeks old (ACA 2002 s52(3))"}],
}


def _as_date_form():
    schema = dict(CONSENT)
    schema["x-rules"] = [dict(CONSENT["x-rules"][0],
                              when="as_date_string(consent_given_on) < as_date_string(add_weeks(date_of_birth, 6))")]
    return form_from_dicts("consent.json", schema)


def test_a_rule_reads_the_case_and_refuses_with_its_message():
    form = _as_date_form()
    born = {"date_of_birth": date(2026, 1, 5)}  # 6 weeks old on 16 February 2026
    clean, errors = form.validate({"consent_given_on": "2026-02-15"}, date(2026, 3, 1), born)
    assert errors == {"consent_given_on": ["Consent is not valid before the child is 6 weeks old (ACA 2002 s52(3))"]}
    clean, errors = form.validate({"consent_given_on": "2026-02-16"}, date(2026, 3, 1), born)
    assert errors == {} and clean == {"consent_given_on": date(2026, 2, 16)}


def test_a_rule_that_cannot_run_is_the_forms_fault_not_the_users():
    form = _as_date_form()
    with pytest.raises(FormDefinitionError, match="x-rules check"):
        form.validate({"consent_given_on": "2026-02-16"}, date(2026, 3, 1), {})  # no date_of_birth


@pytest.mark.parametrize("rules, message", [
    ([{"when": "x", "field": "nope", "message": "m"}], "'nope' is not a field"),
    ([{"when": "__import__('os')", "field": "consent_given_on", "message": "m"}], "names starting with '_'"),
    ([{"when": "x", "field": "consent_given_on"}], "exactly 'when', 'field' and 'message'"),
])
def test_bad_rules_are_refused_when_the_form_loads(rules, message):
    with pytest.raises(FormDefinitionError, match=message):
        form_from_dicts("consent.json", {**CONSENT, "x-rules": rules})


MEETING = {
    "title": "Meeting", "type": "object", "required": ["held_on", "background"],
    "properties": {"held_on": {"type": "string", "format": "date", "title": "Date of the meeting"},
                   "background": {"type": "string", "title": "Background"},
                   "plan_identified": {"type": "boolean", "title": "Plan identified?"},
                   "route_evidence": {"type": "string", "title": "Evidence for the route"},
                   "letter_on": {"type": "string", "format": "date", "title": "Date of the letter"}},
    "x-rules": [{"when": "plan_identified and not route_evidence", "field": "route_evidence",
                 "message": "Enter the evidence and reasons for the route chosen"},
                {"when": "letter_on and held_on and letter_on < held_on", "field": "letter_on",
                 "message": "The letter follows the meeting"}],
}


def test_every_error_at_once_a_rule_broken_beside_a_missing_field_is_said_the_first_time():
    """Walking the initial PPM: the missing background was reported, then, once typed, five
    rules the first sending had already broken. Now they come together; a rule that reads a
    field in error (the letter after a meeting date not yet valid) waits for it."""
    form = form_from_dicts("meeting.json", MEETING)
    _clean, errors = form.validate({"held_on": "2026-02-30", "plan_identified": True, "letter_on": "2026-01-01"},
                                   date(2026, 3, 2), {})
    assert set(errors) == {"held_on", "background", "route_evidence"}
    assert errors["route_evidence"] == ["Enter the evidence and reasons for the route chosen"]
    _clean, errors = form.validate({"held_on": "2026-03-02", "background": "b", "plan_identified": True,
                                    "route_evidence": "e", "letter_on": "2026-03-01"}, date(2026, 3, 2), {})
    assert errors == {"letter_on": ["The letter follows the meeting"]}
