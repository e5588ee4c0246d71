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
    # R16: authorised but not placed: the first adoption review 3 months after 17 Sep: 17 Dec.
    assert case.due("Record the adoption match") == (date(2027, 12, 17), "R16")
    # Not matched by then: from 00:00 on 18 Dec the IRO holds the adoption review within
    # 5 working days: 20 (1), 21 (2), 22 (3), 23 (4), Fri 24 December (5).
    case.sweep(date(2027, 12, 18), hour=6)
    assert case.due("Hold the adoption review (not yet placed)") == (date(2027, 12, 24), "R16")
    assert case.task("Hold the adoption review (not yet placed)")["lane"] == "IRO"
    case.do("Hold the adoption review (not yet placed)", on=date(2027, 12, 22),
            review_held_on=date(2027, 12, 22), adoption_still_viable=True)

    case.do("Record the adoption match", on=date(2028, 1, 5), matched_on=date(2028, 1, 5), adopters="Mr and Mrs A")
    # 6 weeks after the match on 5 Jan 2028: 16 February 2028.
    assert case.due("Record the placement for adoption") == (date(2028, 2, 16), "R17")
    case.do("Record the placement for adoption", on=date(2028, 1, 14), placed_on=date(2028, 1, 14))
    # R17: a review 4 weeks after placement on 14 Jan: 11 February 2028, by the IRO.
    assert case.due("Hold the adoption review (placed)") == (date(2028, 2, 11), "R17")
    case.do("Hold the adoption review (placed)", on=date(2028, 2, 9), review_held_on=date(2028, 2, 9),
            adoption_still_viable=True)
    # The next review point is 3 months after placement: 14 April 2028.
    assert case.due("Record the adoption order") == (date(2028, 4, 14), "R17")
    case.do("Record the adoption order", on=date(2028, 4, 12), adoption_order_on=date(2028, 4, 12))
    # Permanence recorded within 5 working days of the order on Wed 12 Apr 2028:
    # 13 (1), [14 Good Friday, 15-16, 17 Easter Monday], 18 (2), 19 (3), 20 (4), Fri 21 April (5).
    assert case.due("Record permanence achieved") == (date(2028, 4, 21), "R23")
    case.do("Record permanence achieved", on=date(2028, 4, 13), achieved_on=date(2028, 4, 12), leaves_care=True)
    assert case.position.status == "completed" and case.position.open_tasks == []
