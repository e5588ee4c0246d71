"""Reminders by e-mail through GOV.UK Notify (issue 14 section 5; SEEDS-COVERAGE N8),
against a fake Notify on 127.0.0.1 speaking its HTTP API, with the real client, on SQLite
and PostgreSQL."""
from dataclasses import replace
from datetime import timedelta

from sqlalchemy import select

from engine import clock, register_child, staff, sweep
from engine.reminders import ReminderConfig, run_reminders
from engine.reminders.sending import send
from engine.reminders.writing import write_reminders
from models import Reminder, ReminderEmail

from ..conftest import child_details, set_clock
from .conftest import addresses


def emails(db) -> list[ReminderEmail]:
    with db.transaction() as s:
        return list(s.scalars(select(ReminderEmail).order_by(ReminderEmail.id)))


def reminders(db) -> list[tuple]:
    with db.transaction() as s:
        return [(r.kind, r.status) for r in s.scalars(select(Reminder).order_by(Reminder.id))]


def test_N8_each_due_reminder_is_one_email_even_after_two_rounds(council, notify, config):
    addresses(council, sw="each", tm="each")
    register_child(council, child_details(), "sw", process_id="demo_pathway")
    for _round in range(2):
        run_reminders(council, config)
    assert [n["subject"] for n in notify.sent] == ["New task: Record initial PPM for C-001"]
    first = notify.sent[0]
    assert first["email_address"] == "sw@council.example"
    assert "Alex" not in first["body"] and "Example" not in first["body"]   # the reference only
    task_link = "https://pathway.council.example/tasks/"
    assert task_link in first["body"] and "Mon 16 Mar 2026 (R7)" in first["body"]

    set_clock(2026, 3, 11)           # 16 March is 3 working days away
    for _round in range(2):
        run_reminders(council, config)
    assert [n["subject"] for n in notify.sent[1:]] == ["Due Mon 16 Mar 2026: Record initial PPM for C-001"]

    set_clock(2026, 3, 17, 0, 1)     # the R7 clock is missed: the team manager's escalation
    sweep(council)
    for _round in range(2):
        run_reminders(council, config)
        sweep(council)
    later = sorted((n["email_address"], n["subject"].split(":")[0]) for n in notify.sent[2:])
    assert later == [("sw@council.example", "Overdue"), ("tm@council.example", "Escalation")]
    assert all(e.status == "sent" and e.notify_id for e in emails(council))
    assert [n["reference"] for n in notify.sent] == [e.key for e in emails(council)]


def test_N8_a_digest_groups_a_day_of_reminders_into_one_email(council, notify, config):
    addresses(council, sw="digest")
    set_clock(2026, 3, 2, 6)          # before the digest hour (7, London)
    for ref in ("C-001", "C-002"):
        register_child(council, child_details(reference=ref), "sw", process_id="demo_pathway")
    run_reminders(council, config)
    assert notify.sent == [] and [s for _k, s in reminders(council)] == ["waiting", "waiting"]
    set_clock(2026, 3, 2, 7, 30)
    run_reminders(council, config)
    run_reminders(council, config)
    assert len(notify.sent) == 1
    digest = notify.sent[0]
    assert digest["subject"] == "Permanence Pathway: 2 reminders for Mon 2 Mar 2026"
    assert "# New tasks for you (2)" in digest["body"]
    assert "for C-001, due Mon 16 Mar 2026" in digest["body"] and "for C-002" in digest["body"]
    # a reminder written after today's digest waits for tomorrow's
    register_child(council, child_details(reference="C-003"), "sw", process_id="demo_pathway")
    run_reminders(council, config)
    assert len(notify.sent) == 1
    set_clock(2026, 3, 3, 8)
    run_reminders(council, config)
    assert len(notify.sent) == 2 and "C-003" in notify.sent[1]["body"]
    assert "C-001" not in notify.sent[1]["body"]


def test_a_server_error_is_retried_with_back_off_and_sent_once(council, notify, config):
    addresses(council, sw="each")
    register_child(council, child_details(), "sw", process_id="demo_pathway")
    notify.fail_next(500)
    run_reminders(council, config)
    [email] = emails(council)
    assert (email.status, email.attempts) == ("pending", 1)
    assert "500" in email.last_error and "Internal server error" in email.last_error
    assert email.next_attempt_at == clock.now() + timedelta(seconds=30)
    run_reminders(council, config)             # not before its back-off
    assert len(notify.requests) == 1 and notify.sent == []
    clock.set_fixed(clock.now() + timedelta(seconds=31))
    notify.fail_next(429)                      # rate limited: waits again, a minute now
    run_reminders(council, config)
    [email] = emails(council)
    assert (email.status, email.attempts) == ("pending", 2) and "RateLimitError" in email.last_error
    assert email.next_attempt_at == clock.now() + timedelta(minutes=1)
    clock.set_fixed(clock.now() + timedelta(minutes=1))
    run_reminders(council, config)
    run_reminders(council, config)
    [email] = emails(council)
    assert email.status == "sent" and email.last_error is None and len(notify.sent) == 1
    assert email.notify_id == notify.sent[0]["id"]


def test_a_refusal_is_recorded_as_failed_with_notify_s_reason(council, notify, config):
    addresses(council, sw="each")
    register_child(council, child_details(), "sw", process_id="demo_pathway")
    notify.fail_next(400)
    run_reminders(council, config)
    clock.set_fixed(clock.now() + timedelta(hours=2))
    run_reminders(council, config)             # never tried again: it would fail the same way
    [email] = emails(council)
    assert email.status == "failed" and len(notify.requests) == 1
    assert email.last_error == ("400 BadRequestError: Can't send to this recipient using a "
                                "team-only API key")


def test_a_wrong_key_is_refused_by_notify_and_recorded(council, notify, config):
    addresses(council, sw="each")
    register_child(council, child_details(), "sw", process_id="demo_pathway")
    forged = config.notify_api_key[:-36] + "00000000-0000-0000-0000-000000000000"
    run_reminders(council, replace(config, notify_api_key=forged))
    [email] = emails(council)
    assert email.status == "failed" and "AuthError" in email.last_error and notify.sent == []


def test_an_email_notify_took_before_the_worker_stopped_is_not_sent_again(council, notify, config):
    addresses(council, sw="each")
    register_child(council, child_details(), "sw", process_id="demo_pathway")
    run_reminders(council, config)
    with council.transaction() as s:           # as if the worker died before recording it
        row = s.scalar(select(ReminderEmail))
        row.status, row.notify_id, row.next_attempt_at = "sending", None, clock.now()
    send(council, config)
    [email] = emails(council)
    assert email.status == "sent" and email.notify_id == notify.sent[0]["id"]
    assert len(notify.sent) == 1 and [m for m, _p, _s in notify.requests] == ["POST", "GET"]


def test_no_email_names_a_child_its_reader_may_no_longer_see(council, notify, config):
    addresses(council, sw="digest")
    register_child(council, child_details(), "sw", process_id="demo_pathway")
    write_reminders(council)                   # written while sw may see the child
    staff.set_roles(council, "admin", "sw", ["Social Worker"], "South")   # moved team
    run_reminders(council, config)
    assert notify.sent == [] and reminders(council) == [("task_assigned", "skipped")]


def test_without_a_notify_key_emails_are_kept_for_administrators(council, notify):
    addresses(council, sw="each", tm="none")
    register_child(council, child_details(), "sw", process_id="demo_pathway")
    run_reminders(council, ReminderConfig(panel_business=False))   # task reminders alone
    [email] = emails(council)
    assert email.status == "kept" and email.email == "sw@council.example"
    assert notify.requests == []


def test_people_without_an_address_or_wanting_none_get_no_reminders(council, notify, config):
    addresses(council, sw="none")
    register_child(council, child_details(), "sw", process_id="demo_pathway")
    set_clock(2026, 3, 17, 0, 1)
    sweep(council)
    run_reminders(council, config)
    assert reminders(council) == [] and notify.requests == []


def test_a_task_already_overdue_when_told_is_not_told_again_as_overdue(council, notify, config):
    addresses(council, tm="each")
    register_child(council, child_details(), "sw", process_id="demo_pathway")
    set_clock(2026, 3, 20, 9)       # the R7 escalation (due 19 March) opens already overdue
    sweep(council)
    run_reminders(council, config)
    set_clock(2026, 3, 23, 9)
    run_reminders(council, config)
    assert [n["subject"] for n in notify.sent] == ["Escalation: Chase overdue initial PPM for C-001"]
    assert "due Thu 19 Mar 2026" in notify.sent[0]["body"]
