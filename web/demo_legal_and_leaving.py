"""Demo children for the Legal Gateway Meeting by referral and for leaving care (issue 12):
Kai Morris (DEMO-013), accommodated under s20, referred to the LGM by his social worker with
the `lgm_referral` case event (A10, B1); the meeting chose pre-proceedings and has reviewed
nothing yet, so its 6-weekly review of the care plan (A11) is open for Legal. And Leah Turner
(DEMO-014), 17 and a half, in long-term foster care: her care-leaving PPM planned
semi-independent living (E33, L1, L2) and asked for a referral to the Placement and Resource
Panel, which is her social worker's action, open in Cara's inbox (L3)."""
from datetime import date, datetime, time, timedelta

from engine import clock, complete_task, deliver_event, find_child, open_tasks, register_child, sweep
from sqlalchemy import select

from models import DiagramVersion, PathwayInstance

from .demo import INITIAL_MEETING, NORTH, SOUTH
from .demo_routes import _do

LGM = "Record the Legal Gateway Meeting decision"
CARE_LEAVING = "Confirm care-leaver status at a PPM"


def load(db, today: date) -> bool:
    """False, loading nothing, on a pathway version without these steps (the moving tests
    load the demo on older diagrams)."""
    if not _supported(db):
        return False
    _kai_referred_to_the_lgm(db, today)
    _leah_approaching_adulthood(db, today)
    return True


def _supported(db) -> bool:
    with db.reading() as session:
        version = session.scalar(select(DiagramVersion).where(DiagramVersion.process_id == "permanence_pathway")
                                 .order_by(DiagramVersion.version.desc()).limit(1))
        if version is None:
            return False
        leaving = (version.form_files or {}).get("care-leaver.json") or {}
        return (any('name="lgm_referral"' in xml for xml in (version.bpmn_files or {}).values())
                and {"independent_living_skills", "resource_panel_referral_needed"}
                <= set(leaving.get("properties", {})))


def _at(day: date, hour: int = 16) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=clock.LONDON)


def _registered(db, today, reference, name, born, looked_after, status, team, worker, placement, plan):
    """Registered, placed and planned as at the days they happened (the initial PPM a week in)."""
    with clock.frozen_at(_at(looked_after + timedelta(days=1), 10)):
        child_id = register_child(db, {
            "reference": reference, "name": name, "legal_status": status, "date_of_birth": born.isoformat(),
            "looked_after_on": looked_after.isoformat(), "team": team, "social_worker": worker}, worker).child_id
        deliver_event(db, child_id, "placement_changed", {**placement, "started_on": looked_after.isoformat()},
                      worker)
    held_on = looked_after + timedelta(days=7)
    meeting, answers = INITIAL_MEETING["permanence_pathway"]
    _do(db, reference, meeting, held_on, answers(plan, held_on.isoformat()), worker)
    return child_id


def _kai_referred_to_the_lgm(db, today):
    """Looked after 60 days ago (before the 12 weeks of s20 drift, R21); referred 52 days ago
    with a recommendation; the meeting 45 days ago chose pre-proceedings, so its first review
    of the care plan fell due 6 weeks later (A11), three days ago."""
    looked_after, referred, held = (today - timedelta(days=n) for n in (60, 52, 45))
    _registered(db, today, "DEMO-013", "Kai Morris", today - timedelta(days=365 * 11 + 80), looked_after,
                "s20", NORTH, "ben.sw", {"placement_type": "in_house_foster", "carers": "Ruth and Tom Baker",
                                         "area": "local"}, "reunification")
    with clock.frozen_at(_at(referred)):
        deliver_event(db, find_child(db, "DEMO-013"), "lgm_referral", {
            "referred_on": referred.isoformat(),
            "recommendation": "Neglect at home continues; the parents have withdrawn from the support plan. "
                              "Consider pre-proceedings with a parenting assessment."}, "ben.sw")
    _do(db, "DEMO-013", LGM, held, {
        "lgm_held_on": held.isoformat(), "threshold_met": True, "decision": "plo", "s20_endorsed": False,
        "plo_letter_on": held.isoformat(),
        "legal_plan": "Letter before proceedings; an FGC referral; an independent parenting assessment."}, "lee.legal")


def _leah_approaching_adulthood(db, today):
    """17 years and about 5 months; looked after for 200 days. Her care-leaving PPM opened on
    her 17th birthday (R24) and was held 10 days ago: semi-independent living planned, with who
    helps her get ready and when, and a referral to the Placement and Resource Panel asked for."""
    born = today - timedelta(days=365 * 17 + 150)
    looked_after = today - timedelta(days=200)
    child_id = _registered(db, today, "DEMO-014", "Leah Turner", born, looked_after, "co", SOUTH, "cara.sw",
                           {"placement_type": "in_house_foster", "carers": "Grace Obi", "area": "local"},
                           "long_term_fostering")
    birthday = born.replace(year=born.year + 17) if not (born.month == 2 and born.day == 29) \
        else date(born.year + 17, 3, 1)
    with db.reading() as session:   # her own timers only: the 17th birthday opens the PPM
        instance_id = session.scalar(select(PathwayInstance.id).where(PathwayInstance.child_id == child_id))
    sweep(db, now=_at(birthday, 1), instance_id=instance_id)
    held = today - timedelta(days=10)
    with clock.frozen_at(_at(held)):
        [task] = [t for t in open_tasks(db, child_id=child_id) if t["name"] == CARE_LEAVING]
        complete_task(db, task["task_id"], {
            "confirmed_on": held.isoformat(), "care_leaving_status": "eligible", "entitlements_explained": True,
            "entitlements": "A personal adviser from 17; the setting-up-home allowance; help with college costs.",
            "accommodation_plan": "semi_independent", "staying_put": False,
            "independent_living_skills": "Cooking and budgeting with Grace each week; she manages her own "
                                         "phone contract and college travel.",
            "independent_living_support": "Her personal adviser (from the leaving care team) and her foster carer.",
            "independent_living_by": (born.replace(year=born.year + 18) if born.month != 2 or born.day != 29
                                      else date(born.year + 18, 3, 1)).isoformat(),
            "resource_panel_referral_needed": True,
            "resource_panel_refer_by": (today + timedelta(days=14)).isoformat(),
            "pathway_plan_updated": True,
            "notes": "Wants a supported flat near her college; contact with her brother to continue."}, "cara.sw")
