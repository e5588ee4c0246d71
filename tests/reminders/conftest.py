"""Fixtures for reminders: the fake GOV.UK Notify on 127.0.0.1, and a council whose staff
have addresses and choices."""
import pytest

from engine.reminders import ReminderConfig, set_reminder_settings

from . import notify_fake


@pytest.fixture
def notify():
    fake = notify_fake.FakeNotify().start()
    yield fake
    fake.stop()


@pytest.fixture
def config(notify):
    """Task reminders alone; test_panel_notices.py turns the panel business on."""
    return ReminderConfig(notify_api_key=notify_fake.API_KEY,
                          notify_template_id=notify_fake.TEMPLATE_ID,
                          notify_base_url=notify.base_url,
                          service_url="https://pathway.council.example", panel_business=False)


def addresses(db, **choices):
    """`sw="each"` gives sw the address sw@council.example and that choice."""
    for username, frequency in choices.items():
        set_reminder_settings(db, "admin", username, frequency=frequency,
                              email=f"{username}@council.example")
