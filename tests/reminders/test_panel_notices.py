"""Panel business sent by e-mail (issue 11 §1, §7; SEEDS-COVERAGE N1, N2, N3, B14, C5, C7),
through the real pathway with a fixed clock, the real reminders' channel and the fake GOV.UK
Notify, on SQLite and PostgreSQL: a BCP week (invitations two weeks ahead, the papers
deadline, the agenda out on the Monday afternoon) and a Halton date (invitations 14 days
ahead, the list grouped by team manager, the team manager copied), each sent once however
many sweeps, and each person's choice (each, digest, none) respected."""
import threading
from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import select


from engine.people import add_user, ensure_team
from engine.reminders import run_reminders
from engine.reminders.panel_notices import write_panel_notices
from models import PanelNotice, ReminderEmail
from workflows import local_settings, roles

from ..conftest import council_settings
from ..scenarios.conftest import PPM_AREAS, Case, at, make_pathway_council
from .conftest import addresses

#: "Practice Lead" is copied where workflows.roles has it as a role that acts for children.
LEAD = "Practice Lead" if "Practice Lead" in roles.LANE_ROLES else None
PANEL = date(2026, 7, 9)     # week 27 since 1 January: 27 mod 5 = 2, reunification (BCP)


@pytest.fixture
def config(config):
    """The reminders' channel with the panel business on (as a council runs it by default)."""
    return replace(config, panel_business=True)


@pytest.fixture(autouse=True)
def bcp_by_default(monkeypatch):
    monkeypatch.delenv("PERMANENCE_LOCAL_SETTINGS", raising=False)
    local_settings._overrides.cache_clear()
    yield
    local_settings._overrides.cache_clear()


def _child_on_reunification(db, reference="R-1"):
    case = Case.start(db, date(2026, 3, 2), date(2015, 1, 1), legal_status="co", reference=reference)
    case.do("Hold the initial PPM", on=date(2026, 3, 9), held_on=date(2026, 3, 9), **PPM_AREAS,
            reunification_discussed=True, plan_identified=True, routes=["reunification"])
    return case


def _sweep(db, config, day, hour):
    at(day, hour)
    return run_reminders(db, config)


def panel_emails(notify, to=None) -> list[dict]:
    return [n for n in notify.sent if "Panel" in n["subject"] or "panel business" in n["subject"]
            if to is None or n["email_address"] == f"{to}@council.example"]


def digests(notify, to, day) -> list[dict]:
    return [n for n in notify.sent if n["email_address"] == f"{to}@council.example"
            and n["subject"].startswith("Permanence Pathway: ") and n["subject"].endswith(day)]


def test_N2_B14_N3_N1_C5_a_bcp_week_of_panel_business_each_sent_once(db, notify, config):
    make_pathway_council(db)
    _child_on_reunification(db)
    addresses(db, sw="each", tm="digest", paneladmin="each", sm="each", chair="none")
    # 24 June: the invitations for 9 July are not out yet (they go 14 days ahead: 25 June).
    _sweep(db, config, date(2026, 6, 24), 9)
    assert [n for n in panel_emails(notify) if "9 Jul" in n["subject"]] == []

    # Thursday 25 June: the invitation to the social worker, the team manager copied (N2, B14).
    _sweep(db, config, date(2026, 6, 25), 9)
    [invite] = panel_emails(notify, "sw")
    assert invite["subject"] == "Invitation to the Permanence Panel on Thu 9 Jul 2026"
    assert ("You are invited: R-1 (Plan of reunification), at the panel on Thursday 9 July 2026 "
            "from 14:00. Papers on record by Thursday 2 July 2026") in invite["body"]
    assert "Missing now: Minutes of the PPM due 20 April 2026 not on record." in invite["body"]
    assert "Copied to Tm." in invite["body"]
    assert ("Add it to your calendar: https://pathway.council.example/panel/2026-07-09/invitation.ics"
            in invite["body"])
    assert "Alex Example" not in invite["body"]     # the reference only (the council's choice)
    # The team manager chose a daily digest: the copy is in the day's one digest.
    [digest] = digests(notify, "tm", "Thu 25 Jun 2026")
    assert ("# Invitation to the Permanence Panel on Thursday 9 July 2026\n\n"
            "Copy: Sw is invited: R-1 (Plan of reunification)") in digest["body"]
    # The panel administrator gets the list, grouped by team manager (B14).
    [listing] = [n for n in panel_emails(notify, "paneladmin") if "9 Jul" in n["subject"]]
    assert listing["subject"] == "Children on the Permanence Panel on Thu 9 Jul 2026"
    assert "Team manager: Tm (North)\n- R-1, North, Sw (Plan of reunification)" in listing["body"]

    # Two more sweeps, the same hour and the next: nothing new is written or sent.
    before = len(notify.sent)
    _sweep(db, config, date(2026, 6, 25), 9)
    _sweep(db, config, date(2026, 6, 25), 10)
    assert len(notify.sent) == before

    # Thursday 2 July, the papers deadline: the minutes are still missing (N3).
    _sweep(db, config, date(2026, 7, 2), 9)
    [papers] = [n for n in panel_emails(notify, "sw") if n["subject"].startswith("Papers")]
    assert papers["subject"] == "Papers missing for the Permanence Panel on Thu 9 Jul 2026"
    assert ("R-1: papers for the panel on Thursday 9 July 2026 were due by Thursday 2 July 2026. "
            "Missing: Minutes of the PPM due 20 April 2026 not on record.") in papers["body"]
    # C5: the service manager hears which of the service's children lack papers.
    [service] = [n for n in panel_emails(notify, "sm") if "9 Jul" in n["subject"]]
    assert service["subject"] == ("Your service's children with papers missing for the Permanence "
                                  "Panel on Thu 9 Jul 2026")
    assert "make sure their social workers and team managers prepare the case and attend" in service["body"]
    assert "Team manager: Tm (North)\n- R-1" in service["body"]
    [digest_2] = digests(notify, "tm", "Thu 2 Jul 2026")
    assert "R-1: papers for the panel" in digest_2["body"]

    # Monday 6 July, the agenda day: not in the morning, from the afternoon (BCP §4, N1).
    _sweep(db, config, date(2026, 7, 6), 11)
    assert not [n for n in panel_emails(notify) if "agenda is out on Thu 9 Jul" in n["subject"]
                or "agenda is out on Thursday 9 July" in n["body"]]
    _sweep(db, config, date(2026, 7, 6), 14)
    agendas = {n["email_address"]: n for n in panel_emails(notify)
               if n["subject"] == "The Permanence Panel agenda is out on Thu 9 Jul 2026"}
    assert set(agendas) == {"sw@council.example", "paneladmin@council.example", "sm@council.example"}
    assert "Your children on it:\n- R-1, North, Sw (Plan of reunification)" in agendas["sw@council.example"]["body"]
    assert "The agenda for the panel on Thursday 9 July 2026 from 14:00:\n- R-1" in agendas["sm@council.example"]["body"]
    [digest_6] = digests(notify, "tm", "Mon 6 Jul 2026")
    assert "The Permanence Panel agenda is out on Thursday 9 July 2026" in digest_6["body"]
    # The chair chose no e-mails: nothing is written for them, nothing sent.
    assert panel_emails(notify, "chair") == []

    # Sweeps until the panel and after: every e-mail above went once, and none came later.
    counted = len(notify.sent)
    for day, hour in ((date(2026, 7, 7), 9), (date(2026, 7, 9), 9), (date(2026, 7, 10), 9)):
        _sweep(db, config, day, hour)
    assert [n for n in notify.sent[counted:] if "9 Jul" in n["subject"] or "9 July" in n["body"]] == []
    sent = [(n["email_address"], n["subject"]) for n in panel_emails(notify)]
    assert len(sent) == len(set(sent))
    with db.reading() as session:
        rows = session.execute(select(PanelNotice.user_id, PanelNotice.kind, PanelNotice.panel_date,
                                      PanelNotice.item)).all()
        assert len(rows) == len(set(rows))


def test_B14_C7_N2_a_halton_date_invitations_14_days_ahead_grouped_by_team_manager_and_copied(
        db, notify, config, monkeypatch, tmp_path):
    council_settings(monkeypatch, tmp_path, {"panel": {"council": "halton", "dates": {
        "2026-07-14": ["no_plan"]}}})
    make_pathway_council(db)
    with db.transaction() as session:
        south = ensure_team(session, "South")
        add_user(session, "sw_south", "Sid South", [roles.SOCIAL_WORKER], south)
        add_user(session, "tm_south", "Tom South", [roles.TEAM_MANAGER], south)
        if LEAD:    # the Practice Lead, where the roles have one that acts for children (C7)
            add_user(session, "pl", "Pat Lead", [LEAD], ensure_team(session, "North"))
    Case.start(db, date(2026, 3, 2), date(2014, 2, 2), legal_status="co", reference="H-1")
    at(date(2026, 3, 2))
    from engine import register_child
    register_child(db, {"reference": "H-2", "name": "Bo South", "date_of_birth": "2013-01-01",
                        "legal_status": "co", "looked_after_on": "2026-03-02", "team": "South",
                        "social_worker": "sw_south"}, "sw_south", process_id="permanence_pathway")
    addresses(db, sw="each", tm="each", sw_south="each", tm_south="each", paneladmin="each",
              **({"pl": "each"} if LEAD else {}))
    # 29 June: 15 days before; nothing yet. 30 June: 14 days before, the invitations go.
    _sweep(db, config, date(2026, 6, 29), 9)
    assert [n for n in panel_emails(notify) if "14 Jul" in n["subject"]] == []
    _sweep(db, config, date(2026, 6, 30), 9)
    sent = {n["email_address"]: n for n in panel_emails(notify) if "14 Jul" in n["subject"]}
    expected = {"sw", "tm", "sw_south", "tm_south", "paneladmin"}
    if LEAD:
        expected.add("pl")
    assert set(sent) == {f"{u}@council.example" for u in expected}
    assert "You are invited: H-1 (No permanence plan, or a plan recorded as other), at the panel on " \
           "Tuesday 14 July 2026 from 10:00" in sent["sw@council.example"]["body"]
    assert "Copy: Sw is invited: H-1" in sent["tm@council.example"]["body"]
    assert "H-2" not in sent["tm@council.example"]["body"]      # only their own team's child
    assert "Copy: Sid South is invited: H-2" in sent["tm_south@council.example"]["body"]
    listing = sent["paneladmin@council.example"]["body"]
    assert ("Team manager: Tm (North)\n- H-1, North, Sw (No permanence plan, or a plan recorded as other)"
            "\n\nTeam manager: Tom South (South)\n- H-2, South, Sid South") in listing
    # 1 July: Halton's agenda (out 14 days before, from the afternoon of the 30th) goes, with
    # three workers sweeping at once: each e-mail once.
    count = len(notify.sent)
    at(date(2026, 7, 1), 9)
    threads = [threading.Thread(target=run_reminders, args=(db, config)) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    agendas = [n["email_address"] for n in notify.sent[count:] if "14 Jul" in n["subject"]]
    assert sorted(agendas) == sorted(f"{u}@council.example" for u in ("sw", "tm", "sw_south", "tm_south", "paneladmin"))
    _sweep(db, config, date(2026, 7, 1), 15)
    _sweep(db, config, date(2026, 7, 2), 9)
    assert len([n for n in notify.sent if "14 Jul" in n["subject"]]) == len(expected) + len(agendas)
    with db.reading() as session:
        keys = session.scalars(select(ReminderEmail.key).where(ReminderEmail.key.like("panel%"))).all()
        assert len(keys) == len(set(keys))


def test_N2_a_child_moved_out_of_sight_is_not_sent_and_unsubscribed_people_get_nothing(db, notify, config):
    make_pathway_council(db)
    case = _child_on_reunification(db)
    addresses(db, sw="each", tm="none")
    at(date(2026, 6, 25), 9)
    assert write_panel_notices(db, config) == 1          # the social worker's invitation only
    with db.transaction() as session:                   # the child moves to another team
        from models import Child
        session.get(Child, case.child_id).team_id = ensure_team(session, "South").id
    run_reminders(db, config)
    assert panel_emails(notify) == []
    with db.reading() as session:
        assert session.scalars(select(PanelNotice.status)).all() == ["skipped"]

