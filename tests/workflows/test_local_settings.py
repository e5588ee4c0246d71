"""A council's own numbers: defaults from RULES.md, overridden by a JSON file."""
import json

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
