"""The managers' pages: the dashboard (children by stage and route, overdue work by team and
rule, drift lists, the heatmap over the pathway diagram), each drift list in full, and the
searchable list of children (open to every casework role: see `engine.reporting.mine`).
Team managers see their own team, the others every team;
`engine.reporting` decides that from the signed-in user on every request."""
from functools import lru_cache
from urllib.parse import urlencode

from flask import Blueprint, Response, abort, current_app, g, render_template, request, url_for

from engine import reporting
from engine.reporting.listing import NEEDS, OVERDUE_OF
from engine.reporting.mine import heading as children_heading, sees_all_by_default
from engine.reporting.overview import NO_PLAN
from workflows.rules import rule_label
from workflows.stages import ROUTE_LABELS

from . import database
from .dashboard_tables import drift_table, overdue_table
from .identity import current_user, roles_required

bp = Blueprint("dashboard", __name__)
bp.add_app_template_global(overdue_table)
bp.add_app_template_global(drift_table)
managers_required = roles_required(*reporting.DASHBOARD_ROLES)


def _main_process() -> str:
    return current_app.config["PERMANENCE"].process_id


@bp.get("/dashboard")
@managers_required
def index():
    process = request.args.get("process") or None
    board = reporting.dashboard(database(current_app), current_user(), _main_process(), process)
    heat = board.heatmap
    return render_template(
        "dashboard/index.html", board=board, heat=heat, main_process=_main_process(),
        route_id={label: key for key, label in found_routes()},
        heat_levels=_heat_levels(heat.counts) if heat else {},
        diagram_url=url_for("dashboard.diagram", process=process) if heat else None)


@bp.app_template_global()
def children_href(**args) -> str:
    """The children list filtered by `args`, as `url_for` gives it, the URL map asked once a
    request (the overdue tables build their many links alike: web.dashboard_tables)."""
    base = g.get("_children_href")
    if base is None:
        base = g._children_href = url_for("dashboard.children")
    query = _query(tuple((k, v) for k, v in args.items() if v is not None))
    return f"{base}?{query}" if query else base


@bp.app_template_global()
def heatmap_href(process: str | None) -> str:
    """The dashboard showing `process` in its heatmap, as `url_for("dashboard.index",
    process=...)` gives it (werkzeug's encoding), the URL map asked once a request: the
    heatmap links every called process, in its list and in its table."""
    base = g.get("_dashboard_href")
    if base is None:
        base = g._dashboard_href = url_for("dashboard.index")
    return f"{base}?{_process_query(process)}" if process else base


@lru_cache(maxsize=256)
def _process_query(process: str) -> str:
    return urlencode([("process", process)], safe="!$'()*,/:;?@")


@lru_cache(maxsize=4096)
def _query(items: tuple) -> str:
    """The same few teams, rules, stages and routes on every dashboard: encoded once."""
    return urlencode(items)


def found_routes() -> list[tuple[str, str]]:
    """(route id, label) for every route and "No plan yet", as the children list filters them."""
    return [*ROUTE_LABELS.items(), (reporting.NO_ROUTE, NO_PLAN)]


def _heat_levels(counts: dict[str, int]) -> dict[str, int]:
    """Colour by count: four steps of the largest count shown, so the busiest steps stand out."""
    top = max(counts.values(), default=0)
    return {element: max(1, -(-4 * n // top)) for element, n in counts.items()} if top else {}


@bp.get("/dashboard/diagram.bpmn")
@managers_required
def diagram():
    xml = reporting.diagram(database(current_app), current_user().username, _main_process(),
                            request.args.get("process") or None)
    response = Response(xml, mimetype="application/xml")
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/dashboard/drift/<kind>")
@managers_required
def drift(kind):
    if kind not in reporting.DRIFT_KINDS:
        abort(404)
    found, page, pages = reporting.drift_list(database(current_app), current_user().username,
                                              kind, _page_number())
    return render_template("dashboard/drift.html", drift=found, page=page, pages=pages,
                           pagination=_pagination(page, pages, "dashboard.drift", kind=kind))


@bp.get("/children")
@roles_required(*reporting.CHILD_LIST_ROLES)
def children():
    """Every casework role's children: a manager's scope, or a practitioner's own children
    ("My children") with a switch to every child they may see; a search looks at all."""
    args, user = request.args, current_user()
    filters = reporting.ChildFilters(
        search=args.get("q", "")[:100], team=args.get("team", ""), stage=args.get("stage", ""),
        route=args.get("route", ""), overdue=args.get("overdue") == "yes",
        overdue_of=args.get("overdue", "") if args.get("overdue") in OVERDUE_OF else "",
        overdue_rule=args.get("rule", "")[:10],
        needs=args.get("needs", "") if args.get("needs", "") in NEEDS else "")
    own_first = not sees_all_by_default(user)
    only_mine = own_first and args.get("show") != "all" and not filters.search.strip()
    found = reporting.children(database(current_app), user.username, filters,
                               _page_number(), only_mine=only_mine)
    query = {k: v for k, v in {"q": filters.search, "team": filters.team, "stage": filters.stage,
                               "route": filters.route, "needs": filters.needs,
                               "overdue": "yes" if filters.overdue else filters.overdue_of,
                               "rule": filters.overdue_rule if filters.overdue_of else "",
                               "show": "all" if own_first and not only_mine else ""}.items() if v}
    return render_template(
        "dashboard/children.html", found=found, filters=filters, own_first=own_first,
        only_mine=only_mine, heading=children_heading(user) if only_mine else "Children",
        filtered=bool(query), route_names=dict(found.routes), needs=NEEDS,
        overdue_of=OVERDUE_OF.get(filters.overdue_of), rule_label=rule_label,
        pagination=_pagination(found.page, found.pages, "dashboard.children", **query))


def _page_number() -> int:
    try:
        return max(1, int(request.args.get("page", "1")))
    except ValueError:
        return 1


def _pagination(page: int, pages: int, endpoint: str, **args) -> dict | None:
    """GOV.UK pagination: previous, next, and the pages around this one."""
    if pages <= 1:
        return None
    shown = sorted({1, pages, *range(max(1, page - 2), min(pages, page + 2) + 1)})
    items, last = [], 0
    for number in shown:
        if number - last > 1:
            items.append({"ellipsis": True})
        items.append({"number": number, "current": number == page,
                      "href": url_for(endpoint, page=number, **args)})
        last = number
    pagination = {"items": items}
    if page > 1:
        pagination["previous"] = {"href": url_for(endpoint, page=page - 1, **args)}
    if page < pages:
        pagination["next"] = {"href": url_for(endpoint, page=page + 1, **args)}
    return pagination
