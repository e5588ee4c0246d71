"""The lists a form's `x-choices` questions are picked from (A5: a PPM action's owner is
picked from staff, never typed), filled in wherever a task's form is shown or checked, so
the page, the API, the command line and the record all see the same list."""
from sqlalchemy.orm import Session

from models import Team, User, UserRole
from workflows.form_choices import schema_text, with_choices
from workflows.forms import FormDefinition
from workflows.roles import LANE_ROLES

from .users import active_staff


#: Built once (every form with an owner to pick reads it).
_STAFF = (active_staff().with_only_columns(User.id, User.username, User.display_name, Team.name, UserRole.role)
          .join(UserRole, UserRole.user_id == User.id).outerjoin(Team, Team.id == User.team_id)
          .where(UserRole.role.in_(LANE_ROLES)))


_KNOWN = "staff_choices"


def staff_choices(session: Session) -> list[tuple[str, str]]:
    """Active staff who do casework, as (username, "Name (role, team)"), by name: the
    columns shown, a row per lane role (every form page with an owner to pick asks). Read
    once per session (a transaction, or a page's snapshot), like `users.user_by_name`: the
    form shown, its check and the record of one request all pick from the same list."""
    known = session.info.get(_KNOWN)
    if known is not None:
        return list(known)
    people: dict[int, tuple[str, str, str | None, set[str]]] = {}
    for user_id, username, name, team, role in session.execute(_STAFF):
        people.setdefault(user_id, (username, name, team, set()))[3].add(role)
    found = []
    for username, name, team, held in people.values():
        roles = [r for r in LANE_ROLES if r in held]
        where = ", ".join(roles[:2]) + (f", {team}" if team else "")
        found.append((username, f"{name} ({where})"))
    session.info[_KNOWN] = tuple(found)
    return found


def staff_for(session: Session, form: FormDefinition | None) -> list[tuple[str, str]] | None:
    """The staff a form picks from, None when it picks nobody: read once by a completion
    for both `filled` and `chosen`."""
    return staff_choices(session) if picks_staff(form) else None


def filled(session: Session, form: FormDefinition | None,
           staff: list[tuple[str, str]] | None = None) -> FormDefinition | None:
    """`form` with its lists to pick from; `staff`: as `staff_for` read it (else read here)."""
    if not picks_staff(form):
        return form
    return with_choices(form, {"staff": staff if staff is not None else staff_choices(session)})


def picks_staff(form: FormDefinition | None) -> bool:
    """Whether the form has a question picked from staff (its schema's text is made once
    per form: asked several times a request)."""
    return form is not None and '"x-choices"' in schema_text(form)


def chosen(session: Session, form: FormDefinition | None, answers: dict,
           staff: list[tuple[str, str]] | None = None) -> dict:
    """The choices a completion picked, with their labels ({"staff": [(username, label)]}),
    kept in the record's context: the record keeps the diagram's form, not the whole list of
    staff, and reads its owners by name (`engine.records.form_of`)."""
    if not picks_staff(form):
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
    labels = dict(staff if staff is not None else staff_choices(session))
    return {"staff": [[u, labels[u]] for u in sorted(picked) if u in labels]} if picked else {}
