"""A child known before they are looked after (A10, A12, B1, E18, E19), through the real
`before_care` and permanence pathway diagrams with a fixed clock. Dates are worked by hand:
working days skip weekends and England's bank holidays (2026: Good Friday 3 April, Easter
Monday 6 April, Early May 4 May, Spring 25 May, Summer 31 August)."""
from datetime import date

import pytest
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import select

from engine import open_tasks, publish, register_before_care
from engine.errors import FormInvalid
from engine.runtime import open_workflow
from engine.specs import loaded_version
from models import Child, PathwayInstance
from workflows.diagrams import load_directory

from ..conftest import DIAGRAMS
from .conftest import Case, at

BEFORE_CARE = "before_care"


def workflow_data(db, instance_id: int) -> dict:
    """What the running pathway's open steps know, as the engine opens it."""
    with db.reading() as session:
        instance = session.get(PathwayInstance, instance_id)
        workflow = open_workflow(instance, loaded_version(session, instance.diagram_version_id))
        ready = workflow.get_tasks(state=TaskState.READY, manual=True)
        return dict(ready[0].data)


@pytest.fixture
def council(council_with_pathway):
    publish(council_with_pathway, load_directory(DIAGRAMS, BEFORE_CARE), "tests")
    return council_with_pathway


def known(db, kind: str, known_on: date, reference: str, **details) -> Case:
    at(known_on)
    registered = register_before_care(db, {
        "reference": reference, "name": "Sam Example", "before_care": kind,
        "known_on": known_on.isoformat(), "team": "North", "social_worker": "sw",
        **{k: (v.isoformat() if isinstance(v, date) else v) for k, v in details.items()}}, "sw")
    assert registered.outcome.error is None, registered.outcome.error
    return Case(db, registered.child_id, registered.outcome.instance_id)


def test_A10_A12_B1_an_edge_of_care_child_goes_to_the_LGM_into_PLO_then_looked_after_on_an_ICO(council):
    # Referred on Monday 5 January 2026, born 10 March 2020.
    case = known(council, "edge_of_care", date(2026, 1, 5), "EOC-1", date_of_birth=date(2020, 3, 10))
    lgm = "Hold the Legal Gateway Meeting: edge of care"
    looked_after = "Record that the child became looked after, or that care is no longer considered"
    # 10 working days after Monday 5 January: Monday 19 January (R21's timescale for a referral).
    assert case.open() == {(lgm, "Legal", date(2026, 1, 19), "R21"), (looked_after, "Social Worker", None, None)}
    # The meeting on Wednesday 14 January: threshold met, pre-proceedings, the letter on Friday 16.
    case.do(lgm, date(2026, 1, 16), lgm_held_on=date(2026, 1, 14), threshold_met=True, decision="plo",
            legal_plan="Pre-proceedings; assessments to be agreed with the parents.",
            plo_letter_on=date(2026, 1, 16))
    # A12: the pre-proceedings meeting 10 working days after the letter: Friday 30 January.
    # R13: the review 3 months after the letter: Thursday 16 April.
    assert case.open() == {
        ("Hold the pre-proceedings meeting", "Social Worker", date(2026, 1, 30), "R13"),
        ("Review pre-proceedings", "Legal", date(2026, 4, 16), "R13"),
        (looked_after, "Social Worker", None, None)}
    case.do("Hold the pre-proceedings meeting", date(2026, 1, 28), pre_proceedings_meeting_on=date(2026, 1, 28),
            assessments_agreed=["fgc_referral", "independent_assessment"], fgc_referred_on=date(2026, 1, 28))
    case.do("Review pre-proceedings", date(2026, 4, 14), plo_reviewed_on=date(2026, 4, 14),
            plo_outcome="issue_proceedings")
    # The R13 clock: the letter on 16 January, the 6 months' limit on 16 July, met on the review.
    assert case.deadline("R13") == [("Pre-proceedings 6 months", date(2026, 7, 16), "met", date(2026, 4, 14))]
    with council.reading() as session:   # not looked after: no looked-after legal status yet
        child = session.get(Child, case.child_id)
        assert (child.before_care, child.legal_status, child.known_on) == ("edge_of_care", "none", date(2026, 1, 5))
    # Proceedings issued, an interim care order on Friday 24 April: looked after from that day.
    outcome = case.do(looked_after, date(2026, 4, 24), care_outcome="looked_after",
                      entered_care_on=date(2026, 4, 24), entry_legal_status="ico",
                      entry_placement="Foster carers in the borough")
    with council.reading() as session:
        child = session.get(Child, case.child_id)
        assert (child.before_care, child.legal_status, child.looked_after_on) == (None, "ico", date(2026, 4, 24))
        instances = session.execute(select(PathwayInstance.id, PathwayInstance.status)
                                    .where(PathwayInstance.child_id == case.child_id)
                                    .order_by(PathwayInstance.id)).all()
    assert [status for _id, status in instances] == ["completed", "active"]
    pathway = Case(council, case.child_id, instances[1][0])
    assert outcome.instance_id == pathway.instance_id
    # The looked-after clocks run from the real entry on Friday 24 April (Early May bank
    # holiday 4 May, Spring bank holiday 25 May): the initial PPM 10 working days on, Monday
    # 11 May (R7); the FGC the same (R6, only referred before care); the first CLA review 20
    # working days on, Tuesday 26 May (R1); the first panel 8 weeks on, Friday 19 June (R10).
    # The ICO entry's own LGM and the issue of proceedings are 10 working days on (R14).
    assert pathway.open() == {
        ("Hold a Family Group Conference", "Social Worker", date(2026, 5, 11), "R6"),
        ("Hold the Legal Gateway Meeting: entry on an interim or emergency order", "Legal", date(2026, 5, 11), "R14"),
        ("Hold the first CLA review", "IRO", date(2026, 5, 26), "R1"),
        ("Hold the initial PPM", "Social Worker", date(2026, 5, 11), "R7"),
        ("Record care proceedings issued", "Legal", date(2026, 5, 11), "R14"),
        ("Record the first Permanence Panel outcome", "Panel Chair", date(2026, 6, 19), "R10")}
    # What was recorded before care is the pathway's from its start: nothing typed twice.
    data = workflow_data(council, pathway.instance_id)
    assert (data["known_on"], data["plo_letter_on"], data["looked_after_on"]) == (
        date(2026, 1, 5), "2026-01-16", date(2026, 4, 24))
    history = data["before_care_record"]
    assert (history["lgm_held_on"], history["decision"], history["plo_outcome"], history["plo_reviewed_on"],
            history["assessments_agreed"], history["fgc_referred_on"]) == (
        "2026-01-14", "plo", "issue_proceedings", "2026-04-14",
        ["fgc_referral", "independent_assessment"], "2026-01-28")
    assert data["entry_placement"] == "Foster carers in the borough"
