"""The Permanence Panel's agenda for one date, worked out from the pathways' facts as they
stand on that date. The council's settings (`workflows.panel_settings`) say which cohorts or
themes the panel discusses that day: BCP's five-week rotation (one cohort a week, B19, P8) or
the themes Halton's chair chose for the date (C10, G3). Each child goes in the first of the
day's cohorts that fits (`cohort_rules`).

Not on the panel, and listed with the reason (BCP §5, G2): children in care proceedings (the
Legal Gateway Meeting reviews them) unless they have no plan; s20 endorsed by an LGM; aged
17 or over on the panel date (the Placement and Resource Panel, R24). A child with no plan
reviewed at a panel within the rotation's weeks is not brought back yet.

Children with a panel action missed by the panel date come back to the next panel for their
cohort (R12, H6), or to the next panel at all when they fit no cohort any more.

The papers check (B15, D14, N3, N7): by the papers deadline, a week before the panel, each
child listed needs an up-to-date plan and the minutes of their latest PPM on record.

The panel's outcome is recorded through the pathway (the panel tasks), never here; the
agenda shows each child's open panel tasks and, after the panel, whether its actions are in.
"""
import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from sqlalchemy import Text, cast, or_, select
from sqlalchemy.orm import Session

from models import Child, HumanTask, PathwayInstance, TaskRecord, Team, User
from workflows import local_settings
from workflows.panel_settings import COHORTS as COHORT_TITLES, PanelSettings
from workflows.roles import PANEL_ADMINISTRATOR, PANEL_CHAIR

from ..action_progress import progress_for
from . import cohort_rules, panel_reviews
from .drift import PANEL_ACTION
from .overview import route_ids
from .scope import Scope, looked_after, running

#: BCP's five cohorts, in the order of its rotation (the numbers the page shows).
COHORTS = {i + 1: COHORT_TITLES[k] for i, k in enumerate(
    ("s20_drift", "pwp", "reunification", "ltf_unmatched", "no_plan"))}
#: Open tasks that mean care proceedings have been issued and no final order made yet.
PROCEEDINGS_TASKS = ("final_hearing", "final_hearing_escalation")
RECORD_ACTIONS = "record_panel_actions"
PANEL_LANES = (PANEL_CHAIR, PANEL_ADMINISTRATOR)
#: The records that are a child's panel papers (the plan's and the PPM minutes).
PPM_STEPS = ("initial_ppm", "review_ppm", "review_ppm_reunification", "route_review_ppm",
             "called_ppm", "route_called_ppm")   # the last two: PPMs an event called (A6)


@dataclass
class Cohort:
    number: int
    title: str
    key: str = ""
    children: list[dict] = field(default_factory=list)


@dataclass(frozen=True)
class PanelAgenda:
    panel_date: date
    agenda_sent_on: date          # BCP: the Monday afternoon before
    cohorts: list[Cohort]
    excluded: list[dict]          # children who fit a cohort but go elsewhere, with why
    reviewed: list[dict]          # children whose outcome for this panel date is recorded
    papers_due_on: date = None
    invitations_on: date = None
    is_panel_day: bool = True


def agenda_monday(panel_date: date) -> date:
    return local_settings.panel().agenda_out_on(panel_date)


def _numbered(settings: PanelSettings, keys: list[str]) -> list[Cohort]:
    order = list(settings.rotation) or list(COHORTS_ORDER)
    return [Cohort(order.index(k) + 1 if k in order else i + 1, COHORT_TITLES[k], k)
            for i, k in enumerate(keys)]


COHORTS_ORDER = ("s20_drift", "pwp", "reunification", "ltf_unmatched", "no_plan")


def panel_agenda(session: Session, scope: Scope, panel_date: date) -> PanelAgenda:
    return panel_agendas(session, scope, [panel_date])[0]


def panel_agendas(session: Session, scope: Scope, days: list[date], details: bool = True,
                  inputs: "AgendaInputs | None" = None) -> list[PanelAgenda]:
    """The agendas of several panel dates, from one reading of the children, their actions
    and their papers (the inbox and the panel notices look at every coming panel at once).
    `details=False` leaves out each child's open panel tasks, which only the pages show;
    `inputs`: what `read_inputs` read for this scope, when the caller has it."""
    if not days:
        return []
    settings = local_settings.panel()
    inputs = inputs or read_inputs(session, scope)
    children = _running_children(inputs.children)
    tasks = _open_tasks(inputs.tasks, max(days))
    reviews = tasks.reviews if settings.review_until_placed else {}
    agendas = [_assemble(settings, [dict(c) for c in children], tasks.in_proceedings, tasks.missed_actions,
                         reviews, day)
               for day in days]
    listed = {c["child_id"] for agenda in agendas for cohort in agenda.cohorts for c in cohort.children}
    with_minutes = inputs.minutes & listed
    first_ppm_due = {cid: due for cid, due in tasks.first_ppm_due.items() if cid in listed}
    for agenda in agendas:
        for cohort in agenda.cohorts:
            _check_papers(cohort.children, with_minutes, first_ppm_due, agenda.papers_due_on)
        if details:
            on_it = [c for cohort in agenda.cohorts for c in cohort.children]
            _add_panel_tasks(session, on_it + agenda.reviewed, agenda.panel_date)
            panel_reviews.multi_agency_flags(session, on_it, agenda.panel_date, settings)
    return agendas


def _assemble(settings: PanelSettings, children: list[dict], in_proceedings: set[int],
              actions: dict[int, list[dict]], reviews: dict[int, list[date]], panel_date: date) -> PanelAgenda:
    missed = {cid: found for cid, acts in actions.items()
              if (found := [a for a in acts if a["due_on"] < panel_date])}
    cohorts = _numbered(settings, settings.cohorts_on(panel_date))
    every = _numbered(settings, list(settings.rotation) or list(COHORTS_ORDER))
    rotation_weeks = max(len(settings.rotation), 1) if settings.rotation else len(COHORTS_ORDER)
    excluded, reviewed, unplaced = [], [], []
    held_today = panel_date.isoformat()
    for child in children:
        if child["facts"].get("panel_held_on") == held_today:
            reviewed.append(child)
        cohort, why = _first_fit(cohorts, child, panel_date, rotation_weeks)
        child["missed_actions"] = missed.get(child["child_id"], [])
        if cohort is None and child["missed_actions"] and cohorts:
            own, _ = _first_fit(every, child, panel_date, 0)     # only asked when it matters
            today_keys = {c.key: c for c in cohorts}
            cohort = cohorts[0] if own is None else today_keys.get(own.key)
            why = "A panel action was missed: back to the next panel for the cohort (R12)"
        if cohort is None:
            unplaced.append(child)
            continue
        child["cohort"], child["why"] = cohort.number, why
        reason = _exclusion(child, panel_date, child["child_id"] in in_proceedings)
        if reason:
            excluded.append({**child, "reason": reason})
        else:
            cohort.children.append(child)
    if settings.review_until_placed:
        _add_reviews_due(settings, cohorts, unplaced, excluded, panel_date, in_proceedings, reviews)
    for cohort in cohorts:
        cohort.children.sort(key=lambda c: (c["name"], c["reference"]))
    return PanelAgenda(panel_date, settings.agenda_out_on(panel_date), cohorts,
                       sorted(excluded, key=lambda c: (c["cohort"], c["name"])),
                       sorted(reviewed, key=lambda c: (c["name"], c["reference"])),
                       settings.papers_due_on(panel_date), settings.invitations_on(panel_date),
                       settings.is_panel_day(panel_date))


def _add_reviews_due(settings, cohorts, unplaced, excluded, panel_date, in_proceedings, reviews) -> None:
    """G4: children outside the day's cohorts whose review the panel set is due, listed
    after them (and left out with the reason, as any child, when they go elsewhere)."""
    due = panel_reviews.reviews_due(unplaced, panel_date, reviews)
    if not due:
        return
    order = list(settings.rotation) or list(COHORTS_ORDER)
    number = max([len(order)] + [c.number for c in cohorts]) + 1   # after every numbered cohort
    extra = Cohort(number, panel_reviews.REVIEW_DUE_TITLE, panel_reviews.REVIEW_DUE)
    for child in unplaced:
        if child["child_id"] not in due:
            continue
        child["cohort"], child["why"] = extra.number, due[child["child_id"]]
        reason = _exclusion(child, panel_date, child["child_id"] in in_proceedings)
        if reason:
            excluded.append({**child, "reason": reason})
        else:
            extra.children.append(child)
    cohorts.append(extra)


def _first_fit(cohorts: list[Cohort], child: dict, on: date, recent_weeks: int):
    for cohort in cohorts:
        why = cohort_rules.fits(cohort.key, child, on)
        if why is None:
            continue
        if cohort.key == "no_plan" and recent_weeks:
            last = cohort_rules.date_or_none(child["facts"].get("panel_held_on"))
            if last and on - timedelta(weeks=recent_weeks) < last < on:
                return None, f"Reviewed at the panel on {cohort_rules.long(last)}"
        return cohort, why
    return None, ""


@dataclass(frozen=True)
class _OpenTasks:
    in_proceedings: set[int]                  # children with proceedings issued, no final order
    missed_actions: dict[int, list[dict]]     # open panel actions due before the last date
    reviews: dict[int, list[date]]            # open panel reviews due by the last date (G4)
    first_ppm_due: dict[int, date]            # each child's earliest open PPM


@dataclass(frozen=True)
class AgendaInputs:
    """Everything the agendas of a scope are worked out from, as read: the running children
    (their pathway facts as the stored text), their open tasks the agendas ask about, and
    which have PPM minutes on record. Equal inputs give equal agendas for the same dates and
    settings, so the inbox may keep what it worked out from them (`engine.panel_business`)."""
    children: tuple
    tasks: tuple
    minutes: frozenset


def read_inputs(session: Session, scope: Scope) -> AgendaInputs:
    """Three statements over the scope (not lists of ids, which cost more to send than to
    answer); the columns used, as plain tuples."""
    try:
        hash(scope)
    except TypeError:     # a scope that is not a value: its statements built for this reading
        children, tasks, minutes = _input_statements.__wrapped__(scope)
    else:
        children, tasks, minutes = _input_statements(scope)
    # Core rows, not the ORM's: the same values, without its per-row loading (the inbox
    # reads a team's hundreds of children this way on every page).
    connection = session.connection()
    return AgendaInputs(tuple(map(tuple, connection.execute(children).all())),
                        tuple(map(tuple, connection.execute(tasks).all())),
                        frozenset(connection.scalars(minutes).all()))


@lru_cache(maxsize=256)
def _input_statements(scope: Scope) -> tuple:
    """The statements of `read_inputs` for a scope (a value): built once, read each time."""
    children = (select(Child.id, Child.reference, Child.name, Child.date_of_birth, Child.legal_status,
                       Child.looked_after_on, Team.name, User.display_name, PathwayInstance.route,
                       cast(PathwayInstance.facts, Text), Child.social_worker_id)
                .join(PathwayInstance, PathwayInstance.child_id == Child.id)
                .join(Team, Team.id == Child.team_id).outerjoin(User, User.id == Child.social_worker_id)
                .where(running(), looked_after()).order_by(Child.id, PathwayInstance.id))
    tasks = (select(HumanTask.child_id, HumanTask.bpmn_id, HumanTask.task_id, HumanTask.instructions,
                    HumanTask.due_on)
             .join(Child, Child.id == HumanTask.child_id)
             .where(HumanTask.status == "open",
                    HumanTask.bpmn_id.in_((*PROCEEDINGS_TASKS, PANEL_ACTION, *panel_reviews.REVIEW_TASKS,
                                           *PPM_STEPS)))
             .order_by(HumanTask.id))
    minutes = (select(TaskRecord.child_id).distinct().join(Child, Child.id == TaskRecord.child_id)
               .where(TaskRecord.bpmn_id.in_(PPM_STEPS)))
    return scope.children(children), scope.tasks(scope.children(tasks)), scope.children(minutes)


def _open_tasks(rows: tuple, last_day: date) -> _OpenTasks:
    """The open tasks the agendas ask about, for every panel date up to `last_day`."""
    found = _OpenTasks(set(), {}, {}, {})
    for child_id, bpmn_id, task_id, instructions, due_on in rows:
        if bpmn_id in PROCEEDINGS_TASKS:
            found.in_proceedings.add(child_id)
        if due_on is None:
            continue
        if bpmn_id == PANEL_ACTION and due_on < last_day:
            found.missed_actions.setdefault(child_id, []).append(
                {"task_id": task_id, "instructions": instructions, "due_on": due_on})
        if bpmn_id in panel_reviews.REVIEW_TASKS and due_on <= last_day:
            found.reviews.setdefault(child_id, []).append(due_on)
        if bpmn_id in PPM_STEPS:
            found.first_ppm_due[child_id] = min(due_on, found.first_ppm_due.get(child_id, due_on))
    return found


def _check_papers(children: list[dict], with_minutes: set[int], first_ppm_due: dict[int, date],
                  papers_due_on: date) -> None:
    """Each child's missing papers as at the papers deadline: an up-to-date plan (a plan
    recorded at a PPM) and the latest PPM's minutes (none on record, or a PPM due by the
    deadline whose minutes are not)."""
    for child in children:
        missing, due = [], first_ppm_due.get(child["child_id"])
        if cohort_rules.no_plan(child):
            missing.append("No up-to-date permanence plan on record")
        if due is not None and due <= papers_due_on:
            missing.append(f"Minutes of the PPM due {cohort_rules.long(due)} not on record")
        elif child["child_id"] not in with_minutes:
            missing.append("No PPM minutes on record")
        child["missing_papers"] = missing


def _running_children(rows: tuple) -> list[dict]:
    found, parsed = [], {}      # a team has a handful of distinct routes: each split once
    for cid, ref, name, born, legal, since, team, worker, route, facts, worker_id in rows:
        facts = (json.loads(facts) if facts else None) or {}
        if route not in parsed:
            parsed[route] = route_ids(route)
        routes = list(parsed[route]) or [r for r in facts.get("routes") or [] if isinstance(r, str)]
        found.append({"child_id": cid, "reference": ref, "name": name, "date_of_birth": born,
                      "legal_status": facts.get("legal_status") or legal, "looked_after_on": since,
                      "team": team, "social_worker": worker or "", "social_worker_id": worker_id,
                      "routes": routes, "facts": facts})
    return found


#: F2: why the Legal Gateway Meeting endorsed s20 (lgm-decision.json `s20_reason`).
S20_REASONS = {"additional_needs": "significant additional needs", "uasc": "unaccompanied asylum-seeking child",
               "other": "another reason"}


def _exclusion(child: dict, on: date, proceedings_open: bool) -> str:
    if cohort_rules.age(child, on) >= 17:
        return "Aged 17 or over on the panel date: the Placement and Resource Panel (R24)"
    if child["facts"].get("s20_endorsed") is True:
        # F2 (BCP §1): still planned for and reviewed (CLA reviews, PPMs), not at this panel.
        why = S20_REASONS.get(child["facts"].get("s20_reason"))
        return "Section 20 endorsed by the Legal Gateway Meeting" + (f" ({why})" if why else "")
    in_proceedings = child["legal_status"] in ("ico", "epo") or (
        bool(child["facts"].get("issued_on")) and (proceedings_open or _no_order_since(child["facts"])))
    if in_proceedings and not cohort_rules.no_plan(child):
        return "In care proceedings: reviewed at the Legal Gateway Meeting"
    return ""


def _no_order_since(facts: dict) -> bool:
    """Proceedings issued (recorded as a case event) and no order made since."""
    issued, order = cohort_rules.date_or_none(facts.get("issued_on")), cohort_rules.date_or_none(facts.get("order_made_on"))
    return bool(issued) and (order is None or order < issued)


def _add_panel_tasks(session: Session, children: list[dict], panel_date: date) -> None:
    """Each child's open panel tasks (the chair's and administrator's, and the actions), and
    where this panel's outcome stands."""
    ids = {c["child_id"] for c in children}
    tasks: dict[int, list[dict]] = {}
    for start in range(0, len(ids), 500):
        chunk = sorted(ids)[start:start + 500]
        for task in session.scalars(
                select(HumanTask).where(HumanTask.status == "open", HumanTask.child_id.in_(chunk),
                                        or_(HumanTask.lane.in_(PANEL_LANES),
                                            HumanTask.bpmn_id == PANEL_ACTION))
                .order_by(HumanTask.due_on, HumanTask.id)):
            tasks.setdefault(task.child_id, []).append({
                "task_id": task.task_id, "name": task.name, "lane": task.lane,
                "bpmn_id": task.bpmn_id, "due_on": task.due_on, "rule": task.rule,
                "instructions": task.instructions, "due_reason": task.due_reason,
                "due_error": task.due_error})
    progress = progress_for(session, [t["task_id"] for found in tasks.values() for t in found
                                      if t["bpmn_id"] == PANEL_ACTION])
    for found in tasks.values():
        for task in found:
            task["progress"] = progress.get(task["task_id"], [])
    for child in children:
        open_tasks = tasks.get(child["child_id"], [])
        child["panel_tasks"] = [t for t in open_tasks if t["bpmn_id"] != PANEL_ACTION]
        child["actions"] = [t for t in open_tasks if t["bpmn_id"] == PANEL_ACTION]
        child["outcome_recorded"] = child["facts"].get("panel_held_on") == panel_date.isoformat()
        child["actions_recorded"] = child["outcome_recorded"] and not any(
            t["bpmn_id"] == RECORD_ACTIONS for t in open_tasks)
