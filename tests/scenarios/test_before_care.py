"""A child known before they are looked after (A10, A12, B1, E18, E19), through the real
`before_care` and permanence pathway diagrams with a fixed clock. Dates are worked by hand:
working days skip weekends and England's bank holidays (2026: Good Friday 3 April, Easter
Monday 6 April, Early May 4 May, Spring 25 May, Summer 31 August)."""
from datetime import date

import pytest
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import select

from engine import publish, register_before_care
from engine.errors import FormInvalid
from engine.runtime import open_workflow
from engine.specs import loaded_version
from models import CaseEvent, Child, PathwayInstance, Placement
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
    case.do(lgm, date(2026, 1, 16), edge_lgm_held_on=date(2026, 1, 14), edge_threshold_met=True, edge_lgm_decision="plo",
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
                      entry_placement="Foster carers in the borough", entry_placement_type="in_house_foster",
                      entry_placement_area="local")
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
    assert (history["edge_lgm_held_on"], history["edge_lgm_decision"], history["plo_outcome"], history["plo_reviewed_on"],
            history["assessments_agreed"], history["fgc_referred_on"]) == (
        "2026-01-14", "plo", "issue_proceedings", "2026-04-14",
        ["fgc_referral", "independent_assessment"], "2026-01-28")
    assert data["entry_placement"] == "Foster carers in the borough"
    # D22: the placement entered in is the first of the placement history, as a move would be.
    assert (data["placement_type"], data["placement_area"]) == ("in_house_foster", "local")
    with council.reading() as session:
        [placement] = session.scalars(select(Placement).where(Placement.child_id == case.child_id)).all()
        assert (placement.placement_type, placement.carers, placement.area, placement.started_on,
                placement.ended_on) == ("in_house_foster", "Foster carers in the borough", "local",
                                        date(2026, 4, 24), None)
        assert session.get(CaseEvent, placement.case_event_id).kind == "placement_changed"
    # The ICO entry's own LGM (the legal plan for the court) starts from the plan and the
    # assessments agreed before care (its page shows them; Legal confirms or changes them).
    from engine.before_care import pathway_starting_answers
    assert pathway_starting_answers(council, case.child_id, "legal", "entry_lgm") == {
        "legal_plan": "Pre-proceedings; assessments to be agreed with the parents.",
        "assessments": "Agreed at the pre-proceedings meeting on 2026-01-28: a Family Group Conference "
                       "referral; an independent (social work) assessment"}


ALL_OPTIONS = ["stay_with_mother", "short_term_foster_care", "wider_family", "adoption"]
COUNSELLING = dict(mother_counselling_offered_on="2026-02-05", mother_counselling_response="accepted",
                   mother_counselling_by="Asha Patel, social worker", mother_options_explained=ALL_OPTIONS,
                   mother_legal_implications_explained=True, father_counselling="offered",
                   father_counselling_offered_on="2026-02-10", father_counselling_response="declined",
                   father_counselling_by="Asha Patel, social worker", father_options_explained=ALL_OPTIONS,
                   father_legal_implications_explained=True)


def test_E18_E19_an_unborn_relinquished_baby_notified_and_counselled_before_the_birth_then_looked_after(council):
    from engine.adoption_carry import relinquishment_starting_answers
    from engine.before_care import notification_starting_answers
    from .conftest import PPM_AREAS
    # The mother told the council on Monday 2 February 2026, expecting the baby on Monday 20 April.
    case = known(council, "unborn", date(2026, 2, 2), "UNB-1", expected_birth_on=date(2026, 4, 20))
    notification = "Record the notification and the counselling offered before the birth"
    looked_after = "Record that the child became looked after, or that care is no longer considered"
    # The notification and the counselling are due before the expected birth (R18 the nearest rule).
    assert case.open() == {(notification, "Social Worker", date(2026, 4, 20), "R18"),
                           (looked_after, "Social Worker", None, None)}
    # Its page starts from the registration: the date the council was told, the expected date.
    assert notification_starting_answers(council, case.child_id, "sw") == {
        "council_notified_on": "2026-02-02", "expected_birth_on": "2026-04-20"}
    case.do(notification, date(2026, 2, 13), council_notified_on="2026-02-02", expected_birth_on="2026-04-20",
            **COUNSELLING)
    assert case.open() == {("Hold the pre-birth planning meeting", "Social Worker", date(2026, 4, 20), "R18"),
                           (looked_after, "Social Worker", None, None)}
    case.do("Hold the pre-birth planning meeting", date(2026, 3, 10), prebirth_meeting_on=date(2026, 3, 10),
            plan_at_birth="foster_care", relinquishment_requested=True, prebirth_plan="Foster carers from hospital.")
    # Born on Saturday 18 April; accommodated under s20 from hospital on Tuesday 21 April. The
    # date of birth is asked for, by field, with everything typed kept.
    at(date(2026, 4, 21))
    typed = dict(care_outcome="looked_after", entered_care_on="2026-04-21", entry_legal_status="s20",
                 entry_placement="Short-term foster carers", entry_placement_type="in_house_foster",
                 entry_placement_area="local")
    with pytest.raises(FormInvalid) as refused:
        case.do(looked_after, **typed)
    assert refused.value.errors == {"born_on": ["Enter the baby's date of birth"]}
    assert refused.value.data["entry_placement"] == "Short-term foster carers"
    with pytest.raises(FormInvalid) as refused:
        case.do(looked_after, **{**typed, "entered_care_on": "2026-04-17"}, born_on="2026-04-18")
    assert refused.value.errors == {"entered_care_on": [
        "The date the child became looked after must be on or after the birth"]}
    outcome = case.do(looked_after, **typed, born_on="2026-04-18")
    with council.reading() as session:
        child = session.get(Child, case.child_id)
        assert (child.before_care, child.date_of_birth, child.looked_after_on, child.legal_status, child.known_on) == (
            None, date(2026, 4, 18), date(2026, 4, 21), "s20", date(2026, 2, 2))
    # The initial PPM 10 working days after Tuesday 21 April: 22-24 (3), 27-30 (7), 1 May (8),
    # the Early May bank holiday on the 4th, 5 and Wednesday 6 May (R7).
    pathway = Case(council, case.child_id, outcome.instance_id)
    assert pathway.due("Hold the initial PPM") == (date(2026, 5, 6), "R7")
    # The PPM's page starts from the pre-birth meeting: the mother asked for adoption.
    from engine.before_care import pathway_starting_answers
    assert pathway_starting_answers(council, case.child_id, "sw", "initial_ppm") == {"relinquished_baby": True}
    pathway.do("Hold the initial PPM", on=date(2026, 4, 28), held_on=date(2026, 4, 28), **PPM_AREAS,
               reunification_discussed=True, plan_identified=True, routes=["adoption"],
               relinquished_baby=True, early_permanence_considered=False)
    # The adoption route's relinquishment step: due by the end of the baby's first 6 weeks,
    # 18 April + 6 weeks = Saturday 30 May (R18); it starts from what was recorded before the birth.
    relinquishment = "Record the relinquishment and the counselling offered"
    assert pathway.due(relinquishment) == (date(2026, 5, 30), "R18")
    starting = relinquishment_starting_answers(council, case.child_id, "sw")
    assert starting == {"council_notified_on": "2026-02-02", "expected_birth_on": "2026-04-20", **COUNSELLING}
    pathway.do(relinquishment, on=date(2026, 5, 4), **starting)
    assert relinquishment not in pathway.names()


def test_A10_E18_a_child_before_care_is_in_no_looked_after_figure_drift_list_or_panel_but_is_listed_and_found(council):
    from engine import reporting
    from engine.reporting.listing import ChildFilters
    # Both known on Monday 5 January 2026: one referred at the edge of care, one looked after
    # that day. By Friday 20 February (7 weeks on) the looked-after child's initial PPM (10
    # working days: 19 January) is long overdue; the one before care has no PPM to hold.
    edge = known(council, "edge_of_care", date(2026, 1, 5), "EOC-2", date_of_birth=date(2019, 6, 1))
    looked_after = Case.start(council, date(2026, 1, 5), date(2019, 6, 1), legal_status="s20", reference="CLA-2")
    at(date(2026, 2, 20))
    board = reporting.dashboard(council, "tm", "permanence_pathway")
    assert board.counts.total == 1          # the looked-after child's pathway only
    drifting = {row["child_id"] for d in board.drift for row in d.rows}
    assert looked_after.child_id in drifting and edge.child_id not in drifting
    agenda = reporting.panel(council, "chair", date(2026, 3, 10))
    on_agenda = {c["child_id"] for cohort in agenda.cohorts for c in cohort.children} | {
        c["child_id"] for c in agenda.excluded}
    assert edge.child_id not in on_agenda
    # The social worker's and the team's lists have both, the one before care marked; the
    # search finds them by name.
    rows = reporting.children(council, "sw", ChildFilters(), only_mine=True).rows
    assert {(r["reference"], r["before_care"]) for r in rows} == {
        ("EOC-2", "On the edge of care"), ("CLA-2", None)}
    found = reporting.children(council, "tm", ChildFilters(search="EOC-2")).rows
    assert [r["child_id"] for r in found] == [edge.child_id]
    # A looked-after pathway's case events wait until the child is looked after.
    from engine import deliver_event
    with pytest.raises(FormInvalid) as refused:
        deliver_event(council, edge.child_id, "placement_changed", {
            "placement_type": "in_house_foster", "carers": "Jo Carer", "area": "local", "started_on": "2026-02-20"}, "sw")
    assert refused.value.errors == {"kind": [
        "Sam Example is not looked after yet: record the work before care on its steps, and that they "
        "became looked after, first"]}


def test_A10_B1_E18_registration_before_care_refuses_bad_details_by_field_and_stores_nothing(council):
    at(date(2026, 2, 2))
    with pytest.raises(FormInvalid) as refused:
        register_before_care(council, {"reference": "UNB-9", "name": "Baby of Jane Smith", "before_care": "unborn",
                                       "known_on": "2026-02-03", "expected_birth_on": "2027-02-01",
                                       "date_of_birth": "2026-01-01", "team": "North", "social_worker": "sw"}, "sw")
    assert refused.value.errors == {
        "known_on": ["Date the council was told or the child referred must be today or in the past"],
        "expected_birth_on": ["Expected date of birth must be within 42 weeks of today"],
        "date_of_birth": ["An unborn baby has no date of birth yet: give the expected date"]}
    assert refused.value.data["name"] == "Baby of Jane Smith"
    with pytest.raises(FormInvalid) as refused:
        register_before_care(council, {"reference": "EOC-9", "name": "Sam", "before_care": "nearly",
                                       "known_on": "2026-01-05", "team": "North", "social_worker": "sw"}, "sw")
    assert refused.value.errors == {
        "before_care": ["Select why the council knows the child: on the edge of care or unborn: known before the birth"],
        "date_of_birth": ["Date of birth must be a real date, like 2026-03-02"]}
    with council.reading() as session:
        assert session.scalar(select(Child.id)) is None


def test_B1_R13_pre_proceedings_at_the_edge_of_care_beyond_6_months_go_to_the_Head_of_Service(council):
    # Referred Monday 2 March 2026; the LGM on Wednesday 11 March decides pre-proceedings, the
    # letter before proceedings the same day.
    case = known(council, "edge_of_care", date(2026, 3, 2), "EOC-3", date_of_birth=date(2017, 9, 9))
    case.do("Hold the Legal Gateway Meeting: edge of care", date(2026, 3, 11), edge_lgm_held_on=date(2026, 3, 11),
            edge_threshold_met=True, edge_lgm_decision="plo", plo_letter_on=date(2026, 3, 11))
    # R13: the review due 3 months on (11 June); the limit 6 months on (Friday 11 September).
    # Nothing fires on the 11th itself; from Saturday 12th, the first day over, the Head of
    # Service has 2 working days (the council's escalation setting): Monday 14, Tuesday 15.
    assert case.due("Review pre-proceedings") == (date(2026, 6, 11), "R13")
    case.sweep(date(2026, 9, 11), 18)
    assert "Escalate: pre-proceedings beyond 6 months" not in case.names()
    case.sweep(date(2026, 9, 12))
    assert case.task("Escalate: pre-proceedings beyond 6 months")["lane"] == "Head of Service"
    assert case.deadline("R13") == [("Pre-proceedings 6 months", date(2026, 9, 11), "missed", None)]
    assert case.due("Escalate: pre-proceedings beyond 6 months") == (date(2026, 9, 15), "R13")


def test_A10_care_no_longer_considered_ends_the_work_before_care_and_the_child_stays_known(council):
    case = known(council, "edge_of_care", date(2026, 3, 2), "EOC-4", date_of_birth=date(2017, 9, 9))
    looked_after = "Record that the child became looked after, or that care is no longer considered"
    with pytest.raises(FormInvalid) as refused:
        case.do(looked_after, date(2026, 3, 20), care_outcome="not_needed", entry_legal_status="s20")
    assert refused.value.errors == {
        "before_care_closed_reason": ["Say why care is no longer being considered"],
        "care_outcome": ["Care is no longer being considered: leave the looked-after details blank, "
                         "or choose that the child became looked after"]}
    case.do(looked_after, date(2026, 3, 20), care_outcome="not_needed",
            before_care_closed_reason="The family agreed a plan at the Family Group Conference.")
    assert case.names() == set()
    with council.reading() as session:
        child = session.get(Child, case.child_id)
        statuses = session.scalars(select(PathwayInstance.status).where(PathwayInstance.child_id == case.child_id)).all()
    assert (child.before_care, child.legal_status, statuses) == ("edge_of_care", "none", ["completed"])


def test_A10_E18_the_demo_has_a_child_on_the_edge_of_care_and_an_unborn_baby(db):
    from engine import figures, find_child, open_tasks
    from web.demo import load_demo
    # Demo day Monday 7 September 2026: Noah's letter before proceedings 30 days before, on
    # Saturday 8 August, so R13's review is due 3 months on, Sunday 8 November. The baby is
    # expected 60 days on, Friday 6 November: the pre-birth planning meeting is due by then.
    at(date(2026, 9, 7))
    publish(db, load_directory(DIAGRAMS, "permanence_pathway"), "tests")
    publish(db, load_directory(DIAGRAMS, BEFORE_CARE), "tests")
    assert load_demo(db, "permanence_pathway")
    noah = {(t["name"], t["due_on"], t["rule"]) for t in open_tasks(db, child_id=find_child(db, "DEMO-011"))}
    assert ("Review pre-proceedings", date(2026, 11, 8), "R13") in noah
    baby = {(t["name"], t["due_on"], t["rule"]) for t in open_tasks(db, child_id=find_child(db, "DEMO-012"))}
    assert ("Hold the pre-birth planning meeting", date(2026, 11, 6), "R18") in baby
    with db.reading() as session:
        kinds = dict(session.execute(select(Child.reference, Child.before_care)
                                     .where(Child.reference.in_(["DEMO-011", "DEMO-012"]))).all())
    assert kinds == {"DEMO-011": "edge_of_care", "DEMO-012": "unborn"}
    assert figures.check(db, "permanence_pathway") == []


def test_B1_R13_pre_proceedings_running_when_the_child_becomes_looked_after_under_s20_go_on_from_the_same_letter(council):
    # Referred Monday 5 January 2026; the LGM on 14 January chose pre-proceedings, the letter on
    # Friday 16 January. Accommodated under s20 on Friday 20 February, pre-proceedings running.
    case = known(council, "edge_of_care", date(2026, 1, 5), "EOC-5", date_of_birth=date(2020, 3, 10))
    case.do("Hold the Legal Gateway Meeting: edge of care", date(2026, 1, 16), edge_lgm_held_on=date(2026, 1, 14),
            edge_threshold_met=True, edge_lgm_decision="plo", plo_letter_on=date(2026, 1, 16),
            legal_plan="Pre-proceedings.")
    # A Family Group Conference was held on Thursday 12 February, before care (A9, H12, P11);
    # one dated after the entry belongs to the pathway, and is refused here by field.
    looked_after = "Record that the child became looked after, or that care is no longer considered"
    with pytest.raises(FormInvalid) as refused:
        case.do(looked_after, date(2026, 2, 20), care_outcome="looked_after", entered_care_on=date(2026, 2, 19),
                entry_legal_status="s20", entry_placement="Foster carers", entry_placement_type="ifa",
                entry_placement_area="out_of_area", fgc_before_care_on=date(2026, 2, 20))
    assert refused.value.errors == {
        "fgc_before_care_outcome": ["Select what came of the Family Group Conference"],
        "fgc_before_care_on": ["The Family Group Conference held before care must be on or before the date the "
                               "child became looked after (a later one is recorded on the pathway)"]}
    outcome = case.do("Record that the child became looked after, or that care is no longer considered",
                      date(2026, 2, 20), care_outcome="looked_after", entered_care_on=date(2026, 2, 20),
                      entry_legal_status="s20", entry_placement="Foster carers", entry_placement_type="ifa",
                      entry_placement_area="out_of_area",
                      fgc_before_care_on=date(2026, 2, 12), fgc_before_care_outcome="family_plan_agreed")
    pathway = Case(council, case.child_id, outcome.instance_id)
    # The looked-after clocks from Friday 20 February: the initial PPM 10 working days on,
    # Friday 6 March (R7), the FGC held before care not asked again (R6 met on 12 February);
    # the first CLA review 20 working days on, Friday 20 March (R1); the first panel 8 weeks on, Friday 17 April (R10). Pre-proceedings go on from
    # the letter of 16 January, not from entry: the review 3 months on, Thursday 16 April, and
    # the Head of Service's limit 6 months on, Thursday 16 July (R13). The LGM held before care
    # is its decision: it is not asked again.
    assert pathway.open() == {
        ("Hold the first CLA review", "IRO", date(2026, 3, 20), "R1"),
        ("Hold the initial PPM", "Social Worker", date(2026, 3, 6), "R7"),
        ("Record the first Permanence Panel outcome", "Panel Chair", date(2026, 4, 17), "R10"),
        ("Review pre-proceedings", "Legal", date(2026, 4, 16), "R13")}
    assert pathway.deadline("R13") == [("Pre-proceedings 6 months", date(2026, 7, 16), "running", None)]
    with council.reading() as session:
        from models import CaseEvent, TaskRecord
        referral = session.scalars(select(CaseEvent.kind).where(CaseEvent.child_id == case.child_id)).all()
        lgm = session.scalar(select(TaskRecord.answers).where(TaskRecord.child_id == case.child_id,
                                                              TaskRecord.bpmn_id == "lgm_decision"))
    assert sorted(referral) == ["lgm_referral", "placement_changed"]   # and the placement entered in (D22)
    with council.reading() as session:
        fgc = session.scalar(select(TaskRecord.answers).where(TaskRecord.child_id == case.child_id,
                                                              TaskRecord.bpmn_id == "hold_fgc"))
    assert (fgc["fgc_held_on"], fgc["fgc_outcome"]) == ("2026-02-12", "family_plan_agreed")
    assert (lgm["lgm_held_on"], lgm["decision"], lgm["plo_letter_on"]) == ("2026-01-14", "plo", "2026-01-16")
    # Pre-proceedings ending in proceedings then run on as for any child (R14).
    pathway.do("Review pre-proceedings", date(2026, 4, 14), plo_reviewed_on=date(2026, 4, 14),
               plo_outcome="issue_proceedings")
    assert pathway.deadline("R13") == [("Pre-proceedings 6 months", date(2026, 7, 16), "met", date(2026, 4, 14))]
    assert "Record care proceedings issued" in pathway.names()
