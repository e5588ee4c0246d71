"""`permanence token issue|list|revoke`: API tokens from a shell, through the same checks and
audit as the administrators' page (engine/tokens.py). The token is printed once."""
import click

from .cli import _db, _print_json, cli


def _tokens():
    from engine import tokens  # imported when used: `permanence --help` stays quick
    return tokens


@cli.group()
def token():
    """API tokens for case-management systems: issue, list, revoke."""


@token.command("issue")
@click.argument("name")
@click.option("--role", "roles", multiple=True, required=True,
              help="A casework role the system acts with, e.g. 'Social Worker' (repeat).")
@click.option("--scope", "scopes", multiple=True, required=True,
              help="children:read, children:write, tasks:read, tasks:write, events:read, "
                   "tracker:read (repeat).")
@click.option("--team", "teams", multiple=True,
              help="A team it may see (repeat); without --team, every team.")
@click.pass_context
def token_issue(ctx, name, roles, scopes, teams):
    """Issue a token; it is printed once and only its hash is kept."""
    value, info = _tokens().issue(_db(ctx.find_root()), None, name=name, roles=list(roles),
                                  scopes=list(scopes), teams=list(teams) or None)
    click.echo(f"issued {info.name} (acts as {info.username}); the token, shown only now:", err=True)
    click.echo(value)


@token.command("list")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def token_list(ctx, as_json):
    """Every token, live or revoked, with its roles, teams, scopes and last use."""
    rows = _tokens().list_tokens(_db(ctx.find_root()))
    if as_json:
        _print_json([{"name": t.name, "user": t.username, "roles": list(t.roles),
                      "teams": None if t.teams is None else list(t.teams),
                      "scopes": sorted(t.scopes), "created_by": t.created_by,
                      "created_at": t.created_at, "last_used_at": t.last_used_at,
                      "revoked_at": t.revoked_at} for t in rows])
        return
    for t in rows:
        state = "REVOKED" if t.revoked_at else f"last used {t.last_used_at or 'never'}"
        teams = ", ".join(t.teams) if t.teams is not None else "every team"
        click.echo(f"{t.name:<20} {', '.join(t.roles):<24} {teams:<20} {' '.join(sorted(t.scopes))}  {state}")


@token.command("revoke")
@click.argument("name")
@click.pass_context
def token_revoke(ctx, name):
    """Revoke a token: it stops working at once."""
    _tokens().revoke(_db(ctx.find_root()), None, name)
    click.echo(f"revoked {name}")
