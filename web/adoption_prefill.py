"""Pages that start filled in from the case (engine.adoption_carry, engine.before_care): the
adoption match with the Fostering for Adoption carers as the adopters and the sibling
assessment's together or apart; the relinquishment with what was recorded before the birth
(E18, E19); the notification before the birth from the registration; the entry LGM and the
initial PPM from the work before care (A10, A12). Only blank answers are filled; a saved
draft is shown as it was."""
from functools import partial

from engine.adoption_carry import (MATCH_STEP, RELINQUISHMENT_STEP, match_starting_answers,
                                   relinquishment_starting_answers)
from engine.before_care import (ENTRY_LGM_STEP, INITIAL_PPM_STEP, PREBIRTH_STEP, notification_starting_answers,
                                pathway_starting_answers)

from .task_form import date_parts

STARTING_ANSWERS = {MATCH_STEP: match_starting_answers, RELINQUISHMENT_STEP: relinquishment_starting_answers,
                    PREBIRTH_STEP: notification_starting_answers}
#: A10, A12, E18: steps of the pathway that start from what was recorded before care.
for _step in (ENTRY_LGM_STEP, INITIAL_PPM_STEP):
    STARTING_ANSWERS[_step] = partial(pathway_starting_answers, bpmn_id=_step)


def prefilled(page, fields, answers: dict, db, username: str) -> dict:
    starting = STARTING_ANSWERS.get(page.task.get("bpmn_id"))
    if starting is None:
        return answers
    by_name = {f.name: f for f in fields}
    for name, value in starting(db, page.child["id"], username).items():
        field = by_name.get(name)
        if field is not None and _blank(answers.get(name)):
            answers[name] = _as_typed(field, value)
    return answers


def _blank(answer) -> bool:
    """Nothing typed: an empty answer, or a date whose day, month and year are all empty."""
    return not (any(answer.values()) if isinstance(answer, dict) else answer)


def _as_typed(field, value):
    """A stored answer as the page shows it (dates as day, month and year; yes or no)."""
    if field.kind == "date":
        return date_parts(value)
    if field.kind == "boolean" and isinstance(value, bool):
        return "true" if value else "false"
    if field.kind == "multichoice":
        return list(value or [])
    return value
