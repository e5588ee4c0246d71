"""The nine-child council of the oversight tests (issue 11 §6), driven through the real
diagrams with a fixed clock. North (sw, tm) and South (sw_south, tm_south); the period is the
first half of 2027; the figures are read on Mon 5 July 2027, after a sweep of the timers.
The tests work each figure out by hand from what is done here.

Bank holidays in the counts: New Year's Day Fri 1 Jan 2027, Good Friday 26 Mar 2027, Easter
Monday 29 Mar 2027; Christmas Day Fri 25 Dec 2026, Boxing Day's substitute Mon 28 Dec 2026.
"""
from datetime import date

from engine import complete_task, register_child, sweep
from engine.people import add_user, ensure_team
from workflows import roles

from .conftest import PPM_AREAS, PROCESS, STAFF, Case, at, told_the_family

START, END, AS_OF = date(2027, 1, 1), date(2027, 6, 30), date(2027, 7, 5)
SOUTH_STAFF = {**STAFF, roles.SOCIAL_WORKER: "sw_south", roles.TEAM_MANAGER: "tm_south"}


class TeamCase(Case):
    """A child of either team, each team's tasks done by its own staff."""
    staff = STAFF

    def do(self, name, on=None, **answers):
        if on is not None:
            at(on)
        task = self.task(name)
        data = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in answers.items()}
        outcome = complete_task(self.db, task["task_id"], data, self.staff[task["lane"]])
        assert outcome.error is None, outcome.error
        return outcome


def start(db, reference, looked_after_on, born, team="North", legal_status="co") -> TeamCase:
    at(looked_after_on)
    worker = "sw" if team == "North" else "sw_south"
    registered = register_child(db, {
        "reference": reference, "name": f"Child {reference}", "date_of_birth": born.isoformat(),
        "legal_status": legal_status, "looked_after_on": looked_after_on.isoformat(),
        "team": team, "social_worker": worker}, worker, process_id=PROCESS)
    assert registered.outcome.error is None, registered.outcome.error
    case = TeamCase(db, registered.child_id, registered.outcome.instance_id)
    case.staff = STAFF if team == "North" else SOUTH_STAFF
    return case


def ppm(case, name, on, routes=None, **more):
    answers = dict(PPM_AREAS, held_on=on, reunification_discussed=True, **more)
    if routes:
        answers.update(plan_identified=True, routes=routes)
    else:
        answers.update(plan_identified=False)
    case.do(name, on=on, **answers)


def fgc(case, on, outcome):
    case.do("Hold a Family Group Conference", on=on, fgc_held_on=on, fgc_outcome=outcome)


def make_nine_children(db):
    """Publishes nothing: `db` already has the pathway (council_with_pathway)."""
    with db.transaction() as session:
        south = ensure_team(session, "South")
        add_user(session, "sw_south", "Sw South", [roles.SOCIAL_WORKER], south)
        add_user(session, "tm_south", "Tm South", [roles.TEAM_MANAGER], south)
    c = {}
    # N1, 4 Jan: FGC 8 Jan; initial PPM 13 Jan (R7 due Mon 18 Jan: met) with a plan of
    # reunification; home 1 Feb; the care order discharged on 15 Feb: permanence achieved.
    c["N1"] = n1 = start(db, "N1", date(2027, 1, 4), date(2022, 5, 1))
    fgc(n1, date(2027, 1, 8), "family_plan_agreed")
    ppm(n1, "Hold the initial PPM", date(2027, 1, 13), ["reunification"])
    n1.do("Agree the reunification support plan", on=date(2027, 1, 20), agreed_on=date(2027, 1, 20),
          support_plan="Family support every day.", **told_the_family(date(2027, 1, 20)))
    n1.do("Record the return home", on=date(2027, 2, 1), returned_on=date(2027, 2, 1))
    n1.do("Record the care order discharged or s20 ended", on=date(2027, 2, 15),
          care_ended_on=date(2027, 2, 15), how_ended="care_order_discharged")
    n1.do("Record permanence achieved", on=date(2027, 2, 17), achieved_on=date(2027, 2, 15), leaves_care=True)
    # N2, 4 Jan, a baby: the family declined an FGC; initial PPM 20 Jan, late (due 18 Jan),
    # plan of adoption; report to the ADM 1 Feb, decision 8 Feb.
    c["N2"] = n2 = start(db, "N2", date(2027, 1, 4), date(2026, 6, 1))
    fgc(n2, date(2027, 1, 6), "declined")
    ppm(n2, "Hold the initial PPM", date(2027, 1, 20), ["adoption"])
    n2.do("Send the Child's Permanence Report to the ADM", on=date(2027, 2, 1),
          cpr_sent_on=date(2027, 2, 1), ffa_considered=True)
    n2.do("Decide whether the child should be placed for adoption", on=date(2027, 2, 8),
          adm_decided_on=date(2027, 2, 8), adm_decision="placed_for_adoption", reasons="Best interests.")
    # N3, 1 Feb: FGC 12 Feb with no family plan; initial PPM 10 Feb without a plan (R7 due
    # Mon 15 Feb: met), the review PPM on 24 Mar identifies long-term fostering.
    c["N3"] = n3 = start(db, "N3", date(2027, 2, 1), date(2015, 3, 3))
    ppm(n3, "Hold the initial PPM", date(2027, 2, 10))
    fgc(n3, date(2027, 2, 12), "no_plan")
    ppm(n3, "Hold the review PPM", date(2027, 3, 24), ["long_term_fostering"])
    # N4, 1 Mar, interim care order: no FGC; initial PPM 10 Mar (R7 due 15 Mar: met), plan of
    # long-term fostering; the final hearing makes a care order on 14 June.
    c["N4"] = n4 = start(db, "N4", date(2027, 3, 1), date(2019, 1, 10), legal_status="ico")
    n4.do("Record care proceedings issued", on=date(2027, 3, 2), issued_on=date(2027, 2, 26), court="Family Court")
    ppm(n4, "Hold the initial PPM", date(2027, 3, 10), ["long_term_fostering"])
    n4.do("Record the final hearing or an extension", on=date(2027, 6, 14),
          hearing_outcome="final_order", order_type="co", order_made_on=date(2027, 6, 14))
    # N5 came into care before the period, on 7 Dec 2026: initial PPM 16 Dec without a plan;
    # the review PPM on 27 Jan identifies adoption; the report goes to the ADM on 14 June.
    c["N5"] = n5 = start(db, "N5", date(2026, 12, 7), date(2024, 2, 2))
    ppm(n5, "Hold the initial PPM", date(2026, 12, 16))
    ppm(n5, "Hold the review PPM", date(2027, 1, 27), ["adoption"])
    n5.do("Send the Child's Permanence Report to the ADM", on=date(2027, 6, 14),
          cpr_sent_on=date(2027, 6, 14), ffa_considered=True)
    # S1, 4 Jan: FGC 6 Jan with a family plan; initial PPM on its due date, Mon 18 Jan (met),
    # plan of family and friends.
    c["S1"] = s1 = start(db, "S1", date(2027, 1, 4), date(2012, 7, 7), team="South")
    fgc(s1, date(2027, 1, 6), "family_plan_agreed")
    ppm(s1, "Hold the initial PPM", date(2027, 1, 18), ["family_and_friends"])
    # S2, 4 Jan: nothing is done (no FGC, no PPM, no plan).
    c["S2"] = start(db, "S2", date(2027, 1, 4), date(2010, 9, 9), team="South")
    # S3, 1 Feb, a baby: the family declined an FGC; initial PPM 15 Feb (due that day: met),
    # plan of adoption; report 1 Mar, ADM decision 3 Mar.
    c["S3"] = s3 = start(db, "S3", date(2027, 2, 1), date(2025, 11, 11), team="South")
    fgc(s3, date(2027, 2, 3), "declined")
    ppm(s3, "Hold the initial PPM", date(2027, 2, 15), ["adoption"])
    s3.do("Send the Child's Permanence Report to the ADM", on=date(2027, 3, 1),
          cpr_sent_on=date(2027, 3, 1), ffa_considered=True)
    s3.do("Decide whether the child should be placed for adoption", on=date(2027, 3, 3),
          adm_decided_on=date(2027, 3, 3), adm_decision="placed_for_adoption", reasons="Best interests.")
    # S4, Mon 7 Jun: initial PPM 22 Jun, late (due Mon 21 Jun: 8-11, 14-18, 21), no plan yet.
    c["S4"] = s4 = start(db, "S4", date(2027, 6, 7), date(2011, 8, 8), team="South")
    ppm(s4, "Hold the initial PPM", date(2027, 6, 22))
    at(AS_OF, 6)
    assert not sweep(db).errors
    return db, c
