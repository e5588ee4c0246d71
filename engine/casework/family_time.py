"""Family time (contact): the direct and indirect (letterbox) arrangements for a child with
their family and connected people (K5 to K8), agreed before placement and reviewed on the
council's clock (`family_time_review_months`, MER §10.5 "reviewed regularly")."""
from datetime import date

from workflows.calendar import add_months, as_date
from workflows.local_settings import setting

from .fields import FieldReader

KINDS = {"direct": "Direct (meeting in person, calls, video)",
         "indirect": "Indirect (letterbox: letters, cards, photographs)"}
RELATIONSHIPS = {"parent": "Parent", "sibling": "Brother or sister", "grandparent": "Grandparent",
                 "other_relative": "Other relative", "connected_person": "Connected person or friend"}
SUPERVISION = {"supervised": "Supervised", "supported": "Supported", "unsupervised": "Not supervised"}
#: Family time someone must make happen: its facilitator is required (K8, MER §3).
FACILITATED = ("supervised", "supported")

#: (name, label, kind, choices)
ARRANGEMENT_FIELDS = [
    ("with_whom", "Who the child has family time with", "text", None),
    ("relationship", "Their relationship to the child", "choice", RELATIONSHIPS),
    ("kind", "Direct or indirect", "choice", KINDS),
    ("how", "How it takes place", "long", None),
    ("where", "Where", "text", None),
    ("frequency", "How often", "text", None),
    ("supervision", "Supervision", "choice", SUPERVISION),
    ("facilitated_by", "Who makes it happen (arranges, transports, hosts or supervises it: K8)", "text", None),
    ("agreed_on", "Date the arrangement was agreed", "date", None),
    ("agreed_with", "Who agreed it (the written agreement's parties)", "text", None),
]
REVIEW_FIELDS = [("reviewed_on", "Date of the review", "date", None),
                 ("notes", "What the review found (the child's views, how it is going)", "long", None)]
SETTING = "family_time_review_months"


def check_arrangement(data: dict, today: date, born: date) -> tuple[dict, dict]:
    read = FieldReader(today, born)
    labels = {name: label for name, label, _k, _c in ARRANGEMENT_FIELDS}
    for name, label, kind, choices in ARRANGEMENT_FIELDS:
        raw = data.get(name)
        if kind == "choice":
            select = f"Select {label[0].lower()}{label[1:]}"
            read.choice(name, label, raw, choices, blank=select, wrong=select)
        elif kind == "date":
            read.date(name, label, raw, blank=f"Enter the {label[0].lower()}{label[1:]}: family "
                                              "time is agreed before placement (K6, K7)")
        else:
            read.text(name, label, raw, long=kind == "long")
    values = read.values
    for name in ("with_whom", "how", "frequency", "agreed_with"):
        read.require(name, f"Enter {labels[name].lower()}")
    if values["kind"] == "direct":
        read.require("where", "Enter where direct family time takes place")
    if values["kind"] == "indirect" and not values["supervision"]:
        read.errors.pop("supervision", None)   # a letterbox is not supervised
    if values["supervision"] in FACILITATED:
        read.require("facilitated_by", f"Say who supervises or supports this family time "
                                       f"({SUPERVISION[values['supervision']].lower()}): it is "
                                       "facilitated (K8)")
    return read.result()


def check_review(data: dict, arrangements: list[dict], today: date, born: date) -> tuple[dict, dict]:
    read = FieldReader(today, born)
    read.date("reviewed_on", "Date of the review", data.get("reviewed_on"),
              blank="Enter the date of the review")
    read.text("notes", "What the review found", data.get("notes"), long=True)
    read.require("notes", "Say what the review found")
    live = {a["number"] for a in arrangements if not a.get("ended_on")}
    ending = [int(n) for n in data.get("end") or [] if str(n).isdigit()]
    if any(n not in live for n in ending):
        read.fail("end", "Choose arrangements that are still in place")
    read.values["end"] = [n for n in ending if n in live]
    read.text("end_reason", "Why they end", data.get("end_reason"), long=True)
    if read.values["end"]:
        read.require("end_reason", "Say why the arrangements you ticked end")
    return read.result()


def with_arrangement(current: dict | None, values: dict) -> dict:
    data = {"arrangements": list((current or {}).get("arrangements", [])),
            "reviews": list((current or {}).get("reviews", []))}
    number = max((a["number"] for a in data["arrangements"]), default=0) + 1
    data["arrangements"].append({"number": number, **values, "ended_on": None, "end_reason": ""})
    return data


def with_review(current: dict, values: dict) -> dict:
    arrangements = [dict(a, ended_on=values["reviewed_on"], end_reason=values["end_reason"])
                    if a["number"] in values["end"] else dict(a) for a in current["arrangements"]]
    return {"arrangements": arrangements,
            "reviews": [*current.get("reviews", []),
                        {"reviewed_on": values["reviewed_on"], "notes": values["notes"],
                         "ended": values["end"]}]}


def review_due(data: dict | None) -> tuple[date | None, str]:
    """When the arrangements in place are next to be reviewed, and why then (K6)."""
    live = [a for a in (data or {}).get("arrangements", []) if not a.get("ended_on")]
    if not live:
        return None, ""
    months = setting(SETTING)
    reviews = (data or {}).get("reviews", [])
    if reviews:
        since = max(as_date(r["reviewed_on"]) for r in reviews)
        why = "after family time was last reviewed on"
    else:
        since = min(as_date(a["agreed_on"]) for a in live)
        why = "after family time was first agreed on"
    due = as_date(add_months(since, months))
    return due, f"{months} months {why} {since.day} {since:%B %Y} (council setting {SETTING})"


def agreed_after_placement(arrangement: dict, placement_started_on: date | None) -> bool:
    """K6, K7: an arrangement should be agreed before the placement it is part of begins."""
    return bool(placement_started_on and arrangement.get("agreed_on")
                and as_date(arrangement["agreed_on"]) > placement_started_on)
