"""The child's family network (A9, E6; MER §4 "Family Networks and Family Group Decision
Making", §7.2; MGN): the relatives and friends who matter to the child, identified early,
with whether each could care, has offered to, was proposed by the family group conference,
or was ruled out (and why), and whether they have been assessed. Every effort is made for a
family placement: the network is what the PPM weighs the options against, and the
connected-person assessment picks its carer from it. Kept as versions like the other case
details; checked here for the page, the API, the command line and demo data alike."""
from datetime import date

from .fields import FieldReader

CARING = {"offered": "Has offered to care for the child",
          "proposed_by_fgc": "Proposed as a carer in the family group conference's plan",
          "could_care": "Could care for the child (not yet asked or not yet offered)",
          "support_only": "Can support the child and carers, but not care",
          "ruled_out": "Ruled out as a carer",
          "not_known": "Not yet known"}
ASSESSMENT = {"not_assessed": "Not assessed", "viability": "Viability assessment under way",
              "viability_positive": "Viability assessment positive: full assessment to follow",
              "viability_negative": "Viability assessment negative",
              "connected_person": "Connected person assessment under way",
              "approved": "Assessed and approved as the child's carer",
              "not_approved": "Assessed and not approved"}
#: Assessment outcomes that need the date they were reached.
DATED = ("viability_positive", "viability_negative", "approved", "not_approved")
#: Who a placement could still come from: the people the PPM must consider (E6).
POSSIBLE_CARERS = ("offered", "proposed_by_fgc", "could_care")

#: (name, label, kind, choices)
PERSON_FIELDS = [
    ("name", "Name", "text", None),
    ("relationship", "Relationship to the child (for example: maternal grandmother, family friend)",
     "text", None),
    ("contact", "Contact details (address, telephone or e-mail)", "long", None),
    ("identified_on", "Date they were identified", "date", None),
    ("caring", "Could they care for the child?", "choice", CARING),
    ("ruled_out_reason", "Why they were ruled out, and by whom", "long", None),
    ("assessment", "Assessment", "choice", ASSESSMENT),
    ("assessed_on", "Date of the assessment's outcome", "date", None),
    ("notes", "What they can offer (care, family time, respite, support)", "long", None),
]
LABELS = {name: label for name, label, _k, _c in PERSON_FIELDS}
CHOOSE = {"caring": "Select whether they could care for the child",
          "assessment": "Select how far they have been assessed"}


def check_person(data: dict, today: date, born: date) -> tuple[dict, dict]:
    """(values, errors by field) for one person of the network."""
    read = FieldReader(today, born, long_limit=2000)
    for name, label, kind, choices in PERSON_FIELDS:
        raw = data.get(name)
        if kind == "choice":
            read.choice(name, label, raw, choices, blank=CHOOSE[name])
        elif kind == "date":
            read.date(name, label, raw)
        else:
            read.text(name, label, raw, long=kind == "long")
    values, fail, ok = read.values, read.fail, read.ok
    read.require("name", "Enter the person's name")
    read.require("relationship", "Enter their relationship to the child")
    read.require("identified_on", "Enter the date they were identified: the network is mapped early (A9, E6)")
    if values["caring"] == "ruled_out":
        read.require("ruled_out_reason", "Say why they were ruled out as a carer and by whom: every "
                                         "effort is made for a family placement (E6)")
    if values["assessment"] in DATED:
        read.require("assessed_on", "Enter the date of the assessment's outcome")
    if values["assessment"] == "not_assessed" and values["assessed_on"] and ok("assessed_on"):
        fail("assessed_on", "A person not assessed has no assessment date: clear it, or choose the assessment")
    if (values["identified_on"] and values["assessed_on"]
            and values["assessed_on"] < values["identified_on"] and ok("assessed_on")):
        fail("assessed_on", "The assessment's outcome must be on or after the date they were identified")
    return read.result()


def with_person(current: dict | None, values: dict, source: str = "") -> tuple[dict, int]:
    """The network with one person more, and their number."""
    people = [dict(p) for p in (current or {}).get("people", [])]
    number = max((p["number"] for p in people), default=0) + 1
    people.append({"number": number, **values, "source": source})
    return {"people": people}, number


def with_change(current: dict, number: int, values: dict) -> dict:
    return {"people": [dict(p, **values) if p["number"] == number else dict(p)
                       for p in current.get("people", [])]}


def person(current: dict | None, number: int) -> dict | None:
    return next((p for p in (current or {}).get("people", []) if p["number"] == number), None)


def named(current: dict | None, name: str) -> dict | None:
    """The person of that name (as typed on an assessment or an FGC plan), if there is one."""
    def key(text):   # "Glen King (grandfather)" is Glen King
        text = " ".join((text or "").lower().split())
        return text[:text.rindex("(")].strip() if text.endswith(")") and "(" in text else text
    wanted = key(name)
    return next((p for p in (current or {}).get("people", [])
                 if key(p["name"]) == wanted), None) if wanted else None


def proposed_lines(text: str) -> list[tuple[str, str]]:
    """The FGC's proposed carers, one a line as "Name (relationship)" or "Name, relationship"."""
    found = []
    for line in (text or "").splitlines():
        line = line.strip(" -•\t")
        if not line:
            continue
        if line.endswith(")") and "(" in line:
            name, _, rel = line[:-1].partition("(")
        else:
            name, _, rel = line.partition(",")
        if name.strip():
            found.append((name.strip()[:200], rel.strip()[:200] or "Proposed by the family"))
    return found


def summary(data: dict | None, today: date) -> dict:
    """What the child page, the PPM and the plan show: the people, who could still care and
    is not yet assessed, and the warning when nobody is mapped (A9, E6)."""
    people = [dict(p, caring_text=CARING.get(p.get("caring"), ""),
                   assessment_text=ASSESSMENT.get(p.get("assessment"), ""))
              for p in (data or {}).get("people", [])]
    possible = [p for p in people if p.get("caring") in POSSIBLE_CARERS
                and p.get("assessment") not in ("viability_negative", "not_approved")]
    unassessed = [p for p in possible if p.get("assessment") == "not_assessed"]
    warning = ""
    if not people:
        warning = ("No family network is recorded: identify early which relatives and friends could "
                   "care for the child, so every effort is made for a family placement (A9, E6)")
    elif unassessed:
        warning = (f"{len(unassessed)} {'person' if len(unassessed) == 1 else 'people'} who could care "
                   "for the child not yet assessed: " + ", ".join(p["name"] for p in unassessed) + " (E6)")
    return {"people": people, "possible_carers": possible, "unassessed": unassessed, "warning": warning}


def rows(p: dict) -> list[tuple[str, str]]:
    """One person in words, for the plan and the versions page."""
    from workflows.calendar import as_date as _as
    def day(v):
        return f"{_as(v).day} {_as(v):%B %Y}" if v else ""
    return [("Relationship", p.get("relationship", "")),
            ("Could care", CARING.get(p.get("caring"), "")
             + (f": {p['ruled_out_reason']}" if p.get("ruled_out_reason") else "")),
            ("Assessment", ASSESSMENT.get(p.get("assessment"), "")
             + (f", {day(p['assessed_on'])}" if p.get("assessed_on") else "")),
            ("Identified", day(p.get("identified_on"))),
            ("Contact", p.get("contact") or "Not recorded"),
            ("What they can offer", p.get("notes") or "")]


def history_rows(data: dict | None) -> list[tuple[str, str]]:
    """A version of the network in words, one line a person (the versions page)."""
    return [(f"{p['name']} ({p['relationship']})",
             "; ".join(filter(None, [CARING.get(p.get("caring"), ""), p.get("ruled_out_reason", ""),
                                     ASSESSMENT.get(p.get("assessment"), "")])))
            for p in (data or {}).get("people", [])]
