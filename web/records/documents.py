"""Records, plans and panel packs as documents to print or send: the same HTML for the
browser's print view and for the PDF WeasyPrint makes on the server, headed with the
council's name, the child's reference, the date printed and the protective marking."""
from pathlib import Path

from flask import Response, current_app

from engine import clock

from ..dates import long_date, long_datetime
from . import answers as shown

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
