"""The reminder settings read from the environment: Notify needs its whole key and a
template; without a key, e-mails are kept for administrators."""
import pytest

from web.settings import Settings

from . import notify_fake


def _env(tmp_path, **extra):
    return {"PERMANENCE_INSTANCE_DIR": str(tmp_path), "SECRET_KEY": "k", **extra}


def test_notify_is_off_unless_a_key_is_set(tmp_path):
    reminders = Settings.from_env(_env(tmp_path)).reminders
    assert not reminders.sends and reminders.digest_hour == 7 and not reminders.child_names
    assert reminders.panel_business      # panel business is e-mailed unless a council says not
    assert not Settings.from_env(_env(tmp_path, PERMANENCE_PANEL_EMAILS="0")).reminders.panel_business


def test_a_whole_key_and_a_template_turn_notify_on(tmp_path):
    reminders = Settings.from_env(_env(
        tmp_path, PERMANENCE_NOTIFY_API_KEY=notify_fake.API_KEY,
        PERMANENCE_NOTIFY_TEMPLATE_ID=notify_fake.TEMPLATE_ID,
        PERMANENCE_SERVICE_URL="https://pathway.council.example/",
        PERMANENCE_REMINDER_CHILD_NAMES="1", PERMANENCE_DIGEST_HOUR="8")).reminders
    assert reminders.sends and reminders.child_names and reminders.digest_hour == 8
    assert reminders.task_link("t-1") == "https://pathway.council.example/tasks/t-1"


@pytest.mark.parametrize("extra, message", [
    ({"PERMANENCE_NOTIFY_API_KEY": "short"}, "must be the whole key"),
    ({"PERMANENCE_NOTIFY_API_KEY": notify_fake.API_KEY}, "PERMANENCE_NOTIFY_TEMPLATE_ID"),
    ({"PERMANENCE_DIGEST_HOUR": "25"}, "PERMANENCE_DIGEST_HOUR must be an hour"),
    ({"PERMANENCE_REMINDER_CHILD_NAMES": "maybe"}, "PERMANENCE_REMINDER_CHILD_NAMES='maybe'"),
    ({"PERMANENCE_PANEL_EMAILS": "maybe"}, "PERMANENCE_PANEL_EMAILS='maybe'"),
])
def test_a_wrong_setting_is_named(tmp_path, extra, message):
    with pytest.raises(ValueError, match=message):
        Settings.from_env(_env(tmp_path, **extra))
