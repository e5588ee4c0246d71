"""The case-detail pages: change identity and needs, add and review family time, link and
unlink siblings, record the together-or-apart assessment, and each section's versions."""
from flask import abort, current_app, flash, redirect, render_template, request, url_for

import engine
from engine import casework
from engine.casework import family_network, family_time, health, identity, route_choice, siblings
from engine.casework.versions import SECTION_TITLES

from .. import child_form, database
from ..identity import casework_required, child_viewers_required, current_user
from . import bp, forms

REASON = ("reason", "What has changed and why", "long", None)


def _render(template, child, fields, values, errors, **extra):
    return render_template(f"casework/{template}", child=child, fields=fields, values=values,
                           field_errors=errors, summary=forms.summary(fields, errors,
                                                                      ("reason", "sibling", "end", "end_reason")),
                           form=child_form, **extra)


def _done(child_id, message, anchor):
    flash({"heading": message, "next": [], "ending": ""}, "success")
    return redirect(url_for("children.show", child_id=child_id, _anchor=anchor))


def section_form(child, template, fields, save, stored=None, texts=("reason",), lists=(), **extra):
    """One case-detail form: shown from what is stored (GET); on POST checked by the engine
    through `save(data, values) -> (message, anchor)`, and either saved or shown again with
    everything typed beside its errors. `texts` and `lists` are the form's fields outside
    `fields` (a reason for the change, ticked arrangements)."""
    if request.method == "GET":
        values = {**forms.from_stored(fields, stored), **{n: "" for n in texts},
                  **{n: [] for n in lists}}
        return _render(template, child, fields, values, {}, **extra)
    values = {**forms.typed(fields, request.form), **{n: request.form.get(n, "") for n in texts},
              **{n: request.form.getlist(n) for n in lists}}
    data, date_errors = forms.for_engine(fields, values)
    try:
        message, anchor = save(data, values)
    except engine.FormInvalid as exc:
        return _render(template, child, fields, values, forms.merge(exc.errors, date_errors),
                       **extra), 400
    return _done(child["id"], message, anchor)


@bp.route("/children/<int:child_id>/identity", methods=["GET", "POST"])
@casework_required
def identity_form(child_id):
    db, user = database(current_app), current_user()
    child = casework.editable_child(db, child_id, user.username)

    def save(data, values):
        version = casework.save_identity(db, child_id, data, values["reason"], user.username)
        return f"{child['name']}'s identity and needs saved (version {version})", "identity"
    return section_form(child, "identity.html", identity.FIELDS, save,
                        stored=child["identity"] and child["identity"]["data"],
                        first=child["identity"] is None)


@bp.route("/children/<int:child_id>/route-choice", methods=["GET", "POST"])
@casework_required
def route_choice_form(child_id):
    """E32: the decision aid at the PPM: Appendix 1's statements, the welfare checklist and
    the option proposed. Saving makes a new version."""
    db, user = database(current_app), current_user()
    child = casework.editable_child(db, child_id, user.username)
    current = child["route_choice"]["version"]

    def save(data, values):
        version = casework.save_route_choice(db, child_id, data, values["reason"], user.username)
        return (f"Choosing the permanence option saved for {child['name']} (version {version})",
                "route-choice")
    return section_form(child, "route_choice.html", route_choice.FIELDS, save,
                        stored=current and current["data"], first=current is None,
                        columns=route_choice.COLUMNS, statement_fields=route_choice.STATEMENT_FIELDS,
                        welfare_fields=route_choice.WELFARE_FIELDS,
                        proposal_fields=route_choice.PROPOSAL_FIELDS)


@bp.route("/children/<int:child_id>/family-time/new", methods=["GET", "POST"])
@casework_required
def family_time_new(child_id):
    db, user = database(current_app), current_user()
    child = casework.editable_child(db, child_id, user.username)

    def save(data, _values):
        casework.add_family_time(db, child_id, data, user.username)
        return f"Family time with {data['with_whom']} added for {child['name']}", "family-time"
    return section_form(child, "family_time.html", family_time.ARRANGEMENT_FIELDS, save, texts=())


@bp.route("/children/<int:child_id>/family-time/review", methods=["GET", "POST"])
@casework_required
def family_time_review(child_id):
    db, user = database(current_app), current_user()
    child = casework.editable_child(db, child_id, user.username)
    if not child["family_time"]["live"]:
        abort(404)

    def save(data, values):
        data.update(end=values["end"], end_reason=values["end_reason"])
        casework.review_family_time(db, child_id, data, user.username)
        return f"Family time review recorded for {child['name']}", "family-time"
    return section_form(child, "family_time_review.html", family_time.REVIEW_FIELDS, save,
                        texts=("end_reason",), lists=("end",))


@bp.route("/children/<int:child_id>/siblings", methods=["GET", "POST"])
@casework_required
def siblings_link(child_id):
    db, user = database(current_app), current_user()
    child = casework.editable_child(db, child_id, user.username)
    if request.method == "GET":
        return _render("siblings.html", child, [], {"sibling": ""}, {})
    values = {"sibling": request.form.get("sibling", "").strip()}
    try:
        casework.link_sibling(db, child_id, values["sibling"], user.username)
    except engine.FormInvalid as exc:
        return _render("siblings.html", child, [], values, exc.errors), 400
    return _done(child_id, f"Sibling linked to {child['name']}", "siblings")


@bp.route("/children/<int:child_id>/siblings/remove", methods=["GET", "POST"])
@casework_required
def siblings_remove(child_id):
    db, user = database(current_app), current_user()
    child = casework.editable_child(db, child_id, user.username)
    if child["siblings"] is None:
        abort(404)
    if request.method == "GET":
        return _render("siblings_remove.html", child, [], {"reason": ""}, {})
    values = {"reason": request.form.get("reason", "")}
    try:
        casework.unlink_sibling(db, child_id, values["reason"], user.username)
    except engine.FormInvalid as exc:
        return _render("siblings_remove.html", child, [], values, exc.errors), 400
    return _done(child_id, f"{child['name']} is no longer in the sibling group", "siblings")


@bp.route("/children/<int:child_id>/siblings/assessment", methods=["GET", "POST"])
@casework_required
def sibling_assessment(child_id):
    db, user = database(current_app), current_user()
    child = casework.editable_child(db, child_id, user.username)
    if child["siblings"] is None:
        abort(404)
    current = child["siblings"]["assessment"]

    def save(data, values):
        version = casework.save_assessment(db, child_id, data, values["reason"], user.username)
        return f"Together or apart assessment saved (version {version})", "siblings"
    return section_form(child, "assessment.html", siblings.ASSESSMENT_FIELDS, save,
                        stored=current and current["data"], first=current is None)


@bp.get("/children/<int:child_id>/details/<section>")
@child_viewers_required
def history(child_id, section):
    if section not in SECTION_TITLES:
        abort(404)
    db, user = database(current_app), current_user()
    found = casework.history(db, child_id, user.username, section)
    shown = {"identity": identity.shown, "family_time": None,
             "sibling_assessment": siblings.shown_assessment,
             "route_choice": route_choice.history_rows,
             "family_network": family_network.history_rows,
             "health_assessments": health.history_rows}[section]
    return render_template("casework/history.html", child=found["child"],
                           title=SECTION_TITLES[section], section=section,
                           versions=found["versions"], shown=shown)
