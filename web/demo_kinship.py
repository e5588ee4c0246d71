"""Demo children on the family-and-friends and reunification steps issue 13 completed (E3,
E5): Freya's reunification plan, which tells her mother what must happen for Freya to stay
home, who must do it and by when, explained in writing and at a meeting, with the support that
will sustain it; Isla Moss (DEMO-010), placed with her aunt and uncle under temporary approval
as connected persons (reg 24), assessed and recommended for approval as her foster carers:
kinship long-term fostering, their approval at the fostering panel still to record (E8)."""
from datetime import date, timedelta

from .demo_routes import _do


def load(db, today: date) -> None:
    _freya_told_what_must_happen(db, today)
    _isla_with_her_aunt(db, today)


def _freya_told_what_must_happen(db, today):
    agreed = today - timedelta(days=3)
    _do(db, "DEMO-006", "Agree the reunification support plan", agreed, {
        "agreed_on": agreed.isoformat(),
        "conditions": [
            {"condition": "Attend the parenting course at the family centre, every Tuesday",
             "who": "Sarah Scott (mother)", "by_when": (agreed + timedelta(weeks=8)).isoformat()},
            {"condition": "Keep every appointment with the drug and alcohol service, with clear tests",
             "who": "Sarah Scott (mother)", "by_when": (agreed + timedelta(weeks=12)).isoformat()},
            {"condition": "Get Freya to school every day, on time",
             "who": "Sarah Scott (mother)", "by_when": (agreed + timedelta(weeks=4)).isoformat()}],
        "explained_on": agreed.isoformat(), "explained_how": ["in_writing", "in_person"],
        "support_plan": "Family support worker twice a week; the school's family liaison officer.",
        "sustaining_support": "Family support weekly for three months after the care order is "
                              "discharged, then the early help team; a named contact at the school."}, "cara.sw")


def _isla_with_her_aunt(db, today):
    from .demo import _add_child
    _add_child(db, "permanence_pathway", today, "DEMO-010", "Isla Moss", 6, 70, "co", "ben.sw",
               "family_and_friends")
    assessed = today - timedelta(days=10)
    _do(db, "DEMO-010", "Complete the connected person assessment", assessed, {
        "assessed_on": assessed.isoformat(), "carer_name": "Rita and Joe Moss (aunt and uncle)",
        "assessment_recommendation": "approve_foster_carer",
        "summary": "Isla has lived with them since she came into care, under temporary approval; "
                   "they can care for her into adulthood and want her to stay in care with them "
                   "for now, with the council's support."}, "ben.sw")
