"""`permanence child ...` and `permanence task(s) ...`: casework from a shell."""
import json

import click

import engine

from .cli import _db, _print_json, cli


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


@child.command("show")
@click.argument("ident")
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


@task.command("complete")
@click.argument("task_id")
@click.option("--user", "actor", required=True, help="Who is completing it.")
@click.option("--data", "data_text", default="{}", help="The form's answers as a JSON object.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def task_complete(ctx, task_id, actor, data_text, as_json):
    """Complete a task with the form's answers."""
    try:
        data = json.loads(data_text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"--data is not valid JSON: {exc.msg} at character {exc.pos}") from None
    if not isinstance(data, dict):
        raise ValueError("--data must be a JSON object, like {\"held_on\": \"2026-03-10\"}")
    outcome = engine.complete_task(_db(ctx.find_root()), task_id, data, actor)
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
    returned_home, missing, found, disruption) and deliver it to the child's pathway."""
    try:
        data = json.loads(data_text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"--data is not valid JSON: {exc.msg} at character {exc.pos}") from None
    if not isinstance(data, dict):
        raise ValueError("--data must be a JSON object, like {\"issued_on\": \"2026-05-27\"}")
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
