"""A review PPM opened for the first time starts filled in with the areas the last PPM
recorded and the contingency plan (D2, D24): the meeting updates them rather than starting
again, and the contingency is never silently dropped. A saved draft is shown as it was."""
from engine.ppm_carry import REVIEW_STEPS, last_ppm_areas

from .records.pages import as_form_answers
from .task_form import is_blank


def prefilled(page, fields, answers: dict, db, username: str) -> dict:
    if page.task.get("bpmn_id") not in REVIEW_STEPS:
        return answers
    by_name = {f.name: f for f in fields}
    for name, value in last_ppm_areas(db, page.child["id"], username).items():
        field = by_name.get(name)
        if field is not None and field.kind == "list":
            # The reunification plan's conditions (E3), as rows to say where each stands.
            if all(is_blank(row) for row in answers.get(name) or []):
                answers[name] = as_form_answers([field], {name: value})[name]
        elif field is not None and not answers.get(name):
            answers[name] = value
    return answers
