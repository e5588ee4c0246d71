"""Each completed task is kept as a record of the child (D7, D27, I7): written by
`complete_task` in the same transaction, read only by who may see the child, audited, and
corrected only as a new revision with a reason. Runs on SQLite and PostgreSQL."""
from datetime import date

import pytest
from sqlalchemy import func, select

from engine import FormInvalid, NotAllowed, NotFound, records
from engine.corrections import correct_record
from engine.people import add_user, ensure_team
from models import AuditEvent, TaskRecord
from tests.scenarios.conftest import PPM_AREAS, Case, at
from workflows import roles

LOOKED_AFTER = date(2027, 3, 1)
BORN = date(2020, 6, 1)
PPM = dict(PPM_AREAS, reunification_discussed=True, plan_identified=True,
           routes=["adoption", "long_term_fostering"],
           actions=[{"action": "Referral to adoption team", "owner": "sw", "due_on": "2027-03-24"}])


def _initial_ppm(db, on=date(2027, 3, 10)):
    case = Case.start(db, LOOKED_AFTER, BORN)
    case.do("Hold the initial PPM", on=on, held_on=on, **PPM)
    return case


def _rows(db, **where):
    with db.transaction() as s:
        query = select(TaskRecord).filter_by(**where).order_by(TaskRecord.id)
        return [(r.task_name, r.kind, r.revision, r.answers, r.due_on, r.rule, r.on_time,
                 r.recorded_by_name, r.previous_id) for r in s.scalars(query)]


def test_d7_completing_a_ppm_keeps_its_answers_as_a_record(council_with_pathway):
    db = council_with_pathway
    case = _initial_ppm(db)
    [row] = _rows(db, child_id=case.child_id)
    name, kind, revision, answers, due_on, rule, on_time, who, previous = row
    assert (name, kind, revision, due_on, rule, on_time, who, previous) == (
        "Hold the initial PPM", "ppm", 1, date(2027, 3, 15), "R7", True, "Sw", None)
    assert answers["held_on"] == "2027-03-10"
    assert answers["routes"] == ["adoption", "long_term_fostering"]
    assert answers["actions"] == [{"action": "Referral to adoption team", "owner": "sw",
                                   "due_on": "2027-03-24"}]
    with db.transaction() as s:
        record = s.scalar(select(TaskRecord))
        assert record.form["name"] == "ppm.json"
        assert record.form["schema"]["properties"]["held_on"]["title"] == "Date the meeting was held"
        assert record.form["ui"]["background"] == {"ui:widget": "textarea"}


def test_a_late_completion_is_recorded_as_not_on_time(council_with_pathway):
    db = council_with_pathway
    _initial_ppm(db, on=date(2027, 3, 17))   # due 15 March (R7)
    assert [r[6] for r in _rows(db)] == [False]


def test_a_refused_completion_writes_no_record(council_with_pathway):
    db = council_with_pathway
    case = Case.start(db, LOOKED_AFTER, BORN)
    with pytest.raises(FormInvalid):
        case.do("Hold the initial PPM", on=date(2027, 3, 10), held_on=date(2027, 3, 10))
    assert _rows(db) == []


def test_reading_a_record_needs_sight_of_the_child_and_is_audited(council_with_pathway):
    db = council_with_pathway
    case = _initial_ppm(db)
    with db.transaction() as s:
        add_user(s, "sw_south", "Sid South", [roles.SOCIAL_WORKER], ensure_team(s, "South"))
        add_user(s, "po", "Pam Owner", [roles.PROCESS_OWNER])
        record_id = s.scalar(select(TaskRecord.id))
    view = records.read_record(db, record_id, "iro")
    assert view.record["answers"]["contingency_plan"] == PPM["contingency_plan"]
    assert [f.name for f in view.form.fields][:2] == ["held_on", "chaired_by"]
    assert view.may_correct is False            # the IRO did not write it
    assert records.read_record(db, record_id, "sw").may_correct is True
    for outsider in ("sw_south", "po"):
        with pytest.raises(NotFound):
            records.read_record(db, record_id, outsider)
    with db.transaction() as s:
        viewed = s.scalars(select(AuditEvent.actor_name).where(
            AuditEvent.kind == "record_viewed").order_by(AuditEvent.id)).all()
    assert viewed == ["Iro", "Sw"]
    listing = records.child_records(db, case.child_id, "tm")
    assert [(r["task_name"], r["kind_label"]) for r in listing["records"]] == [
        ("Hold the initial PPM", "PPMs")]


def test_a_correction_is_a_new_revision_and_the_original_is_kept(council_with_pathway):
    db = council_with_pathway
    case = _initial_ppm(db)
    with db.transaction() as s:
        first = s.scalar(select(TaskRecord))
        answers = dict(first.answers)
        first_id = first.id
    at(date(2027, 3, 12))
    answers["contingency_plan"] = "Special guardianship with the maternal aunt."
    new_id = correct_record(db, first_id, answers, "Aunt came forward after the meeting", "tm")
    rows = _rows(db, child_id=case.child_id)
    assert [(r[2], r[3]["contingency_plan"], r[7], r[8]) for r in rows] == [
        (1, PPM["contingency_plan"], "Sw", None),
        (2, "Special guardianship with the maternal aunt.", "Tm", first_id)]
    view = records.read_record(db, first_id, "sw")     # an old id reads the current revision
    assert view.record["id"] == new_id and [r["revision"] for r in view.revisions] == [2, 1]
    assert view.record["reason"] == "Aunt came forward after the meeting"
    with db.transaction() as s:
        event = s.scalar(select(AuditEvent).where(AuditEvent.kind == "record_corrected"))
        assert event.actor_name == "Tm"
        assert event.detail["changed"] == {"contingency_plan": {
            "from": PPM["contingency_plan"], "to": "Special guardianship with the maternal aunt."}}
    listing = records.child_records(db, case.child_id, "sw")["records"]
    assert [r["revision"] for r in listing] == [2]


def test_a_correction_with_errors_or_no_reason_writes_nothing(council_with_pathway):
    db = council_with_pathway
    _initial_ppm(db)
    with db.transaction() as s:
        first = s.scalar(select(TaskRecord))
        answers, first_id = dict(first.answers), first.id
    typed = dict(answers, background="", contingency_plan="New contingency")
    with pytest.raises(FormInvalid) as refused:
        correct_record(db, first_id, typed, "  ", "sw")
    assert set(refused.value.errors) == {"background", "reason"}
    assert refused.value.data["contingency_plan"] == "New contingency"   # what was typed is kept
    with pytest.raises(FormInvalid) as same:
        correct_record(db, first_id, answers, "No change", "sw")
    assert "Change at least one answer" in same.value.errors["reason"][0]
    with db.transaction() as s:
        assert s.scalar(select(func.count()).select_from(TaskRecord)) == 1


def test_only_the_author_or_their_team_manager_may_correct(council_with_pathway):
    db = council_with_pathway
    _initial_ppm(db)
    with db.transaction() as s:
        add_user(s, "sw2", "Sue Second", [roles.SOCIAL_WORKER], ensure_team(s, "North"))
        add_user(s, "tm_south", "Tom South", [roles.TEAM_MANAGER], ensure_team(s, "South"))
        first = s.scalar(select(TaskRecord))
        answers, first_id = dict(first.answers, background="Corrected."), first.id
    with pytest.raises(NotAllowed, match="Only Sw, who made this record, or their Team Manager"):
        correct_record(db, first_id, answers, "Typo", "sw2")
    for outsider in ("tm_south",):
        with pytest.raises(NotFound):
            correct_record(db, first_id, answers, "Typo", outsider)
    with pytest.raises(NotAllowed):
        correct_record(db, first_id, answers, "Typo", "iro")


def test_correcting_a_date_a_running_clock_counts_from_is_refused_and_audited(council_with_pathway):
    db = council_with_pathway
    case = _initial_ppm(db)
    # The review PPM is due 6 weeks after the meeting held on 10 March (R8): 21 April.
    assert case.due("Hold the review PPM") == (date(2027, 4, 21), "R8")
    with db.transaction() as s:
        first = s.scalar(select(TaskRecord))
        answers, first_id = dict(first.answers, held_on="2027-03-09"), first.id
    with pytest.raises(FormInvalid) as refused:
        correct_record(db, first_id, answers, "Meeting was on the 9th", "sw")
    [message] = refused.value.errors["held_on"]
    assert "cannot be corrected yet" in message
    assert "count from 10 March 2027" in message
    assert "Hold the review PPM, due 21 April 2027 (R8)" in message
    assert "the author or their Team Manager" in message
    assert case.due("Hold the review PPM") == (date(2027, 4, 21), "R8")   # the clock stands
    with db.transaction() as s:
        assert s.scalar(select(func.count()).select_from(TaskRecord)) == 1
        event = s.scalar(select(AuditEvent).where(AuditEvent.kind == "correction_refused"))
        assert (event.detail["old"], event.detail["new"]) == ("2027-03-10", "2027-03-09")
    # A date nothing counts from (an action's due date) can be corrected.
    answers = dict(first.answers, actions=[dict(PPM["actions"][0], due_on="2027-03-31")])
    correct_record(db, first_id, answers, "Action date agreed later", "sw")


def test_the_refusal_names_only_the_clocks_still_counting_from_the_date(council_with_pathway):
    db = council_with_pathway
    case = _initial_ppm(db)
    case.do("Hold the review PPM", on=date(2027, 4, 20), held_on=date(2027, 4, 20),
            progress="Good.", wishes_and_feelings="Happy where she is.", change_of_plan_proposed=False)
    with db.transaction() as s:
        first = s.scalar(select(TaskRecord).where(TaskRecord.bpmn_id == "initial_ppm"))
        answers, first_id = dict(first.answers, held_on="2027-03-09"), first.id
    with pytest.raises(FormInvalid) as refused:
        correct_record(db, first_id, answers, "Meeting was on the 9th", "sw")
    [message] = refused.value.errors["held_on"]
    # The next review PPM now counts from 20 April; the twin-track work still counts from 10 March.
    assert "Hold the review PPM" not in message
    assert "Send the Child's Permanence Report to the ADM, due 21 April 2027 (R8)" in message
    assert "Propose the long-term fostering match, due 21 April 2027 (R8)" in message
