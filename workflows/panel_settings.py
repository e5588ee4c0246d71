"""How a council runs its Permanence Panel: the calendar, who is discussed on each date, and
what the panel considers. Council settings, not code (issue 11; SEEDS-COVERAGE B14, B15,
B18, B19, C1-C4, C9, C10, D15, D16, G3, G4, G10, G12, N1-N3).

Two presets follow the seeds; a council picks one and may change any part in the
`"panel"` object of its PERMANENCE_LOCAL_SETTINGS file, e.g.
    {"panel": {"council": "halton", "dates": {"2027-01-14": ["residential", "s20"]}}}

- `bcp` (BCP ToR §4-5, the default): weekly on Thursday afternoons, the agenda out on the
  Monday before, one cohort a week on a five-week rotation (`rotation`, counted in weeks
  from `rotation_starts_on`), BCP §5's five considerations.
- `halton` (HAL §4 and ToR): its own dates (`dates`, each with the themes the chair and
  senior management chose: C10), invitations two weeks ahead, papers on record a week
  ahead, the ToR's eleven considerations and its members (chair, Virtual School Head,
  Health, IRM).
- `follow_up_chain` (C8, HAL ToR "Timing": "After panel, actions will be followed up by the
  Practice Lead, reviewed by the IRM and shared with the Divisional Manager"): on in the
  halton preset, off in bcp (BCP §6 leaves the actions with their owners and the Service
  Managers).
Both keep the stricter readings of HAL §4 and ToR: a child with a plan whose review the
panel set is due comes to panel until placed long-term (`review_until_placed`, G4), and a
child not seen with health and education represented for `multi_agency_months` is flagged
(G12).
The papers deadline (one week before, HAL ToR) and invitations (two weeks, HAL §4) are kept
for both: the stricter reading.
"""
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

#: What each cohort or theme means; `engine.reporting.cohort_rules` decides who fits.
COHORTS = {
    "s20_drift": "Section 20 beyond 12 weeks, aged 16 or under, not endorsed by a Legal Gateway Meeting",
    "pwp": "Placed with parents under a care order",
    "reunification": "Plan of reunification",
    "ltf_unmatched": "Not yet long-term matched with their foster carers",
    "no_plan": "No permanence plan, or a plan recorded as other",
    "residential": "Living in residential care",
    "s20": "Looked after under section 20",
    "unregulated": "Living in an unregulated placement",
    "no_long_term_placement": "No permanent long-term placement identified",
}

#: The considerations an outcome form may carry (D15: BCP §5 i-v; D16, D17: HAL ToR).
CONSIDERATIONS = {
    "parallel_options": "Whether all parallel planning options have been fully explored, with an up-to-date permanence plan on record (BCP §5 i)",
    "plan_by_second_review": "Whether a plan of permanence was identified by the second CLA review and is on record (BCP §5 ii)",
    "legal_advice": "Whether legal advice is needed on the child's current legal status (BCP §5 iii)",
    "reunification_drift": "Whether reunification or placement with parents is progressing or at risk of drift and delay (BCP §5 iv)",
    "matching_drift": "Whether long-term matching is progressing or at risk of drift and delay (BCP §5 v)",
    "formative_experience": "The child's formative development experience, attachments, trauma and immediate needs",
    "plan_and_contingency": "The proposed plan and timescale, and the contingency plan",
    "education": "Education considerations",
    "health": "Health considerations",
    "expert_reports": "Any expert reports and proposed therapy or treatment",
    "family_time": "Family time arrangements",
    "siblings": "Sibling arrangements, and any sibling assessment required or completed",
    "matching": "Any other matching considerations",
    "return_home_support": "What support the child would need to return home or move to family (the panel must be satisfied that return home is not appropriate before agreeing long-term care)",
    "child_voice": "The child's voice: their expressed wishes",
    "parents_wishes": "The parents' expressed wishes",
}

#: Who may be recorded as attending for a child (the outcome's `attendance`): the panel's
#: core members, the people around the child, and partner representatives (C2, C4, C9, G11).
ATTENDEES = {
    "chair": "Panel chair",
    "iro_service_manager": "Service Manager for the IRO Service",
    "administrator": "Panel administrator (administrative support)",
    "irm": "Independent Reviewing Manager (IRM)",
    "virtual_school_head": "Virtual School Head",
    "health": "Health representative",
    "education": "Education representative",
    "social_worker": "Social worker",
    "practice_lead": "Practice Lead",
    "team_manager": "Team manager",
    "service_manager": "Service manager responsible for the child",
    "sm_fostering": "Service Manager, In-House Fostering",
    "sm_assessment": "Service Manager, Assessment Service",
    "sm_cff": "Service Manager, Children and Families First",
    "sm_chad": "Service Manager, Child Health and Disability (CHAD)",
    "other_professional": "Another professional",
}
#: The people around the child who attend when their child is considered (BCP §3-4, HAL §4).
CHILDS_PEOPLE = ("social_worker", "practice_lead", "team_manager", "service_manager", "sm_fostering",
                 "sm_assessment", "sm_cff", "sm_chad")
#: Partner representatives whose presence makes a review multi-agency (HAL ToR: G12).
HEALTH, EDUCATION = frozenset({"health"}), frozenset({"virtual_school_head", "education"})

PRESETS = {
    "bcp": {
        "weekday": 3, "starts_at": "14:00", "agenda_days_before": 3, "papers_days_before": 7,
        "invitation_days_before": 14, "dates": {},
        "rotation": ["s20_drift", "pwp", "reunification", "ltf_unmatched", "no_plan"],
        "rotation_starts_on": "2026-01-01",
        "considerations": ["parallel_options", "plan_by_second_review", "legal_advice",
                           "reunification_drift", "matching_drift"],
        # BCP §3: the core members (C1, C2, C3).
        "members": [{"role": "chair", "title": "Service Manager - Children in Care (chair)"},
                    {"role": "iro_service_manager", "title": "Service Manager for the IRO Service"},
                    {"role": "administrator", "title": "Administrative support"}],
        "multi_agency_months": 12, "review_until_placed": True,
        "follow_up_chain": False,
    },
    "halton": {
        "weekday": None, "starts_at": "10:00", "agenda_days_before": 14, "papers_days_before": 7,
        "invitation_days_before": 14, "dates": {}, "rotation": [], "rotation_starts_on": None,
        "considerations": ["formative_experience", "plan_and_contingency", "education", "health",
                           "expert_reports", "family_time", "siblings", "matching",
                           "return_home_support", "child_voice", "parents_wishes"],
        # HAL ToR, "Members of the review panel" (C9).
        "members": [{"role": "chair", "title": "Senior manager in children's social care (chair)"},
                    {"role": "virtual_school_head", "title": "The Virtual School Head"},
                    {"role": "health", "title": "Health representative"},
                    {"role": "irm", "title": "Independent Reviewing Manager (IRM)"}],
        "multi_agency_months": 12, "review_until_placed": True,
        "follow_up_chain": True,
    },
}
KEYS = set(PRESETS["bcp"]) | {"council"}


class PanelSettingError(ValueError):
    pass


@dataclass(frozen=True)
class PanelSettings:
    council: str
    weekday: int | None                 # weekly on this day (0 Monday); None: listed dates only
    starts_at: str
    agenda_days_before: int
    papers_days_before: int
    invitation_days_before: int
    dates: dict = field(default_factory=dict)       # ISO date -> [cohort keys] (themes)
    rotation: tuple = ()
    rotation_starts_on: date | None = None
    considerations: tuple = ()
    members: tuple = ()                 # ((attendee key, the council's title), ...): core members
    multi_agency_months: int | None = 12   # G12: flag a child without health and education at panel this long
    review_until_placed: bool = True    # G4: a due review brings a child with a plan to panel until placed
    follow_up_chain: bool = False       # C8: Practice Lead -> IRM -> Divisional Manager

    def attendee_title(self, key: str) -> str:
        """The council's own title for a core member, else the catalogue's."""
        return dict(self.members).get(key) or ATTENDEES.get(key, key)

    def is_panel_day(self, day: date) -> bool:
        return day.isoformat() in self.dates or (self.weekday is not None and day.weekday() == self.weekday)

    def panel_dates(self, start: date, count: int = 6) -> list[date]:
        """The next `count` panels on or after `start`: never typed, always from here (G10)."""
        listed = sorted(date.fromisoformat(d) for d in self.dates if date.fromisoformat(d) >= start)
        found = set(listed)
        if self.weekday is not None:
            day = start + timedelta(days=(self.weekday - start.weekday()) % 7)
            while len(found) < count + len(listed):
                found.add(day)
                day += timedelta(weeks=1)
        return sorted(found)[:count]

    def next_panel(self, on: date) -> date | None:
        found = self.panel_dates(on, 1)
        return found[0] if found else None

    def cohorts_on(self, day: date) -> list[str]:
        """Who this panel discusses: the date's own themes, else the rotation's cohort for
        that week (BCP), else every cohort."""
        if day.isoformat() in self.dates and self.dates[day.isoformat()]:
            return list(self.dates[day.isoformat()])
        if self.rotation and self.rotation_starts_on:
            weeks = (day - self.rotation_starts_on).days // 7
            return [self.rotation[weeks % len(self.rotation)]]
        return list(PRESETS["bcp"]["rotation"])

    def agenda_out_on(self, day: date) -> date:
        """BCP: the Monday afternoon before a Thursday panel (3 days)."""
        return day - timedelta(days=self.agenda_days_before)

    def papers_due_on(self, day: date) -> date:
        return day - timedelta(days=self.papers_days_before)

    def invitations_on(self, day: date) -> date:
        return day - timedelta(days=self.invitation_days_before)

    def previous_panels(self, day: date, weeks: int) -> list[date]:
        """Panel days in the `weeks` weeks before `day` (for a cohort's last panel)."""
        start = day - timedelta(weeks=weeks)
        return [d for d in self.panel_dates(start, 60) if d < day]


def parse(values: dict | None) -> PanelSettings:
    values = dict(values or {})
    unknown = sorted(set(values) - KEYS)
    if unknown:
        raise PanelSettingError(f"panel: unknown setting(s) {', '.join(unknown)}; known: {', '.join(sorted(KEYS))}")
    council = values.pop("council", "bcp")
    if council not in PRESETS:
        raise PanelSettingError(f"panel.council must be one of {', '.join(PRESETS)}, not {council!r}")
    merged = {**PRESETS[council], **values}
    weekday = merged["weekday"]
    if weekday is not None and (not isinstance(weekday, int) or isinstance(weekday, bool) or not 0 <= weekday <= 6):
        raise PanelSettingError("panel.weekday must be 0 (Monday) to 6 (Sunday), or null for listed dates only")
    for key in ("agenda_days_before", "papers_days_before", "invitation_days_before"):
        if not isinstance(merged[key], int) or isinstance(merged[key], bool) or not 0 <= merged[key] <= 60:
            raise PanelSettingError(f"panel.{key} must be a whole number of days from 0 to 60")
    if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", str(merged["starts_at"])):
        raise PanelSettingError("panel.starts_at must be a time as HH:MM, for example 14:00")
    dates = merged["dates"]
    if not isinstance(dates, dict):
        raise PanelSettingError("panel.dates must map dates (YYYY-MM-DD) to lists of themes")
    for day, themes in dates.items():
        try:
            date.fromisoformat(day)
        except (TypeError, ValueError):
            raise PanelSettingError(f"panel.dates: {day!r} is not a date (YYYY-MM-DD)") from None
        _known(themes, COHORTS, f"panel.dates[{day}]")
    _known(merged["rotation"], COHORTS, "panel.rotation")
    _known(merged["considerations"], CONSIDERATIONS, "panel.considerations")
    starts = merged["rotation_starts_on"]
    try:
        starts = date.fromisoformat(starts) if starts else None
    except (TypeError, ValueError):
        raise PanelSettingError(f"panel.rotation_starts_on: {starts!r} is not a date") from None
    members = merged["members"]
    if (not isinstance(members, list) or not members
            or any(not isinstance(m, dict) or m.get("role") not in ATTENDEES
                   or not isinstance(m.get("title"), str) or not m["title"].strip() for m in members)):
        raise PanelSettingError("panel.members must list the core members as "
                                '{"role": ..., "title": ...}, each role one of: ' + ", ".join(ATTENDEES))
    months = merged["multi_agency_months"]
    if months is not None and (not isinstance(months, int) or isinstance(months, bool) or not 1 <= months <= 36):
        raise PanelSettingError("panel.multi_agency_months must be a whole number of months from 1 to 36, "
                                "or null for no check")
    if not isinstance(merged["review_until_placed"], bool):
        raise PanelSettingError("panel.review_until_placed must be true or false")
    if not isinstance(merged["follow_up_chain"], bool):
        raise PanelSettingError("panel.follow_up_chain must be true or false")
    if weekday is None and not dates:
        raise PanelSettingError("panel: a council without a weekly day must list its panel dates")
    return PanelSettings(council, weekday, str(merged["starts_at"]), merged["agenda_days_before"],
                         merged["papers_days_before"], merged["invitation_days_before"],
                         {d: list(t) for d, t in dates.items()}, tuple(merged["rotation"]), starts,
                         tuple(merged["considerations"]),
                         tuple((m["role"], m["title"].strip()) for m in members), months,
                         merged["review_until_placed"], merged["follow_up_chain"])


def _known(keys, catalogue, where):
    if not isinstance(keys, list) or any(k not in catalogue for k in keys):
        raise PanelSettingError(f"{where} must be a list of: {', '.join(catalogue)}")
