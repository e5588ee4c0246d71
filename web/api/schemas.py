"""The API's shapes, in marshmallow: flask-smorest builds the OpenAPI document from them and
checks requests against them. Dates are ISO 8601 (`2026-03-02`), instants with their offset."""
from marshmallow import RAISE, Schema, fields, validate

from engine.before_care import KINDS as BEFORE_CARE_KINDS
from engine.children import FGC_BEFORE_CARE_OUTCOMES, LEGAL_STATUSES


MAX_ID = 2**31 - 1   # ids are 32-bit integers on PostgreSQL


class Strict(Schema):
    class Meta:
        unknown = RAISE   # a misspelt field is refused, naming it, never silently dropped


class PageArgs(Strict):
    limit = fields.Integer(load_default=50, validate=validate.Range(1, 200),
                           metadata={"description": "items per page (1 to 200)"})
    after = fields.Integer(load_default=0, validate=validate.Range(0, MAX_ID),
                           metadata={"description": "cursor: the `next` of the previous page"})


class TaskListArgs(PageArgs):
    status = fields.String(load_default="open",
                           validate=validate.OneOf(["open", "completed", "cancelled", "all"]))
    child_id = fields.Integer(validate=validate.Range(1, MAX_ID))


class TrackerArgs(Strict):
    limit = fields.Integer(load_default=100, validate=validate.Range(1, 500))
    after = fields.String(load_default="", validate=validate.Length(max=40),
                          metadata={"description": "cursor: the reference `next` named"})


class ChildCreate(Strict):
    reference = fields.String(required=True, validate=validate.Length(1, 40))
    name = fields.String(required=True, validate=validate.Length(1, 200))
    date_of_birth = fields.Date(required=True)
    legal_status = fields.String(required=True, validate=validate.OneOf(list(LEGAL_STATUSES)))
    looked_after_on = fields.Date(required=True)
    team = fields.String(required=True, validate=validate.Length(1, 120))
    social_worker = fields.String(load_default=None, allow_none=True,
                                  validate=validate.Length(max=80),
                                  metadata={"description": "username of the allocated social worker"})
    fgc_before_care_on = fields.Date(load_default=None, allow_none=True, metadata={
        "description": "A9, R6: a Family Group Conference held at the edge of care, on or before "
                       "looked_after_on; the pathway's FGC step is then recorded done on that date"})
    fgc_before_care_outcome = fields.String(load_default=None, allow_none=True,
                                            validate=validate.OneOf(list(FGC_BEFORE_CARE_OUTCOMES)),
                                            metadata={"description": "required with fgc_before_care_on"})


class ChildBeforeCareCreate(Strict):
    """A10, B1, E18: a child known before they are looked after; no looked-after clock runs
    until the pathway records that they became looked after."""
    reference = fields.String(required=True, validate=validate.Length(1, 40))
    name = fields.String(required=True, validate=validate.Length(1, 200))
    before_care = fields.String(required=True, validate=validate.OneOf(list(BEFORE_CARE_KINDS)),
                                metadata={"description": "edge_of_care or unborn"})
    known_on = fields.Date(required=True, metadata={
        "description": "the date the council was told (unborn) or the child referred (edge of care)"})
    date_of_birth = fields.Date(load_default=None, allow_none=True,
                                metadata={"description": "edge of care: required"})
    expected_birth_on = fields.Date(load_default=None, allow_none=True,
                                    metadata={"description": "unborn: required"})
    team = fields.String(required=True, validate=validate.Length(1, 120))
    social_worker = fields.String(load_default=None, allow_none=True,
                                  validate=validate.Length(max=80),
                                  metadata={"description": "username of the allocated social worker"})


class ChildUpdate(Strict):
    name = fields.String(validate=validate.Length(1, 200))
    social_worker = fields.String(allow_none=True, validate=validate.Length(max=80),
                                  metadata={"description": "username; null to unallocate"})


class Child(Schema):
    id = fields.Integer(required=True)
    reference = fields.String(required=True)
    name = fields.String(required=True)
    date_of_birth = fields.Date(required=True)
    legal_status = fields.String(required=True)
    looked_after_on = fields.Date(required=True)
    team = fields.String(required=True)
    social_worker = fields.String(allow_none=True, metadata={"description": "their name"})
    social_worker_username = fields.String(allow_none=True)
    created_at = fields.AwareDateTime(required=True)
    before_care = fields.String(allow_none=True, metadata={
        "description": "A10, E18: edge_of_care or unborn while not looked after (legal_status is then "
                       "'none', looked_after_on the known_on date and, unborn, date_of_birth the expected "
                       "date); null once looked after"})
    known_on = fields.Date(allow_none=True, metadata={
        "description": "the date the council was told or the child referred, for a child known before care"})


class TaskSummary(Schema):
    task_id = fields.String(required=True)
    name = fields.String(required=True)
    lane = fields.String(required=True)
    stage = fields.String(required=True)
    status = fields.String(required=True)
    due_on = fields.Date(allow_none=True)
    rule = fields.String(allow_none=True)
    due_reason = fields.String(allow_none=True)
    due_error = fields.String(allow_none=True)
    overdue = fields.Boolean(required=True)
    instructions = fields.String(required=True)
    child_id = fields.Integer(required=True)
    child_reference = fields.String(required=True)
    created_at = fields.AwareDateTime(required=True)
    completed_at = fields.AwareDateTime(allow_none=True)


class Question(Schema):
    name = fields.String(required=True)
    label = fields.String(required=True)
    type = fields.String(required=True)
    required = fields.Boolean(required=True)
    choices = fields.List(fields.String(), required=True)
    rows = fields.List(fields.Dict(), required=True,
                       metadata={"description": "for a list of rows: each row's questions"})


class TaskDetail(TaskSummary):
    form = fields.String(allow_none=True, metadata={"description": "the form's file name"})
    form_schema = fields.Dict(allow_none=True, metadata={"description": "the form's JSON Schema"})
    questions = fields.List(fields.Nested(Question), required=True)


class Completion(Strict):
    data = fields.Dict(keys=fields.String(), required=True,
                       metadata={"description": "the answers, by the form's question names"})


class OpenedTask(Schema):
    task_id = fields.String(required=True)
    name = fields.String(required=True)
    lane = fields.String(required=True)
    due_on = fields.Date(allow_none=True)
    rule = fields.String(allow_none=True)


class Outcome(Schema):
    child_id = fields.Integer()
    instance_id = fields.Integer(required=True)
    status = fields.String(required=True)
    error = fields.String(allow_none=True)
    opened = fields.List(fields.Nested(OpenedTask), required=True)


class Deadline(Schema):
    label = fields.String(required=True)
    rule = fields.String(required=True)
    due_on = fields.Date(required=True)
    status = fields.String(required=True,
                           metadata={"description": "running, overdue, met, late, missed, cancelled"})
    met_on = fields.Date(allow_none=True)


class OpenTask(Schema):
    task_id = fields.String(required=True)
    name = fields.String(required=True)
    lane = fields.String(required=True)
    stage = fields.String(required=True)
    due_on = fields.Date(allow_none=True)
    rule = fields.String(allow_none=True)
    overdue = fields.Boolean(required=True)


class Position(Schema):
    child_id = fields.Integer(required=True)
    instance_id = fields.Integer(allow_none=True)
    process = fields.String(allow_none=True)
    version = fields.Integer(allow_none=True)
    status = fields.String(required=True)
    stage = fields.String(required=True)
    route = fields.String(required=True)
    error = fields.String(allow_none=True)
    open_tasks = fields.List(fields.Nested(OpenTask), required=True)
    deadlines = fields.List(fields.Nested(Deadline), required=True)
    current_elements = fields.List(fields.String(), required=True)


class Deadlines(Schema):
    items = fields.List(fields.Nested(Deadline), required=True)


class Event(Schema):
    id = fields.Integer(required=True, metadata={"description": "the cursor and de-duplication key"})
    kind = fields.String(required=True)
    occurred_at = fields.AwareDateTime(required=True)
    child_id = fields.Integer(allow_none=True)
    instance_id = fields.Integer(allow_none=True)
    payload = fields.Dict(required=True)


class TrackerRow(Schema):
    child_id = fields.Integer(required=True)
    reference = fields.String(required=True)
    name = fields.String(required=True)
    date_of_birth = fields.Date(required=True)
    age = fields.Integer(allow_none=True)
    team = fields.String(required=True)
    social_worker = fields.String(required=True)
    legal_status = fields.String(required=True)
    looked_after_on = fields.Date(required=True)
    stage = fields.String(required=True)
    routes = fields.List(fields.String(), required=True)
    plan_identified = fields.Boolean(required=True)
    last_ppm = fields.Date(allow_none=True)
    last_review = fields.Date(allow_none=True)
    last_panel = fields.Date(allow_none=True)
    next_due_on = fields.Date(allow_none=True)
    next_rule = fields.String(required=True)
    overdue = fields.Boolean(required=True)


def page_of(item_schema, cursor=fields.Integer, name=None):
    """A page: `items`, and `next`, the cursor for the following page (null: no more)."""
    return Schema.from_dict({
        "items": fields.List(fields.Nested(item_schema), required=True),
        "next": cursor(allow_none=True, required=True),
    }, name=name or f"{item_schema.__name__}Page")


ChildPage = page_of(Child)
TaskPage = page_of(TaskSummary)
EventPage = page_of(Event)
TrackerPage = page_of(TrackerRow, cursor=fields.String)


class WebhookCreate(Strict):
    url = fields.String(required=True, validate=validate.Length(1, 500),
                        metadata={"description": "http:// or https:// address events are POSTed to"})
    kinds = fields.List(fields.String(validate=validate.Length(1, 40)), load_default=None,
                        allow_none=True, metadata={"description": "event kinds; null for all"})


class Webhook(Schema):
    id = fields.Integer(required=True)
    url = fields.String(required=True)
    kinds = fields.List(fields.String(), allow_none=True)
    delivered_through = fields.Integer(required=True,
                                       metadata={"description": "the last event id delivered"})
    attempts = fields.Integer(required=True, metadata={"description": "failures in a row"})
    last_error = fields.String(allow_none=True)


class NewWebhook(Webhook):
    secret = fields.String(required=True, metadata={
        "description": "signs each delivery (HMAC-SHA256, header Permanence-Signature): shown once"})


class Webhooks(Schema):
    items = fields.List(fields.Nested(Webhook), required=True)
