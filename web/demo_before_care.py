"""Demo children known before they are looked after (A10, A12, B1, E18, E19): Noah Price
(DEMO-011), on the edge of care, whose Legal Gateway Meeting chose pre-proceedings and whose
pre-proceedings meeting agreed a Family Group Conference referral and a parenting assessment;
the R13 review is open. And Baby of Chloe Evans (DEMO-012), not yet born: the council was told
two weeks ago, the counselling offered to both parents is recorded, and the pre-birth planning
meeting is due before the expected birth. Loaded only where the `before_care` diagram is
published (`permanence init` publishes it beside the pathway)."""
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from engine import clock, register_before_care
from engine.before_care import PROCESS
from models import DiagramVersion

from .demo import NORTH
from .demo_routes import _do

ALL_OPTIONS = ["stay_with_mother", "short_term_foster_care", "wider_family", "adoption"]


def load(db, today: date) -> bool:
    with db.reading() as session:
        if session.scalar(select(DiagramVersion.id).where(DiagramVersion.process_id == PROCESS).limit(1)) is None:
            return False
    _noah_on_the_edge_of_care(db, today)
    _baby_of_chloe_evans(db, today)
    return True


def _registered(db, day, details, user):
    with clock.frozen_at(datetime.combine(day, time(10, 0), tzinfo=clock.LONDON)):
        register_before_care(db, details, user)


def _noah_on_the_edge_of_care(db, today):
    referred, held = today - timedelta(days=40), today - timedelta(days=33)
    letter, meeting = today - timedelta(days=30), today - timedelta(days=20)
    _registered(db, referred, {
        "reference": "DEMO-011", "name": "Noah Price", "before_care": "edge_of_care",
        "known_on": referred.isoformat(), "date_of_birth": (today - timedelta(days=365 * 6 + 40)).isoformat(),
        "team": NORTH, "social_worker": "asha.sw"}, "asha.sw")
    _do(db, "DEMO-011", "Hold the Legal Gateway Meeting: edge of care", letter, {
        "edge_lgm_held_on": held.isoformat(), "edge_threshold_met": True, "edge_lgm_decision": "plo",
        "legal_plan": "Neglect: the threshold is met. Pre-proceedings, with the letter before proceedings; "
                      "assessments to be agreed with the parents at the pre-proceedings meeting.",
        "plo_letter_on": letter.isoformat()}, "lee.legal")
    _do(db, "DEMO-011", "Hold the pre-proceedings meeting", meeting, {
        "pre_proceedings_meeting_on": meeting.isoformat(),
        "assessments_agreed": ["fgc_referral", "parenting_assessment"], "fgc_referred_on": meeting.isoformat(),
        "pre_proceedings_notes": "Both parents and their solicitors attended; they agreed to the "
                                 "parenting assessment and to a Family Group Conference."}, "asha.sw")


def _baby_of_chloe_evans(db, today):
    told, counselled = today - timedelta(days=14), today - timedelta(days=7)
    expected = today + timedelta(days=60)
    _registered(db, told, {
        "reference": "DEMO-012", "name": "Baby of Chloe Evans", "before_care": "unborn",
        "known_on": told.isoformat(), "expected_birth_on": expected.isoformat(),
        "team": NORTH, "social_worker": "ben.sw"}, "ben.sw")
    _do(db, "DEMO-012", "Record the notification and the counselling offered before the birth", counselled, {
        "council_notified_on": told.isoformat(), "expected_birth_on": expected.isoformat(),
        "mother_counselling_offered_on": counselled.isoformat(), "mother_counselling_response": "accepted",
        "mother_counselling_by": "Ben Carter, social worker", "mother_options_explained": ALL_OPTIONS,
        "mother_legal_implications_explained": True, "father_counselling": "father_not_known"}, "ben.sw")
