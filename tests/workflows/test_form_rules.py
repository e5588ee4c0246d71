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
