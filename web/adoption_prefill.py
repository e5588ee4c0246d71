"""The adoption route's pages start filled in from the case (engine.adoption_carry): the
match with the Fostering for Adoption carers as the adopters and the sibling assessment's
together or apart; the relinquishment with what was recorded before the birth (E18, E19).
Only blank answers are filled; a saved draft is shown as it was."""
from engine.adoption_carry import (MATCH_STEP, RELINQUISHMENT_STEP, match_starting_answers,
                                   relinquishment_starting_answers)

from engine.before_care import PREBIRTH_STEP, notification_starting_answers

STARTING_ANSWERS = {MATCH_STEP: match_starting_answers, RELINQUISHMENT_STEP: relinquishment_starting_answers,
                    PREBIRTH_STEP: notification_starting_answers}


def prefilled(page, fields, answers: dict, db, username: str) -> dict:
    starting = STARTING_ANSWERS.get(page.task.get("bpmn_id"))
    if starting is None:
        return answers
    names = {f.name for f in fields}
    for name, value in starting(db, page.child["id"], username).items():
        if name in names and not answers.get(name):
            answers[name] = value
    return answers
