"""The family network (A9, E6) and the statutory health assessments (E25) pages: add a
person to the network, change their entry (with its reason), record a health assessment.
Forms keep everything typed beside their errors; `engine.casework` checks and versions."""
from flask import abort, current_app

from engine import casework
from engine.casework import family_network, health

from .. import database
from ..identity import casework_required, current_user
from . import bp
from .pages import section_form


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
    people = child["family_network"]["people"]
    found = next((p for p in people if p["number"] == number), None) if number else None
    if number is not None and found is None:
        abort(404)

    def save(data, values):
        casework.save_network_person(db, child_id, data, user.username, number, values["reason"])
        return (f"{data['name']} {'changed in' if found else 'added to'} {child['name']}'s family "
                "network", "family-network")
    return section_form(child, "network_person.html", family_network.PERSON_FIELDS, save,
                        stored=found or {"caring": "", "assessment": "not_assessed"},
                        person=found, ask_reason=found is not None)


@bp.route("/children/<int:child_id>/health-assessments/new", methods=["GET", "POST"])
@casework_required
def health_new(child_id):
    db, user = database(current_app), current_user()
    child = casework.editable_child(db, child_id, user.username)

    def save(data, _values):
        casework.add_health_assessment(db, child_id, data, user.username)
        return f"{health.KINDS[data['kind']]} recorded for {child['name']}", "health"
    return section_form(child, "health.html", health.FIELDS, save, texts=())
