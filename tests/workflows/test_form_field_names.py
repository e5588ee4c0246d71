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
