"""Adoption through care proceedings, over Easter 2027 and Christmas 2027.

Bank holidays in the counts: Good Friday 26 March 2027, Easter Monday 29 March 2027;
Christmas 2027 falls at a weekend, so its substitutes are Mon 27 and Tue 28 December 2027;
Good Friday 14 April 2028, Easter Monday 17 April 2028.
"""
from datetime import date

import pytest

from engine import FormInvalid

from .conftest import PPM_AREAS, Case

BORN = date(2027, 2, 20)            # a baby: 6 weeks old on 3 April 2027 (R18)
LOOKED_AFTER = date(2027, 3, 1)     # Monday, interim care order


def test_adoption_with_a_placement_order(council_with_pathway):
    case = Case.start(council_with_pathway, LOOKED_AFTER, BORN, legal_status="ico")
    # R7, R6: 10 working days from Mon 1 Mar: 2-5 (4), 8-12 (9), Mon 15 March.
    # R14: proceedings were issued before entry; recording it is due 10 working days on: 15 March.
    # R1: 20 working days: 15 Mar (10), 16-19 (14), 22-25 (18), [26 Good Friday, 27-28,
    #     29 Easter Monday], 30 (19), Wed 31 March.   R10: 1 Mar + 8 weeks = 26 April.
    assert case.open() == {
        ("Hold the initial PPM", "Social Worker", date(2027, 3, 15), "R7"),
        ("Hold a Family Group Conference", "Social Worker", date(2027, 3, 15), "R6"),
        ("Record care proceedings issued", "Legal", date(2027, 3, 15), "R14"),
        # A10, B1: entry on an interim care order goes to the Legal Gateway Meeting, in 10 WD.
        ("Hold the Legal Gateway Meeting: entry on an interim or emergency order", "Legal", date(2027, 3, 15), "R14"),
        ("Hold the first CLA review", "IRO", date(2027, 3, 31), "R1"),
        ("Record the first Permanence Panel outcome", "Panel Chair", date(2027, 4, 26), "R10"),
    }
    case.do("Record care proceedings issued", on=date(2027, 3, 3), issued_on=date(2027, 2, 26), court="Family Court")
    # R14: 26 weeks from issue on Fri 26 Feb: Fri 27 August 2027, tracked by the social worker.
    assert case.due("Record the final hearing or an extension") == (date(2027, 8, 27), "R14")
    assert case.task("Record the final hearing or an extension")["lane"] == "Social Worker"

    case.do("Hold the initial PPM", on=date(2027, 3, 10), held_on=date(2027, 3, 10), **PPM_AREAS,
            reunification_discussed=True, plan_identified=True, routes=["adoption"])
    # R8: 10 Mar + 6 weeks = Wed 21 April: the next PPM, and the report to the ADM by then.
    assert case.due("Hold the review PPM") == (date(2027, 4, 21), "R8")
    assert case.due("Send the Child's Permanence Report to the ADM") == (date(2027, 4, 21), "R8")
    assert (case.position.stage, case.position.route) == ("Adoption", "adoption")

    case.do("Send the Child's Permanence Report to the ADM", on=date(2027, 3, 25),
            cpr_sent_on=date(2027, 3, 25), ffa_considered=True)
    # R15: 7 working days from Thu 25 Mar: [26 Good Friday, 27-28, 29 Easter Monday],
    #      30 (1), 31 (2), 1 Apr (3), 2 (4), 5 (5), 6 (6), Wed 7 April (7).
    assert case.open() >= {("Decide whether the child should be placed for adoption",
                            "Agency Decision Maker", date(2027, 4, 7), "R15")}
    # Not decided by 7 April: from 00:00 on 8 April the Head of Service is asked, within
    # 2 working days: Fri 9 (1), Mon 12 April (2).
    case.sweep(date(2027, 4, 8), hour=6)
    assert case.due("Escalate: ADM decision overdue") == (date(2027, 4, 12), "R15")
    assert case.task("Escalate: ADM decision overdue")["lane"] == "Head of Service"
    assert case.deadline("R15") == [("ADM decision: deadline", date(2027, 4, 7), "missed", None)]

    case.do("Decide whether the child should be placed for adoption", on=date(2027, 4, 9),
            adm_decided_on=date(2027, 4, 9), adm_decision="placed_for_adoption", reasons="Best interests.")
    # Authority to place within 3 months of the decision: 9 July 2027 (R18 governs consent).
    assert case.due("Record the placement order or s19 consent") == (date(2027, 7, 9), "R18")
    # R18: consent given before the baby is 6 weeks old (3 April) is refused, typed data kept.
    with pytest.raises(FormInvalid) as refused:
        case.do("Record the placement order or s19 consent", on=date(2027, 4, 12),
                authority="s19_consent", authority_on=date(2027, 4, 2))
    assert refused.value.errors == {"authority_on": [
        "Consent given before the child was 6 weeks old is not valid (Adoption and Children Act 2002 s52(3))"]}
    assert refused.value.data["authority_on"] == "2027-04-02"

    # The court extends the timetable by 4 weeks: 27 Aug + 28 days = Fri 24 September (R14).
    case.do("Record the final hearing or an extension", on=date(2027, 8, 20),
            hearing_outcome="extension", extension_weeks=4, extension_reason="Expert assessment")
    assert case.due("Record the final hearing or an extension") == (date(2027, 9, 24), "R14")
    case.do("Record the final hearing or an extension", on=date(2027, 9, 17),
            hearing_outcome="final_order", order_type="po", order_made_on=date(2027, 9, 17))
    assert "Record the final hearing or an extension" not in case.names()
    assert [d[1:3] for d in case.deadline("R14")] == [(date(2027, 8, 27), "met"), (date(2027, 9, 24), "met")]

    case.do("Record the placement order or s19 consent", on=date(2027, 9, 20),
            authority="placement_order", authority_on=date(2027, 9, 17))
    # R16: authorised but not placed: the first adoption review 3 months after 17 Sep: 17 Dec,
    # open from now (not after the date has passed) and due on it; matching due by then too.
    assert case.due("Hold the adoption review (not yet placed)") == (date(2027, 12, 17), "R16")
    assert case.task("Hold the adoption review (not yet placed)")["lane"] == "IRO"
    assert case.due("Record the adoption match") == (date(2027, 12, 17), "R16")
    case.do("Hold the adoption review (not yet placed)", on=date(2027, 12, 15),
            adoption_review_held_on=date(2027, 12, 15), adoption_still_viable=True)
    # Held on Wed 15 Dec: the clock is met that day; the next is 6 months after it, 15 June 2028.
    assert case.deadline("R16")[0][1:] == (date(2027, 12, 17), "met", date(2027, 12, 15))
    assert case.due("Hold the adoption review (not yet placed)") == (date(2028, 6, 15), "R16")

    case.do("Record the adoption match", on=date(2028, 1, 5), matched_on=date(2028, 1, 5), adopters="Mr and Mrs A",
            siblings_placement="no_siblings", contact_arrangements="Letterbox contact with the mother.")
    # 6 weeks after the match on 5 Jan 2028: 16 February 2028.
    assert case.due("Record the placement for adoption") == (date(2028, 2, 16), "R17")
    case.do("Record the placement for adoption", on=date(2028, 1, 14), placed_on=date(2028, 1, 14))
    # Placed: the reviews while not placed stop (their running clock no longer applies) and
    # R17's start: 4 weeks after placement on 14 Jan: 11 February 2028, by the IRO.
    assert "Hold the adoption review (not yet placed)" not in case.names()
    assert [d[1:3] for d in case.deadline("R16") if d[0].startswith("Adoption review")] == [
        (date(2027, 12, 17), "met"), (date(2028, 6, 15), "cancelled")]
    assert case.due("Hold the adoption review (placed)") == (date(2028, 2, 11), "R17")
    case.do("Hold the adoption review (placed)", on=date(2028, 2, 9), adoption_review_held_on=date(2028, 2, 9),
            adoption_still_viable=True)
    # The second within 3 months of the first (9 Feb): 9 May 2028. The adoption order is the
    # court's: recorded when made, with no due date of its own.
    assert case.due("Hold the adoption review (placed)") == (date(2028, 5, 9), "R17")
    assert case.task("Record the adoption order")["due_on"] is None
    case.do("Record the adoption order", on=date(2028, 4, 12), adoption_order_on=date(2028, 4, 12))
    # Permanence recorded within 5 working days of the order on Wed 12 Apr 2028:
    # 13 (1), [14 Good Friday, 15-16, 17 Easter Monday], 18 (2), 19 (3), 20 (4), Fri 21 April (5).
    assert case.due("Record permanence achieved") == (date(2028, 4, 21), "R23")
    case.do("Record permanence achieved", on=date(2028, 4, 13), achieved_on=date(2028, 4, 12), leaves_care=True)
    assert case.position.status == "completed" and case.position.open_tasks == []


def test_B11_E17_R16_R17_reviews_at_3_and_9_months_unplaced_then_after_placement(council_with_pathway):
    """A 7-year-old on a care order, placement order on Mon 10 May 2027, not placed for nine
    months: reviews at 3 and 9 months after authority (AAR reg 36(1); DEV "3 months and 6
    months post Placement Order"), the second missed and then held late; placed in March 2028,
    then reviews 4 weeks after placement, 3 months after that, and 6-monthly (reg 36(4))."""
    case = Case.start(council_with_pathway, LOOKED_AFTER, date(2020, 1, 6), legal_status="co")
    case.do("Hold the initial PPM", on=date(2027, 3, 10), held_on=date(2027, 3, 10), **PPM_AREAS,
            reunification_discussed=True, plan_identified=True, routes=["adoption"])
    case.do("Send the Child's Permanence Report to the ADM", on=date(2027, 4, 1),
            cpr_sent_on=date(2027, 4, 1), ffa_considered=True)
    case.do("Decide whether the child should be placed for adoption", on=date(2027, 4, 6),
            adm_decided_on=date(2027, 4, 6), adm_decision="placed_for_adoption", reasons="Best interests.")
    case.do("Record the placement order or s19 consent", on=date(2027, 5, 11),
            authority="placement_order", authority_on=date(2027, 5, 10))
    # First review: 3 months after Mon 10 May 2027 = Tue 10 August 2027, open from today.
    assert case.due("Hold the adoption review (not yet placed)") == (date(2027, 8, 10), "R16")
    case.do("Hold the adoption review (not yet placed)", on=date(2027, 8, 10),
            adoption_review_held_on=date(2027, 8, 10), adoption_still_viable=True,
            comments="Family finding widened to the regional adoption agency.")
    # Second: 6 months after the first, 10 Feb 2028: 9 months after authority.
    assert case.due("Hold the adoption review (not yet placed)") == (date(2028, 2, 10), "R16")
    # Not held by Thu 10 Feb: missed from 00:00 on Fri 11 February; the review stays open.
    case.sweep(date(2028, 2, 11), hour=6)
    assert [d[1:] for d in case.deadline("R16") if d[0].startswith("Adoption review")] == [
        (date(2027, 8, 10), "met", date(2027, 8, 10)), (date(2028, 2, 10), "missed", None)]
    case.do("Hold the adoption review (not yet placed)", on=date(2028, 2, 14),
            adoption_review_held_on=date(2028, 2, 14), adoption_still_viable=True)
    # Third: 6 months after the one held on Mon 14 Feb: 14 August 2028.
    assert case.due("Hold the adoption review (not yet placed)") == (date(2028, 8, 14), "R16")

    case.do("Record the adoption match", on=date(2028, 3, 1), matched_on=date(2028, 3, 1), adopters="Ms B",
            siblings_placement="no_siblings", contact_arrangements="Letterbox contact with the grandmother.")
    case.do("Record the placement for adoption", on=date(2028, 3, 20), placed_on=date(2028, 3, 20))
    assert "Hold the adoption review (not yet placed)" not in case.names()
    assert [d[1:3] for d in case.deadline("R16") if d[0].startswith("Adoption review")][-1] == (
        date(2028, 8, 14), "cancelled")
    # After placement on Mon 20 March 2028: 4 weeks, Mon 17 April 2028.
    assert case.due("Hold the adoption review (placed)") == (date(2028, 4, 17), "R17")
    case.do("Hold the adoption review (placed)", on=date(2028, 4, 13),
            adoption_review_held_on=date(2028, 4, 13), adoption_still_viable=True)
    # Then within 3 months of that review (Thu 13 April): 13 July 2028.
    assert case.due("Hold the adoption review (placed)") == (date(2028, 7, 13), "R17")
    case.do("Hold the adoption review (placed)", on=date(2028, 7, 11),
            adoption_review_held_on=date(2028, 7, 11), adoption_still_viable=True)
    # Then 6-monthly: 11 January 2029, until the adoption order.
    assert case.due("Hold the adoption review (placed)") == (date(2029, 1, 11), "R17")
    assert [d[1:] for d in case.deadline("R17") if d[0].startswith("Adoption review")] == [
        (date(2028, 4, 17), "met", date(2028, 4, 13)), (date(2028, 7, 13), "met", date(2028, 7, 11)),
        (date(2029, 1, 11), "running", None)]
    # The adoption review's date is a fact of its own; the CLA review's stays the CLA review's.
    from ..engine.helpers import instance_row
    facts = instance_row(council_with_pathway, case.instance_id).facts
    assert facts["adoption_review_held_on"] == "2028-07-11"
    assert facts.get("review_held_on") != "2028-07-11"
    case.do("Record the adoption order", on=date(2028, 9, 4), adoption_order_on=date(2028, 9, 1))
    assert "Hold the adoption review (placed)" not in case.names()
    assert case.deadline("R17")[-1][2] == "cancelled"
