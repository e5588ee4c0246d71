"""The lists a form's `x-choices` questions are picked from (A5: a PPM action's owner is
picked from staff, never typed), filled in wherever a task's form is shown or checked, so
the page, the API, the command line and the record all see the same list."""
import json

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from models import User
from workflows.form_choices import with_choices
from workflows.forms import FormDefinition
from workflows.roles import LANE_ROLES

from .users import active_staff


def staff_choices(session: Session) -> list[tuple[str, str]]:
    """Active staff who do casework, as (username, "Name (role, team)"), by name."""
    users = session.scalars(active_staff().options(joinedload(User.team))).unique()
    found = []
    for user in users:
        roles = [r for r in LANE_ROLES if r in user.roles]
        if roles:
            where = ", ".join(roles[:2]) + (f", {user.team.name}" if user.team else "")
            found.append((user.username, f"{user.display_name} ({where})"))
    return found


def filled(session: Session, form: FormDefinition | None) -> FormDefinition | None:
    if form is None or '"x-choices"' not in _text(form):
        return form
    return with_choices(form, {"staff": staff_choices(session)})


def _text(form: FormDefinition) -> str:
    return json.dumps(form.schema_json)


def chosen(session: Session, form: FormDefinition | None, answers: dict) -> dict:
    """The choices a completion picked, with their labels ({"staff": [(username, label)]}),
    kept in the record's context: the record keeps the diagram's form, not the whole list of
    staff, and reads its owners by name (`engine.records.form_of`)."""
    if form is None or '"x-choices"' not in _text(form):
        return {}
    picked = set()
    for name, prop in (form.schema_json.get("properties") or {}).items():
        value = answers.get(name)
        if prop.get("x-choices") == "staff" and isinstance(value, str):
            picked.add(value)
        rows = (prop.get("items") or {}).get("properties") or {}
        for row in value if isinstance(value, list) else []:
            for sub, sub_prop in rows.items():
                if sub_prop.get("x-choices") == "staff" and isinstance(row, dict) and isinstance(row.get(sub), str):
                    picked.add(row[sub])
    labels = dict(staff_choices(session))
    return {"staff": [[u, labels[u]] for u in sorted(picked) if u in labels]} if picked else {}
