"""`permanence figures check|rebuild`: the dashboards' running figures (engine/figures)
compared with a full recount, or counted again."""
import click

from .cli import _db, _print_json, cli


def _figures():
    from engine import figures  # imported when used: `permanence --help` stays quick
    return figures


@cli.group()
def figures():
    """The dashboards' running figures: check them against a recount, or rebuild them."""


@figures.command("check")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def figures_check(ctx, as_json):
    """Recount every figure from the projections and compare; exit 1 if any differs."""
    found = _figures().check(_db(ctx.find_root()), ctx.find_root().obj.process_id)
    if as_json:
        _print_json({"agree": not found, "differences": found})
    elif not found:
        click.echo("the running figures agree with a full recount")
    else:
        click.echo(f"error: the running figures differ from a full recount "
                   f"({len(found)} differences); `permanence figures rebuild` counts them again",
                   err=True)
        for line in found:
            click.echo(f"  {line}", err=True)
    if found:
        ctx.exit(1)


@figures.command("rebuild")
@click.pass_context
def figures_rebuild(ctx):
    """Count every figure again from the projections (after loading rows by other means)."""
    rows = _figures().rebuild_all(_db(ctx.find_root()))
    click.echo(f"running figures counted again: {rows} rows")
