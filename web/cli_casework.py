"""`permanence child ...` and `permanence task(s) ...`: casework from a shell."""
import json
from datetime import datetime, time

import click

import engine

from .cli import _db, _print_json, cli


def _as_of(command):
    """`--as-of YYYY-MM-DD`: read what is due and overdue as on that day (09:00 London),
    as a manager asks "where will this child be on Monday?"."""
    def fix_clock(ctx, _param, value):
        if value is not None:
            from engine import clock
            clock.set_fixed(datetime.combine(value.date(), time(9), clock.LONDON))
        return value
    return click.option("--as-of", type=click.DateTime(["%Y-%m-%d"]), expose_value=False,
                        callback=fix_clock, help="Show what is due as on this day (YYYY-MM-DD).")(command)


@cli.group()
def child():
    """Children in care."""


@child.command("add")
@click.option("--reference", required=True, help="The council's reference number.")
@click.option("--name", required=True)
@click.option("--dob", "date_of_birth", required=True, help="Date of birth, YYYY-MM-DD.")
@click.option("--legal-status", required=True, help="s20, ico, co, pwp, epo, po or remand.")
@click.option("--looked-after-on", required=True, help="Date the child became looked after.")
@click.option("--team", required=True)
@click.option("--social-worker", required=True, help="Username of the allocated social worker.")
@click.option("--fgc-before-care-on", help="A Family Group Conference held at the edge of care, "
              "YYYY-MM-DD, on or before --looked-after-on (A9, R6): the pathway will not ask for one.")
@click.option("--fgc-before-care-outcome", help="With --fgc-before-care-on: family_plan_agreed or no_plan.")
@click.option("--user", "actor", help="Who is registering the child (default: the social worker).")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def child_add(ctx, actor, as_json, **details):
    """Register a child who has become looked after and start their pathway."""
    registered = engine.register_child(_db(ctx.find_root()), details, actor or details["social_worker"],
                                       ctx.find_root().obj.process_id)
    if as_json:
        _print_json({"child_id": registered.child_id, "instance_id": registered.outcome.instance_id,
                     "opened": registered.outcome.opened})
        return
    click.echo(f"child {registered.child_id} registered; pathway {registered.outcome.instance_id} started")
    for task in registered.outcome.opened:
        click.echo(f"  open: {task['name']} ({task['lane']}) due {task['due_on']} [{task['rule']}]")


@child.command("add-before-care")
@click.option("--reference", required=True, help="The council's reference number.")
@click.option("--name", required=True, help="The child's name (for an unborn baby, as the council records it).")
@click.option("--kind", "before_care", required=True, help="edge_of_care or unborn.")
@click.option("--known-on", required=True, help="Date the council was told, or the child referred, YYYY-MM-DD.")
@click.option("--dob", "date_of_birth", help="Date of birth (edge of care), YYYY-MM-DD.")
@click.option("--expected-birth-on", help="Expected date of birth (unborn), YYYY-MM-DD.")
@click.option("--team", required=True)
@click.option("--social-worker", required=True, help="Username of the allocated social worker.")
@click.option("--user", "actor", help="Who is registering the child (default: the social worker).")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def child_add_before_care(ctx, actor, as_json, **details):
    """Register a child known before they are looked after (A10, B1, E18): on the edge of
    care, or unborn. Their work before care starts; no looked-after clock runs yet."""
    registered = engine.register_before_care(_db(ctx.find_root()), details,
                                             actor or details["social_worker"])
    if as_json:
        _print_json({"child_id": registered.child_id, "instance_id": registered.outcome.instance_id,
                     "opened": registered.outcome.opened})
        return
    click.echo(f"child {registered.child_id} registered before care; "
               f"pathway {registered.outcome.instance_id} started")
    for task in registered.outcome.opened:
        due = f" due {task['due_on']} [{task['rule']}]" if task["due_on"] else ""
        click.echo(f"  open: {task['name']} ({task['lane']}){due}")


@child.command("show")
@click.argument("ident")
@_as_of
@click.option("--user", "actor", help="Show only if this user may see the child.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def child_show(ctx, ident, actor, as_json):
    """Where a child is: stage, route, open tasks with due dates and rules, deadlines."""
    db = _db(ctx.find_root())
    pos = engine.position(db, engine.find_child(db, ident, actor), actor)
    if as_json:
        _print_json(pos.__dict__)
        return
    c = pos.child
    if c.get("before_care") == "unborn":   # A10, E18: known before care
        click.echo(f"{c['name']} ({c['reference']}), unborn, expected {c['date_of_birth']}, not looked after, "
                   f"council told {c['known_on']}, {c['team']}, social worker {c['social_worker'] or 'none'}")
    elif c.get("before_care"):
        click.echo(f"{c['name']} ({c['reference']}), born {c['date_of_birth']}, on the edge of care, "
                   f"not looked after, referred {c['known_on']}, {c['team']}, "
                   f"social worker {c['social_worker'] or 'none'}")
    else:
        click.echo(f"{c['name']} ({c['reference']}), born {c['date_of_birth']}, {c['legal_status']}, "
                   f"looked after since {c['looked_after_on']}, {c['team']}, "
                   f"social worker {c['social_worker'] or 'none'}")
    click.echo(f"pathway: {pos.status}; stage: {pos.stage or '-'}; route: {pos.route or '-'}")
    if pos.error:
        click.echo(f"ERROR: {pos.error}")
    click.echo("open tasks:" if pos.open_tasks else "open tasks: none")
    for t in pos.open_tasks:
        click.echo(f"  {t['task_id']}  {t['name']} ({t['lane']}) due {t['due_on'] or '-'} "
                   f"[{t['rule'] or '-'}]{'  OVERDUE' if t['overdue'] else ''}")
    click.echo("deadlines:" if pos.deadlines else "deadlines: none")
    for d in pos.deadlines:
        met = f", met {d['met_on']}" if d["met_on"] else ""
        click.echo(f"  {d['label']}: due {d['due_on']} [{d['rule']}] {d['status']}{met}")


@cli.group()
def tasks():
    """Open tasks."""


@tasks.command("list")
@_as_of
@click.option("--child", "ident", help="Only this child's tasks (id or reference).")
@click.option("--user", "username", help="Only tasks this user can do.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def tasks_list(ctx, ident, username, as_json):
    """Open tasks by due date, with their lane and rule."""
    db = _db(ctx.find_root())
    rows = engine.open_tasks(db, engine.find_child(db, ident, username) if ident else None, username)
    if as_json:
        _print_json(rows)
        return
    if not rows:
        click.echo("no open tasks")
    for t in rows:
        click.echo(f"{t['task_id']}  {str(t['due_on'] or '-'):<10}  [{t['rule'] or '-':>3}]  "
                   f"{t['child_reference']} {t['child_name']}: {t['name']} ({t['lane']})"
                   f"{'  OVERDUE' if t['overdue'] else ''}")


@cli.group()
def task():
    """One task."""


@task.command("show")
@click.argument("task_id")
@_as_of
@click.option("--user", "actor", required=True, help="Who is asking (they must be able to do it).")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def task_show(ctx, task_id, actor, as_json):
    """What a task asks for: the child, when it is due and why, and its form's questions
    with their types, choices and which are required (the names `task complete --data` takes)."""
    page = engine.task_page(_db(ctx.find_root()), task_id, actor)
    questions = [_question(f) for f in page.form.fields] if page.form else []
    if as_json:
        _print_json({"task": page.task, "child": page.child, "closed": page.closed_message,
                     "questions": questions})
        return
    t, c = page.task, page.child
    click.echo(f"{t['name']} for {c['name']} ({c['reference']}), {t['lane']}")
    if page.closed_message:
        click.echo(page.closed_message)
    due = f"due {t['due_on']} [{t['rule'] or '-'}]" if t["due_on"] else "no due date"
    click.echo(due + (f": {t['due_reason']}" if t["due_reason"] else "")
               + ("  OVERDUE" if t["overdue"] else ""))
    if t["instructions"]:
        click.echo(t["instructions"])
    click.echo("answers (--data):" if questions else "answers: none (complete with --data '{}')")
    for q in questions:
        _echo_question(q, "  ")


def _question(field) -> dict:
    return {"name": field.name, "label": field.label, "type": field.kind,
            "required": field.required, "choices": [value for value, _ in field.options],
            "rows": [_question(f) for f in field.item_fields]}


def _echo_question(q: dict, indent: str) -> None:
    kind = {"date": "date YYYY-MM-DD", "list": "list of rows", "multichoice": "list of choices",
            "boolean": "true or false"}.get(q["type"], q["type"])
    choices = f"; one of {', '.join(q['choices'])}" if q["choices"] else ""
    click.echo(f"{indent}{q['name']}: {kind}{', required' if q['required'] else ''}{choices}"
               f"  ({q['label']})")
    for row in q["rows"]:
        _echo_question(row, indent + "    ")


@task.command("complete")
@click.argument("task_id")
@click.option("--user", "actor", required=True, help="Who is completing it.")
@click.option("--data", "data_text", default="{}", help="The form's answers as a JSON object.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def task_complete(ctx, task_id, actor, data_text, as_json):
    """Complete a task with the form's answers (see `task show` for their names); an answer
    the form does not ask for is refused, naming it."""
    data = _json_object(data_text, '{"held_on": "2026-03-10"}')
    outcome = engine.complete_task(_db(ctx.find_root()), task_id, data, actor, strict=True)
    if as_json:
        _print_json(outcome.__dict__)
        return
    click.echo(f"completed; pathway is {outcome.status}")
    if outcome.error:
        click.echo(f"the pathway stopped with an error: {outcome.error}")
    for t in outcome.opened:
        click.echo(f"  next: {t['name']} ({t['lane']}) due {t['due_on'] or '-'} [{t['rule'] or '-'}]")


@child.command("event")
@click.argument("ident")
@click.argument("kind")
@click.option("--user", "actor", required=True, help="Who is recording it.")
@click.option("--data", "data_text", default="{}",
              help='The event\'s details as a JSON object, like {"issued_on": "2026-05-27"}.')
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def child_event(ctx, ident, kind, actor, data_text, as_json):
    """Record a case event (proceedings_issued, legal_status_changed, placement_changed,
    returned_home, missing, found, disruption, placement_at_risk, lgm_referral) and deliver it to the child's pathway."""
    data = _json_object(data_text, '{"issued_on": "2026-05-27"}')
    db = _db(ctx.find_root())
    delivered = engine.deliver_event(db, engine.find_child(db, ident, actor), kind, data, actor)
    if as_json:
        _print_json(delivered.__dict__)
        return
    heard = f"; heard by {', '.join(delivered.caught_by)}" if delivered.caught_by else ""
    click.echo(f"event {delivered.event_id} recorded: {kind}{heard}")
    for name in delivered.closed:
        click.echo(f"  closed: {name}")
    for t in delivered.opened:
        click.echo(f"  next: {t['name']} ({t['lane']}) due {t['due_on'] or '-'} [{t['rule'] or '-'}]")
    if delivered.error:
        click.echo(f"the pathway stopped with an error: {delivered.error}")


@child.command("details")
@click.argument("ident")
@click.option("--user", "actor", required=True,
              help="Who is reading: their sight of the child and of each sibling applies.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def child_details(ctx, ident, actor, as_json):
    """The child's case details: identity and needs (K9-K14), family time (K5-K8) and the
    sibling group with its together-or-apart assessment (K1-K4), and the decision aid for
    choosing the permanence option (E32)."""
    from engine.casework import details_for
    db = _db(ctx.find_root())
    found = details_for(db, engine.find_child(db, ident, actor), actor)
    if as_json:
        _print_json({key: found[key] for key in ("identity", "family_time", "siblings",
                                                 "out_of_area_warning", "route_choice",
                                                 "family_network", "health")})
        return
    network = found["family_network"]
    click.echo(f"family network: {len(network['people'])} people")
    for person in network["people"]:
        click.echo(f"  {person['name']} ({person['relationship']}): {person['caring_text']}; "
                   f"{person['assessment_text']}")
    if network["warning"]:
        click.echo(f"  warning: {network['warning']}")
    health = found["health"]
    click.echo(f"health assessments: {len(health['assessments'])} recorded; next due "
               f"{health['due_on'] or '-'}{' (overdue)' if health['overdue'] else ''}")
    aid = found["route_choice"]
    if aid["version"]:
        click.echo(f"choosing the permanence option: version {aid['version']['version']}; proposed "
                   f"{aid['proposed'] or '-'}; statements that fit: "
                   + ", ".join(f"{option} {fits} of {of}" for option, fits, _n, _u, of in aid["counts"]))
        if aid["warning"]:
            click.echo(f"  warning: {aid['warning']}")
    version = found["identity"]
    click.echo(f"identity and needs: {'version ' + str(version['version']) if version else 'not recorded'}")
    for label, text in found["identity_rows"] if version else []:
        click.echo(f"  {label}: {text}")
    if found["out_of_area_warning"]:
        click.echo(f"  warning: {found['out_of_area_warning']}")
    family_time = found["family_time"]
    click.echo(f"family time: {len(family_time['live'])} arrangement(s) in place; review due "
               f"{family_time['review_due_on'] or '-'}{' (overdue)' if family_time['review_overdue'] else ''}")
    for arrangement in family_time["live"]:
        click.echo(f"  with {arrangement.get('with_whom', '-')}: {arrangement.get('kind', '-')}, "
                   f"{arrangement.get('frequency', '-')}")
    siblings = found["siblings"]
    if siblings is None:
        click.echo("siblings: none linked")
        return
    click.echo(f"siblings: group {siblings['group_id']}; "
               + ", ".join(m["name"] + (f" ({m['reference']})" if m["visible"] else "")
                           for m in siblings["others"]))
    click.echo(f"  together or apart: {siblings['recommendation'] or 'not assessed'}")
    if siblings["warning"]:
        click.echo(f"  warning: {siblings['warning']}")


@child.command("identity")
@click.argument("ident")
@click.option("--user", "actor", required=True, help="Who is recording it.")
@click.option("--data", "data_text", required=True,
              help='The whole new version as a JSON object, like {"ethnicity": "...", "uasc": "no"}.')
@click.option("--reason", default="", help="What has changed and why (needed after the first version).")
@click.pass_context
def child_identity(ctx, ident, actor, data_text, reason):
    """Record a new version of the child's identity and needs (the earlier ones are kept)."""
    from engine.casework import save_identity
    data = _json_object(data_text, '{"ethnicity": "White British"}')
    db = _db(ctx.find_root())
    version = save_identity(db, engine.find_child(db, ident, actor), data, reason, actor)
    click.echo(f"identity and needs: version {version} recorded")


def _json_object(data_text: str, example: str = '{"name": "Pat Grand"}') -> dict:
    """--data read as a JSON object, or a message that says what is wrong with it."""
    try:
        data = json.loads(data_text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"--data is not valid JSON: {exc.msg} at character {exc.pos}") from None
    if not isinstance(data, dict):
        raise ValueError(f"--data must be a JSON object, like {example}")
    return data


@child.command("network")
@click.argument("ident")
@click.option("--user", "actor", required=True, help="Who is recording it.")
@click.option("--data", "data_text", required=True,
              help='The person as a JSON object: name, relationship, contact, identified_on, caring, '
                   'ruled_out_reason, assessment, assessed_on, notes.')
@click.option("--number", type=int, default=None, help="The person's number, to change their entry.")
@click.option("--reason", default="", help="What has changed and why (needed for a change).")
@click.pass_context
def child_network(ctx, ident, actor, data_text, number, reason):
    """Add a person to the child's family network, or change one (A9, E6): a new version."""
    from engine.casework import save_network_person
    db = _db(ctx.find_root())
    version = save_network_person(db, engine.find_child(db, ident, actor), _json_object(data_text),
                                  actor, number, reason)
    click.echo(f"family network: version {version} recorded")


@child.command("health")
@click.argument("ident")
@click.option("--user", "actor", required=True, help="Who is recording it.")
@click.option("--data", "data_text", required=True,
              help='The assessment as a JSON object: kind (initial or review), held_on, carried_out_by, outcome.')
@click.pass_context
def child_health(ctx, ident, actor, data_text):
    """Record a statutory health assessment (E25): a new version of the child's list."""
    from engine.casework import add_health_assessment
    db = _db(ctx.find_root())
    data = _json_object(data_text, '{"kind": "review", "held_on": "2026-09-01"}')
    version = add_health_assessment(db, engine.find_child(db, ident, actor), data, actor)
    click.echo(f"health assessments: version {version} recorded")
