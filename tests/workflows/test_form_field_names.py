"""No two forms of the pathway collect the same case fact under one name unless it means the
same thing: the adoption review once wrote `review_held_on`, so the tracker's "Last CLA
review" showed an adoption review's date (R16, R17)."""
import json

from workflows.stages import FACT_KEYS

from ..conftest import DIAGRAMS

#: Facts deliberately collected by more than one form, each with one meaning.
SAME_MEANING = {
    "held_on": {"ppm.json", "ppm-review.json"},                      # the date of a PPM
    "plan_identified": {"ppm.json", "cla-review.json"},              # a permanence plan exists (R4)
    "order_type": {"court-order.json", "proceedings-hearing.json"},  # the court's order
    "order_made_on": {"court-order.json", "proceedings-hearing.json"},
    # a change of plan put to the IRO's review (R5), from a review PPM or a permanence review (M2)
    "change_of_plan_proposed": {"ppm-review.json", "permanence-review.json"},
    "next_ppm_on": {"ppm.json", "ppm-review.json"},                  # the next PPM's date (B21)
    # Fostering for Adoption proposed at a PPM: the first, or with a change of plan (E20, C15)
    "ffa_proposed": {"ppm.json", "ppm-review.json"},
    # the letter before proceedings (R13), from an LGM after entry or at the edge of care (B1)
    "plo_letter_on": {"lgm-decision.json", "edge-lgm-decision.json"},
}


def _fields_by_form() -> dict[str, set[str]]:
    return {path.name: set(json.loads(path.read_text()).get("properties", {}))
            for path in sorted(DIAGRAMS.glob("*.json")) if not path.name.endswith("-uischema.json")}


def test_a_fact_is_collected_under_one_name_by_forms_that_mean_the_same_thing():
    forms = _fields_by_form()
    for key in FACT_KEYS:
        collecting = {name for name, fields in forms.items() if key in fields}
        if len(collecting) > 1:
            assert collecting == SAME_MEANING.get(key), (key, sorted(collecting))


def test_the_adoption_review_and_the_cla_review_keep_their_dates_apart():
    forms = _fields_by_form()
    assert "review_held_on" in forms["cla-review.json"]
    assert "review_held_on" not in forms["adoption-review.json"]
    assert "adoption_review_held_on" in forms["adoption-review.json"]
    assert "adoption_review_held_on" in FACT_KEYS


#: Names several forms collect, each read only inside its own called process, never a fact.
#: `actions`: the PPM's (ppm.json, ppm-review.json) and the panel's (panel-actions.json); the
#: panel diagram reads its own in the step that records them, inside `permanence_panel`,
#: whose data is its own until it ends; the records read each task's answers, not the data.
OWN_PROCESS_ONLY = {"actions": {"ppm.json", "ppm-review.json", "panel-actions.json"}}


def _expressions() -> str:
    """Every expression the diagrams evaluate: conditions, scripts, timers, loop inputs, and
    the dueDate, metOn and other properties (documentation and instructions left out)."""
    from lxml import etree
    texts = []
    for path in sorted(DIAGRAMS.glob("*.bpmn")):
        root = etree.fromstring(path.read_bytes())
        for element in root.iter():
            if not isinstance(element.tag, str):
                continue
            local = etree.QName(element).localname
            if local in ("conditionExpression", "script", "timeDate", "timeDuration", "timeCycle",
                         "loopDataInputRef", "completionCondition"):
                texts.append(element.text or "")
            elif local == "property" and element.get("name") in ("dueDate", "metOn"):
                texts.append(element.get("value") or "")
    return "\n".join(texts)


def test_every_form_field_collected_twice_means_one_thing_or_is_read_by_nothing():
    """The collision the adoption review had, checked on every field of every form: a name
    two forms collect is either one meaning (SAME_MEANING), or free text no diagram expression
    and no fact reads (comments, notes, summary), so one form's answer cannot stand in for
    another's."""
    import re
    forms = _fields_by_form()
    read = _expressions()
    names = {name for fields in forms.values() for name in fields}
    for name in sorted(names):
        collecting = {form for form, fields in forms.items() if name in fields}
        if len(collecting) < 2 or SAME_MEANING.get(name) == collecting:
            continue
        if OWN_PROCESS_ONLY.get(name) == collecting:
            continue
        assert name not in FACT_KEYS, (name, sorted(collecting))
        assert not re.search(rf"\b{re.escape(name)}\b", read), (
            f"{name} is collected by {sorted(collecting)} and read by a diagram expression")
