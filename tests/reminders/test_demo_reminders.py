"""The demo (`permanence init --demo`) shows reminders: its staff have addresses and choices,
and the worker's first round leaves e-mails on /admin/reminders (no Notify key: kept)."""
from sqlalchemy import select

from engine.reminders import ReminderConfig, run_reminders
from models import Child, Database, ReminderEmail, User

from ..web.test_cli import demo, demo_template  # noqa: F401  the demo database, made by the command


def test_the_demo_has_reminders_for_an_administrator_to_read(demo):  # noqa: F811
    db = Database(f"sqlite:///{demo / 'p.db'}")
    run_reminders(db, ReminderConfig())
    with db.transaction() as s:
        rows = s.execute(select(User.username, ReminderEmail.subject, ReminderEmail.status,
                                ReminderEmail.body).join(User, User.id == ReminderEmail.user_id)).all()
        names = list(s.scalars(select(Child.name)))
    assert {status for _u, _s, status, _b in rows} == {"kept"}
    assert "asha.sw" in {u for u, *_ in rows} and "cara.sw" not in {u for u, *_ in rows}
    # Panel business too (issue 11 §7): BCP meets weekly, so a list is always out to its administrator.
    assert any(u == "paul.paneladmin" and subject.startswith("Children on the Permanence Panel on")
               for u, subject, _st, _b in rows)
    assert all("DEMO-" in subject or "reminder" in subject or "Permanence Panel" in subject
               or "panel business" in subject for _u, subject, _st, _b in rows)
    assert not any(name in body or name in subject for _u, subject, _st, body in rows for name in names)
    db.dispose()
