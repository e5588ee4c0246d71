"""The inbox, every practitioner's home page: the tasks waiting for them in sections (my
children, my team's, escalations), each counted, in due-date order, 25 a page, with filters
by kind of task, child and overdue (`engine.inbox_sections` decides what is in each)."""
from flask import Blueprint, current_app, redirect, render_template, request, url_for

import engine
from engine import casework, panel_business, ppm_actions
from engine.inbox_sections import PER_PAGE

from . import database
from .identity import current_user

bp = Blueprint("inbox", __name__)


def _page(key: str) -> int:
    try:
        return max(1, int(request.args.get(f"{key}_page", "1")))
    except ValueError:
        return 1


@bp.get("/inbox")
def index():
    user, args = current_user(), request.args
    filters = engine.InboxFilters(kind=args.get("kind", "")[:255], child=args.get("child", "")[:100],
                                  overdue=args.get("overdue") == "yes")
    pages = {key: _page(key) for key in ("mine", "team", "escalations")}
    box = engine.inbox(database(current_app), user.username, filters, pages)
    query = {k: v for k, v in {"kind": filters.kind, "child": filters.child,
                               "overdue": "yes" if filters.overdue else ""}.items() if v}
    alerts = panel_business.panel_alerts(database(current_app), user.username)
    actions = ppm_actions.inbox_actions(database(current_app), user.username) if user.does_casework else {}
    return render_template("inbox.html", inbox=box, filters=filters, per_page=PER_PAGE, panel_alerts=alerts,
                           family_time_due=casework.reviews_due(database(current_app), user.username),
                           health_due=casework.health_assessments_due(database(current_app), user.username),
                           actions=actions,
                           pagination={s.key: _pagination(s, pages, query) for s in box.sections})


def _pagination(section, pages: dict, query: dict) -> dict | None:
    """GOV.UK pagination for one section; the other sections stay on their pages."""
    if section.pages <= 1:
        return None

    def href(number):
        others = {f"{k}_page": v for k, v in pages.items() if k != section.key and v > 1}
        return url_for("inbox.index", **query, **others, **{f"{section.key}_page": number},
                       _anchor=section.key)
    items = [{"number": n, "current": n == section.page, "href": href(n)}
             for n in range(1, section.pages + 1)
             if n in (1, section.pages) or abs(n - section.page) <= 2]
    spaced = []
    for item in items:
        if spaced and item["number"] - spaced[-1]["number"] > 1:
            spaced.append({"ellipsis": True, "number": item["number"] - 1})
        spaced.append(item)
    found = {"items": [i if not i.get("ellipsis") else {"ellipsis": True} for i in spaced],
             "landmarkLabel": f"{section.heading}: pages"}
    if section.page > 1:
        found["previous"] = {"href": href(section.page - 1)}
    if section.page < section.pages:
        found["next"] = {"href": href(section.page + 1)}
    return found


@bp.get("/")
def home():
    return redirect(url_for("inbox.index"))
