"""A child moves from the version whose Legal Gateway Meeting reviews repeated on a cycle timer
(a new review every 6 weeks whether or not the last was recorded) onto the version that holds
one review at a time, each counted from the last held (A11). `before_lgm_reviews/` holds the
legal proceedings diagram as it was (the rest is unchanged)."""
from datetime import date
from pathlib import Path

from sqlalchemy import select

from engine import publish
from engine.migration import move_instances, plan_move
from engine.people import add_user, ensure_team
from models import HumanTask
from workflows import roles
from workflows.diagrams import load_directory

from ..conftest import DIAGRAMS
from .conftest import PROCESS, STAFF, Case
from .test_legal_gateway import LGM, _refer, case_tasks

BEFORE = Path(__file__).parent / "before_lgm_reviews"
REVIEW = "Review the care plan at the Legal Gateway Meeting"


def _before_bundle():
    bundle = load_directory(DIAGRAMS, PROCESS)
    for path in BEFORE.iterdir():
        bundle.bpmn_files[path.name] = path.read_text()
    return bundle


def _council_on_the_cycle_version(db):
    version, _ = publish(db, _before_bundle(), "tests")
    with db.transaction() as session:
        north = ensure_team(session, "North")
        for role, username in STAFF.items():
            add_user(session, username, username.title(), [role], north if role in roles.TEAM_SCOPED_ROLES else None)
    return version


def test_A11_a_child_with_an_open_LGM_review_moves_and_then_has_one_review_at_a_time(db):
    version1 = _council_on_the_cycle_version(db)
    case = Case.start(db, date(2026, 3, 2), date(2016, 1, 10), legal_status="s20")
    _refer(case, date(2026, 4, 1))
    case.do(LGM, on=date(2026, 4, 14), lgm_held_on=date(2026, 4, 14), threshold_met=True, decision="plo",
            s20_endorsed=False, plo_letter_on=date(2026, 4, 14))
    # On the old version the cycle timer opens the first review on Tue 26 May 2026, 6 weeks
    # after the step began, due 5 working days later (Tue 2 June).
    case.sweep(date(2026, 5, 26))
    assert case.due(REVIEW) == (date(2026, 6, 2), "R13")
    old_review = case.task(REVIEW)["task_id"]
    version2, new = publish(db, load_directory(DIAGRAMS, PROCESS), "tests", note="LGM reviews one at a time")
    assert new and version2.version == version1.version + 1
    [candidate] = plan_move(db, PROCESS, version2.version)
    assert (candidate.can_move, candidate.reasons) == (True, []), candidate.reasons
    report = move_instances(db, PROCESS, version2.version, "legal")
    assert report.moved == [case.instance_id]
    # Moved on Tue 26 May: the old review closes with the cycle timer that opened it, and the
    # reviews the new version starts beside the pre-proceedings review (armed as it moved)
    # open the first at once: due 6 weeks after the letter (26 May), recorded by 2 June.
    assert [t["name"] for t in case_tasks(case)].count(REVIEW) == 1
    assert case.due(REVIEW) == (date(2026, 6, 2), "R13")
    assert case.task(REVIEW)["task_id"] != old_review
    with db.transaction() as s:
        assert s.scalar(select(HumanTask.status).where(HumanTask.task_id == old_review)) != "open"
    # Held on Thu 28 May: the next falls due 6 weeks after it, Thu 9 July (not 7 July, as the
    # cycle had it), due Thu 16 July; the old cycle no longer fires on 7 July.
    case.do(REVIEW, on=date(2026, 5, 28), lgm_reviewed_on=date(2026, 5, 28), care_plan_progress="On track.")
    case.sweep(date(2026, 7, 8))
    assert REVIEW not in case.names()
    case.sweep(date(2026, 7, 9))
    assert case.due(REVIEW) == (date(2026, 7, 16), "R13")
    assert [t["name"] for t in case_tasks(case)].count(REVIEW) == 1
    # A child who moved has the same end as any other: issuing proceedings ends the reviews.
    case.do("Review pre-proceedings", on=date(2026, 7, 10), plo_reviewed_on=date(2026, 7, 10),
            plo_outcome="issue_proceedings")
    assert REVIEW not in case.names()
    with db.transaction() as s:
        assert s.scalars(select(HumanTask).where(HumanTask.instance_id == case.instance_id,
                                                 HumanTask.name == REVIEW, HumanTask.status == "open")).all() == []
