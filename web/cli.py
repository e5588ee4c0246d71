"""The `permanence` command: set up, serve, fire timers, and work with children and tasks
from a shell. Every listing has --json; every error is one line on stderr, never a traceback."""
import json
import sys
from datetime import date, datetime

import click

import engine   # light: its functions load with SpiffWorkflow when first called
from engine import clock
from workflows.typed_input import control_character

from .settings import Settings

# Nothing heavy at module level: `permanence --help` and `permanence user --help` load only
# click and these few modules (tests/web/test_cli_startup.py checks; `make bench` times it).
# SQLAlchemy, Alembic, Flask and SpiffWorkflow are imported inside the commands that use them.


class _Group(click.Group):
    def parse_args(self, ctx, args):
        """Every argument, before anything runs: no control characters (a JSON --data may
        hold tabs and line breaks)."""
        for n, arg in enumerate(args, 1):
            if found := control_character(arg, multiline=True):
                click.echo(f"error: argument {n} ({arg[:30]!r}) contains {found}, which cannot be used",
                           err=True)
                ctx.exit(2)
        return super().parse_args(ctx, args)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except engine.FormInvalid as exc:
            click.echo(f"error: {exc}", err=True)
            for field, messages in exc.errors.items():
                click.echo(f"  {field}: {_messages(messages)}", err=True)
            ctx.exit(1)
        except (engine.EngineError, ValueError) as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(1)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as exc:  # an operator gets one line, not a traceback
            if _is_database_error(exc):
                first = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
                click.echo(f"error: the database is not set up or not reachable ({first}): "
                           "check DATABASE_URL and run `permanence init`", err=True)
                ctx.exit(2)
            click.echo(f"error: {type(exc).__name__}: {exc}", err=True)
            ctx.exit(2)


def _is_database_error(exc: Exception) -> bool:
    """SQLAlchemy's DBAPIError, without importing SQLAlchemy for a command that never used it."""
    sa_exc = sys.modules.get("sqlalchemy.exc")
    return sa_exc is not None and isinstance(exc, sa_exc.DBAPIError)


def _messages(messages) -> str:
    if isinstance(messages, dict):
        return "; ".join(f"{k}: {_messages(v)}" for k, v in messages.items())
    return " ".join(map(str, messages))


def _json_default(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)


def _print_json(value) -> None:
    click.echo(json.dumps(value, default=_json_default, indent=2))


@click.group(cls=_Group)
@click.pass_context
def cli(ctx):
    """Permanence Pathway: the permanence planning workflow for children in care."""
    settings = Settings.from_env()
    clock.configure(settings.clock)
    ctx.obj = settings


def _db(ctx):
    """The database the settings name (`models.Database`, loaded with SQLAlchemy here)."""
    from models import Database
    return Database(ctx.obj.database_url)


def _ensure_figures(ctx) -> None:
    """The dashboards' running figures counted once for a database from before they were kept
    (or whose drift settings changed): `engine.figures.ensure`."""
    db = _db(ctx)
    try:
        engine.figures.ensure(db)
    finally:
        db.dispose()


@cli.command()
@click.option("--demo", is_flag=True, help="Also load demo staff and children (once).")
@click.pass_context
def init(ctx, demo):
    """Create or upgrade the schema and publish the shipped diagrams (harmless to repeat)."""
    from models.migrate import upgrade
    from workflows.diagrams import load_directory
    from .demo import DEMO_PASSWORD, issue_demo_token, load_demo
    db = _db(ctx)
    upgrade(db)
    version, new = engine.publish(db, load_directory(ctx.obj.diagrams_dir, ctx.obj.process_id), "init",
                                  "shipped diagrams")
    click.echo(f"diagram {version.process_id}: version {version.version}"
               + (" published" if new else " already published"))
    for process_id in _entry_processes(ctx.obj.diagrams_dir, ctx.obj.process_id):
        version, new = engine.publish(db, load_directory(ctx.obj.diagrams_dir, process_id), "init",
                                      "shipped diagrams")
        click.echo(f"diagram {version.process_id}: version {version.version}"
                   + (" published" if new else " already published"))
    engine.figures.ensure(db)   # counted once, for a database from before they were kept
    if demo:
        if load_demo(db, ctx.obj.process_id):
            click.echo(f"demo data loaded: sign in as asha.sw, tom.tm, iris.iro ... "
                       f"with the password '{DEMO_PASSWORD}'")
            click.echo(f"demo API token (demo-cms, read only; try it at /api/v1/docs): "
                       f"{issue_demo_token(db)}")
        else:
            click.echo("demo data not loaded: the database already has children")


def _entry_processes(diagrams_dir, main: str) -> list[str]:
    """The other pathways a child can start on, when the diagrams have them: `before_care`
    for a child known before they are looked after (A10, E18; engine.before_care)."""
    from pathlib import Path
    from engine.before_care import PROCESS
    from .diagram_files import processes
    found = {p["id"] for path in sorted(Path(diagrams_dir).glob("*.bpmn"))
             for p in processes(path.read_text(encoding="utf-8"))}
    return [pid for pid in (PROCESS,) if pid in found and pid != main]


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Web processes (gunicorn); more than one needs PostgreSQL.")
@click.option("--threads", default=2, show_default=True, type=click.IntRange(1, 64),
              help="Threads in each web process: two keep its core busy while one waits on "
                   "the database; more only contend for Python's one lock.")
@click.option("--no-timers", is_flag=True,
              help="Run no timer worker here: `permanence worker` processes sweep instead.")
@click.pass_context
def serve(ctx, host, port, workers, threads, no_timers):
    """Serve the application: one waitress process with the timer worker in a thread, or
    --workers N gunicorn processes and a timer worker process (PostgreSQL)."""
    from .serving import claim_sqlite, configure_logging, serve_many, serve_one
    claim_sqlite(ctx.obj, workers)
    configure_logging()
    _ensure_figures(ctx)   # once, before any web process answers a dashboard
    timers = "no timers here" if no_timers else f"timers every {ctx.obj.sweep_seconds:g} s"
    click.echo(f"Permanence Pathway on http://{host}:{port}/ ({workers} web process"
               f"{'es' if workers > 1 else ''}, {threads} threads each; {timers})")
    if workers == 1:
        serve_one(ctx.obj, host, port, threads, timers=not no_timers)
    else:
        serve_many(ctx.obj, host, port, workers, threads, timers=not no_timers)


@cli.group()
def timers():
    """Statutory clocks and escalations."""


@timers.command("run")
@click.option("--now", "now_text", help="Sweep as at this ISO-8601 instant (with offset).")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def timers_run(ctx, now_text, as_json):
    """One sweep: fire every timer that is due."""
    now = None
    if now_text:
        try:
            now = datetime.fromisoformat(now_text.replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(f"--now {now_text!r} is not an ISO-8601 instant, "
                             "e.g. 2026-03-30T00:00:00+00:00") from None
        if now.tzinfo is None:
            raise ValueError(f"--now {now_text}: give a UTC offset, e.g. {now_text}+00:00")
    report = engine.sweep(_db(ctx.parent), now)
    if as_json:
        _print_json({"instances": report.instances, "timers_fired": report.timers_fired,
                     "errors": [{"instance_id": i, "message": m} for i, m in report.errors]})
        return
    click.echo(f"{report.instances} due, {report.timers_fired} timers fired, "
               f"{len(report.errors)} errors")
    for instance_id, message in report.errors:
        click.echo(f"  instance {instance_id}: {message}")


@cli.command()
@click.pass_context
def worker(ctx):
    """Sweep timers in a loop until stopped (Ctrl-C or SIGTERM). Run several on PostgreSQL:
    each claims due pathways with SKIP LOCKED, so every timer fires once."""
    import signal
    import threading
    from engine.worker import run_worker
    from .serving import claim_sqlite, configure_logging
    claim_sqlite(ctx.obj)
    configure_logging()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    click.echo(f"timer worker: sweeping every {ctx.obj.sweep_seconds:g} s")
    db = _db(ctx)
    engine.figures.ensure(db)
    try:
        run_worker(db, ctx.obj.sweep_seconds, stop, ctx.obj.reminders)
    except KeyboardInterrupt:
        stop.set()


from . import cli_admin, cli_casework, cli_figures, cli_import, cli_tokens  # noqa: E402,F401  (register their commands)


def main():
    cli(prog_name="permanence")


if __name__ == "__main__":
    sys.exit(main())
