"""The API's own cost, over the engine's.

api_task_complete_ms: median of POST /api/v1/tasks/<id>/complete through the Flask app (token
  check, schema, team check, engine.complete_task strict, JSON answer) on the shipped pathway,
  each child's first PPM.
api_events_page_ms: median of GET /api/v1/events?limit=200, reading the outbox those made.
"""
from engine import clock, open_tasks, tokens
from web import create_app
from web.settings import Settings

from .common import START, council, days, median_ms, register, timed
from .completion import PROCESSES

PROCESS = "permanence_pathway"


def run(url: str | None = None, children: int = 30) -> dict:
    with council(url, "bench_api", PROCESS) as db:
        token, _ = tokens.issue(db, None, name="bench", roles=["Social Worker"],
                                scopes=list(tokens.SCOPES), teams=["North"])
        app = create_app(Settings(database_url=db.url, secret_key="bench",
                                  clock=START.isoformat(), process_id=PROCESS), db=db)
        client = app.test_client()
        headers = {"Authorization": f"Bearer {token}"}
        clock.set_fixed(START + days(1))
        first, answers = PROCESSES[PROCESS][0], PROCESSES[PROCESS][2]
        task_ids = []
        for n in range(children):
            child = register(db, f"A{n:03}", process=PROCESS).child_id
            task_ids.append(next(t["task_id"] for t in open_tasks(db, child_id=child)
                                 if t["name"] == first))

        def complete(task_id):
            response = client.post(f"/api/v1/tasks/{task_id}/complete", json={"data": answers},
                                   headers=headers)
            assert response.status_code == 200, response.get_data(as_text=True)

        completing = [timed(lambda t=t: complete(t)) for t in task_ids]

        def page():
            response = client.get("/api/v1/events?limit=200", headers=headers)
            assert response.status_code == 200 and response.get_json()["items"]

        reading = [timed(page) for _ in range(20)]
        return {"api_task_complete_ms": round(median_ms(completing), 2),
                "api_events_page_ms": round(median_ms(reading), 2)}
