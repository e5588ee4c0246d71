"""import_children_per_s: a council's 500-child permanence tracker brought on through the
import (each child's past replayed through the engine, one transaction per child), on the
shipped pathway. The rows are made up here in varied positions: before the initial PPM,
planning, every route, in proceedings, adoption up to placement."""
import random
import time
from datetime import date, datetime, timedelta

from engine import clock
from engine.importing import import_tracker
from engine.importing.template import NAMES
from engine.people import add_user
from workflows import roles

from .common import council

TODAY = date(2027, 6, 1)
CHILDREN = 500
ROUTES = ["adoption", "long_term_fostering", "adoption;long_term_fostering", "reunification",
          "family_and_friends", "residential"]


def tracker_rows(count: int, today: date = TODAY, seed: int = 14) -> list[dict]:
    rng = random.Random(seed)
    rows = []
    for i in range(count):
        d = lambda a, b: timedelta(days=rng.randint(a, b))  # noqa: E731
        entry = today - d(10, 520)
        routes = rng.choice(ROUTES)
        adoption = routes == "adoption"
        born = entry - (d(50, 700) if adoption else d(700, 6000))
        row = {n: "" for n in NAMES}
        row.update(row=i + 2, reference=f"B-{i}", name=f"Child {i}", date_of_birth=born,
                   legal_status="ico" if adoption else rng.choice(["ico", "s20", "co"]),
                   team="North", social_worker="sw", looked_after_on=entry)
        if row["legal_status"] == "ico":
            row["proceedings_issued_on"] = entry - d(0, 10)
        if rng.random() < 0.85:
            row["initial_ppm_on"] = entry + d(3, 20)
            if rng.random() < 0.75:
                row.update(plan_on=row["initial_ppm_on"] + rng.choice([0, 0, 42, 84]) * timedelta(1),
                           routes=routes)
                row["last_ppm_on"] = row["plan_on"] + d(0, 200)
        if rng.random() < 0.85:
            row["first_cla_review_on"] = entry + d(10, 32)
            row["last_cla_review_on"] = row["first_cla_review_on"] + d(0, 300)
        if rng.random() < 0.7:
            row["first_panel_on"] = entry + d(20, 70)
        if adoption and row["plan_on"] and rng.random() < 0.8:
            row["cpr_sent_on"] = row["plan_on"] + d(5, 40)
            row["adm_decided_on"] = row["cpr_sent_on"] + d(1, 14)
            row.update(final_order="po", order_made_on=row["adm_decided_on"] + d(10, 60),
                       placement_authority_on=None)
            row["placement_authority_on"] = row["order_made_on"]
            if rng.random() < 0.6:
                row["matched_on"] = row["placement_authority_on"] + d(20, 120)
                row["placed_on"] = row["matched_on"] + d(3, 30)
        for key, value in list(row.items()):
            if isinstance(value, date):
                row[key] = value.isoformat() if value <= today else ""
        for later, earlier in (("routes", "plan_on"), ("cpr_sent_on", "plan_on"),
                               ("adm_decided_on", "cpr_sent_on"), ("order_made_on", "adm_decided_on"),
                               ("placed_on", "matched_on"), ("matched_on", "placement_authority_on"),
                               ("placement_authority_on", "adm_decided_on")):
            if not row[earlier]:
                row[later] = ""
        if not row["order_made_on"]:
            row["final_order"] = ""
        rows.append(row)
    return rows


def run(server_url: str | None, count: int = CHILDREN) -> dict:
    with council(server_url, "bench_import", "permanence_pathway") as db:
        with db.transaction() as session:
            add_user(session, "admin", "Ada Admin", [roles.ADMINISTRATOR])
        rows = tracker_rows(count)
        clock.set_fixed(datetime(TODAY.year, TODAY.month, TODAY.day, 9, tzinfo=clock.LONDON))
        started = time.perf_counter()
        report = import_tracker(db, rows, "admin")
        elapsed = time.perf_counter() - started
        failed = {r.reference: r.errors for r in report.results if r.errors}
        assert not failed, f"{len(failed)} rows failed, e.g. {next(iter(failed.items()))}"
        return {"import_children_per_s": round(report.count("imported") / elapsed, 2)}
