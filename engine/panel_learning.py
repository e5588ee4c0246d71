"""What the Permanence Panel looks back on over a period (G5, G6, G7), from the outcomes it
recorded and the case events:

- G5 (HAL §4: "The Panel will review any disruptions of permanence placements to learn from
  what has happened and incorporate this into any future placement matching"): each
  placement disruption recorded in the period, and whether a panel has reviewed it since;
  and each outcome that records a disruption reviewed, with its learning.
- G6 (HAL ToR: "a review of previous actions and themes to ensure learning and practice
  improvement"): the learning the panel recorded, and where the actions it set stand now.
- G7 (MGN, Panel: the panel "will monitor ... the use of Family Group Conferences"): the
  children considered in the period with and without an FGC held, and the share.

Panel roles only, and only the children the user may see (`engine.access`).
"""
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from models import CaseEvent, Child, Database, TaskRecord

from .access import may_see_child
from .plan import plans
from .records import current_records
from .reporting import PANEL_ROLES, scope_for
from .reporting.cohort_rules import date_or_none
from .reporting.tracker_details import FGC_HELD, FGC_STEP, OUTCOME_STEPS
from .users import user_by_name

FGC_KINDS = {"held": "FGC held", "declined": "Offered, declined by the family",
             "not_yet": "Not yet: the panel asked for one", "not_appropriate": "Not appropriate",
             "": "Not recorded"}


@dataclass
class Learning:
    start: date
    end: date
    disruptions: list[dict] = field(default_factory=list)      # case events in the period
    reviewed_disruptions: list[dict] = field(default_factory=list)   # outcomes recording one
    themes: list[dict] = field(default_factory=list)
    actions: list[dict] = field(default_factory=list)           # set at panels in the period
    action_counts: dict[str, int] = field(default_factory=dict)
    fgc: list[dict] = field(default_factory=list)               # one per child considered
    fgc_counts: dict[str, int] = field(default_factory=dict)

    @property
    def considered(self) -> int:
        return len(self.fgc)

    @property
    def fgc_held_share(self) -> int | None:
        """Whole per cent of the children considered whose FGC was held."""
        if not self.fgc:
            return None
        return round(100 * self.fgc_counts.get(FGC_KINDS["held"], 0) / len(self.fgc))


def panel_learning(db: Database, username: str, start: date, end: date) -> Learning:
    with db.reading() as session:
        scope = scope_for(session, username, PANEL_ROLES)      # NotAllowed for other roles
        user = user_by_name(session, username)
        seen = {}
        concerned = select(TaskRecord.child_id).where(TaskRecord.bpmn_id.in_(OUTCOME_STEPS)).union(
            select(CaseEvent.child_id).where(CaseEvent.kind == "disruption"))
        for child in session.scalars(scope.children(select(Child).where(Child.id.in_(concerned)))):
            if may_see_child(user, child):
                seen[child.id] = child
        found = Learning(start, end)
        outcomes = _outcomes(session, seen, end)
        in_period = [o for o in outcomes if start <= o["on"] <= end]
        _disruptions(session, found, seen, outcomes, in_period)
        found.themes = [o for o in in_period if (o["answers"].get("learning") or "").strip()]
        _actions(session, found, in_period)
        _fgc(session, found, in_period, end)
        return found


def _child(child: Child) -> dict:
    return {"child_id": child.id, "reference": child.reference, "name": child.name,
            "team": child.team.name if child.team else ""}


def _outcomes(session, seen: dict, end: date) -> list[dict]:
    rows = []
    ids = sorted(seen)
    for start in range(0, len(ids), 500):
        for child_id, answers in session.execute(current_records(
                select(TaskRecord.child_id, TaskRecord.answers).where(
                    TaskRecord.child_id.in_(ids[start:start + 500]), TaskRecord.bpmn_id.in_(OUTCOME_STEPS)))):
            held = date_or_none((answers or {}).get("panel_held_on"))
            if held and held <= end:
                rows.append({**_child(seen[child_id]), "on": held, "answers": answers or {}})
    return sorted(rows, key=lambda o: (o["on"], o["name"], o["reference"]))


def _disruptions(session, found: Learning, seen: dict, outcomes: list[dict], in_period: list[dict]) -> None:
    found.reviewed_disruptions = [o for o in in_period if o["answers"].get("disruption_reviewed") is True]
    ids = sorted(seen)
    for start in range(0, len(ids), 500):
        for event in session.scalars(select(CaseEvent).where(
                CaseEvent.child_id.in_(ids[start:start + 500]), CaseEvent.kind == "disruption",
                CaseEvent.occurred_on >= found.start, CaseEvent.occurred_on <= found.end)):
            review = next((o for o in outcomes if o["child_id"] == event.child_id
                           and o["on"] >= event.occurred_on and o["answers"].get("disruption_reviewed") is True), None)
            found.disruptions.append({**_child(seen[event.child_id]), "on": event.occurred_on,
                                      "reason": (event.data or {}).get("reason", ""),
                                      "reviewed_on": review["on"] if review else None,
                                      "learning": (review["answers"].get("learning") or "") if review else ""})
    found.disruptions.sort(key=lambda d: (d["on"], d["name"]))


def _actions(session, found: Learning, in_period: list[dict]) -> None:
    """The actions the panel set at the period's panels, each with its status now."""
    ids = sorted({o["child_id"] for o in in_period})
    names = {o["child_id"]: o for o in in_period}
    days = {(o["child_id"], o["on"]) for o in in_period}
    counts = {"Done": 0, "Open": 0, "Overdue": 0, "Not tracked": 0}
    for child_id, plan in plans(session, ids).items():
        for action in plan.actions:
            if action["from"] != "Permanence Panel" or (child_id, action["set_on"]) not in days:
                continue
            key = "Done" if action["done"] else action["status"]
            counts[key] = counts.get(key, 0) + 1
            found.actions.append({**{k: names[child_id][k] for k in ("child_id", "reference", "name", "team")},
                                  **action})
    found.actions.sort(key=lambda a: (a["set_on"], a["name"], a["due_on"] or date.max))
    found.action_counts = counts


def _fgc(session, found: Learning, in_period: list[dict], end: date) -> None:
    """Each child considered in the period once: an FGC held by the period's end (its record),
    else what the panel last recorded (G7)."""
    latest = {}
    for o in in_period:
        latest[o["child_id"]] = o
    held = {}
    ids = sorted(latest)
    for start in range(0, len(ids), 500):
        for child_id, answers in session.execute(current_records(select(TaskRecord.child_id, TaskRecord.answers).where(
                TaskRecord.child_id.in_(ids[start:start + 500]), TaskRecord.bpmn_id == FGC_STEP))):
            on = date_or_none((answers or {}).get("fgc_held_on"))
            if (answers or {}).get("fgc_outcome") in FGC_HELD and on and on <= end:
                held[child_id] = max(on, held.get(child_id, on))
    counts = {kind: 0 for kind in FGC_KINDS.values()}
    for child_id, o in sorted(latest.items(), key=lambda kv: (kv[1]["name"], kv[1]["reference"])):
        used = o["answers"].get("fgc_used") or ""
        kind = FGC_KINDS["held"] if child_id in held or used == "held" else FGC_KINDS.get(used, FGC_KINDS[""])
        counts[kind] += 1
        found.fgc.append({**{k: o[k] for k in ("child_id", "reference", "name", "team")},
                          "last_panel": o["on"], "kind": kind, "held_on": held.get(child_id)})
    found.fgc_counts = counts
