"""A review PPM opened for the first time starts filled in with the areas the last PPM
recorded and the contingency plan (D2, D24): the meeting updates them rather than starting
again, and the contingency is never silently dropped. A saved draft is shown as it was."""
from engine.ppm_carry import REVIEW_STEPS, last_ppm_areas


def prefilled(page, fields, answers: dict, db, username: str) -> dict:
    if page.task.get("bpmn_id") not in REVIEW_STEPS:
        return answers
    names = {f.name for f in fields}
    for name, value in last_ppm_areas(db, page.child["id"], username).items():
        if name in names and not answers.get(name):
            answers[name] = value
    return answers
