"""Records, plans and panel packs as documents to print or send: the same HTML for the
browser's print view and for the PDF WeasyPrint makes on the server, headed with the
council's name, the child's reference, the date printed and the protective marking."""
from pathlib import Path

from flask import Response, current_app

from engine import clock

from ..dates import long_date, long_datetime
from . import answers as shown
from .plan_content import content_blocks, voice_blocks

MARKING = "OFFICIAL-SENSITIVE"
PRINT_CSS = Path(__file__).resolve().parent.parent / "static" / "css" / "print.css"


def heading(child: dict) -> dict:
    """What heads every printed page."""
    return {"council": current_app.config["PERMANENCE"].council_name, "marking": MARKING,
            "printed_on": long_datetime(clock.now()), "child": child}


def record_section(record: dict, form) -> dict:
    """One record as a section of a document: what, who, when, and the answers."""
    meta = [("Task", record["task_name"]),
            ("Done by", f"{record['completed_by']}, {long_datetime(record['completed_at'])}")]
    if record["due_on"]:
        when = "on time" if record["on_time"] else "late"
        meta.append(("Due", f"{long_date(record['due_on'])}"
                            + (f" ({record['rule']})" if record["rule"] else "") + f", done {when}"))
    if record["revision"] > 1:
        meta.append(("Corrected", f"revision {record['revision']}, by {record['recorded_by']}, "
                                  f"{long_datetime(record['recorded_at'])}: {record['reason']}"))
    return {"heading": record["title"], "meta": meta,
            "blocks": shown.blocks(form, record["answers"])}


def record_document(view) -> dict:
    return {"head": heading(view.child), "title": view.record["title"],
            "documents": [{"child": view.child, "title": view.record["title"],
                           "sections": [record_section(view.record, view.form)]}]}


def pdf_bytes(html: str) -> bytes:
    from weasyprint import CSS, HTML   # imported when needed: it loads Pango
    return HTML(string=html, base_url=str(PRINT_CSS.parent)).write_pdf(
        stylesheets=[CSS(filename=str(PRINT_CSS))])


def pdf_response(html: str, filename: str) -> Response:
    response = Response(pdf_bytes(html), mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


def _table(label: str, columns: list[str], rows: list[list[str]]) -> dict:
    return {"table": True, "label": label, "name": label.lower().replace(" ", "_"),
            "columns": columns, "rows": rows}


def plan_blocks(plan, everything: bool = True) -> list[dict]:
    """The plan as answer blocks: the plan itself, the actions, the next dates, the history.
    The child page (`everything` false) shows only the actions still to do."""
    from engine.reporting import route_text
    routes = " and ".join(route_text(r) for r in plan.routes) or shown.NOT_RECORDED
    rows = [{"label": "Route" if len(plan.routes) < 2 else "Routes (twin-track)", "text": routes},
            {"label": "Contingency plan", "text": plan.contingency or shown.NOT_RECORDED},
            {"label": "Reasons", "text": plan.reasons or shown.NOT_RECORDED},
            {"label": "Agreed", "text": f"{long_date(plan.agreed_on)}, {plan.agreed_by}"
             if plan.agreed_on else shown.NOT_RECORDED}]
    blocks = [{"table": False, "rows": [dict(r, name="", blank=False) for r in rows]}]
    if everything:
        blocks += content_blocks(plan.content)
    blocks += voice_blocks(plan.content)
    actions = plan.actions if everything else [a for a in plan.actions if not a["done"]]
    blocks.append(_table("Actions" if everything else "Actions still to do",
                         ["Action", "Owner", "Due", "Status", "From"], [
        [a["action"], a["owner"], long_date(a["due_on"]), a["status"],
         a["from"] + (f", {long_date(a['set_on'])}" if a["set_on"] else "")] for a in actions]))
    blocks.append(_table("Next reviews", ["What", "Due", "Rule"], [
        [n["task"], long_date(n["due_on"]), n["rule"] or ""] for n in plan.next_dates]))
    blocks.append(_table("How the plan has changed", ["When", "Plan", "Contingency", "Agreed by", "Why"], [
        [long_date(h["on"]), " and ".join(route_text(r) for r in h["routes"]) or "No route yet",
         h["contingency"], h["by"], h["why"]] for h in plan.history]))
    return blocks


def child_meta(child: dict) -> list[tuple[str, str]]:
    from engine.children import LEGAL_STATUSES
    return [("Date of birth", long_date(child["date_of_birth"])),
            ("Legal status", LEGAL_STATUSES.get(child["legal_status"], child["legal_status"])),
            ("Looked after since", long_date(child["looked_after_on"])),
            ("Team", child["team"]), ("Social worker", child["social_worker"] or "Not allocated")]


def plan_document(child: dict, plan, casework: dict | None = None) -> dict:
    """`casework`: the child's case details (engine.casework), shown read-only after the plan."""
    from ..casework.documents import sections as casework_sections
    title = f"Permanence plan for {child['name']}"
    return {"head": heading(child), "title": title,
            "documents": [{"child": child, "title": title, "sections": [
                {"heading": "The child", "meta": child_meta(child), "blocks": []},
                {"heading": "The plan", "meta": [], "blocks": plan_blocks(plan)},
                *casework_sections(casework)]}]}


def pack_document(pack, casework: dict | None = None) -> dict:
    """One child's panel papers; `casework` their case details (siblings K4, family time K5,
    identity and needs K9 to K14), read-only."""
    from ..casework.documents import sections as casework_sections
    sections = [{"heading": "The child", "meta": child_meta(pack.child), "blocks": []},
                {"heading": "Current plan", "meta": [], "blocks": plan_blocks(pack.plan, everything=False)},
                *casework_sections(casework)]
    for label, found in (("Latest PPM", pack.latest_ppm), ("Latest CLA review", pack.latest_review)):
        if found:
            section = record_section(*found)
            sections.append(dict(section, heading=f"{label}: {section['heading']}"))
        else:
            sections.append({"heading": label, "meta": [], "blocks": [],
                             "text": "None recorded yet."})
    earlier = [record_section(*found) for found in pack.panels]
    sections.append({"heading": "Earlier panel recommendations", "meta": [],
                     "text": "" if earlier else "This is the child's first panel.", "blocks": [
                         block for section in earlier for block in
                         [{"table": False, "rows": [dict(name="", blank=False, label=k, text=v)
                                                    for k, v in section["meta"][:2]]}]
                         + section["blocks"]]})
    sections.append({"heading": "Panel actions", "meta": [], "blocks": [_table(
        "Actions the panel set", ["Action", "Owner", "Due", "Status"],
        [[a["action"], a["owner"], long_date(a["due_on"]), a["status"]] for a in pack.panel_actions])]})
    return {"child": pack.child, "title": f"Panel papers: {pack.child['name']}", "sections": sections}


def packs_document(packs, panel_date=None, casework: dict | None = None) -> dict:
    """One or many children's papers; each child starts a new page. `casework`: each child's
    case details by child id."""
    title = (f"Permanence Panel papers, {long_date(panel_date)}" if panel_date
             else packs[0].child["name"] + ": panel papers" if packs else "Panel papers")
    head = heading(packs[0].child if len(packs) == 1 else None)
    return {"head": head, "title": title, "documents": [pack_document(p, (casework or {}).get(p.child["id"]))
                                                      for p in packs]}


def attendance_section(answers: dict) -> dict:
    """Who attended for this child (C2, C4, C9, G11): the council's core members present or
    not, the people around the child, partners; and a note when neither the social worker
    nor the Practice Lead was there (HAL §4)."""
    from workflows import local_settings
    from workflows.panel_settings import ATTENDEES, CHILDS_PEOPLE
    settings = local_settings.panel()
    attended = [a for a in (answers.get("attendance") or []) if a in ATTENDEES]
    core = [key for key, _title in settings.members]
    meta = [("Core members present", "; ".join(settings.attendee_title(k) for k in core if k in attended) or "None recorded"),
            ("Core members absent", "; ".join(settings.attendee_title(k) for k in core if k not in attended) or "None")]
    meta.append(("For the child", "; ".join(ATTENDEES[k] for k in CHILDS_PEOPLE if k in attended) or "None recorded"))
    others = [ATTENDEES[k] for k in ATTENDEES if k in attended and k not in core and k not in CHILDS_PEOPLE]
    meta.append(("Partners and others", "; ".join(others) or "None"))
    text = ""
    if not {"social_worker", "practice_lead"} & set(attended):
        text = "Neither the social worker nor the Practice Lead is recorded as attending (BCP §3-4, HAL §4)."
    return {"heading": "Who attended", "meta": meta, "blocks": [], "text": text}


def minutes_document(minutes, panel_date) -> dict:
    """The panel's minutes: each child on a new page, titled as the record on their file is,
    "Permanence Panel Actions (date)" (BCP §6, D19)."""
    documents = []
    for entry in minutes:
        title = f"Permanence Panel Actions ({long_date(panel_date)})"
        sections = [{"heading": "The child", "meta": child_meta(entry.child), "blocks": []},
                    attendance_section(entry.outcome[0]["answers"]),
                    dict(record_section(*entry.outcome), heading="What the panel considered and recommended")]
        if entry.actions:
            sections.append(dict(record_section(*entry.actions), heading="The actions agreed"))
        else:
            sections.append({"heading": "The actions agreed", "meta": [], "blocks": [],
                             "text": "The panel's actions are not recorded yet (R11: within 3 working days)."})
        sections.append({"heading": "Where the actions stand", "meta": [], "blocks": [_table(
            "Actions and their status", ["Action", "Owner", "Due", "Status"],
            [[a["action"], a["owner"], long_date(a["due_on"]), a["status"]] for a in entry.action_status])]})
        documents.append({"child": entry.child, "title": title, "sections": sections})
    return {"head": heading(None), "title": f"Permanence Panel minutes, {long_date(panel_date)}",
            "documents": documents}
