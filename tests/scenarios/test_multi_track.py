"""Multi-track (HAL §4 "twin or multi-track"; E31, P9): a plan with three routes runs all three
at once, and the first achieved closes the other two."""
from datetime import date

import pytest

from engine import FormInvalid

from .conftest import PPM_AREAS, Case, told_the_family

THREE = ["reunification", "family_and_friends", "adoption"]


def test_E31_P9_a_three_route_plan_runs_every_route_until_one_is_achieved(council_with_pathway):
    case = Case.start(council_with_pathway, date(2026, 3, 2), date(2025, 6, 1), legal_status="ico")
    # A parallel plan of three routes still asks whether the parents were told why.
    with pytest.raises(FormInvalid) as untold:
        case.do("Hold the initial PPM", on=date(2026, 3, 9), held_on=date(2026, 3, 9),
                **{**PPM_AREAS, "parallel_plan_explained": None},
                reunification_discussed=True, plan_identified=True, routes=THREE)
    assert list(untold.value.errors) == ["parallel_plan_explained"]
    assert untold.value.data["routes"] == THREE
    case.do("Hold the initial PPM", on=date(2026, 3, 9), held_on=date(2026, 3, 9), **PPM_AREAS,
            reunification_discussed=True, plan_identified=True, routes=THREE)
    # All three open at once, each due by the next PPM: Mon 9 Mar + 6 weeks = Mon 20 April (R8).
    assert {("Agree the reunification support plan", date(2026, 4, 20), "R8"),
            ("Complete the connected person assessment", date(2026, 4, 20), "R8"),
            ("Send the Child's Permanence Report to the ADM", date(2026, 4, 20), "R8")} <= {
        (t[0], t[2], t[3]) for t in case.open()}
    assert case.position.route == "reunification + family_and_friends + adoption"

    case.do("Agree the reunification support plan", on=date(2026, 3, 23), agreed_on=date(2026, 3, 23), support_plan="x", **told_the_family(date(2026, 3, 23)))
    case.do("Send the Child's Permanence Report to the ADM", on=date(2026, 4, 1),
            cpr_sent_on=date(2026, 4, 1), ffa_considered=True)
    # R15: 7 working days after Wed 1 Apr 2026: 2 (1), [3 Good Friday, 4-5, 6 Easter Monday],
    # 7 (2), 8 (3), 9 (4), 10 (5), 13 (6), Tue 14 April (7).
    assert case.due("Decide whether the child should be placed for adoption") == (date(2026, 4, 14), "R15")
    case.do("Decide whether the child should be placed for adoption", on=date(2026, 4, 13),
            adm_decided_on=date(2026, 4, 13), adm_decision="placed_for_adoption", reasons="Parallel plan.")
    assert case.deadline("R15")[0][1:] == (date(2026, 4, 14), "met", date(2026, 4, 13))
    # Authority to place within 3 months of the decision: 13 July 2026.
    assert case.due("Record the placement order or s19 consent") == (date(2026, 7, 13), "R18")
    # The aunt is assessed and applies for a CAO as a local authority's consent holder.
    case.do("Complete the connected person assessment", on=date(2026, 4, 6), assessed_on=date(2026, 4, 6),
            carer_name="Jo Aunt", assessment_recommendation="approve")
    case.do("Check the SGO or CAO applicant", on=date(2026, 4, 8), order_sought="cao", applicant_name="Jo Aunt",
            relationship="aunt_uncle", applicant_date_of_birth=date(1984, 2, 2), basis="local_authority_consent")
    case.do("Record the application to the court", on=date(2026, 4, 9), application_made_on=date(2026, 4, 9))
    case.do("Agree the CAO support plan", on=date(2026, 4, 20), cao_support_agreed_on=date(2026, 4, 20),
            allowance_payable=False, cao_support_plan="Family support worker.", self_sustaining_plan="Ends at the order.")
    case.do("Record the court's order", on=date(2026, 6, 1), order_type="cao", order_made_on=date(2026, 6, 1))
    # Family and friends achieved: the reunification and adoption tracks close with it.
    names = case.names()
    assert not names & {"Record the return home", "Record the placement order or s19 consent",
                        "Hold the review PPM"}
    assert "Record permanence achieved" in names
