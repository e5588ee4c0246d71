"""The family network fed by the pathway's records (A9, E6): the people a family group
conference's plan proposes as carers join the network, and a connected-person assessment's
outcome is written against the person it assessed. Each is a new version of the network,
audited as the completing user's change, in the completion's transaction."""
from datetime import datetime

from sqlalchemy.orm import Session

from models import Child, TaskRecord, User
from workflows.calendar import as_date

from . import family_network, versions
from .versions import FAMILY_NETWORK, child_subject

#: A connected-person assessment's recommendation -> the network's assessment.
OUTCOMES = {"approve": "approved", "not_approve": "not_approved"}


def _form_stem(record: TaskRecord) -> str:
    name = (record.form or {}).get("name") or ""
    return name.rsplit("/", 1)[-1].removesuffix(".json")


def from_record(session: Session, record: TaskRecord, child: Child, user: User, now: datetime) -> None:
    answers = record.answers or {}
    if "proposed_carers" in answers:
        _fgc(session, record, child, user, answers)
    elif "carer_name" in answers and answers.get("assessment_recommendation") in OUTCOMES:
        _assessed(session, child, user, answers)


def _fgc(session, record, child, user, answers) -> None:
    lines = family_network.proposed_lines(answers.get("proposed_carers") or "")
    if not lines:
        return
    held = as_date(answers["fgc_held_on"]).isoformat() if answers.get("fgc_held_on") else None
    current = versions.current(session, child_subject(child.id), FAMILY_NETWORK)
    data = current.data if current else {"people": []}
    added = []
    for name, relationship in lines:
        known = family_network.named(data, name)
        if known is not None:
            if known.get("caring") not in ("offered", "ruled_out"):
                data = family_network.with_change(data, known["number"], {"caring": "proposed_by_fgc"})
            continue
        data, _n = family_network.with_person(data, {
            "name": name, "relationship": relationship, "contact": "", "identified_on": held,
            "caring": "proposed_by_fgc", "ruled_out_reason": "", "assessment": "not_assessed",
            "assessed_on": None, "notes": ""}, source=f"Family group conference on {held}")
        added.append(name)
    if current is None or data != current.data:
        versions.write(session, child_subject(child.id), FAMILY_NETWORK, data,
                       f"Proposed as carers by the family group conference held on {held}"
                       + (f": {', '.join(added)} added" if added else ""), user, child_id=child.id)


def _assessed(session, child, user, answers) -> None:
    current = versions.current(session, child_subject(child.id), FAMILY_NETWORK)
    found = family_network.named(current.data if current else None, answers.get("carer_name", ""))
    outcome = OUTCOMES[answers["assessment_recommendation"]]
    on = as_date(answers["assessed_on"]).isoformat() if answers.get("assessed_on") else None
    if found is None:
        data, _n = family_network.with_person(current.data if current else None, {
            "name": answers["carer_name"].strip(), "relationship": "Connected person",
            "contact": "", "identified_on": on, "caring": "offered", "ruled_out_reason": "",
            "assessment": outcome, "assessed_on": on, "notes": ""},
            source="Connected person assessment")
    else:
        data = family_network.with_change(current.data, found["number"],
                                          {"assessment": outcome, "assessed_on": on})
    versions.write(session, child_subject(child.id), FAMILY_NETWORK, data,
                   f"Connected person assessment of {answers['carer_name'].strip()}: "
                   f"{family_network.ASSESSMENT[outcome].lower()}", user, child_id=child.id)
