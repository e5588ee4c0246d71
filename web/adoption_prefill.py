"""The adoption match's page starts filled in from the case (engine.adoption_carry): the
Fostering for Adoption carers as the adopters, and the sibling assessment's together or apart.
Only blank answers are filled; a saved draft is shown as it was."""
from engine.adoption_carry import MATCH_STEP, match_starting_answers


def prefilled(page, fields, answers: dict, db, username: str) -> dict:
    if page.task.get("bpmn_id") != MATCH_STEP:
        return answers
    names = {f.name for f in fields}
    for name, value in match_starting_answers(db, page.child["id"], username).items():
        if name in names and not answers.get(name):
            answers[name] = value
    return answers
