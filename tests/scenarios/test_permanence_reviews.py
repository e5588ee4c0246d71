"""After permanence (DEV "Reviewing the Permanence Plan"): a permanence review considers
changing the plan (M2), such as a Special Guardianship Order to the carer, and the post-18
arrangements for a care leaver (L4) with the pathway plan updated (L5). Runs on SQLite and
PostgreSQL."""
from datetime import date

from .conftest import PPM_AREAS, Case


def _in_long_term_fostering(case):
    """Planned on Mon 9 March 2026; matched, ratified on Mon 27 April, achieved that day."""
    case.do("Hold the initial PPM", on=date(2026, 3, 9), held_on=date(2026, 3, 9), **PPM_AREAS,
            reunification_discussed=True, plan_identified=True, routes=["long_term_fostering"])
    case.do("Propose the long-term fostering match", on=date(2026, 4, 13), match_proposed_on=date(2026, 4, 13),
            carers="Mr and Mrs F", carers_origin="short_term", reassessed_on=date(2026, 4, 6),
            reassessment_recommends=True, halton_option="with_view_to_sgo")
    case.do("Ratify the long-term match at panel", on=date(2026, 4, 27), ratified_on=date(2026, 4, 27), ratified=True)
    case.do("Record permanence achieved", on=date(2026, 4, 28), achieved_on=date(2026, 4, 27), leaves_care=False)
    # R23: 6 months after 27 April: 27 October 2026.
    assert case.due("Review the permanence plan") == (date(2026, 10, 27), "R23")


def test_M2_a_permanence_review_proposes_special_guardianship_to_the_carer(council_with_pathway):
    case = Case.start(council_with_pathway, date(2026, 3, 2), date(2016, 2, 1), legal_status="co")
    _in_long_term_fostering(case)
    case.do("Review the permanence plan", on=date(2026, 10, 20), permanence_reviewed_on=date(2026, 10, 20),
            plan_stable=True, case_closed=False, change_of_plan_proposed=True,
            proposed_change="Special guardianship to Mr and Mrs F, who wish to apply.")
    # The change of plan goes to the IRO as any other (R5): 10 working days after Tue 20
    # October: 21-23 (3), 26-30 (8), 2, 3 November (10): Tue 3 November.
    assert case.due("Review the proposed change of plan") == (date(2026, 11, 3), "R5")
    assert case.task("Review the proposed change of plan")["lane"] == "IRO"
    case.do("Review the proposed change of plan", on=date(2026, 10, 29), change_reviewed_on=date(2026, 10, 29),
            change_agreed=True, new_routes=["family_and_friends"])
    # The new plan is pursued: the family and friends route opens, with the review PPMs.
    assert "Complete the connected person assessment" in case.names()
    assert "Review the permanence plan" not in case.names()
    assert case.position.route == "family_and_friends"


def test_M2_a_change_not_agreed_keeps_the_reviews_going(council_with_pathway):
    case = Case.start(council_with_pathway, date(2026, 3, 2), date(2016, 2, 1), legal_status="co")
    _in_long_term_fostering(case)
    case.do("Review the permanence plan", on=date(2026, 10, 20), permanence_reviewed_on=date(2026, 10, 20),
            plan_stable=True, case_closed=False, change_of_plan_proposed=True,
            proposed_change="Special guardianship to the carers.")
    case.do("Review the proposed change of plan", on=date(2026, 10, 29), change_reviewed_on=date(2026, 10, 29),
            change_agreed=False)
    # Not agreed: the next permanence review 6 months after the one on 20 October: 20 April 2027.
    assert case.due("Review the permanence plan") == (date(2027, 4, 20), "R23")


def test_L4_L5_a_permanence_review_records_post_18_arrangements(council_with_pathway):
    case = Case.start(council_with_pathway, date(2026, 3, 2), date(2009, 8, 1), legal_status="co")
    _in_long_term_fostering(case)
    case.do("Review the permanence plan", on=date(2026, 10, 20), permanence_reviewed_on=date(2026, 10, 20),
            plan_stable=True, case_closed=False, change_of_plan_proposed=False,
            post_18_arrangements="Staying Put with Mr and Mrs F to 21; college place agreed.",
            pathway_plan_updated=True)
    assert case.due("Review the permanence plan") == (date(2027, 4, 20), "R23")


def test_M1_the_latest_permanence_review_informs_the_cla_review(council_with_pathway):
    """DEV Reviewing: the permanence review informs the child in care review. What it found is
    on the plan (its page, PDF and panel papers) and beside the CLA review's form."""
    from engine.plan import child_plan
    from web.records.plan_content import content_blocks
    db = council_with_pathway
    case = Case.start(db, date(2026, 3, 2), date(2009, 8, 1), legal_status="co")
    _in_long_term_fostering(case)
    case.do("Review the permanence plan", on=date(2026, 10, 20), permanence_reviewed_on=date(2026, 10, 20),
            plan_stable=True, case_closed=False, change_of_plan_proposed=False,
            post_18_arrangements="Staying Put with Mr and Mrs F to 21.", pathway_plan_updated=True,
            notes="Settled; school attendance 98%.")
    with db.reading() as session:
        review = child_plan(session, case.child_id).content.permanence_review
    assert (review["on"], review["stable"], review["post_18"], review["plan_updated"]) == (
        date(2026, 10, 20), True, "Staying Put with Mr and Mrs F to 21.", True)
    with db.reading() as session:
        blocks = content_blocks(child_plan(session, case.child_id).content)
    [shown] = [b for b in blocks if b.get("heading") == "The latest permanence review"]
    assert {r["label"]: r["text"] for r in shown["rows"]}["Notes"] == "Settled; school attendance 98%."
    # The CLA review (the IRO's) opens with it beside the form.
    from engine.views import task_page
    from web.tasks import REVIEWS_THE_PLAN
    task = case.task("Hold the first CLA review")
    assert task_page(db, task["task_id"], "iro").task["form_name"] in REVIEWS_THE_PLAN
