"""The family network (A9, E6) and the statutory health assessments (E25) pages: add a
person to the network, change their entry (with its reason), record a health assessment.
Forms keep everything typed beside their errors; `engine.casework` checks and versions."""
from flask import abort, current_app, request

import engine
from engine import casework
from engine.casework import family_network, health

from .. import database
from ..identity import casework_required, current_user
from . import bp, forms
from .pages import _done, _render


@bp.route("/children/<int:child_id>/family-network/new", methods=["GET", "POST"])
@casework_required
def network_new(child_id):
    return _person(child_id, None)


@bp.route("/children/<int:child_id>/family-network/<int:number>", methods=["GET", "POST"])
@casework_required
def network_change(child_id, number):
    return _person(child_id, number)


def _person(child_id, number):
    db, user = database(current_app), current_user()
    child = casework.editable_child(db, child_id, user.username)
    fields = family_network.PERSON_FIELDS
    people = child["family_network"]["people"]
    found = next((p for p in people if p["number"] == number), None) if number else None
    if number is not None and found is None:
        abort(404)
    extra = {"person": found, "ask_reason": found is not None}
    if request.method == "GET":
        values = {**forms.from_stored(fields, found or {"caring": "", "assessment": "not_assessed"}),
                  "reason": ""}
        return _render("network_person.html", child, fields, values, {}, **extra)
    values = {**forms.typed(fields, request.form), "reason": request.form.get("reason", "")}
    data, date_errors = forms.for_engine(fields, values)
    try:
        casework.save_network_person(db, child_id, data, user.username, number, values["reason"])
    except engine.FormInvalid as exc:
        return _render("network_person.html", child, fields, values,
                       forms.merge(exc.errors, date_errors), **extra), 400
    return _done(child_id, f"{data['name']} {'changed in' if found else 'added to'} "
                           f"{child['name']}'s family network", "family-network")


@bp.route("/children/<int:child_id>/health-assessments/new", methods=["GET", "POST"])
@casework_required
def health_new(child_id):
    db, user = database(current_app), current_user()
    child = casework.editable_child(db, child_id, user.username)
    fields = health.FIELDS
    if request.method == "GET":
        return _render("health.html", child, fields, forms.from_stored(fields, None), {})
    values = forms.typed(fields, request.form)
    data, date_errors = forms.for_engine(fields, values)
    try:
        casework.add_health_assessment(db, child_id, data, user.username)
    except engine.FormInvalid as exc:
        return _render("health.html", child, fields, values,
                       forms.merge(exc.errors, date_errors)), 400
    return _done(child_id, f"{health.KINDS[data['kind']]} recorded for {child['name']}", "health")
