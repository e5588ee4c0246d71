"""Who fits each cohort or theme a council may choose (`workflows.panel_settings.COHORTS`),
worked out from the pathway's facts on the panel date. The council's settings choose which
cohorts a panel discusses and in what order; this module only says who fits each (G1, G3)."""
from datetime import date, timedelta

from workflows.calendar import age_on, as_date
from workflows.local_settings import setting


def no_plan(child: dict) -> bool:
    return not child["routes"] and not child["facts"].get("plan_identified")


def fits(key: str, child: dict, on: date) -> str | None:
    """Why the child fits cohort `key` on the panel date, or None."""
    return _RULES[key](child, on)


def _s20_drift(child, on):
    if child["legal_status"] != "s20":
        return None
    facts, weeks = child["facts"], setting("s20_drift_weeks")
    drift_from = child["looked_after_on"] + timedelta(weeks=weeks)
    if (child["legal_status"] == "s20" and age(child, on) <= 16 and on >= drift_from
            and facts.get("s20_endorsed") is not True and facts.get("still_s20") is not False
            and not facts.get("issued_on")):
        return f"Section 20 since {long(child['looked_after_on'])} ({weeks} weeks on {long(drift_from)})"
    return None


def _s20(child, on):
    return f"Section 20 since {long(child['looked_after_on'])}" if child["legal_status"] == "s20" else None


def _pwp(child, on):
    return "Placed with parents under a care order" if child["legal_status"] == "pwp" else None


def _reunification(child, on):
    if "reunification" in child["routes"]:
        return "Plan of reunification" + (" (twin-track)" if len(child["routes"]) > 1 else "")
    return None


def _ltf_unmatched(child, on):
    facts = child["facts"]
    if ("long_term_fostering" in child["routes"] and facts.get("ratified") is not True
            and facts.get("achieved_route") != "long_term_fostering"):
        return "Long-term fostering: the match is not yet ratified at panel"
    return None


def _no_plan(child, on):
    if no_plan(child):
        return "No permanence plan recorded"
    return "Plan recorded as other" if "other" in child["routes"] else None


def _placement(kind, words):
    def rule(child, on):
        if child["facts"].get("placement_type") == kind:
            since = date_or_none(child["facts"].get("placement_started_on"))
            return words + (f" since {long(since)}" if since else "")
        return None
    return rule


def _no_long_term_placement(child, on):
    facts = child["facts"]
    if facts.get("achieved_route") or facts.get("ratified") is True:
        return None
    return "No permanent long-term placement identified"


_RULES = {
    "s20_drift": _s20_drift, "s20": _s20, "pwp": _pwp, "reunification": _reunification,
    "ltf_unmatched": _ltf_unmatched, "no_plan": _no_plan,
    "residential": _placement("residential", "In residential care"),
    "unregulated": _placement("unregulated", "In an unregulated placement"),
    "no_long_term_placement": _no_long_term_placement,
}


def age(child: dict, on: date) -> int:
    return age_on(child["date_of_birth"], on) if child["date_of_birth"] <= on else 0


def date_or_none(value) -> date | None:
    try:
        return as_date(value) if value else None
    except (TypeError, ValueError):
        return None


def long(day: date) -> str:
    return f"{day.day} {day:%B %Y}"
