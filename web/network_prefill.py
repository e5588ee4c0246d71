"""The child's family network beside the forms that weigh it (A9, E6): the PPM where the
options are discussed, the family group conference, and the connected-person assessment,
which picks its carer from the network ("Assess this person" fills in the carer's name,
`?network_person=N`). Shown only as the user may see the child (the task page's own check)."""
from flask import current_app, request

from engine import casework

from . import database
from .identity import current_user

#: Forms beside which the network is shown; the last picks its carer from it.
WEIGHS_THE_NETWORK = ("ppm.json", "ppm-review.json", "fgc.json", "connected-assessment.json")
PICKS_A_CARER = "connected-assessment.json"


def network_for(page) -> dict | None:
    if page.task.get("form_name") not in WEIGHS_THE_NETWORK:
        return None
    network = casework.network_for(database(current_app), page.child["id"], current_user().username)
    return dict(network, picks=page.task.get("form_name") == PICKS_A_CARER)


def prefilled(page, fields, answers: dict) -> dict:
    """A connected-person assessment opened from a person of the network starts with their name."""
    if page.task.get("form_name") != PICKS_A_CARER or "carer_name" not in {f.name for f in fields}:
        return answers
    number = request.args.get("network_person", "")
    if not number.isdigit():
        return answers
    network = network_for(page) or {}
    found = next((p for p in network.get("people", []) if p["number"] == int(number)), None)
    if found is not None and not answers.get("carer_name"):
        answers["carer_name"] = found["name"]
    return answers
