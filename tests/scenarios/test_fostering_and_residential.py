"""Long-term fostering ratified at panel (with the panel's actions in the owners' inboxes),
reviewed after permanence; and a residential placement only with senior approval."""
from datetime import date

import pytest

from engine import FormInvalid, complete_task

from .conftest import PPM_AREAS, Case, at


def test_long_term_fostering_ratified_at_panel_then_reviewed(council_with_pathway):
    case = Case.start(council_with_pathway, date(2027, 3, 8), date(2015, 1, 10), legal_status="co")
    # A care order at entry: no proceedings to track, no s20 clock. R10: 8 Mar + 8 weeks = 3 May.
    assert case.due("Record the first Permanence Panel outcome") == (date(2027, 5, 3), "R10")
    case.do("Hold the initial PPM", on=date(2027, 3, 15), held_on=date(2027, 3, 15), **PPM_AREAS,
            reunification_discussed=True, plan_identified=True, routes=["long_term_fostering"])
    assert case.due("Propose the long-term fostering match") == (date(2027, 4, 26), "R8")  # 15 Mar + 6 weeks

    case.do("Record the first Permanence Panel outcome", on=date(2027, 4, 22), panel_held_on=date(2027, 4, 22),
            recommendation="Progress the long-term match.", legal_advice_needed=False)
    # R11: 3 working days after the panel on Thu 22 Apr: Fri 23 (1), Mon 26 (2), Tue 27 April (3).
    assert case.due("Record the panel actions") == (date(2027, 4, 27), "R11")
    assert case.task("Record the panel actions")["lane"] == "Panel Administrator"
    case.do("Record the panel actions", on=date(2027, 4, 26), actions=[
        {"action": "Update the life story work", "owner": "sw", "due_on": "2027-05-20"},
        {"action": "Arrange sibling contact", "owner": "sw", "due_on": "2027-06-10"}])
    # R12: each action is a task with its own due date.
    actions = sorted((t[2], t[3]) for t in case.open() if t[0] == "Complete the panel action")
    assert actions == [(date(2027, 5, 20), "R12"), (date(2027, 6, 10), "R12")]
    at(date(2027, 5, 4))
    for task in [t for t in case.position.open_tasks if t["name"] == "Complete the panel action"]:
        complete_task(case.db, task["task_id"], {"completed_on": "2027-05-04"}, "sw")
    # Then the child returns to panel at least once a year: 22 April 2028.
    assert case.due("Record the Permanence Panel review") == (date(2028, 4, 22), "R12")

    case.do("Propose the long-term fostering match", on=date(2027, 4, 19), match_proposed_on=date(2027, 4, 19),
            carers="Mr and Mrs F")
    # R22: ratified at a panel within the 5-week rotation: 19 Apr + 5 weeks = 24 May.
    assert case.due("Ratify the long-term match at panel") == (date(2027, 5, 24), "R22")
    case.do("Ratify the long-term match at panel", on=date(2027, 5, 24), ratified_on=date(2027, 5, 24), ratified=True)
    # 5 working days after Mon 24 May: 25 (1), 26 (2), 27 (3), 28 (4), [31 May bank holiday], 1 June (5).
    assert case.due("Record permanence achieved") == (date(2027, 6, 1), "R23")
    case.do("Record permanence achieved", on=date(2027, 5, 25), achieved_on=date(2027, 5, 24), leaves_care=False)
    # The child stays looked after: R23 reviews every 6 months from 24 May: 24 November 2027.
    assert case.due("Review the permanence plan") == (date(2027, 11, 24), "R23")
    assert case.position.stage == "Permanence achieved"
    case.do("Review the permanence plan", on=date(2027, 11, 20), permanence_reviewed_on=date(2027, 11, 20),
            plan_stable=True, case_closed=False)
    assert case.due("Review the permanence plan") == (date(2028, 5, 20), "R23")  # 6 months on
    case.do("Review the permanence plan", on=date(2028, 5, 18), permanence_reviewed_on=date(2028, 5, 18),
            plan_stable=True, case_closed=True)
    assert case.position.status == "completed"


def test_residential_only_with_senior_approval_and_reviewed_at_panel(council_with_pathway):
    case = Case.start(council_with_pathway, date(2027, 2, 1), date(2012, 3, 3), legal_status="co")
    case.do("Hold the initial PPM", on=date(2027, 2, 10), held_on=date(2027, 2, 10), **PPM_AREAS,
            reunification_discussed=True, plan_identified=True, routes=["residential"])
    # R25: the senior manager decides within 5 working days of the PPM on Wed 10 Feb: Wed 17 Feb.
    assert case.due("Decide on a residential placement") == (date(2027, 2, 17), "R25")
    assert case.task("Decide on a residential placement")["lane"] == "Senior Manager"
    with pytest.raises(FormInvalid) as short_term:
        case.do("Decide on a residential placement", on=date(2027, 2, 15), decided_on=date(2027, 2, 15),
                approved=True, assessed_need="Specialist therapeutic care")
    assert "short term" in short_term.value.errors["review_by"][0]
    case.do("Decide on a residential placement", decided_on=date(2027, 2, 15), approved=True,
            assessed_need="Specialist therapeutic care", review_by=date(2027, 5, 10))
    assert case.due("Review the residential placement at panel") == (date(2027, 5, 10), "R25")
    case.do("Review the residential placement at panel", on=date(2027, 5, 6), reviewed_on=date(2027, 5, 6))
    assert case.due("Record permanence achieved")[1] == "R23"
