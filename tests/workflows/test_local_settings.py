"""A council's own numbers: defaults from RULES.md, overridden by a JSON file."""
import json
import re

import pytest

from workflows import local_settings
from workflows.local_settings import SettingError, setting


@pytest.fixture(autouse=True)
def fresh(monkeypatch):
    local_settings._overrides.cache_clear()
    yield
    local_settings._overrides.cache_clear()


def test_defaults_are_the_stricter_readings(monkeypatch):
    monkeypatch.delenv("PERMANENCE_LOCAL_SETTINGS", raising=False)
    assert setting("initial_ppm_working_days") == 10 and setting("adm_decision_working_days") == 7


def test_a_council_sets_its_own_numbers(monkeypatch, tmp_path):
    path = tmp_path / "council.json"
    path.write_text(json.dumps({"adm_decision_working_days": 10}))
    monkeypatch.setenv("PERMANENCE_LOCAL_SETTINGS", str(path))
    assert setting("adm_decision_working_days") == 10 and setting("review_ppm_weeks") == 6


@pytest.mark.parametrize("content, message", [
    ({"adm_days": 10}, "unknown setting"), ({"review_ppm_weeks": "six"}, "whole numbers")])
def test_a_bad_file_is_refused_plainly(monkeypatch, tmp_path, content, message):
    path = tmp_path / "council.json"
    path.write_text(json.dumps(content))
    monkeypatch.setenv("PERMANENCE_LOCAL_SETTINGS", str(path))
    with pytest.raises(SettingError, match=message):
        setting("review_ppm_weeks")


def test_an_unknown_name_in_a_diagram_is_refused():
    with pytest.raises(SettingError, match="there is no setting 'nope'"):
        setting("nope")


def test_B18_B19_the_panel_defaults_to_bcp_weekly_thursdays_with_a_five_week_rotation(monkeypatch):
    from datetime import date
    monkeypatch.delenv("PERMANENCE_LOCAL_SETTINGS", raising=False)
    panel = local_settings.panel()
    assert panel.council == "bcp" and panel.is_panel_day(date(2026, 9, 10))        # a Thursday
    assert panel.agenda_out_on(date(2026, 9, 10)) == date(2026, 9, 7)               # the Monday
    assert [panel.cohorts_on(date(2026, 1, 1) + (date(2026, 1, 8) - date(2026, 1, 1)) * w) for w in range(6)] == [
        ["s20_drift"], ["pwp"], ["reunification"], ["ltf_unmatched"], ["no_plan"], ["s20_drift"]]


@pytest.mark.parametrize("panel, message", [
    ({"council": "merton"}, "panel.council must be one of bcp, halton"),
    ({"cohorts": []}, "panel: unknown setting(s) cohorts"),
    ({"rotation": ["s20_drift", "everyone"]}, "panel.rotation must be a list of"),
    ({"council": "halton"}, "a council without a weekly day must list its panel dates"),
    ({"dates": {"14/01/2027": ["s20"]}}, "panel.dates: '14/01/2027' is not a date"),
    ({"weekday": 9}, "panel.weekday must be 0 (Monday) to 6 (Sunday)"),
    ({"starts_at": "2pm"}, "panel.starts_at must be a time as HH:MM"),
    ({"considerations": ["vibes"]}, "panel.considerations must be a list of"),
])
def test_C10_a_councils_panel_settings_are_checked_with_a_clear_message(monkeypatch, tmp_path, panel, message):
    path = tmp_path / "council.json"
    path.write_text(json.dumps({"panel": panel}))
    monkeypatch.setenv("PERMANENCE_LOCAL_SETTINGS", str(path))
    with pytest.raises(SettingError, match=re.escape(message)):
        local_settings.panel()
