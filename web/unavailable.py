"""When the database cannot be reached (PostgreSQL stopped or restarting, the SQLite file gone
or unreadable): every page answers 503 with a plain message instead of a generic 500, and
`/healthz` answers JSON 503 for the monitoring.

What the user had just submitted is not saved, and the page says so: it shows their answers
back, with a button that sends the same answers again once the service is back, so nothing
typed into a task form is lost. Nothing is kept here: recovery needs no restart, because the
next request opens a fresh connection (the pool checks its connections before use).
"""
import re

from flask import Flask, jsonify, render_template, request
from sqlalchemy import exc as sql

#: The errors that mean "the database is not there just now", not "this request is wrong".
UNAVAILABLE = (sql.OperationalError, sql.InterfaceError, sql.TimeoutError, sql.DisconnectionError)
#: Never shown back or sent again from the page: secrets and the form machinery.
NOT_SHOWN = {"csrf_token", "password", "row-action"}
_DATE_PART = re.compile(r"^(?P<field>.+)-(?P<part>day|month|year)$")


def submitted_answers() -> list[dict]:
    """The submitted form as the user typed it: a heading per field (a date's day, month
    and year together) and the value, for showing back."""
    shown: dict[str, list[str]] = {}
    dates: dict[str, dict[str, str]] = {}
    for key, value in request.form.items(multi=True):
        if key in NOT_SHOWN or not value.strip():
            continue
        part = _DATE_PART.match(key)
        if part:
            dates.setdefault(part["field"], {})[part["part"]] = value
            shown.setdefault(part["field"], [])
        else:
            shown.setdefault(key, []).append(value)
    answers = []
    for key, values in shown.items():
        if key in dates:
            day = dates[key]
            values = ["/".join(day.get(p, "") for p in ("day", "month", "year"))]
        answers.append({"heading": _heading(key), "value": "\n".join(values)})
    return answers


def resubmission() -> list[tuple[str, str]]:
    """Every submitted field but the secrets, to send again exactly as it was."""
    return [(k, v) for k, v in request.form.items(multi=True) if k not in NOT_SHOWN]


def _heading(key: str) -> str:
    text = re.sub(r"[_\-.]+", " ", key).strip()
    return text[:1].upper() + text[1:]


def answer_unavailable(exc=None):
    if request.path == "/healthz":
        return jsonify({"status": "unavailable", "database": "unreachable"}), 503
    answers = submitted_answers() if request.method == "POST" else []
    return render_template("unavailable.html", answers=answers,
                           resubmit=resubmission() if answers else [],
                           action=request.path), 503, {"Retry-After": "60"}


def init_app(app: Flask) -> None:
    for error in UNAVAILABLE:
        app.register_error_handler(error, answer_unavailable)
