"""What every page shares: the GOV.UK Frontend templates and files, date filters, and the
service navigation (areas register their links here, shown to the roles they are for)."""
from collections import ChainMap
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, current_app, render_template, request, send_from_directory, url_for
from flask_wtf.csrf import generate_csrf as csrf_token
from flask.templating import Environment as FlaskEnvironment
from jinja2 import ChoiceLoader, PackageLoader, PrefixLoader
from markupsafe import Markup, escape

from engine.case_event_kinds import STATUSES
from engine.reporting import CHILD_LIST_ROLES, PANEL_ROLES
from workflows.roles import ADMINISTRATOR, PROCESS_OWNER
from workflows.rules import rule_label

from . import dates
from .drafts import session_seconds
from .identity import CASEWORK_ROLES, MANAGER_ROLES, current_user

STATIC = Path(__file__).parent / "static"
#: A pathway's status as a practitioner reads it.
PATHWAY_STATUS = {"active": "Running", "completed": "Complete",
                  "error": "Stopped with a problem (an administrator is needed)",
                  "suspended": "Paused"}
#: govuk-frontend's compiled CSS asks for its fonts and images under /assets.
GOVUK_ASSETS = STATIC / "govuk-frontend" / "assets"


@dataclass(frozen=True)
class NavItem:
    text: str
    endpoint: str
    roles: frozenset[str] | None = None   # None: everyone signed in


#: In order. An item shows once its endpoint exists, to the roles it names: the dashboard
#: and panel pages come later and appear here for managers as soon as they are registered.
NAVIGATION = [
    NavItem("Inbox", "inbox.index"),
    NavItem("Children", "dashboard.children", CHILD_LIST_ROLES),
    NavItem("Start a pathway", "children.new", CASEWORK_ROLES),
    NavItem("Dashboard", "dashboard.index", MANAGER_ROLES),
    NavItem("Performance", "oversight.performance", MANAGER_ROLES),
    NavItem("Panel", "panel.index", PANEL_ROLES),   # chair, administrator, SM, HoS
    NavItem("Diagrams", "diagrams.index", frozenset({PROCESS_OWNER, ADMINISTRATOR})),
    NavItem("Staff", "admin.index", frozenset({ADMINISTRATOR})),
    NavItem("Import", "admin_import.index", frozenset({ADMINISTRATOR})),
    NavItem("E-mails", "reminders.outbox", frozenset({ADMINISTRATOR})),
]


def navigation(active_endpoint: str | None) -> tuple[dict, ...]:
    """The service navigation for the signed-in user's roles. The links depend on nothing
    but the app, its mount point, the roles and the page, so they are built through the URL
    map once for each and kept on the app (the roles are the user's as read this request: a
    change of role changes the links at once)."""
    user = current_user()
    if user is None:
        return ()
    known = current_app.extensions.setdefault("permanence.navigation", {})
    key = (request.script_root, user.roles, active_endpoint)
    items = known.get(key)
    if items is None:
        items = known[key] = tuple(
            {"text": item.text, "href": url_for(item.endpoint), "active": active_endpoint == item.endpoint}
            for item in NAVIGATION if item.endpoint in current_app.view_functions
            and (item.roles is None or user.has_any(item.roles)))
    return items


#: Headers kept per process; past this many (a large council's staff) they are made afresh.
HEADERS_KEPT = 2000
#: Stands in for the session's form token in a kept header (a NUL: never in a name shown).
_TOKEN_SLOT = "\x00sign-out-token\x00"


def page_header() -> Markup:
    """The header of every page: the service navigation for the user's roles, their name,
    the sign-out form and the child search. It depends on nothing but the mount point, the
    page, the user's name and roles as read this request, and the session's form token, so it
    is rendered once for each of the first four and kept, with the token put in each time
    (a rename or a change of role is a new key: seen at once, in every process). A search
    typed into the header is shown back as it was, not kept."""
    user = current_user()
    if request.endpoint == "dashboard.children" and request.args.get("q"):
        return Markup(_render_header(csrf_token() if user else ""))
    key = (request.script_root, request.endpoint,
           (user.display_name, user.roles) if user is not None else None)
    kept = current_app.extensions.setdefault("permanence.headers", {})
    html = kept.get(key)
    if html is None:
        if len(kept) >= HEADERS_KEPT:
            kept.clear()
        html = kept[key] = _render_header(_TOKEN_SLOT)
    return Markup(html.replace(_TOKEN_SLOT, str(escape(csrf_token()))) if user is not None else html)


def _render_header(token: str) -> str:
    return render_template("_header.html", sign_out_token=token)


def _assets(filename):
    return send_from_directory(GOVUK_ASSETS, filename, max_age=3600)


class _Globals(ChainMap):
    """A template's globals whose `keys()` is a dict's view. Every GOV.UK macro imports its
    helpers, and Jinja checks each import with `context globals - template globals.keys()`:
    against a ChainMap's view that is a generator per key (a fifth of a long form's page)."""

    def keys(self):
        return {key: None for mapping in self.maps for key in mapping}.keys()


def indent(s, width=4, first: bool = False, blank: bool = False):
    """Jinja's `indent` filter, the same text, worked on plain strings: GOV.UK Frontend's
    macros indent every component they nest, and Jinja's own splits safe (Markup) text into
    Markup lines and escapes each again when joining them, a fifth of a long form's page."""
    if not isinstance(s, str):
        from jinja2.filters import do_indent
        return do_indent(s, width, first, blank)
    indention = width if isinstance(width, str) else " " * width
    lines = (str(s) + "\n").splitlines()
    if blank:
        rv = ("\n" + indention).join(lines)
    else:
        rv = lines[0]
        if len(lines) > 1:
            rv += "\n" + "\n".join(indention + line if line else line for line in lines[1:])
    if first:
        rv = indention + rv
    return Markup(rv) if isinstance(s, Markup) else rv


class Environment(FlaskEnvironment):
    """Flask's Jinja environment with `_Globals` (same lookups, same layering)."""

    def make_globals(self, d):
        return _Globals({} if d is None else d, self.globals)


def init_app(app: Flask) -> None:
    app.jinja_loader = ChoiceLoader([
        PackageLoader("web"),
        PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
    ])
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.filters.update(indent=indent, long_date=dates.long_date, day_date=dates.day_date, long_datetime=dates.long_datetime,
                                 due_reason=dates.due_reason, rule_label=rule_label,
                                 legal_status=lambda code: STATUSES.get(code, "Not looked after" if code == "none" else code),
                                 role_in_words=dates.role_in_words,
                                 pathway_status=lambda s: PATHWAY_STATUS.get(s, s.capitalize()),
                                 capitalize_first=lambda text: text[:1].upper() + text[1:])
    app.add_url_rule("/assets/<path:filename>", "assets", _assets)
    app.jinja_env.globals["page_header"] = page_header

    @app.context_processor
    def _page_context():
        user = current_user()
        return {"current_user": user, "navigation": navigation(request.endpoint),
                "service_name": "Permanence Pathway",
                "may_search_children": bool(user and user.has_any(CHILD_LIST_ROLES)),
                "session_lifetime_seconds": session_seconds()}
