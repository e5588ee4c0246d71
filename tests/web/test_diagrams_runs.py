"""What the check page passes, runs, seen through the pages a process owner uses: a timer
that gives "10 minutes" is listed with its element; a draft whose only timer waits behind an
event-based gateway offers "Move to the next timer" in the rehearsal, and the timer fires."""
import json

from ..engine.test_event_gateway import _ruled_bundle
from .conftest import page_text
from .diagrams.support import diagram_app, po, problems_listed, upload  # noqa: F401  (fixtures)
from .test_diagrams_rehearsal import _act


def _draft_of(client, bundle) -> str:
    files = [upload(n, content=x.encode()) for n, x in bundle.bpmn_files.items()]
    files += [upload(n, content=json.dumps(f).encode()) for n, f in bundle.form_files.items()]
    response = client.post("/diagrams/drafts", data={"files": files}, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response.headers["Location"].rsplit("/", 1)[1]


def test_a_timer_of_ten_minutes_in_words_is_listed_with_its_element(po):
    bundle = _ruled_bundle()
    xml = bundle.bpmn_files["whichever_first.bpmn"].replace(
        "overdue_from(add_working_days(looked_after_on, 10))", '"10 minutes"')
    draft = _draft_of(po, type(bundle)(bundle.process_id, {"whichever_first.bpmn": xml}, bundle.form_files))
    listed = problems_listed(po.get(f"/diagrams/drafts/{draft}/validate"))
    assert len(listed) == 1
    assert listed[0].startswith("whichever_first.bpmn 7 Order or ten days? (first) timer expression (date) "
                                "gives '10 minutes', which is not an ISO 8601 date")


def test_the_rehearsal_offers_the_next_timer_behind_an_event_based_gateway(po):
    draft = _draft_of(po, _ruled_bundle())
    assert problems_listed(po.get(f"/diagrams/drafts/{draft}/validate")) == []
    start = po.get(f"/diagrams/drafts/{draft}/rehearsal")
    text = page_text(start)
    assert "Move to the next timer" in text and "Ten working days R7" in text
    fired = page_text(_act(po, draft, start, "timer"))
    assert "Timer fired: Ten working days" in fired and "Opened 'Chase' for the Team Manager" in fired
