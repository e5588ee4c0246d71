"""The API's shapes for a child's casework: records, case events and placements, case
details (and writing identity, the family network and health assessments), and
reallocation (web/api/casework.py)."""
from marshmallow import Schema, fields, validate

from engine.allocation import REASON_LIMIT
from engine.case_event_kinds import KINDS
from engine.casework import family_network, health, identity
from workflows.record_kinds import KINDS as RECORD_KINDS

from .schemas import OpenedTask, Strict, PageArgs, page_of


class RecordArgs(PageArgs):
    kind = fields.String(validate=validate.OneOf(list(RECORD_KINDS)),
                         metadata={"description": "only records of this kind"})


class Record(Schema):
    id = fields.Integer(required=True, metadata={"description": "this revision's id"})
    task_id = fields.String(required=True)
    task_name = fields.String(required=True)
    title = fields.String(required=True, metadata={"description": "the form's title"})
    kind = fields.String(required=True)
    kind_label = fields.String(required=True)
    child_id = fields.Integer(required=True)
    completed_at = fields.AwareDateTime(required=True)
    completed_by = fields.String(required=True)
    recorded_at = fields.AwareDateTime(required=True)
    recorded_by = fields.String(required=True)
    due_on = fields.Date(allow_none=True)
    rule = fields.String(allow_none=True)
    on_time = fields.Boolean(allow_none=True)
    meeting_on = fields.Date(allow_none=True, metadata={"description": "the date the record is about"})
    revision = fields.Integer(required=True)
    reason = fields.String(allow_none=True, metadata={"description": "why it was corrected"})
    answers = fields.Dict(required=True, metadata={"description": "the form's answers, by question name"})
    context = fields.Dict(required=True)


class RecordDetail(Record):
    form = fields.String(allow_none=True, metadata={"description": "the form it was answered on"})
    form_schema = fields.Dict(allow_none=True, metadata={"description": "that form's JSON Schema"})
    revisions = fields.List(fields.Nested(Record), required=True,
                            metadata={"description": "every revision, newest first"})


class CaseEvent(Schema):
    id = fields.Integer(required=True)
    kind = fields.String(required=True)
    label = fields.String(required=True)
    occurred_on = fields.Date(required=True)
    data = fields.Dict(required=True, metadata={"description": "the details, as checked"})
    caught_by = fields.List(fields.String(), required=True,
                            metadata={"description": "the pathway steps that heard it"})
    recorded_by = fields.String(allow_none=True)
    recorded_at = fields.AwareDateTime(required=True)


class CaseEventCreate(Strict):
    kind = fields.String(required=True, validate=validate.OneOf(list(KINDS)))
    data = fields.Dict(keys=fields.String(), required=True, metadata={
        "description": "what the kind asks (README, case events), e.g. {\"issued_on\": \"2026-05-27\"}"})


class Delivered(Schema):
    event_id = fields.Integer(required=True)
    kind = fields.String(required=True)
    caught_by = fields.List(fields.String(), required=True)
    opened = fields.List(fields.Nested(OpenedTask), required=True)
    closed = fields.List(fields.String(), required=True,
                         metadata={"description": "tasks the event completed or made unnecessary"})
    error = fields.String(allow_none=True)


class Placement(Schema):
    placement_type = fields.String(required=True)
    carers = fields.String(allow_none=True)
    area = fields.String(allow_none=True)
    started_on = fields.Date(required=True)
    ended_on = fields.Date(allow_none=True)
    end_reason = fields.String(allow_none=True)


class Placements(Schema):
    items = fields.List(fields.Nested(Placement), required=True)


class AllocationChange(Strict):
    team = fields.String(required=True, validate=validate.Length(1, 120))
    social_worker = fields.String(required=True, validate=validate.Length(1, 80),
                                  metadata={"description": "username of a social worker in that team"})
    on = fields.Date(required=True, metadata={"description": "the day the change takes effect"})
    reason = fields.String(required=True, validate=validate.Length(1, REASON_LIMIT))


class Allocation(Schema):
    child_id = fields.Integer(required=True)
    social_worker = fields.String(allow_none=True, metadata={"description": "their name"})
    team = fields.String(required=True)
    tasks_moved = fields.Integer(required=True)


RecordPage = page_of(Record)
CaseEventPage = page_of(CaseEvent)


def _identity_fields() -> dict:
    """One field per question of the identity form (K9 to K14), checked as the page checks."""
    found = {}
    for name, label, kind, choices in identity.FIELDS:
        about = {"description": label}
        if kind == "many":
            found[name] = fields.List(fields.String(validate=validate.OneOf(list(choices))), metadata=about)
        elif kind == "choice":
            found[name] = fields.String(validate=validate.OneOf(["", *choices]), metadata=about)
        else:
            limit = identity.MAX_LONG if kind == "long" else identity.MAX_TEXT
            found[name] = fields.String(validate=validate.Length(0, limit), metadata=about)
    return found


Identity = Strict.from_dict(_identity_fields(), name="Identity")


class IdentityChange(Strict):
    data = fields.Nested(Identity, required=True, metadata={"description": "the whole of the new version: a question left out is not yet known"})
    reason = fields.String(load_default="", validate=validate.Length(0, 5000),
                           metadata={"description": "what has changed and why (needed after the first version)"})


class IdentitySaved(Schema):
    child_id = fields.Integer(required=True)
    version = fields.Integer(required=True)


class DetailVersion(Schema):
    version = fields.Integer(required=True)
    data = fields.Dict(required=True)
    reason = fields.String(required=True)
    recorded_by = fields.String(required=True)
    recorded_at = fields.AwareDateTime(required=True)


class Sibling(Schema):
    visible = fields.Boolean(required=True, metadata={"description": "false: a sibling this token may not see, shown without detail"})
    id = fields.Integer(allow_none=True)
    name = fields.String(required=True)
    reference = fields.String()
    date_of_birth = fields.Date()
    this_child = fields.Boolean(required=True)


class Siblings(Schema):
    group_id = fields.Integer(required=True)
    members = fields.List(fields.Nested(Sibling), required=True)
    assessment = fields.Nested(DetailVersion, allow_none=True, metadata={"description": "the together-or-apart assessment (K1, K2)"})
    warning = fields.String(required=True)


class FamilyTime(Schema):
    version = fields.Nested(DetailVersion, allow_none=True)
    arrangements = fields.List(fields.Dict(), required=True)
    reviews = fields.List(fields.Dict(), required=True, metadata={"description": "newest first"})
    review_due_on = fields.Date(allow_none=True)
    review_overdue = fields.Boolean(required=True)


class NetworkPerson(Schema):
    number = fields.Integer(required=True)
    name = fields.String(required=True)
    relationship = fields.String(required=True)
    contact = fields.String()
    identified_on = fields.String(allow_none=True, metadata={"description": "ISO date"})
    caring = fields.String(required=True, metadata={"description": "offered, proposed_by_fgc, could_care, support_only, ruled_out or not_known"})
    caring_text = fields.String()
    ruled_out_reason = fields.String()
    assessment = fields.String(required=True)
    assessment_text = fields.String()
    assessed_on = fields.String(allow_none=True, metadata={"description": "ISO date"})
    notes = fields.String()
    source = fields.String()


class FamilyNetwork(Schema):
    version = fields.Nested(DetailVersion, allow_none=True)
    people = fields.List(fields.Nested(NetworkPerson), required=True)
    warning = fields.String(required=True, metadata={"description": "none mapped, or who could care and is not yet assessed (E6)"})


class HealthAssessments(Schema):
    version = fields.Nested(DetailVersion, allow_none=True)
    assessments = fields.List(fields.Dict(), required=True, metadata={"description": "newest first"})
    due_on = fields.Date(allow_none=True, metadata={"description": "the next statutory health assessment (E25)"})
    due_reason = fields.String(required=True)
    overdue = fields.Boolean(required=True)


class CaseDetails(Schema):
    identity = fields.Nested(DetailVersion, allow_none=True, metadata={"description": "identity and needs (K9 to K14)"})
    family_time = fields.Nested(FamilyTime, required=True, metadata={"description": "K5 to K8"})
    siblings = fields.Nested(Siblings, allow_none=True, metadata={"description": "K1 to K4"})
    out_of_area_warning = fields.String(required=True)
    family_network = fields.Nested(FamilyNetwork, required=True, metadata={"description": "A9, E6"})
    health = fields.Nested(HealthAssessments, required=True, metadata={"description": "E25"})


def _detail_fields(questions) -> dict:
    """One field per question of a case-details form (engine.casework), typed only: the
    engine checks every answer as the page checks it, and refuses by field (422)."""
    found = {}
    for name, label, kind, choices in questions:
        about = {"description": label + (" (ISO date)" if kind == "date" else "")}
        if kind == "choice":
            found[name] = fields.String(validate=validate.OneOf(["", *choices]), metadata=about)
        else:
            found[name] = fields.String(allow_none=kind == "date", metadata=about)
    return found


NetworkPersonData = Strict.from_dict(_detail_fields(family_network.PERSON_FIELDS), name="NetworkPersonData")
HealthAssessmentData = Strict.from_dict(_detail_fields(health.FIELDS), name="HealthAssessmentData")


class NetworkPersonChange(Strict):
    data = fields.Nested(NetworkPersonData, required=True, metadata={"description": "the person, whole"})
    number = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(1, 100000), metadata={
        "description": "the person's number in the network, to change their entry; left out: a new person"})
    reason = fields.String(load_default="", metadata={"description": "what has changed and why (needed for a change)"})


class HealthAssessmentCreate(Strict):
    data = fields.Nested(HealthAssessmentData, required=True)


class DetailSaved(Schema):
    child_id = fields.Integer(required=True)
    version = fields.Integer(required=True, metadata={"description": "the new version's number (earlier ones are kept)"})
