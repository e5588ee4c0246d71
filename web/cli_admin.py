"""`permanence user ...` and `permanence team ...`: staff accounts and teams from a shell,
through the same checks and audit as the administration pages (engine/staff.py)."""
import sys

import click

from .cli import _db, _print_json, cli


def _staff():
    from engine import staff  # imported when used: `permanence --help` stays quick
    return staff


def _password_from_stdin(read: bool) -> str | None:
    """One line from standard input, so a password never sits in the shell's history."""
    if not read:
        return None
    line = sys.stdin.readline()
    return line.rstrip("\r\n")


@cli.group()
def user():
    """Staff accounts: add, list, disable, enable, roles, password."""


@user.command("add")
@click.argument("username")
@click.option("--name", "display_name", required=True, help="The person's full name.")
@click.option("--role", "roles", multiple=True, required=True,
              help="A role, e.g. 'Social Worker' (repeat for several).")
@click.option("--team", help="Their team (needed for social workers and team managers).")
@click.option("--password-stdin", is_flag=True, help="Read a local password from standard input.")
@click.pass_context
def user_add(ctx, username, display_name, roles, team, password_stdin):
    """Add a member of staff."""
    _staff().add_user(_db(ctx.find_root()), None, username=username, display_name=display_name,
                      roles=list(roles), team=team, password=_password_from_stdin(password_stdin))
    click.echo(f"added {username.strip().lower()}")


@user.command("list")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def user_list(ctx, as_json):
    """Every account, active or not, with roles and team."""
    members = _staff().list_users(_db(ctx.find_root()))
    if as_json:
        _print_json([m.__dict__ for m in members])
        return
    for m in members:
        state = "" if m.active else "  DISABLED"
        click.echo(f"{m.username:<20} {m.display_name:<28} {', '.join(m.roles)}"
                   f"{' (' + m.team + ')' if m.team else ''}{state}")


@user.command("disable")
@click.argument("username")
@click.pass_context
def user_disable(ctx, username):
    """Stop an account signing in; its open sessions stop working at once."""
    _staff().set_active(_db(ctx.find_root()), None, username, False)
    click.echo(f"disabled {username}")


@user.command("enable")
@click.argument("username")
@click.pass_context
def user_enable(ctx, username):
    """Let a disabled account sign in again."""
    _staff().set_active(_db(ctx.find_root()), None, username, True)
    click.echo(f"enabled {username}")


@user.command("roles")
@click.argument("username")
@click.option("--role", "roles", multiple=True, required=True, help="Every role they hold (repeat).")
@click.option("--team", help="Their team.")
@click.pass_context
def user_roles(ctx, username, roles, team):
    """Set an account's roles and team (what they hold afterwards, not a change)."""
    _staff().set_roles(_db(ctx.find_root()), None, username, list(roles), team)
    click.echo(f"{username}: {', '.join(roles)}{' (' + team + ')' if team else ''}")


@user.command("password")
@click.argument("username")
@click.pass_context
def user_password(ctx, username):
    """Set a local password, read from standard input."""
    _staff().set_password(_db(ctx.find_root()), None, username, _password_from_stdin(True))
    click.echo(f"password set for {username}")


@cli.group()
def team():
    """Teams: add, list."""


@team.command("add")
@click.argument("name")
@click.pass_context
def team_add(ctx, name):
    """Add a team."""
    _staff().add_team(_db(ctx.find_root()), name, None)
    click.echo(f"added team {name.strip()}")


@team.command("list")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def team_list(ctx, as_json):
    """Teams with their number of active members."""
    teams = _staff().list_teams(_db(ctx.find_root()))
    if as_json:
        _print_json(teams)
        return
    for t in teams:
        click.echo(f"{t['name']:<40} {t['members']} active")
