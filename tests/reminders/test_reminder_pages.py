"""The pages of reminders by e-mail: an administrator sets a person's address and choice on
the council page and reads the e-mail outbox (a refusal shown with Notify's reason, sent again
once put right); each person chooses how often on their own page. SQLite and PostgreSQL."""
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import select

from engine import clock, register_child
from engine.reminders import reminder_settings, run_reminders
from models import AuditEvent, ReminderEmail

from ..conftest import child_details
from ..web.conftest import make_app, page_text, sign_in
from .conftest import addresses


@pytest.fixture
def client_for(council, config):
    app = make_app(council)
    app.config["PERMANENCE"] = replace(app.config["PERMANENCE"], notify_api_key=config.notify_api_key,
                                       notify_template_id=config.notify_template_id)

    def signed_in(username):
        client = app.test_client()
        sign_in(client, username)
        return client
    return signed_in


def test_an_administrator_sets_an_address_and_a_choice_on_the_council_page(council, client_for):
    admin = client_for("admin")
    page = admin.post("/admin/staff/sw", data={"action": "reminders", "email": "not an address",
                                               "frequency": "digest"})
    assert page.status_code == 400
    text = page_text(page)
    assert "Enter an e-mail address in the right format" in text
    assert 'value="not an address"' in page.get_data(as_text=True)     # what was typed is kept
    assert reminder_settings(council, "sw") == {"email": None, "frequency": "each"}
    done = admin.post("/admin/staff/sw", data={"action": "reminders", "email": " sam@council.example ",
                                               "frequency": "digest"})
    assert done.status_code == 302
    assert reminder_settings(council, "sw") == {"email": "sam@council.example", "frequency": "digest"}
    assert 'value="sam@council.example"' in admin.get("/admin/staff/sw").get_data(as_text=True)
    with council.transaction() as s:
        assert s.scalar(select(AuditEvent.kind).order_by(AuditEvent.id.desc())) == "reminders_changed"


def test_each_person_chooses_how_often_on_their_own_page(council, client_for):
    addresses(council, sw="each")
    sw = client_for("sw")
    page = page_text(sw.get("/account/reminders"))
    assert "Reminders go to sw@council.example" in page
    refused = sw.post("/account/reminders", data={"frequency": "hourly"})
    assert refused.status_code == 400 and "Choose how often to be sent reminders" in page_text(refused)
    assert sw.post("/account/reminders", data={"frequency": "none"}).status_code == 302
    assert reminder_settings(council, "sw") == {"email": "sw@council.example", "frequency": "none"}
    # a person cannot change their address here: only an administrator can
    sw.post("/account/reminders", data={"frequency": "each", "email": "elsewhere@example.com"})
    assert reminder_settings(council, "sw")["email"] == "sw@council.example"
    assert "Ask an administrator to add it" in page_text(client_for("tm").get("/account/reminders"))


def test_an_administrator_sees_a_refusal_with_its_reason_and_sends_it_again(
        council, notify, config, client_for):
    addresses(council, sw="each")
    register_child(council, child_details(), "sw", process_id="demo_pathway")
    notify.fail_next(400, "email_address Not a valid email address")
    run_reminders(council, config)
    admin = client_for("admin")
    page = page_text(admin.get("/admin/reminders?status=failed"))
    assert "Failed (1)" in page and "New task: Record initial PPM for C-001" in page
    assert "Notify said: 400 BadRequestError: email_address Not a valid email address" in page
    addresses(council, sw="each")     # the address put right
    with council.transaction() as s:
        email_id = s.scalar(select(ReminderEmail.id))
    assert admin.post(f"/admin/reminders/{email_id}/retry").status_code == 302
    clock.set_fixed(clock.now() + timedelta(minutes=1))
    run_reminders(council, config)
    assert len(notify.sent) == 1
    assert "Sent (1)" in page_text(admin.get("/admin/reminders"))
    again = admin.post(f"/admin/reminders/{email_id}/retry", follow_redirects=True)
    assert "Only a failed e-mail can be sent again" in page_text(again)


def test_without_notify_the_outbox_says_emails_are_kept(council):
    addresses(council, sw="each")
    register_child(council, child_details(), "sw", process_id="demo_pathway")
    from engine.reminders import ReminderConfig
    run_reminders(council, ReminderConfig(panel_business=False))   # task reminders alone
    client = make_app(council).test_client()
    sign_in(client, "admin")
    page = page_text(client.get("/admin/reminders"))
    assert "GOV.UK Notify is not set up" in page and "Kept here (Notify is not set up) (1)" in page
