"""Recording a case event from the child page: proceedings issued, a legal status changed or
an order made, a placement changed, a return home, missing and found, a disruption, a
placement whose stability is at risk (A7: its stability meeting becomes the social worker's
action), a referral to the Legal Gateway Meeting (A10, B1: Legal then records its decision). The
page asks for the kind first, then its details; `engine.deliver_event` checks everything
(who may record which kind, dates, changes that make no sense) and the page shows its
messages beside the fields, with everything typed kept."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for

import engine
from engine.case_event_kinds import AREAS, KINDS, RECORDED_TYPES, STABILITY_RISKS, STATUSES
from engine.case_events import event_form

from . import child_form, database, dates
from .identity import casework_required, current_user
from .task_form import DATE_PARTS

bp = Blueprint("case_events", __name__)

#: Each kind's questions, in order: (name, label, widget, choices or hint).
QUESTIONS = {
    "proceedings_issued": [("issued_on", "Date care proceedings were issued", "date", None),
                           ("court", "Court or case number (optional)", "text", None)],
    "legal_status_changed": [("legal_status", "New legal status, or the order made", "radios", STATUSES),
                             ("changed_on", "Date of the change or of the order", "date", None)],
    "placement_changed": [("placement_type", "Type of placement", "radios", RECORDED_TYPES),
                          ("carers", "Carers' names", "text",
                           "Who the child lives with; for residential, the home"),
                          ("area", "Where is the placement?", "radios", AREAS),
                          ("started_on", "Date the placement began", "date", None)],
    "returned_home": [("returned_on", "Date the child returned home", "date", None),
                      ("carers", "Parents' names", "text", None),
                      ("area", "Where is the home?", "radios", AREAS)],
    "missing": [("missing_on", "Date the child went missing", "date", None),
                ("details", "Details (optional)", "textarea", None)],
    "found": [("found_on", "Date the child was found", "date", None),
              ("details", "Details (optional)", "textarea", None)],
    "disruption": [("disrupted_on", "Date the placement ended", "date", None),
                   ("reason", "What happened", "textarea", None)],
    "placement_at_risk": [("at_risk_on", "Date the risk became known", "date", None),
                          ("risk", "What puts the placement at risk?", "radios", STABILITY_RISKS),
                          ("details", "What is happening", "textarea", None)],
    "lgm_referral": [("referred_on", "Date of the referral", "date", None),
                     ("recommendation", "Your recommendation for achieving permanence", "textarea",
                      "What you ask the meeting to consider: threshold, pre-proceedings, proceedings "
                      "or s20 staying appropriate")],
}


@bp.route("/children/<int:child_id>/events/new", methods=["GET", "POST"])
@casework_required
def new(child_id):
    db, user = database(current_app), current_user()
    child = event_form(db, child_id, user.username)   # 404 unseen, 403 may not record
    kind = (request.values.get("kind") or "").strip()
    if not kind:
        if request.method == "POST" or "kind" in request.args:  # continued without a choice
            return _choose(child, {"kind": ["Select what has happened"]}), 400
        return _choose(child, {})
    if kind not in child["kinds"]:
        abort(404 if kind not in KINDS else 403)
    if request.method == "GET":
        return _details(child, kind, _typed(kind, {}), {})
    typed = _typed(kind, request.form)
    data, date_errors = _for_engine(kind, typed)
    try:
        delivered = engine.deliver_event(db, child_id, kind, data, user.username)
    except engine.FormInvalid as exc:
        errors = {k: list(v) for k, v in exc.errors.items() if k not in date_errors}
        errors.update(date_errors)
        return _details(child, kind, typed, errors), 400
    flash(_banner(child, kind, delivered), "success")
    return redirect(url_for("children.show", child_id=child_id, _anchor="case-events"))


def _typed(kind: str, form) -> dict:
    values = {}
    for name, _label, widget, _extra in QUESTIONS[kind]:
        if widget == "date":
            values[name] = {p: form.get(f"{name}-{p}", "").strip() for p in DATE_PARTS}
        else:
            values[name] = form.get(name, "").strip()
    return values


def _for_engine(kind: str, typed: dict) -> tuple[dict, dict]:
    """The data for the engine, and the page's own messages for dates it cannot read (which
    replace the engine's ISO-worded ones for the same field)."""
    data, errors = {}, {}
    for name, label, widget, _extra in QUESTIONS[kind]:
        if widget == "date":
            data[name], message = child_form.parse_date(typed[name], label)
            if message:
                errors[name] = [message]
        else:
            data[name] = typed[name]
    return data, errors


def _choose(child, errors):
    kinds = [KINDS[k] for k in child["kinds"]]
    return render_template("case_events/choose.html", child=child, kinds=kinds, field_errors=errors,
                           summary=[{"text": m, "href": "#kind"} for m in errors.get("kind", [])])


def _details(child, kind, typed, errors):
    summary = []
    for name, _label, widget, _extra in QUESTIONS[kind]:
        for message in errors.get(name, []):
            part = next((p for p in DATE_PARTS if f"include a {p}" in message), "day")
            summary.append({"text": message, "href": f"#{name}-{part}" if widget == "date" else f"#{name}"})
    for message in errors.get("kind", []):
        summary.append({"text": message, "href": "#main-content"})
    return render_template("case_events/details.html", child=child, kind=KINDS[kind],
                           questions=QUESTIONS[kind], values=typed, errors=errors, summary=summary,
                           form=child_form)


def _banner(child, kind, delivered) -> dict:
    lines = [f"{t['name']} for {dates.role_in_words(t['lane'])}"
             + (f", due {dates.long_date(t['due_on'])}" if t.get("due_on") else "")
             + (f" ({t['rule']})" if t.get("rule") else "") for t in delivered.opened]
    closed = "; ".join(delivered.closed)
    ending = f"No longer needed: {closed}." if closed else ""
    if delivered.error:
        ending = f"The pathway stopped with a problem: {delivered.error}"
    return {"heading": f"{KINDS[kind].label} recorded for {child['name']}", "next": lines,
            "ending": ending}
