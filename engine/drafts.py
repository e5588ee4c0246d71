"""Work in progress on a task: drafts of the answers (one per task and user, restored when
the task is reopened), and the check of the answers that comes before completing.

Nothing here completes a task or touches the pathway: `check_answers` reads the workflow
only for the case data that a form's rules look at, and writes nothing.
"""
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete, select
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.exc import StaleDataError

from models import Database, HumanTask, PathwayInstance, TaskDraft, User

from . import actions, clock
from .errors import Conflict, FormInvalid, NotAllowed, NotFound, TaskNotOpen
from .form_choices import filled
from .pathway import _RETRIES, _closed_message, _ready_task, _validated, complete_in
from .specs import loaded_version
from .state import stored_task
from .users import user_by_name
from .views import TASK_PAGE, TaskPage, page_of, task_form, task_user_may_do

#: A draft kept from an expired session waits this long for its author to sign in again.
UNCLAIMED_FOR = timedelta(days=1)
#: Limits on what a draft may hold: a task's form, not a store for anything posted.
MAX_KEYS = 400
MAX_TEXT = 20_000


@dataclass(frozen=True)
class Draft:
    answers: dict
    saved_at: datetime


#: A task with its pathway, for the checks a draft makes.
_TASK = select(HumanTask).where(HumanTask.task_id == bindparam("task_id")).options(joinedload(HumanTask.instance))


def _task_for(session, task_id: str, user: User) -> HumanTask:
    """The open task, if the user may do it: the engine's own checks, as completing makes."""
    row = task_user_may_do(session, user, task_id, _TASK)
    if row.status != "open":
        raise TaskNotOpen(_closed_message(row))
    return row


def bounded(answers) -> dict:
    """The answers if they are the shape a form posts (strings, lists, dicts) and not huge."""
    count = 0

    def walk(value):
        nonlocal count
        count += 1
        if count > MAX_KEYS:
            raise ValueError("too many answers")
        if isinstance(value, dict):
            return {str(k)[:200]: walk(v) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v) for v in value]
        if value is None or isinstance(value, (bool, int, float)):
            return value
        return str(value)[:MAX_TEXT]
    if not isinstance(answers, dict):
        raise ValueError("answers must be a mapping")
    return walk(answers)


def save_draft(db: Database, task_id: str, answers: dict, username: str) -> datetime:
    """Keep the answers as typed; a later save replaces an earlier one."""
    with db.transaction() as session:
        user = user_by_name(session, username)
        return _saved(session, _task_for(session, task_id, user), user, answers)


def _saved(session, row: HumanTask, user: User, answers: dict) -> datetime:
    now = clock.now()
    draft = session.scalar(select(TaskDraft).where(TaskDraft.task_id == row.task_id,
                                                   TaskDraft.user_id == user.id))
    if draft is None:
        draft = TaskDraft(task_id=row.task_id, user_id=user.id)
        session.add(draft)
    draft.answers, draft.saved_at = bounded(answers), now
    return now


def load_draft(db: Database, task_id: str, username: str) -> Draft | None:
    """The user's draft of the task, if any (a read: in the page's one snapshot)."""
    with db.reading() as session:
        user = user_by_name(session, username)
        draft = session.scalar(select(TaskDraft).where(TaskDraft.task_id == task_id,
                                                       TaskDraft.user_id == user.id))
        return Draft(draft.answers, draft.saved_at) if draft else None


@dataclass(frozen=True)
class ToComplete:
    """What completing from Check your answers reads first, in its transaction: the task as a
    slim page (its form, its name and its child's, for the answers and the banner; the full
    page is built only when one is shown) and the user's draft of it."""
    page: TaskPage
    draft: Draft | None


#: The task, its pathway and child: the columns a completion's checks and banner read.
_TO_COMPLETE = (select(HumanTask).where(HumanTask.task_id == bindparam("task_id"))
                .options(joinedload(HumanTask.instance).joinedload(PathwayInstance.child)))
_DRAFT = select(TaskDraft).where(TaskDraft.task_id == bindparam("task_id"),
                                 TaskDraft.user_id == bindparam("user_id"))


def _slim(session, row: HumanTask, user: User) -> ToComplete:
    child, form = row.instance.child, task_form(session, row)
    task = {"task_id": row.task_id, "name": row.name, "lane": row.lane, "bpmn_id": row.bpmn_id,
            "status": row.status, "form_name": row.form}
    closed = _closed_message(row) if row.status != "open" else None
    draft = session.scalar(_DRAFT, {"task_id": row.task_id, "user_id": user.id})
    return ToComplete(TaskPage(task, {"id": child.id, "name": child.name}, form, closed),
                      Draft(draft.answers, draft.saved_at) if draft else None)


def complete_draft(db: Database, task_id: str, username: str, submission) -> tuple[ToComplete, object]:
    """Completing from Check your answers in one transaction: the task and the user's draft
    (`ToComplete`), then, if it is open, `submission(slim)` gives the answers to send (None:
    none to send, the draft gone), and the task is completed with them (`complete_task`'s
    checks; everyone's drafts of it discarded with it). Returns the slim read and
    the outcome (None when nothing was completed: the task closed, or no answers). A pathway
    changed meanwhile is looked at again from the start, as `complete_task` does."""
    for _attempt in range(_RETRIES):
        try:
            with db.transaction() as session:
                user = user_by_name(session, username)
                row = task_user_may_do(session, user, task_id, _TO_COMPLETE)
                slim = _slim(session, row, user)
                if slim.page.closed_message:
                    return slim, None
                data = submission(slim)
                if data is None:
                    return slim, None
                outcome = complete_in(session, task_id, data, user, row=row)
                session.execute(delete(TaskDraft).where(TaskDraft.task_id == task_id))
                return slim, outcome
        except StaleDataError:
            continue  # someone changed the pathway meanwhile: look again from the start
    raise Conflict("The pathway kept changing while your answers were being saved. "
                   "Nothing was saved: please try again.")


def continue_task(db: Database, task_id: str, username: str, answers_for) -> TaskPage:
    """The task page's Continue in one transaction: the task read as its page shows it
    (`views.task_page`'s checks), then, if it is open, `answers_for(page)` gives (answers as
    typed, answers to check): the draft is kept, then the answers checked as completing will
    check them (`check_answers`). Returns the page; FormInvalid or TaskNotOpen (the task no
    longer open in the workflow) is raised once the draft is saved, so nothing typed is lost."""
    failed = None
    with db.transaction() as session:
        user = user_by_name(session, username)
        row = task_user_may_do(session, user, task_id, TASK_PAGE)
        page = page_of(session, row)
        if page.closed_message:
            return page
        answers, data = answers_for(page)
        _saved(session, row, user, answers)
        try:
            _checked(session, row, data)
        except (FormInvalid, TaskNotOpen, NotAllowed) as exc:
            failed = exc
    if failed is not None:
        raise failed
    return page


def discard_drafts(db: Database, task_id: str) -> None:
    """Once a task is done, nobody's draft of it is wanted."""
    with db.transaction() as session:
        session.execute(delete(TaskDraft).where(TaskDraft.task_id == task_id))


def keep_unsigned(db: Database, task_id: str, answers: dict) -> str:
    """Answers sent after the session expired: kept under a token for whoever signs in again
    in that browser (`claim`). Nothing is checked yet; nobody can read them until claimed."""
    token = secrets.token_urlsafe(32)
    now = clock.now()
    with db.transaction() as session:
        session.execute(delete(TaskDraft).where(TaskDraft.user_id.is_(None),
                                                TaskDraft.saved_at < now - UNCLAIMED_FOR))
        if session.scalar(select(HumanTask.id).where(HumanTask.task_id == task_id)) is None:
            raise NotFound(f"There is no task {task_id}")
        session.add(TaskDraft(task_id=task_id[:36], user_id=None, token=token,
                              answers=bounded(answers), saved_at=now))
    return token


def claim(db: Database, token: str, username: str) -> str | None:
    """Make a kept draft the signed-in user's own, if they may do its task; its task id."""
    with db.transaction() as session:
        kept = session.scalar(select(TaskDraft).where(TaskDraft.token == token,
                                                      TaskDraft.user_id.is_(None)))
        if kept is None:
            return None
        user = user_by_name(session, username)
        try:
            _task_for(session, kept.task_id, user)
        except (NotFound, NotAllowed, TaskNotOpen):
            session.delete(kept)
            return None
        session.execute(delete(TaskDraft).where(TaskDraft.task_id == kept.task_id,
                                                TaskDraft.user_id == user.id))
        kept.user_id, kept.token = user.id, None
        return kept.task_id


def check_answers(db: Database, task_id: str, data: dict, username: str) -> dict:
    """The answers checked exactly as completing will check them (the form, and its rules
    over the case), without completing: the clean answers, or FormInvalid."""
    with db.transaction() as session:
        user = user_by_name(session, username)
        return _checked(session, _task_for(session, task_id, user), data)


def _checked(session, row: HumanTask, data: dict) -> dict:
    loaded = loaded_version(session, row.instance.diagram_version_id)
    # One task's data from the stored state, not the whole workflow rebuilt (engine.state).
    stored = stored_task(row.instance.state, loaded.spec, loaded.subprocess_specs, row.task_id)
    task = _ready_task(_OneTask(stored if stored and stored.task_spec is not None else None), row)
    form = filled(session, loaded.forms.get(row.form) if row.form else None)
    clean = _validated(form, row, data, task.data)
    actions.check_owners(session, row.bpmn_id, row.instance.child, clean, data)
    return clean


class _OneTask:
    """The one stored task, asked for as `_ready_task` asks a workflow (the same checks as
    completing makes: ready, a user task, the task's lane)."""

    def __init__(self, task):
        self._task = task

    def get_task_from_id(self, _task_id):
        return self._task
