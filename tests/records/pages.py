"""Helpers for the record page tests: the app on the shipped pathway, a child with a PPM."""
from datetime import date

from sqlalchemy import select

from engine.people import add_user, ensure_team
from models import TaskRecord
from tests.scenarios.conftest import PPM_AREAS, Case
from web import create_app
from web.settings import Settings
from workflows import roles

PPM = dict(PPM_AREAS, reunification_discussed=True, plan_identified=True,
           routes=["adoption", "long_term_fostering"], legal_context="Interim care order.\nFinal hearing in June.",
           actions=[{"action": "Referral to adoption team", "owner": "sw", "due_on": "2027-03-24"}])


def app_for(db, clock="2027-03-12T09:00:00+00:00", council="Northshire County Council"):
    with db.transaction() as s:
        add_user(s, "sw_south", "Sid South", [roles.SOCIAL_WORKER], ensure_team(s, "South"))
        add_user(s, "po", "Pam Owner", [roles.PROCESS_OWNER])
        add_user(s, "sw2", "Sue Second", [roles.SOCIAL_WORKER], ensure_team(s, "North"))
    app = create_app(Settings(database_url=db.url, secret_key="t", clock=clock,
                              council_name=council), db=db)
    app.config.update(TESTING=True, WTF_CSRF_ENABLED=False)
    return app


def child_with_ppm(db, on=date(2027, 3, 10), reference="C-1"):
    case = Case.start(db, date(2027, 3, 1), date(2020, 6, 1), reference=reference)
    case.do("Hold the initial PPM", on=on, held_on=on, **PPM)
    return case


def record_id(db, bpmn_id="initial_ppm") -> int:
    with db.transaction() as s:
        return s.scalar(select(TaskRecord.id).where(TaskRecord.bpmn_id == bpmn_id)
                        .order_by(TaskRecord.id.desc()).limit(1))
