"""This project's metadata on diagram elements, read from `spiffworkflow:properties`.

The names are the ones SpiffArena's modeler writes (`formJsonSchemaFilename`) plus ours:
`dueDate` (an expression giving the date the task or clock is due), `rule` (an id from
RULES.md), `stage` (where the child is on the pathway) and, on a statutory-clock timer,
`metOn` (an expression giving the date the clock was met, from the data that met it).
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class ElementProperties:
    form: str | None = None
    ui_form: str | None = None
    due_date: str | None = None
    rule: str | None = None
    stage: str | None = None
    met_on: str | None = None
    due_reason: str | None = None
    instructions: str = ""


def element_properties(task_spec) -> ElementProperties:
    """Properties of one task spec; elements without extensions get all-None properties."""
    extensions = getattr(task_spec, "extensions", None) or {}
    props = extensions.get("properties") or {}
    return ElementProperties(
        form=props.get("formJsonSchemaFilename") or None,
        ui_form=props.get("formUiSchemaFilename") or None,
        due_date=props.get("dueDate") or None,
        rule=props.get("rule") or None,
        stage=props.get("stage") or None,
        met_on=props.get("metOn") or None,
        due_reason=props.get("dueReason") or None,
        instructions=extensions.get("instructionsForEndUser") or "",
    )
