"""Demo data for `permanence init --demo`: two teams, one account per role, and children at
different points of the pathway, all put there through the engine as real users would."""
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from engine import clock, complete_task, deliver_event, find_child, open_tasks, register_child, sweep
from engine.people import add_user, ensure_team
from engine.reminders import set_reminder_settings
from models import Child, Database, TaskRecord, User
from workflows import roles

DEMO_PASSWORD = "permanence-demo"

NORTH, SOUTH = "Children in Care North", "Children in Care South"

STAFF = [
    ("asha.sw", "Asha Patel", [roles.SOCIAL_WORKER], NORTH),
    ("ben.sw", "Ben Carter", [roles.SOCIAL_WORKER], NORTH),
    ("cara.sw", "Cara Jones", [roles.SOCIAL_WORKER], SOUTH),
    ("tom.tm", "Tom Hughes", [roles.TEAM_MANAGER], NORTH),
    ("tia.tm", "Tia Evans", [roles.TEAM_MANAGER], SOUTH),
    ("priya.pl", "Priya Shah", [roles.PRACTICE_LEAD], NORTH),   # HAL §4, ToR (C7, C8)
    ("iris.iro", "Iris Okafor", [roles.IRO], None),
    ("pat.chair", "Pat Morgan", [roles.PANEL_CHAIR], None),
    ("paul.paneladmin", "Paul Reid", [roles.PANEL_ADMINISTRATOR], None),
    ("ada.adm", "Ada Singh", [roles.ADM], None),
    ("lee.legal", "Lee Walsh", [roles.LEGAL], None),
    ("sam.sm", "Sam Fraser", [roles.SERVICE_MANAGER, roles.SENIOR_MANAGER], None),
    ("hana.hos", "Hana Ali", [roles.HEAD_OF_SERVICE], None),
    ("olly.po", "Olly Brooks", [roles.PROCESS_OWNER], None),
    ("root.admin", "Rita Admin", [roles.ADMINISTRATOR], None),
]

#: Who is reminded by e-mail, and how often (engine/reminders): the others have no address.
#: Without a Notify key the e-mails wait on /admin/reminders for an administrator to read.
REMINDERS = {"asha.sw": "each", "ben.sw": "digest", "cara.sw": "none", "tom.tm": "each",
             "tia.tm": "digest", "iris.iro": "digest", "lee.legal": "each",
             "paul.paneladmin": "each", "sam.sm": "digest"}   # panel business too (issue 11 §7)

# reference, name, age in years, days looked after, legal status, social worker,
# and whether the initial PPM has been held (with its plan)
CHILDREN = [
    ("DEMO-001", "Alfie Brown", 4, 3, "ico", "asha.sw", None),
    ("DEMO-002", "Bella Green", 9, 9, "s20", "asha.sw", None),
    ("DEMO-003", "Charlie White", 2, 30, "ico", "ben.sw", None),
    ("DEMO-004", "Daisy Black", 12, 40, "co", "ben.sw", "long_term_fostering"),
    ("DEMO-005", "Ethan Grey", 1, 25, "ico", "asha.sw", "adoption"),
    ("DEMO-006", "Freya Scott", 7, 12, "pwp", "cara.sw", "reunification"),
    ("DEMO-007", "George Hall", 15, 5, "s20", "cara.sw", None),
    ("DEMO-008", "Hollie King", 16, 60, "co", "cara.sw", "family_and_friends"),
]


#: How the initial meeting is recorded on each pathway the demo can load: the task's name and
#: the answers, given the plan and the date held.
INITIAL_MEETING = {
    "permanence_pathway": ("Hold the initial PPM", lambda plan, held_on: _ppm(plan, held_on)),
    # The small diagram the engine's own tests run on (tests/engine/diagrams/demo).
    "demo_pathway": ("Record initial PPM", lambda plan, held_on: {
        "held_on": held_on, "plan": plan, "background": "Demo record.",
        "contingency_plan": "Long-term fostering with the current carers"}),
}


def _ppm(plan: str, held_on: str) -> dict:
    """A full initial PPM (issue 12): who came, the voice of the child and parents, the plan's
    content, and actions owned by staff, which become their work and escalate when missed."""
    day = date.fromisoformat(held_on)
    later = lambda days: (day + timedelta(days=days)).isoformat()   # noqa: E731
    return {
        "held_on": held_on, "chaired_by": "social_worker",
        "invited": ["fostering_team", "adoption_team", "family_and_friends_team", "iro", "parents", "carers", "health", "education"],
        "attended": ["fostering_team", "adoption_team", "iro", "parents"],
        "attendee_names": "Iris Okafor (IRO); the fostering and adoption team practitioners; mother",
        "background": "Became looked after when mother's mental health broke down; no other family able to care.",
        "health": "Up to date with checks; asthma, managed.", "education_and_geography": "Settled at the local school.",
        "emotional_and_behavioural": "Anxious at contact handovers.", "identity": "White British; Church of England.",
        "family_and_social_relationships": "Close to an older brother, placed separately.",
        "wishes_and_feelings": "Wants to stay with the foster carers and to see mum and her brother.",
        "child_views_sought_on": held_on, "child_consulted_how": "direct_work",
        "views_of_parents": "Mother wants the child home; father not involved.", "parents_views_sought_on": held_on,
        "parallel_plan_explained": True, "advocacy_information_given": True, "advocacy_information_given_on": held_on,
        "options_and_outcomes": "Options discussed with the family.", "reunification_discussed": True,
        "plan_identified": True, "routes": [plan], "adoption_considered": plan == "adoption",   # B22
        # E20: early permanence considered at the first PPM; Ethan's proposes Fostering for Adoption.
        **({"early_permanence_considered": True, "ffa_proposed": True,
            "early_permanence_notes": "Adoption is the likely outcome; approved adopters as his foster "
                                      "carers spare him a move later."} if plan == "adoption" else {}),
        "route_evidence": "The parenting assessment and the family network meeting.",
        "previous_assessments": "The parenting assessment (January) and the sibling assessment (February).",
        "race_equality": "Carers who share the child's heritage; the family's church and language kept up.",
        "resources_available": False, "resources_needed": "A foster carer able to take both siblings: the fostering team by the next PPM.",
        "views_of_significant_others": "The foster carers would care for the child long-term; the maternal aunt wants to stay in touch.",
        # D5: the options above the chosen one and why each was ruled out; a plan to return home has none.
        "higher_options_ruled_out": "None: return home is the highest option and is the plan; the "
                                    "parenting assessment found the mother able to change with support."
        if plan == "reunification" else "Return home: the parenting assessment found no capacity to "
                                        "change in time; family and friends: no connected person came forward.",
        "objectives": [{"objective": "Secure a permanent home", "key_tasks": "Assessments; panel; matching",
                        "timescale": later(180), "responsible": "Allocated social worker",
                        "success_criteria": "The plan achieved within the child's timescale"}],
        "stability": "Stay with the current carers meanwhile.", "support_services": "CAMHS; the virtual school.",
        "contingency_plan": "Long-term fostering with the current carers",
        "actions": [{"action": "Update the parenting assessment", "owner": "asha.sw", "due_on": later(14)},
                    {"action": "Arrange sibling contact with the brother", "owner": "ben.sw", "due_on": later(28)}],
        "decisions_shared": [{"who": "child", "told_on": held_on, "how": "Visit after the meeting"},
                             {"who": "parents", "told_on": held_on, "how": "At the meeting"}],
    }


def load_demo(db: Database, process_id: str = "permanence_pathway") -> bool:
    """Add the demo staff and children once; False if the database already has children."""
    with db.transaction() as session:
        if session.scalar(select(func.count()).select_from(Child)):
            return False
        password = generate_password_hash(DEMO_PASSWORD)
        for username, name, user_roles, team in STAFF:
            if session.scalar(select(User.id).where(User.username == username)) is None:
                add_user(session, username, name, user_roles,
                         ensure_team(session, team) if team else None, password)
        ensure_team(session, NORTH)
        ensure_team(session, SOUTH)
    for username, frequency in REMINDERS.items():
        set_reminder_settings(db, None, username, frequency=frequency,
                              email=f"{username}@demo.council.example")
    today = clock.today()
    for reference, name, age, days, status, worker, plan in CHILDREN:
        _add_child(db, process_id, today, reference, name, age, days, status, worker, plan)
    for reference, kind, days_ago, user, data in CASE_EVENTS:
        _add_case_event(db, today, reference, kind, days_ago, user, data)
    if process_id == "permanence_pathway":
        for reference, days_in, outcome in FGCS:
            _hold_fgc(db, today, reference, days_in, outcome)
        for reference, days_in in EARLY_FIRST_REVIEWS:
            _hold_first_review(db, today, reference, days_in)
    _correct_a_record(db, "DEMO-004", "tom.tm")
    if process_id == "permanence_pathway":
        _import_children(db, today)
        _panel_for_daisy(db, today)
        from . import demo_routes   # the mended routes (issue 13)
        demo_routes.load(db, today)
        from . import demo_adoption   # early permanence and a relinquished baby (issue 13)
        demo_adoption.load(db, today)
        from . import demo_kinship   # family and friends, reunification (issue 13: E3, E5, E8)
        demo_kinship.load(db, today)
        from . import demo_before_care   # a child on the edge of care, an unborn baby (A10, E18)
        demo_before_care.load(db, today)
        from . import demo_legal_and_leaving   # an LGM by referral, leaving care (A10, A11, E33, L3)
        demo_legal_and_leaving.load(db, today)
    from . import demo_casework   # siblings, family time, identity and needs (issue 12)
    demo_casework.load(db, today)
    sweep(db)  # let the overdue ones escalate, as the worker would
    _half_done(db, process_id)
    return True


def _correct_a_record(db, reference, manager):
    """Daisy's team manager corrects her PPM record, so the demo shows a record's history."""
    from engine.corrections import correct_record
    with db.transaction() as session:
        record = session.scalar(select(TaskRecord).join(Child, Child.id == TaskRecord.child_id)
                                .where(Child.reference == reference, TaskRecord.kind == "ppm")
                                .order_by(TaskRecord.id).limit(1))
        if record is None:
            return
        record_id, answers = record.id, dict(record.answers)
    answers["contingency_plan"] = "Special guardianship with her grandmother, assessed as a connected person"
    correct_record(db, record_id, answers, "The grandmother came forward after the meeting", manager)
def _panel_for_daisy(db, today):
    """Daisy went to last week's panel (or the one before, after her PPM): the chair's
    considerations and recommendation, and three actions owned by named staff: a referral to
    the LGM (which opens it for Legal), support the Service Manager owns, and a life-story
    action her social worker has missed, so she is back on the next panel for her cohort and
    the Service Managers have its escalation (H6, C6), and an additional CLA review the IRO
    convenes (D18); the panel escalated the delay in her match to the Head of Service (G8)."""
    from workflows import local_settings
    child_id = find_child(db, "DEMO-004")
    settings = local_settings.panel()
    ppm_on = today - timedelta(days=33)
    days = [d for d in settings.panel_dates(ppm_on + timedelta(days=1), 10) if d <= today - timedelta(days=8)]
    if not days:
        return
    panel_on = days[-1]
    with clock.frozen_at(_morning(panel_on)):
        [outcome] = [t for t in open_tasks(db, child_id=child_id) if t["name"] == "Record the first Permanence Panel outcome"]
        complete_task(db, outcome["task_id"], {
            "panel_held_on": panel_on.isoformat(),
            # C2, C4, G11: the core members, the people around Daisy and her service's manager.
            "attendance": ["chair", "iro_service_manager", "administrator", "social_worker", "team_manager",
                           "sm_fostering"],
            # D17: long-term care agreed only with the panel satisfied that home is not an option.
            "long_term_route": "long_term_fostering", "return_home_not_appropriate": True,
            "return_home_reasons": "Mother's parenting assessment was negative and she has not engaged since.",
            "learning": "Propose matches before the second review: Daisy waited four months for hers.",
            "considerations": [{"consideration": k, "finding": f} for k, f in (
                ("parallel_options", "Fostering for adoption ruled out; the plan is long-term fostering."),
                ("legal_advice", "Ask the LGM whether the care order should stay."),
                ("matching_drift", "The match with the Dunns is not yet proposed: risk of drift."))],
            "recommendation": "Progress the long-term match with the Dunns and refer to the LGM on the order.",
            "legal_advice_needed": True, "fgc_used": "held", "review_weeks": 10,
            "delay_factors": "The match with the Dunns has waited 8 weeks for a fostering panel date.",
            "delay_escalated_to": "hana.hos"}, "pat.chair")
    with clock.frozen_at(_morning(panel_on + timedelta(days=1))):
        [actions] = [t for t in open_tasks(db, child_id=child_id) if t["name"] == "Record the panel actions"]
        complete_task(db, actions["task_id"], {"actions": [
            {"type": "refer_lgm", "action": "Refer to the LGM on whether the care order should stay",
             "owner": "tom.tm", "due_on": (panel_on + timedelta(days=14)).isoformat()},
            {"type": "support", "action": "Agree support for the Dunns before the match",
             "owner": "sam.sm", "due_on": (panel_on + timedelta(days=28)).isoformat()},
            {"type": "other", "action": "Start Daisy's life-story work",
             "owner": "ben.sw", "due_on": (panel_on + timedelta(days=5)).isoformat()},
            {"type": "convene_cla_review", "action": "An additional CLA review of the plan before the match",
             "owner": "iris.iro", "due_on": (panel_on + timedelta(days=21)).isoformat()}]}, "paul.paneladmin")
    with clock.frozen_at(_morning(panel_on + timedelta(days=4))):   # B20: interim progress
        from engine.action_progress import record_progress
        [lgm] = [t for t in open_tasks(db, child_id=child_id)
                 if t["name"] == "Complete the panel action" and t["due_on"] == panel_on + timedelta(days=14)]
        record_progress(db, lgm["task_id"], "Referral drafted; legal have the chronology.", "tom.tm")


def _half_done(db, process_id):
    """Asha started Bella's initial meeting record and saved it to finish later: the draft
    is restored when she opens the task ("Save and come back later")."""
    from engine.drafts import save_draft
    meeting, _ = INITIAL_MEETING[process_id]
    bella = next(t for t in open_tasks(db) if t["child_reference"] == "DEMO-002" and t["name"] == meeting)
    save_draft(db, bella["task_id"], {"background": "Bella came into care after her mother's "
                                                    "hospital admission. (Draft: to finish after the meeting.)"},
               "asha.sw")


def _add_child(db, process_id, today, reference, name, age, days, status, worker, plan):
    """Register the child on the day after they became looked after and record the initial
    PPM a week in, each as at that day, so the history and the deadlines are realistic."""
    looked_after = today - timedelta(days=days)
    team = NORTH if worker in ("asha.sw", "ben.sw") else SOUTH
    with clock.frozen_at(_morning(min(looked_after + timedelta(days=1), today))):
        child = register_child(db, {
            "reference": reference, "name": name, "legal_status": status,
            "date_of_birth": (today - timedelta(days=365 * age + 40)).isoformat(),
            "looked_after_on": looked_after.isoformat(), "team": team, "social_worker": worker,
            **_edge_of_care_fgc(process_id, reference, looked_after),
        }, worker, process_id)
    if not plan:
        return
    held_on = min(looked_after + timedelta(days=7), today)
    meeting, answers = INITIAL_MEETING[process_id]
    with clock.frozen_at(_morning(held_on)):
        task = next(t for t in open_tasks(db, child_id=child.child_id) if t["name"] == meeting)
        complete_task(db, task["task_id"], answers(plan, held_on.isoformat()), worker)


#: A9, P11: a Family Group Conference held at the edge of care, given when the child was
#: registered, so the pathway never asks for it: (days before becoming looked after, outcome).
#: Charlie (DEMO-003) and Ethan (DEMO-005) had none: the sweep tells Tom, their team manager (H12).
EDGE_OF_CARE_FGCS = {"DEMO-002": (3, "family_plan_agreed")}


def _edge_of_care_fgc(process_id, reference, looked_after) -> dict:
    if process_id != "permanence_pathway" or reference not in EDGE_OF_CARE_FGCS:
        return {}
    days_before, outcome = EDGE_OF_CARE_FGCS[reference]
    return {"fgc_before_care_on": (looked_after - timedelta(days=days_before)).isoformat(),
            "fgc_before_care_outcome": outcome}


#: Family Group Conferences (R6), so the performance page shows FGC use and the R6 figures:
#: (reference, days after becoming looked after, outcome).
FGCS = [("DEMO-004", 6, "family_plan_agreed"), ("DEMO-006", 8, "no_plan"),
        ("DEMO-007", 3, "declined"), ("DEMO-008", 20, "family_plan_agreed")]


def _hold_fgc(db, today, reference, days_in, outcome):
    child_id = find_child(db, reference)
    days = next(c[3] for c in CHILDREN if c[0] == reference)
    held_on = min(today - timedelta(days=days - days_in), today)
    worker = next(c[5] for c in CHILDREN if c[0] == reference)
    with clock.frozen_at(_morning(held_on)):
        task = next(t for t in open_tasks(db, child_id=child_id)
                    if t["name"] == "Hold a Family Group Conference")
        complete_task(db, task["task_id"], {"fgc_held_on": held_on.isoformat(), "fgc_outcome": outcome,
                                            **FGC_PROPOSED_CARERS.get(reference, {})}, worker)


#: A9, E6: the family plan's proposed carers join the child's family network.
FGC_PROPOSED_CARERS = {"DEMO-008": {
    "family_plan": "Hollie's grandparents offer her a home; her aunt Rose has her at weekends.",
    "proposed_carers": "Glen and Ann King (maternal grandparents)\nRose King, maternal aunt"}}


#: First CLA reviews held early, so R4 and R9 show running from the review held (B3, B9,
#: P10): (reference, days after becoming looked after).
EARLY_FIRST_REVIEWS = [("DEMO-004", 10)]


def _hold_first_review(db, today, reference, days_in):
    child_id = find_child(db, reference)
    held_on = min(today - timedelta(days=next(c[3] for c in CHILDREN if c[0] == reference) - days_in), today)
    with clock.frozen_at(_morning(held_on)):
        task = next(t for t in open_tasks(db, child_id=child_id) if t["name"] == "Hold the first CLA review")
        complete_task(db, task["task_id"], {"review_held_on": held_on.isoformat(), "plan_identified": True,
                                            "plan_endorsed": True}, "iris.iro")


#: Case events (engine.case_events), each as at its day: every child's placement from the day
#: they became looked after (D23), and a few changes since. (reference, kind, days ago or
#: None for the day they became looked after, who records it, details without the date.)
CASE_EVENTS = [
    ("DEMO-001", "placement_changed", None, "asha.sw",
     {"placement_type": "in_house_foster", "carers": "Jo and Sam Carter", "area": "local"}),
    ("DEMO-002", "placement_changed", None, "asha.sw",
     {"placement_type": "kinship", "carers": "Rosa Green (aunt)", "area": "local"}),
    ("DEMO-003", "placement_changed", None, "ben.sw",
     {"placement_type": "ifa", "carers": "Mel Lewis (Bright Futures Fostering)", "area": "out_of_area"}),
    ("DEMO-004", "placement_changed", None, "ben.sw",
     {"placement_type": "in_house_foster", "carers": "Kim and Lee Dunn", "area": "local"}),
    ("DEMO-005", "placement_changed", None, "asha.sw",
     {"placement_type": "in_house_foster", "carers": "Pam Ellis", "area": "local"}),
    ("DEMO-005", "proceedings_issued", 24, "lee.legal", {"court": "ZW26C00042"}),
    ("DEMO-006", "returned_home", None, "cara.sw", {"carers": "Sarah Scott (mother)", "area": "local"}),
    ("DEMO-007", "placement_changed", None, "cara.sw",
     {"placement_type": "residential", "carers": "Oakfield House", "area": "out_of_area"}),
    ("DEMO-007", "missing", 2, "cara.sw", {"details": "Did not return to Oakfield House; reported to police."}),
    ("DEMO-007", "found", 1, "cara.sw", {"details": "Found at a friend's house; return home interview booked."}),
    ("DEMO-008", "placement_changed", None, "cara.sw",
     {"placement_type": "in_house_foster", "carers": "Nia Hughes", "area": "local"}),
    ("DEMO-008", "disruption", 10, "tia.tm", {"reason": "The carer's illness: an emergency move."}),
    ("DEMO-008", "placement_changed", 10, "cara.sw",
     {"placement_type": "kinship", "carers": "Glen and Ann King (grandparents)", "area": "local"}),
]


def _add_case_event(db, today, reference, kind, days_ago, user, data):
    from engine.case_event_kinds import KINDS
    looked_after = today - timedelta(days=next(c[3] for c in CHILDREN if c[0] == reference))
    day = looked_after if days_ago is None else today - timedelta(days=days_ago)
    with clock.frozen_at(_morning(day)):
        deliver_event(db, find_child(db, reference), kind,
                      {**data, KINDS[kind].date_field: day.isoformat()}, user)
def _import_children(db, today):
    """Two children brought on from the council's tracker (as `/admin/import` does), well
    into their pathway: an adoption past the placement order, a long-term fostering plan for a
    17-year-old approaching adulthood. (Ethan, DEMO-005, shows a PPM called by an event: his
    care proceedings issued call one to twin-track the plan, A6.)"""
    from engine.importing import import_tracker
    from engine.importing.template import NAMES

    def ago(days):
        return (today - timedelta(days=days)).isoformat()
    rows = [
        dict(reference="DEMO-101", name="Imogen Ward", date_of_birth=ago(500), legal_status="ico",
             team=NORTH, social_worker="asha.sw", looked_after_on=ago(330),
             proceedings_issued_on=ago(334), fgc_on=ago(320), fgc_outcome="no_plan",
             initial_ppm_on=ago(322), plan_on=ago(280), routes="adoption", last_ppm_on=ago(30),
             first_cla_review_on=ago(305), last_cla_review_on=ago(90), first_panel_on=ago(290),
             cpr_sent_on=ago(200), adm_decided_on=ago(195), final_order="po",
             order_made_on=ago(150), placement_authority_on=ago(150)),
        # Jacob is 17 (B23, L1-L5): his care-leaving PPM is open, due at 17 years 6 months.
        dict(reference="DEMO-102", name="Jacob Lee", date_of_birth=ago(365 * 17 + 100), legal_status="co",
             team=SOUTH, social_worker="cara.sw", looked_after_on=ago(240),
             initial_ppm_on=ago(230), plan_on=ago(230), routes="long_term_fostering",
             contingency_plan="Special guardianship with his aunt", last_ppm_on=ago(60),
             first_cla_review_on=ago(215), last_cla_review_on=ago(130), first_panel_on=ago(200),
             matched_on=ago(40), matched_with="Mr and Mrs Shah"),
    ]
    rows = [{**{n: "" for n in NAMES}, **r, "row": i + 2} for i, r in enumerate(rows)]
    report = import_tracker(db, rows, "root.admin")
    failed = {r.reference: r.errors for r in report.results if r.errors}
    if failed:
        raise RuntimeError(f"the demo tracker did not import: {failed}")


def _morning(day):
    return datetime.combine(day, time(16, 0), tzinfo=clock.LONDON)


def issue_demo_token(db: Database) -> str:
    """A read-only API token for trying the API (/api/v1/docs): an IRO's sight of every team,
    no writes. Printed once by `init --demo`; revoke it at /admin/tokens."""
    from engine import tokens
    token, _info = tokens.issue(db, None, name="demo-cms", roles=[roles.IRO], teams=None,
                                scopes=["children:read", "tasks:read", "events:read", "records:read"])
    return token
