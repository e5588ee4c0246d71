"""`permanence import FILE [--dry-run] --as USERNAME`: bring a council's existing children on
from its permanence tracker (CSV or XLSX in the documented template), as the pages do."""
from pathlib import Path

import click

from .cli import _db, _print_json, cli


@cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check every row and show each child's position; write nothing.")
@click.option("--as", "actor", required=True, help="The administrator the import is done as.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def import_children(ctx, file, dry_run, actor, as_json):
    """Import children from a permanence tracker: each at the position its dates put them.
    Exits 1 if any row has errors (the other rows are still imported, unless --dry-run)."""
    from engine.importing import import_tracker, read_tracker
    rows = read_tracker(file.name, file.read_bytes())
    report = import_tracker(_db(ctx.find_root()), rows, actor, dry_run=dry_run,
                            process_id=ctx.find_root().obj.process_id)
    if as_json:
        _print_json([r.__dict__ for r in report.results])
    else:
        for result in report.results:
            click.echo(_line(result))
            for column, messages in result.errors.items():
                click.echo(f"    {column}: {' '.join(messages)}")
            for task in result.open_tasks:
                due = task["due_on"].isoformat() if task["due_on"] else "no date"
                overdue = " OVERDUE" if task["overdue"] else ""
                click.echo(f"    {task['name']} ({task['lane']}) due {due} {task['rule'] or ''}{overdue}")
        verb = "would import" if dry_run else "imported"
        ready = report.count("ready" if dry_run else "imported")
        click.echo(f"{ready} {verb}, {report.count('present')} already present (skipped), "
                   f"{report.error_count} with errors")
    if report.error_count:
        ctx.exit(1)


def _line(result) -> str:
    head = f"row {result.row} {result.reference or '(no reference)'}"
    if result.status == "error":
        return f"{head}: not imported, errors:"
    if result.status == "present":
        return f"{head}: already present, skipped"
    verb = "would be at" if result.status == "ready" else "imported at"
    route = f", route {result.route}" if result.route else ""
    return f"{head}: {verb} {result.stage or 'the start'}{route}; {len(result.open_tasks)} open tasks"
