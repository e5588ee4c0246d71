"""The numbers a council may set for itself (RULES.md: "each local authority can set its own
numbers: a setting, not a code change"). Diagrams read them with `setting("name")`.

Defaults are the stricter readings of RULES.md. A council overrides them with a JSON file
named by PERMANENCE_LOCAL_SETTINGS, e.g. {"adm_decision_working_days": 10}.
"""
import json
import os
from functools import lru_cache

from . import panel_settings

DEFAULTS: dict[str, int] = {
    "fgc_working_days": 10,               # R6: Family Group Conference target
    "initial_ppm_working_days": 10,       # R7
    "review_ppm_weeks": 6,                # R8 (Devon "six-weekly"; Merton "monthly" would be 4)
    "called_ppm_working_days": 10,        # A6: a PPM an event calls for (pre-proceedings, twin-
                                          # tracking, SGO viable, adoption not viable), within
                                          # Devon's 10 working days for a PPM on an event
    "first_panel_weeks": 8,               # R10 (target 6)
    "panel_actions_working_days": 3,      # R11
    "plo_target_months": 3,               # R13 target
    "plo_limit_months": 6,                # R13 limit, escalated to Head of Service
    "care_proceedings_weeks": 26,         # R14
    "lgm_review_weeks": 6,                # A11: the LGM reviews the care plan during PLO and
                                          # proceedings (BCP §1, §5 give no interval: Devon's
                                          # six-weekly PPM rhythm, R8)
    "adm_decision_working_days": 7,       # R15 (local practice)
    "adoption_review_first_months": 3,    # R16 first review
    "adoption_review_next_months": 6,     # R16 then (Devon's stricter local practice: 3)
    "s20_drift_weeks": 12,                # R21
    "permanence_review_months": 6,        # R23
    "escalation_working_days": 2,         # how long a manager has to act on an escalation
    "tracking_meeting_weeks": 4,          # I5: MER §9 "monthly" tracking meetings (§6 says six-weekly: 6)
    "family_time_review_months": 6,       # K6-K8: MER §10.5 "reviewed regularly" (no number:
                                          # six-monthly, with the CLA review, R3)
    "panel_review_weeks": 52,             # B6, B17: the panel's next review unless it sets one (HAL ToR: at least annually)
}
#: Structured settings beside the numbers: the Permanence Panel's calendar, cohorts or
#: themes and considerations (`workflows.panel_settings`).
STRUCTURED = ("panel",)


class SettingError(ValueError):
    pass


_DEFAULT_PANEL = panel_settings.parse(None)


@lru_cache(maxsize=1)
def _overrides(path: str) -> dict:
    if not path:
        return {}

    try:
        with open(path, encoding="utf-8") as f:
            values = json.load(f)
    except (OSError, json.JSONDecodeError) as exc:
        raise SettingError(f"PERMANENCE_LOCAL_SETTINGS={path}: {exc}") from None
    if not isinstance(values, dict):
        raise SettingError(f"PERMANENCE_LOCAL_SETTINGS={path}: must be a JSON object")
    structured = {k: values.pop(k) for k in STRUCTURED if k in values}
    unknown = sorted(set(values) - set(DEFAULTS))
    if unknown:
        raise SettingError(f"PERMANENCE_LOCAL_SETTINGS: unknown setting(s) {', '.join(unknown)}; "
                           f"known: {', '.join(DEFAULTS)}")
    bad = [k for k, v in values.items() if not isinstance(v, int) or isinstance(v, bool) or v < 0]
    if bad:
        raise SettingError(f"PERMANENCE_LOCAL_SETTINGS: {', '.join(bad)} must be whole numbers")
    try:
        values["panel"] = panel_settings.parse(structured.get("panel"))
    except panel_settings.PanelSettingError as exc:
        raise SettingError(f"PERMANENCE_LOCAL_SETTINGS: {exc}") from None
    return values


def setting(name: str) -> int:
    """A council's number for `name` (the default unless the council set its own)."""
    if name not in DEFAULTS:
        raise SettingError(f"there is no setting {name!r}; known: {', '.join(DEFAULTS)}")
    return _overrides(os.environ.get("PERMANENCE_LOCAL_SETTINGS", "")).get(name, DEFAULTS[name])


def panel() -> "panel_settings.PanelSettings":
    """How this council runs its Permanence Panel (BCP's weekly rotation unless it says)."""
    return _overrides(os.environ.get("PERMANENCE_LOCAL_SETTINGS", "")).get("panel") or _DEFAULT_PANEL
