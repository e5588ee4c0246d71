"""The inbox, every practitioner's home page: the tasks waiting for them in sections (my
children, my team's, escalations), each counted, in due-date order, 25 a page, with filters
by kind of task, child and overdue (`engine.inbox_sections` decides what is in each)."""
from dataclasses import dataclass

from flask import Blueprint, current_app, redirect, render_template, request, url_for

import engine
from engine import casework, panel_business, ppm_action_views
from engine.paging import PER_PAGE, page_within

from . import database, inbox_rows
from .identity import current_user

bp = Blueprint("inbox", __name__)
#: Where each list's heading is on the page (the task sections' ids are their keys).
ANCHORS = {"panel": "panel-business", "family_time": "family-time-due", "health": "health-due",
           "missed": "missed-actions"}
#: The lists beside the task sections, paged the same way (their keys give `<key>_page`).
LISTS = ("panel", "family_time", "health", "actions", "missed")


@dataclass(frozen=True)
class Listing:
    """One page of a list (its count is the whole list's): only the page shown is rendered,
    however many rows the list has."""
    key: str
    heading: str
    rows: list
    total: int
    page: int
    pages: int

    @property
    def first(self) -> int:
        return (self.page - 1) * PER_PAGE + 1


def _listing(key: str, heading: str, rows: list, page: int) -> Listing:
    """One page of a list read whole."""
    page, _ = page_within(len(rows), page)
    return _one_page(key, heading, rows[(page - 1) * PER_PAGE:page * PER_PAGE], len(rows), page)


def _one_page(key: str, heading: str, rows: list, total: int, page: int) -> Listing:
    """A page of a list (read whole or a page at a time), with the whole list's count."""
    return Listing(key, heading, rows, total, *page_within(total, page))


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
    pages = {key: _page(key) for key in ("mine", "team", "escalations", *LISTS)}
    db = database(current_app)
    box = engine.inbox(db, user.username, filters, pages)
    query = {k: v for k, v in {"kind": filters.kind, "child": filters.child,
                               "overdue": "yes" if filters.overdue else ""}.items() if v}
    lists = {key: _listing(key, heading, rows, pages[key]) for key, heading, rows in (
        ("panel", "Panel business", panel_business.panel_alerts(db, user.username)),
        ("family_time", "Family time reviews due", casework.reviews_due(db, user.username)),
        ("health", "Health assessments due", casework.health_assessments_due(db, user.username)))}
    # A person's actions are read a page at a time: they may own hundreds.
    actions = (ppm_action_views.inbox_actions(db, user.username, {"owned": pages["actions"],
                                                                  "escalated": pages["missed"]})
               if user.does_casework else {})
    for key, heading, listed in (("actions", "Actions you own", "owned"),
                                 ("missed", "Missed actions escalated to you", "escalated")):
        lists[key] = _one_page(key, heading, actions.get(listed, []), actions.get(f"{listed}_total", 0),
                               pages[key])
    return render_template("inbox.html", inbox=box, filters=filters, per_page=PER_PAGE, lists=lists,
                           pagination={s.key: _pagination(s, pages, query)
                                       for s in [*box.sections, *lists.values()]},
                           inbox_rows=inbox_rows.rows, inbox_piece=inbox_rows.piece)


def _pagination(section, pages: dict, query: dict) -> dict | None:
    """GOV.UK pagination for one section or list; the others stay on their pages."""
    if section.pages <= 1:
        return None

    def href(number):
        others = {f"{k}_page": v for k, v in pages.items() if k != section.key and v > 1}
        return url_for("inbox.index", **query, **others, **{f"{section.key}_page": number},
                       _anchor=ANCHORS.get(section.key, section.key))
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
