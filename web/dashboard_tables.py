"""The dashboard's two big tables, overdue work by team and rule and the drift lists, written
as HTML here rather than by Jinja macros: for a head of service they are over two hundred
cells, most a link with its own label, and a macro's escaping and lookups per cell were
most of the page's rendering. The HTML is what the macros wrote, class for class and link
for link; every text from the database is escaped (`escape`)."""
from functools import lru_cache
from urllib.parse import quote_plus

from flask import g, url_for
from markupsafe import Markup

from .dates import long_date


def escape(value) -> str:
    """`value` as text escaped as Jinja's autoescape does it (markupsafe: & < > " ' become
    &amp; &lt; &gt; &#34; &#39;), as a plain string: a Markup object for each of the
    tables' few hundred texts cost more than the rest of writing them."""
    return (str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&#34;").replace("'", "&#39;"))


_NUMERIC = '<td class="govuk-table__cell govuk-table__cell--numeric">'


@lru_cache(maxsize=1024)
def _q(value: str) -> str:
    """A query value as `urlencode` writes it, escaped for an attribute (& is &amp;): the
    same few teams, rules and kinds on every dashboard, encoded once."""
    return escape(quote_plus(str(value), safe=""))


def overdue_table(table, caption: str, table_id: str, empty: str, kind: str | None = None) -> Markup:
    """Rules down, teams across (and all teams when there are several); each count links to
    the children behind it when `kind` (tasks or deadlines) is given and the rule known."""
    if not table.rows:
        return Markup(f'<h2 class="govuk-heading-m" id="{escape(table_id)}">{escape(caption)}</h2>\n'
                      f'<p class="govuk-body">{escape(empty)}</p>')
    teams = [escape(team) for team in table.teams]
    several = len(teams) > 1
    base = escape(url_for("dashboard.children"))
    in_team = [f"&amp;team={_q(team)}" for team in table.teams]
    out = [f'<table class="govuk-table app-overdue-table" id="{escape(table_id)}">\n'
           f'  <caption class="govuk-table__caption govuk-table__caption--m">{escape(caption)}</caption>\n'
           '  <thead class="govuk-table__head"><tr class="govuk-table__row">\n'
           '    <th scope="col" class="govuk-table__header">Rule</th>\n']
    out += [f'<th scope="col" class="govuk-table__header govuk-table__header--numeric">{team}</th>'
            for team in teams]
    if several:
        out.append('<th scope="col" class="govuk-table__header govuk-table__header--numeric">All teams</th>')
    out.append('  </tr></thead>\n  <tbody class="govuk-table__body">\n')
    for row in table.rows:
        rule = escape(row["rule"])
        out.append(f'    <tr class="govuk-table__row" data-rule="{rule}">\n'
                   f'      <th scope="row" class="govuk-table__header">{rule or "No rule"}'
                   f'<span class="govuk-hint govuk-!-margin-bottom-0 app-rule-label">'
                   f'{escape(row["label"])}</span></th>\n')
        linked = bool(kind and row["rule"])
        href = f"{base}?overdue={_q(kind)}&amp;rule={_q(row['rule'])}" if linked else ""
        for n, team, team_query in zip(row["counts"], teams, in_team):
            if linked and n:
                out.append(f'{_NUMERIC}<a class="govuk-link" href="{href}{team_query}" aria-label="'
                           f'{n} in {team} under {rule}: see the children">{n}</a></td>')
            else:
                out.append(f"{_NUMERIC}{n}</td>")
        if several:
            total = row["total"]
            if linked and total:
                out.append(f'{_NUMERIC}<strong><a class="govuk-link" href="{href}" aria-label="'
                           f'{total} in all teams under {rule}: see the children">{total}</a>'
                           '</strong></td>')
            else:
                out.append(f"{_NUMERIC}<strong>{total}</strong></td>")
        out.append("    </tr>\n")
    out.append("  </tbody>\n</table>")
    return Markup("".join(out))


def drift_table(drift) -> Markup:
    """A drift list's rows: each child (linked), their team and worker, the date, and why."""
    child = g.get("_child_href")   # ".../children/", asked of the URL map once a request
    if child is None:
        child = g._child_href = escape(url_for("children.show", child_id=0)[:-1])
    out = [f'<table class="govuk-table app-drift-table" data-drift="{escape(drift.kind.key)}">\n'
           '  <thead class="govuk-table__head"><tr class="govuk-table__row">\n'
           '    <th scope="col" class="govuk-table__header">Child</th>\n'
           '    <th scope="col" class="govuk-table__header">Team</th>\n'
           f'    <th scope="col" class="govuk-table__header">{escape(drift.kind.date_heading)}</th>\n'
           '    <th scope="col" class="govuk-table__header">Why</th>\n'
           '  </tr></thead>\n  <tbody class="govuk-table__body">\n']
    for row in drift.rows:
        child_id = int(row["child_id"])
        worker = (f'<span class="govuk-hint govuk-!-margin-bottom-0">{escape(row["social_worker"])}</span>'
                  if row["social_worker"] else "")
        out.append(
            f'    <tr class="govuk-table__row" data-child-id="{child_id}">\n'
            f'      <td class="govuk-table__cell"><a class="govuk-link" href="{child}{child_id}">'
            f'{escape(row["name"])}</a><span class="govuk-hint govuk-!-margin-bottom-0">'
            f'{escape(row["reference"])}</span></td>\n'
            f'      <td class="govuk-table__cell">{escape(row["team"])}{worker}</td>\n'
            f'      <td class="govuk-table__cell app-due-date"><time datetime="{row["date"].isoformat()}">'
            f'{escape(long_date(row["date"]))}</time></td>\n'
            f'      <td class="govuk-table__cell">{escape(row["detail"])}</td>\n'
            "    </tr>\n")
    out.append("  </tbody>\n</table>")
    return Markup("".join(out))
