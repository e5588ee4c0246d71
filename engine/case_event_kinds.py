"""The kinds of case event, what each one asks for, and what makes one make no sense.

A case event is a fact about the child that changes outside the pathway (HAL flowchart
"change the legal status"; D22, D23, E4, F1, P13). Each kind checks its data against the
case as it stands (legal status, current placement, proceedings, missing) and says, per
field, what is wrong; it then says what the pathway must learn: the case data its diagrams
read, and the BPMN message the event is delivered as.
"""
from dataclasses import dataclass, field
from datetime import date

from workflows import roles as R
from workflows.calendar import as_date

from .children import LEGAL_STATUSES

#: Orders the court makes at the end of proceedings or on an application (F1). A child under
#: an SGO, CAO or adoption order is no longer looked after.
FINAL_ORDERS = {
    "co": "Care order", "po": "Placement order", "sgo": "Special guardianship order",
    "cao": "Child arrangements order", "supervision": "Supervision order",
    "adoption": "Adoption order",
}
STATUSES = {**LEGAL_STATUSES, **{k: v for k, v in FINAL_ORDERS.items() if k not in LEGAL_STATUSES}}
#: From each legal status, the statuses it can change to. Anything else makes no sense
#: (an s20 child cannot be "placed with parents under a care order"; nothing follows an
#: adoption order). Care, placement and supervision orders are made in proceedings.
NEXT_STATUS = {
    "s20": {"epo", "ico", "co", "supervision", "sgo", "cao", "remand"},
    "epo": {"ico", "s20", "co"},
    "remand": {"s20", "ico", "co"},
    "ico": {"co", "po", "pwp", "sgo", "cao", "supervision", "s20"},
    "co": {"pwp", "po", "sgo", "cao", "supervision"},
    "pwp": {"co", "po", "sgo", "cao", "supervision"},
    "po": {"co", "adoption", "sgo", "cao"},
    "sgo": set(), "cao": set(), "adoption": set(), "supervision": set(),
}
MADE_IN_PROCEEDINGS = {"co", "po", "supervision"}

PLACEMENT_TYPES = {
    "in_house_foster": "In-house foster carers", "ifa": "Independent fostering agency (IFA)",
    "kinship": "Kinship carers (family or friends)", "residential": "Residential",
    "unregulated": "Unregulated", "with_parents": "With parents", "adoptive": "Adoptive placement",
    "ffa": "Fostering for Adoption (adopters approved as foster carers, reg 25A)",
}
#: Types recorded only by their own pathway step, never as a case event: a Fostering for
#: Adoption placement follows the ADM's reg 25A approval (engine.early_permanence, E21).
STEP_ONLY_TYPES = {"ffa": "Record the Fostering for Adoption placement"}
RECORDED_TYPES = {k: v for k, v in PLACEMENT_TYPES.items() if k not in STEP_ONLY_TYPES}


def placement_type_text(code: str) -> str:
    """The type in words, as the form offered it ("Independent fostering agency (IFA)", not "ifa")."""
    return PLACEMENT_TYPES.get(code, code)

AREAS = {"local": "Local (in the council's area)", "out_of_area": "Out of area"}
#: What puts a placement's stability at risk (DEV "attendees should ensure": a placement
#: stability meeting with the providers and carers where stability is at risk: A7).
STABILITY_RISKS = {
    "violence": "Violence or aggression in or around the placement",
    "abduction": "A risk of abduction",
    "distance": "A need for distance from people who pose a risk",
    "carers": "The carers may not be able to go on caring for the child",
    "needs": "The child's needs or behaviour are not being met",
    "other": "Something else",
}


@dataclass(frozen=True)
class Case:
    """The case as it stands before the event: what the checks compare against."""
    name: str
    legal_status: str
    looked_after_on: date
    today: date
    placement: dict | None            # the current placement: type, carers, area, started_on
    issued_on: date | None            # proceedings issued and no final order since
    missing_since: date | None
    legal_work_open: str | None = None  # the LGM or pre-proceedings step already open, if any


@dataclass
class Checked:
    """An event's data as checked, and what the pathway learns from it."""
    occurred_on: date | None = None
    data: dict = field(default_factory=dict)
    case_data: dict = field(default_factory=dict)    # set on the live tasks: facts follow
    message: str = ""
    also: tuple = ()                                 # further messages the event is delivered as
    new_placement: dict | None = None                # opens a placement (and ends the last)
    ends_placement: str | None = None                # why the current placement ends
    errors: dict = field(default_factory=dict)

    def fail(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)


#: Who records which kind (for the children they may act on): the child's own team and
#: their managers for what happens in the placement; Legal as well for the court's work.
#: Reviewing, panel and decision-making roles hear of events; they do not record them.
CASEWORK = frozenset({R.SOCIAL_WORKER, R.TEAM_MANAGER, R.SERVICE_MANAGER, R.HEAD_OF_SERVICE})
LEGAL_WORK = CASEWORK | {R.LEGAL}
#: Who refers a child to the Legal Gateway Meeting (A10, B1): the social worker, the team
#: manager or the service manager (BCP §6(ii)); Legal holds the meeting, it does not refer.
REFERRERS = frozenset({R.SOCIAL_WORKER, R.TEAM_MANAGER, R.SERVICE_MANAGER})


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    date_field: str
    date_label: str
    check: object         # (data, case, checked) -> None
    roles: frozenset = CASEWORK


def kinds_for(user_roles) -> list[Kind]:
    """The kinds a holder of these roles may record."""
    return [k for k in KINDS.values() if k.roles & frozenset(user_roles)]


def _date(data, name, label, case: Case, out: Checked) -> date | None:
    raw = data.get(name)
    if raw in (None, ""):
        out.fail(name, f"Enter the {label[0].lower()}{label[1:]}")
        return None
    try:
        day = as_date(raw)
    except (TypeError, ValueError):
        out.fail(name, f"{label} must be a real date, like 2026-03-02")
        return None
    if day > case.today:
        out.fail(name, f"{label} must be today or in the past")
    elif day < case.looked_after_on:
        out.fail(name, f"{label} must be on or after {case.name} became looked after "
                       f"({_long(case.looked_after_on)})")
    out.data[name] = day.isoformat()
    return day


def _text(data, name, label, out: Checked, required=True, limit=500) -> str:
    value = str(data.get(name) or "").strip()
    if required and not value:
        out.fail(name, f"Enter the {label[0].lower()}{label[1:]}")
    elif len(value) > limit:
        out.fail(name, f"{label} must be {limit} characters or fewer")
    out.data[name] = value
    return value


def _choice(data, name, label, choices: dict, out: Checked) -> str:
    value = str(data.get(name) or "").strip()
    if value not in choices:
        out.fail(name, f"Select the {label[0].lower()}{label[1:]}: " + ", ".join(choices))
    out.data[name] = value
    return value


def _proceedings_issued(data, case: Case, out: Checked) -> None:
    day = _date(data, "issued_on", "Date proceedings were issued", case, out)
    _text(data, "court", "Court or case number", out, required=False, limit=120)
    if case.issued_on:
        out.fail("issued_on", f"Care proceedings for {case.name} were already issued on "
                              f"{_long(case.issued_on)} and no final order is recorded since")
    elif case.legal_status in ("po", "sgo", "cao", "adoption", "supervision"):
        out.fail("issued_on", f"{case.name} is under a {STATUSES[case.legal_status].lower()}: "
                              "record the new order made rather than proceedings issued")
    out.occurred_on, out.message = day, "proceedings_issued"
    out.case_data = {"issued_on": out.data.get("issued_on")}


def _legal_status_changed(data, case: Case, out: Checked) -> None:
    day = _date(data, "changed_on", "Date the legal status changed", case, out)
    status = _choice(data, "legal_status", "new legal status", STATUSES, out)
    if status in STATUSES and not out.errors.get("legal_status"):
        current = case.legal_status
        if status == current:
            out.fail("legal_status", f"{case.name} is already: {STATUSES[status]}")
        elif status not in NEXT_STATUS.get(current, set(STATUSES)):
            out.fail("legal_status", f"{STATUSES[status]} cannot follow {STATUSES.get(current, current)}"
                                     + ("; nothing follows it on this pathway" if not NEXT_STATUS.get(current)
                                        and current in NEXT_STATUS else ""))
        elif (status in MADE_IN_PROCEEDINGS and current in ("s20", "remand")
              and not case.issued_on):
            out.fail("legal_status", f"A {STATUSES[status].lower()} is made in care proceedings: "
                                     f"record the proceedings issued for {case.name} first")
        elif status == "pwp" and (case.placement or {}).get("placement_type") != "with_parents":
            out.fail("legal_status", f"Record {case.name}'s return home (a placement with parents) "
                                     "rather than the legal status alone")
    out.occurred_on = day
    out.case_data = {"legal_status": status, "legal_status_changed_on": out.data.get("changed_on")}
    if status in FINAL_ORDERS:
        # Delivered as an order made: the steps waiting to record that order (the final
        # hearing, an SGO or CAO application) take it from here, so it is entered once (F1).
        out.message = "order_made"
        out.case_data.update(order_type=status, order_made_on=out.data.get("changed_on"))
        if status in ("sgo", "cao"):
            # Also heard by a family and friends route waiting to record this very order.
            out.also = ("sgo_or_cao_made",)
    else:
        out.message = "legal_status_changed"


def _placement(data, case: Case, out: Checked, start_field: str, start_label: str,
               placement_type: str) -> None:
    day = _date(data, start_field, start_label, case, out)
    carers = _text(data, "carers", "Carers' names" if placement_type != "with_parents"
                   else "Parents' names", out, required=placement_type not in ("residential", "unregulated"))
    area = _choice(data, "area", "area", AREAS, out)
    current = case.placement
    if day and current and current.get("started_on") and day < as_date(current["started_on"]):
        out.fail(start_field, f"{start_label} must be on or after the current placement began "
                              f"({_long(as_date(current['started_on']))})")
    if placement_type == "with_parents" and case.legal_status not in ("co", "ico", "pwp"):
        out.fail(start_field, f"{case.name} is {STATUSES.get(case.legal_status, case.legal_status).lower()}: "
                              "a placement with parents is made under a care order or interim care "
                              "order (a child accommodated under s20 who goes home leaves care)")
    elif placement_type == "with_parents" and (current or {}).get("placement_type") == "with_parents":
        out.fail(start_field, f"{case.name} is already placed with parents")
    out.occurred_on = day
    out.new_placement = {"placement_type": placement_type, "carers": carers, "area": area,
                         "started_on": day}
    out.ends_placement = "returned_home" if placement_type == "with_parents" else "moved"
    out.case_data = {"placement_type": placement_type, "placement_area": area,
                     "placement_started_on": out.data.get(start_field)}
    if placement_type == "with_parents" and case.legal_status in ("co", "ico"):
        # Returned home under a care order: placed with parents (BCP cohort 2, E4).
        out.case_data.update(legal_status="pwp", legal_status_changed_on=out.data.get(start_field))


def _placement_changed(data, case: Case, out: Checked) -> None:
    if data.get("placement_type") in STEP_ONLY_TYPES:
        out.fail("placement_type", f"A {PLACEMENT_TYPES[data['placement_type']]} placement is recorded on the "
                                   f"step '{STEP_ONLY_TYPES[data['placement_type']]}', after the Agency "
                                   "Decision Maker's approval")
        out.data["placement_type"] = data["placement_type"]
        placement_type = data["placement_type"]
    else:
        placement_type = _choice(data, "placement_type", "type of placement", RECORDED_TYPES, out)
    placement_checked(data, case, out, placement_type)


def placement_checked(data, case: Case, out: Checked, placement_type: str) -> None:
    """A move to a new placement of `placement_type` starting on `started_on` (D22, D23)."""
    _placement(data, case, out, "started_on", "Date the placement began", placement_type)
    out.message = "placement_changed"


def _returned_home(data, case: Case, out: Checked) -> None:
    _placement(data, case, out, "returned_on", "Date the child returned home", "with_parents")
    out.data["placement_type"] = "with_parents"
    out.message = "returned_home"


def _missing(data, case: Case, out: Checked) -> None:
    day = _date(data, "missing_on", "Date the child went missing", case, out)
    _text(data, "details", "Details", out, required=False)
    if case.missing_since:
        out.fail("missing_on", f"{case.name} is already recorded as missing since "
                               f"{_long(case.missing_since)}: record them found first")
    out.occurred_on, out.message = day, "child_missing"
    out.case_data = {"missing_since": out.data.get("missing_on")}


def _found(data, case: Case, out: Checked) -> None:
    day = _date(data, "found_on", "Date the child was found", case, out)
    _text(data, "details", "Details", out, required=False)
    if not case.missing_since:
        out.fail("found_on", f"{case.name} is not recorded as missing")
    elif day and day < case.missing_since:
        out.fail("found_on", f"Date the child was found must be on or after they went missing "
                             f"({_long(case.missing_since)})")
    out.occurred_on, out.message = day, "child_found"
    out.case_data = {"missing_since": None, "last_found_on": out.data.get("found_on")}


def _disruption(data, case: Case, out: Checked) -> None:
    day = _date(data, "disrupted_on", "Date the placement ended", case, out)
    _text(data, "reason", "What happened", out)
    current = case.placement
    if not current:
        out.fail("disrupted_on", f"No current placement is recorded for {case.name}: "
                                 "record the placement first")
    elif day and day < as_date(current["started_on"]):
        out.fail("disrupted_on", f"Date the placement ended must be on or after it began "
                                 f"({_long(as_date(current['started_on']))})")
    out.occurred_on, out.message, out.ends_placement = day, "placement_disrupted", "disruption"
    out.case_data = {"last_disruption_on": out.data.get("disrupted_on")}


def _stability_at_risk(data, case: Case, out: Checked) -> None:
    day = _date(data, "at_risk_on", "Date the risk became known", case, out)
    _choice(data, "risk", "risk to the placement", STABILITY_RISKS, out)
    _text(data, "details", "Details of what is happening", out)
    current = case.placement
    if not current:
        out.fail("at_risk_on", f"No current placement is recorded for {case.name}: record the placement first")
    elif day and day < as_date(current["started_on"]):
        out.fail("at_risk_on", "Date the risk became known must be on or after the placement began "
                               f"({_long(as_date(current['started_on']))})")
    out.occurred_on, out.message = day, "placement_at_risk"
    out.case_data = {"placement_at_risk_on": out.data.get("at_risk_on")}


def _lgm_referral(data, case: Case, out: Checked) -> None:
    """A10, A12, B1 (MER §5, BCP §6(ii)): any child can be referred to the Legal Gateway
    Meeting, with a clear recommendation for achieving permanence; Legal then records the
    meeting's decision. A child already before the meeting, in pre-proceedings or in care
    proceedings is not referred again: the open step is where that work is recorded."""
    day = _date(data, "referred_on", "Date of the referral", case, out)
    _text(data, "recommendation", "Recommendation for achieving permanence", out, limit=2000)
    if case.issued_on or case.legal_status in ("ico", "epo"):
        out.fail("referred_on", f"{case.name} is in care proceedings: the Legal Gateway Meeting "
                                "already reviews the care plan during proceedings (A11)")
    elif case.legal_status in ("po", "sgo", "cao", "adoption", "supervision"):
        out.fail("referred_on", f"{case.name} is under a {STATUSES[case.legal_status].lower()}: "
                                "there is no legal decision left for the meeting to make")
    elif case.legal_work_open:
        out.fail("referred_on", f"{case.name} is already with Legal: '{case.legal_work_open}' is "
                                "open; record the meeting there")
    out.occurred_on, out.message = day, "lgm_referral"
    # The meeting's 10 working days run from the referral (R21), as for an s20 drift referral;
    # no other LGM is open (checked above), so no other step reads it meanwhile.
    out.case_data = {"referred_on": out.data.get("referred_on"), "lgm_referred_on": out.data.get("referred_on")}


KINDS = {k.key: k for k in (
    Kind("proceedings_issued", "Care proceedings issued", "issued_on", "Date issued",
         _proceedings_issued, LEGAL_WORK),
    Kind("legal_status_changed", "Legal status changed or order made", "changed_on",
         "Date of the change", _legal_status_changed, LEGAL_WORK),
    Kind("placement_changed", "Placement changed", "started_on", "Date the placement began",
         _placement_changed),
    Kind("returned_home", "Returned home to parents", "returned_on", "Date returned home", _returned_home),
    Kind("missing", "Missing from placement", "missing_on", "Date missing", _missing),
    Kind("found", "Found after being missing", "found_on", "Date found", _found),
    Kind("disruption", "Placement disrupted", "disrupted_on", "Date the placement ended", _disruption),
    Kind("placement_at_risk", "Placement stability at risk", "at_risk_on", "Date the risk became known",
         _stability_at_risk),
    Kind("lgm_referral", "Referred to the Legal Gateway Meeting", "referred_on", "Date of the referral",
         _lgm_referral, REFERRERS),
)}


def check(kind: str, data: dict, case: Case) -> Checked:
    out = Checked()
    if kind not in KINDS:
        out.fail("kind", f"There is no case event '{kind}': use one of " + ", ".join(KINDS))
        return out
    if not isinstance(data, dict):
        out.fail("kind", "The event's details must be a set of named values")
        return out
    KINDS[kind].check(data, case, out)
    return out


def _long(day: date) -> str:
    return f"{day.day} {day:%B %Y}"
