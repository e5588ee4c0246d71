"""Checking a draft and publishing it.

A draft is checked by `engine.publishing.validate` (XML and XSD, parsing, lanes, forms, rule
ids, expressions on sample data, gateways that can strand a child) and by one more rule the
pathway keeps: every user task says when it is due and which rule sets that date. Every
problem is shown at once, each with its file, line and element, and a link into the modeler
(or the form editor) at the place to fix. Publishing refuses whatever the check refuses and
stores a new immutable version; running pathways stay where they are until moved.
"""
import re

from flask import current_app, flash, redirect, render_template, request, url_for

from engine import DiagramInvalid, ProcessIdTaken, publish
from engine.kept import Kept
from engine.publishing import latest_published, validate
from workflows.diagrams import DiagramBundle, DiagramError, ParsedDiagram, Problem, parse_bundle
from workflows.lint import element_lines
from workflows.properties import element_properties

from . import database
from .diagram_drafts import Draft, drafts
from .diagram_editing import bp, draft_or_404
from .diagram_files import element_at, is_bpmn, plain
from .identity import current_user

MAIN_PROCESS = "main process"  # the element of a problem with the draft's choice of process
_LABEL_ID = re.compile(r"\(([A-Za-z_][\w.-]*)\)$")
_parsed: Kept[ParsedDiagram] = Kept(8)


def draft_problems(bundle: DiagramBundle, draft: Draft | None = None) -> list[Problem]:
    """Every reason the bundle cannot be published, in file and line order."""
    try:
        validate(bundle)
        problems = []
    except DiagramInvalid as exc:
        problems = list(exc.problems)
    parsed = parsed_draft(bundle)
    if parsed is not None:
        problems += undated_tasks(bundle, parsed)
    if draft is not None and not draft.process_chosen:
        problems.append(Problem(
            f"more than one process in these files could be the main one; '{draft.process_id}' was only "
            "a guess: choose on the draft page the process this draft publishes", None, None, MAIN_PROCESS))
    return sorted(problems, key=lambda p: (p.file or "", p.line or 0))


def process_clash(draft: Draft):
    """The newest published version of the draft's process id, when the draft was not started
    from that process (files brought in, or switched to it): publishing needs a yes."""
    if not draft.new_process:
        return None
    with database(current_app).transaction() as session:
        return latest_published(session, draft.process_id)


def parsed_draft(bundle: DiagramBundle) -> ParsedDiagram | None:
    """The parsed bundle (None if it does not parse), kept for a few drafts: a rehearsal
    replays on every request, and parsing is the part worth not repeating."""
    key = bundle.content_hash()
    found = _parsed.get(key)
    if found is not None:
        return found
    try:
        return _parsed.put(key, parse_bundle(bundle))
    except DiagramError:
        return None


def undated_tasks(bundle: DiagramBundle, parsed: ParsedDiagram) -> list[Problem]:
    """User tasks that do not say when they are due: every task a practitioner sees carries
    its due date and the rule that sets it (docs/pathway.md, "Deadlines and escalations")."""
    lines, problems = element_lines(bundle), []
    for process in [parsed.spec, *parsed.subprocess_specs.values()]:
        for spec in process.task_specs.values():
            props = element_properties(spec)
            if not getattr(spec, "manual", False) or props.due_date:
                continue
            missing = "no dueDate" if props.rule else "no dueDate and no rule"
            file, line = lines.get(spec.bpmn_id, (None, None))
            label = f"{spec.bpmn_name} ({spec.bpmn_id})" if spec.bpmn_name else spec.bpmn_id
            problems.append(Problem(
                f"user task has {missing}: say when it is due (property dueDate, an expression such "
                "as add_working_days(looked_after_on, 10)) and which rule of RULES.md sets that date "
                "(property rule)", file, line, label))
    return problems


def shown(draft: Draft, problems: list[Problem]) -> list[dict]:
    """Problems as the page lists them, each linking to where it can be fixed."""
    out = []
    for number, problem in enumerate(problems, start=1):
        element = _element_id(draft, problem)
        out.append({"id": f"problem-{number}", "file": problem.file, "line": problem.line,
                    "element": problem.element or element, "message": plain(problem.message),
                    "href": _fix_link(draft, problem.file, element, number, problem.element),
                    "text": _summary_text(problem)})
    return out


def _summary_text(problem: Problem) -> str:
    """Where, then what: "demo_pathway.bpmn, line 62, Chase (chase_initial_ppm): lane ..."."""
    where = [problem.file, f"line {problem.line}" if problem.line else None, problem.element]
    place = ", ".join(p for p in where if p)
    return f"{place}: {plain(problem.message)}" if place else plain(problem.message)


def _element_id(draft: Draft, problem: Problem) -> str | None:
    if not problem.file or not is_bpmn(problem.file) or not draft.has(problem.file):
        return None
    if problem.element:
        match = _LABEL_ID.search(problem.element)
        return match.group(1) if match else problem.element
    return element_at(draft.read(problem.file), problem.line)


def _fix_link(draft: Draft, file: str | None, element: str | None, number: int, label=None) -> str:
    if file is None and label == MAIN_PROCESS:  # chosen on the draft page
        return url_for("diagrams.drafts.show", draft_id=draft.id) + "#process_id"
    if file and draft.has(file):
        if is_bpmn(file):
            return url_for("diagrams.drafts.edit_file", draft_id=draft.id, name=file,
                           element=element or None)
        return url_for("diagrams.drafts.edit_form", draft_id=draft.id, name=file)
    return f"#problem-{number}"


def _clash_message(draft: Draft, latest) -> str:
    return (f"A different process '{draft.process_id}' is already published (version {latest.version}): "
            f"give this draft's main process its own id in the modeler, or tick the box to publish it "
            f"as version {latest.version + 1} of '{draft.process_id}'")


@bp.get("/<draft_id>/validate")
def check(draft_id):
    draft = draft_or_404(draft_id)
    problems = shown(draft, draft_problems(draft.bundle(), draft))
    return render_template("diagrams/validate.html", draft=draft, problems=problems, clash=process_clash(draft),
                           errors=[{"text": p["text"], "href": p["href"]} for p in problems],
                           note=""), 200


@bp.post("/<draft_id>/publish")
def publish_draft(draft_id):
    """Publish with a note of what changed; refused whole if anything is wrong."""
    draft = draft_or_404(draft_id)
    note = request.form.get("note", "").strip()
    bundle = draft.bundle()
    problems = shown(draft, draft_problems(bundle, draft))
    errors = [{"text": p["text"], "href": p["href"]} for p in problems]
    clash = process_clash(draft)
    confirmed = clash is not None and request.form.get("next_version_of") == draft.process_id
    if not note:
        errors.insert(0, {"text": "Enter what changed in this version", "href": "#note"})
    if len(note) > 2000:
        errors.insert(0, {"text": "What changed must be 2000 characters or fewer", "href": "#note"})
    if clash is not None and not confirmed and not problems:
        errors.append({"text": _clash_message(draft, clash), "href": "#next_version_of"})
    if errors:
        return render_template("diagrams/validate.html", draft=draft, problems=problems, errors=errors,
                               note=note, clash=clash, clash_error=_clash_message(draft, clash) if clash and not confirmed else None,
                               note_error=errors[0]["text"] if errors[0]["href"] == "#note" else None), 400
    try:
        version, created = publish(database(current_app), bundle, current_user().username, note,
                                   new_process=draft.new_process and not confirmed)
    except DiagramInvalid as exc:  # the draft changed since it was checked: show what is wrong now
        problems = shown(draft, exc.problems)
        return render_template("diagrams/validate.html", draft=draft, problems=problems, note=note,
                               errors=[{"text": p["text"], "href": p["href"]} for p in problems]), 400
    except ProcessIdTaken as exc:  # published by someone else meanwhile
        message = _clash_message(draft, exc.latest)
        return render_template("diagrams/validate.html", draft=draft, problems=[], note=note, clash=exc.latest,
                               clash_error=message, errors=[{"text": message, "href": "#next_version_of"}]), 400
    drafts().discard(draft)
    if created:
        flash({"heading": f"Version {version.version} of {version.process_id} is published",
               "ending": "Children already on the pathway stay on their version until you move them."},
              "success")
    else:
        flash({"heading": f"Nothing changed: these files are already version {version.version}"}, "success")
    return redirect(url_for("diagrams.version", process_id=version.process_id, version=version.version))
