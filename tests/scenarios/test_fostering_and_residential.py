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
    # The child returns to panel at least once a year (B6, B17): with no interval set by the
    # panel, the council's 52 weeks after 22 April 2027: Thursday 20 April 2028.
    assert case.due("Record the Permanence Panel review") == (date(2028, 4, 20), "R12")

    case.do("Propose the long-term fostering match", on=date(2027, 4, 19), match_proposed_on=date(2027, 4, 19),
            carers="Mr and Mrs F", carers_origin="sought", halton_option="council_carer")
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


def test_E27_E28_E29_P5_residential_reviewed_at_panel_twice_then_a_move_to_foster_care(council_with_pathway):
    """Halton ToR, MER §3: residential care only with senior approval for an assessed need, short
    term, alternatives explored at the earliest opportunity and reviewed at panel until a family
    placement is found (never "achieved" after one review); for a disabled child, joint funding
    by the partnership sought first (E28)."""
    case = Case.start(council_with_pathway, date(2027, 2, 1), date(2012, 3, 3), legal_status="co")
    case.do("Hold the initial PPM", on=date(2027, 2, 10), held_on=date(2027, 2, 10), **PPM_AREAS,
            reunification_discussed=True, plan_identified=True, routes=["residential"])
    # R25: the senior manager decides within 5 working days of the PPM on Wed 10 Feb: Wed 17 Feb.
    assert case.due("Decide on a residential placement") == (date(2027, 2, 17), "R25")
    assert case.task("Decide on a residential placement")["lane"] == "Senior Manager"
    with pytest.raises(FormInvalid) as short_term:
        case.do("Decide on a residential placement", on=date(2027, 2, 15), decided_on=date(2027, 2, 15),
                approved=True, assessed_need="Specialist therapeutic care", child_disabled=True)
    # Every missing answer at once, each beside its field, what was typed kept.
    assert "short term" in short_term.value.errors["review_by"][0]
    assert "alternatives" in short_term.value.errors["alternatives_explored"][0]
    assert "E28" in short_term.value.errors["joint_funding_sought_on"][0]
    assert set(short_term.value.errors) == {"review_by", "alternatives_explored", "joint_funding_sought_on",
                                            "joint_funding_partners", "joint_funding_outcome"}
    assert short_term.value.data["assessed_need"] == "Specialist therapeutic care"
    # Joint funding is sought before the decision, not after it.
    with pytest.raises(FormInvalid) as after:
        case.do("Decide on a residential placement", decided_on=date(2027, 2, 15), approved=True,
                assessed_need="Specialist therapeutic care", child_disabled=True, review_by=date(2027, 5, 10),
                alternatives_explored="Two specialist foster carers asked; neither can meet his needs yet.",
                joint_funding_sought_on=date(2027, 2, 16), joint_funding_partners=["health"],
                joint_funding_outcome="awaited")
    assert list(after.value.errors) == ["joint_funding_sought_on"]
    case.do("Decide on a residential placement", on=date(2027, 2, 16), decided_on=date(2027, 2, 15), approved=True,
            assessed_need="Specialist therapeutic care", child_disabled=True, review_by=date(2027, 5, 10),
            alternatives_explored="Two specialist foster carers asked; neither can meet his needs yet.",
            joint_funding_sought_on=date(2027, 2, 12), joint_funding_partners=["health", "education"],
            joint_funding_outcome="agreed")
    assert case.due("Review the residential placement at panel") == (date(2027, 5, 10), "R25")

    # First panel review, Thu 6 May: no family yet. Short term: the panel sets the next review.
    with pytest.raises(FormInvalid) as no_next:
        case.do("Review the residential placement at panel", on=date(2027, 5, 6), reviewed_on=date(2027, 5, 6),
                alternatives_progress="Specialist carers in training.", family_placement_found=False)
    assert list(no_next.value.errors) == ["next_review_by"]
    case.do("Review the residential placement at panel", reviewed_on=date(2027, 5, 6),
            alternatives_progress="Specialist carers in training.", family_placement_found=False,
            next_review_by=date(2027, 8, 5))
    # Not "achieved" after one review: the search goes on, and the panel reviews again by 5 August.
    assert "Record permanence achieved" not in case.names()
    assert case.due("Review the residential placement at panel") == (date(2027, 8, 5), "R25")
    assert case.position.route == "residential"

    # Second review, Thu 29 July: specialist foster carers found; he moves on Mon 16 August.
    with pytest.raises(FormInvalid) as where:
        case.do("Review the residential placement at panel", on=date(2027, 7, 29), reviewed_on=date(2027, 7, 29),
                alternatives_progress="Matched with specialist carers.", family_placement_found=True)
    assert set(where.value.errors) == {"moved_to_route", "moves_on"}
    case.do("Review the residential placement at panel", reviewed_on=date(2027, 7, 29),
            alternatives_progress="Matched with specialist carers.", family_placement_found=True,
            moved_to_route="long_term_fostering", moves_on=date(2027, 8, 16))
    # The plan becomes long-term fostering (P5): its route starts; the residential reviews end.
    assert "Review the residential placement at panel" not in case.names()
    assert "Record permanence achieved" not in case.names()
    assert "Propose the long-term fostering match" in case.names()
    assert (case.position.stage, case.position.route) == ("Long-term fostering", "long_term_fostering")
    assert case.task("Propose the long-term fostering match")["rule"] == "R8"
    # The plan on the child's page says so, from the panel's review on 29 July.
    from engine.plan import child_plan
    with council_with_pathway.transaction() as session:
        plan = child_plan(session, case.child_id)
    assert plan.routes == ["long_term_fostering"]
    assert (plan.history[0]["on"], plan.history[0]["why"]) == (date(2027, 7, 29), "Matched with specialist carers.")


def test_residential_not_approved_closes_the_route(council_with_pathway):
    case = Case.start(council_with_pathway, date(2027, 2, 1), date(2012, 3, 3), legal_status="co")
    case.do("Hold the initial PPM", on=date(2027, 2, 10), held_on=date(2027, 2, 10), **PPM_AREAS,
            reunification_discussed=True, plan_identified=True, routes=["residential", "long_term_fostering"])
    case.do("Decide on a residential placement", on=date(2027, 2, 15), decided_on=date(2027, 2, 15),
            approved=False, assessed_need="Specialist therapeutic care")
    assert "Review the residential placement at panel" not in case.names()
    assert "Propose the long-term fostering match" in case.names()
