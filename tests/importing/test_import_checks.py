"""The import's dry run, whole-or-nothing children, reruns, the page and the command
(issue 14, section 1), on SQLite and PostgreSQL with the shipped pathway."""
import io

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from engine import NotAllowed, clock
from engine.importing import import_tracker, read_tracker, template_csv, template_xlsx
from engine.importing.template import NAMES
from models import AuditEvent, Child, HumanTask, PathwayInstance
from web import create_app
from web.identity import SESSION_KEY
from web.settings import Settings

from .tracker import TODAY, at

GOOD = dict(reference="T-1", name="Tia Tracker", date_of_birth="2026-01-10", legal_status="ico",
            team="North", social_worker="sw", looked_after_on="2026-11-02",
            proceedings_issued_on="2026-10-30", initial_ppm_on="2026-11-12", plan_on="2026-11-12",
            routes="adoption", last_ppm_on="2027-04-01", first_cla_review_on="2026-11-27",
            adm_decided_on="2027-02-01")


def row(number=2, **values):
    return {**{n: "" for n in NAMES}, **GOOD, **values, "row": number}


def counts(db):
    with db.transaction() as s:
        return tuple(s.scalar(select(func.count()).select_from(t)) for t in (Child, PathwayInstance, HumanTask))


def test_the_dry_run_names_each_rows_errors_by_field_and_writes_nothing(pathway_council):
    db = pathway_council
    clock.set_fixed(at(TODAY))
    before = counts(db)
    report = import_tracker(db, [
        row(2),
        row(3, reference="T-2", team="Nowhere", social_worker="nobody"),
        row(4, reference="T-3", initial_ppm_on="2026-12-20", plan_on="2026-12-01"),
        row(5, reference="T-4", first_cla_review_on="2019-01-01", last_ppm_on="2027-09-01"),
        row(6, reference="T-5", legal_status="s31", routes="adoption;space_travel"),
        row(7, reference="T-1"),
        row(8, reference="T-6", date_of_birth="not a date", fgc_on="2026-11-20"),
        row(9, reference="T-7", placed_on="2027-03-01"),
    ], "admin", dry_run=True)
    errors = {r.row: r.errors for r in report.results}
    assert errors[2] == {}
    assert report.results[0].status == "ready" and report.results[0].stage
    assert ("Decide whether the child should be placed for adoption" not in
            {t["name"] for t in report.results[0].open_tasks})
    assert errors[3] == {"team": ["There is no team called 'Nowhere'"],
                         "social_worker": ["'nobody' is not an active social worker"]}
    assert errors[4] == {"plan_on": ["Plan identified on (2026-12-01) is before 'Initial PPM on' (2026-12-20)"]}
    assert "is before the child's date of birth" in " ".join(errors[5]["first_cla_review_on"])
    assert errors[5]["last_ppm_on"] == ["Last PPM on must be today or in the past"]
    assert errors[6]["legal_status"][0].startswith("Select the legal status")
    assert errors[6]["routes"] == ["Unknown route space_travel: use reunification, family_and_friends, "
                                   "adoption, long_term_fostering, residential"]
    assert errors[7] == {"reference": ["Reference T-1 is already on an earlier row of this tracker"]}
    assert errors[8]["date_of_birth"] == ["Date of birth must be a real date, like 2026-03-02"]
    assert errors[8]["fgc_outcome"] == ["Enter the fgc outcome: fgc_on is given"]
    assert errors[9] == {"matched_on": ["Enter 'Matched on': 'Placed on' is given, and placement follows the match"]}
    assert counts(db) == before  # a dry run writes nothing


def test_each_child_is_imported_whole_or_not_at_all_and_a_rerun_skips_it(pathway_council):
    db = pathway_council
    clock.set_fixed(at(TODAY))
    # T-2 passes every check of its row, but a child accommodated under s20 has no care
    # proceedings to record: the replay fails after registering T-2 and recording its PPMs,
    # reviews and panel, and all of that goes with it.
    broken = row(3, reference="T-2", legal_status="s20", routes="long_term_fostering",
                 adm_decided_on="", proceedings_issued_on="2027-01-10", first_panel_on="2026-12-17")
    report = import_tracker(db, [row(2), broken], "admin")
    assert [r.status for r in report.results] == ["imported", "error"]
    assert report.results[1].errors == {"proceedings_issued_on": [
        "On 10 January 2027 the pathway had no 'Record care proceedings issued' to record this "
        "date against; open then: " + report.results[1].errors["proceedings_issued_on"][0].split("open then: ")[1]]}
    kept = report.results[0].child_id
    with db.transaction() as s:
        assert s.scalars(select(Child.reference)).all() == ["T-1"]  # nothing of T-2 remains
        assert set(s.scalars(select(HumanTask.child_id))) == {kept}
        assert set(s.scalars(select(PathwayInstance.child_id))) == {kept}
        assert set(s.scalars(select(AuditEvent.child_id).where(AuditEvent.child_id.is_not(None)))) == {kept}
        imported = s.scalar(select(AuditEvent).where(AuditEvent.kind == "child_imported"))
        assert imported.actor_name == "Ada Admin" and imported.detail["row"] == 2
    before = counts(db)
    again = import_tracker(db, [row(2), dict(broken, proceedings_issued_on="")], "admin")
    assert [r.status for r in again.results] == ["present", "imported"]
    assert counts(db)[0] == before[0] + 1
    # Only an administrator may import; a social worker is told so before anything runs.
    with pytest.raises(NotAllowed):
        import_tracker(db, [row(4, reference="T-3")], "sw")


def test_the_template_reads_back_as_csv_and_xlsx():
    for name, content in (("t.csv", template_csv().encode()), ("t.xlsx", template_xlsx())):
        rows = read_tracker(name, content)
        assert len(rows) == 1 and rows[0]["reference"] == "LA-1001" and rows[0]["row"] == 2
        assert rows[0]["routes"] == "adoption;long_term_fostering"


def _app(db, instance_dir):
    app = create_app(Settings(database_url=db.url, secret_key="test", clock=at(TODAY).isoformat(),
                              process_id="permanence_pathway", instance_dir=instance_dir), db=db)
    app.config.update(TESTING=True, WTF_CSRF_ENABLED=False)
    return app


def _client(app, username):
    client = app.test_client()
    if username:
        from models import User
        with app.extensions["permanence.db"].transaction() as s:
            user = s.scalar(select(User).where(User.username == username))
            with client.session_transaction() as session:
                session[SESSION_KEY] = user.id
    return client


def test_the_page_checks_then_imports_and_keeps_rows_with_errors_visible(pathway_council, tmp_path):
    app = _app(pathway_council, tmp_path)
    client = _client(app, "admin")
    page = client.get("/admin/import")
    assert page.status_code == 200 and b"reference" in page.data
    assert client.get("/admin/import/template.xlsx").data[:2] == b"PK"
    csv_text = ",".join(NAMES) + "\n" + "\n".join(
        ",".join(r[n] for n in NAMES) for r in (row(2), row(3, reference="T-2", team="Nowhere")))
    checked = client.post("/admin/import/check", data={
        "tracker": (io.BytesIO(csv_text.encode()), "tracker.csv")}, content_type="multipart/form-data")
    html = checked.get_data(as_text=True)
    assert checked.status_code == 200
    assert "There is no team called" in html and "Import 1 child" in html and "Ready" in html
    assert counts(pathway_council)[0] == 0
    token = html.split('name="token" value="')[1].split('"')[0]
    done = client.post("/admin/import/run", data={"token": token, "filename": "tracker.csv"})
    html = done.get_data(as_text=True)
    assert done.status_code == 422  # one row still has errors, shown beside the imported one
    assert "Imported" in html and "There is no team called" in html
    assert counts(pathway_council)[0] == 1
    # The kept file goes once imported; a made-up token reads nothing from the disk.
    gone = client.post("/admin/import/run", data={"token": token, "filename": "tracker.csv"})
    assert gone.status_code == 400 and "upload it again" in gone.get_data(as_text=True)
    forged = client.post("/admin/import/run", data={"token": "../../secret_key", "filename": "x"})
    assert forged.status_code == 400
    bad = client.post("/admin/import/check", data={
        "tracker": (io.BytesIO(b"reference,colour\nA,blue\n"), "tracker.csv")}, content_type="multipart/form-data")
    assert bad.status_code == 400 and "Unknown column(s): colour" in bad.get_data(as_text=True)
    many = ",".join(NAMES) + "\n" + "".join(f"M-{i},Name\n" for i in range(1001))
    big = client.post("/admin/import/check", data={
        "tracker": (io.BytesIO(many.encode()), "big.csv")}, content_type="multipart/form-data")
    assert big.status_code == 400
    assert "The tracker has 1001 children: this page checks up to 1000" in big.get_data(as_text=True)
    wrong = client.post("/admin/import/check", data={
        "tracker": (io.BytesIO(b"x"), "tracker.pdf")}, content_type="multipart/form-data")
    assert wrong.status_code == 400 and "must be a CSV or XLSX" in wrong.get_data(as_text=True)


def test_the_command_dry_runs_then_imports(pathway_council, tmp_path, monkeypatch):
    from web.cli import cli
    path = tmp_path / "tracker.csv"
    path.write_text(",".join(NAMES) + "\n" + ",".join(row(2)[n] for n in NAMES) + "\n")
    monkeypatch.setenv("DATABASE_URL", pathway_council.url)
    monkeypatch.setenv("PERMANENCE_CLOCK", at(TODAY).isoformat())
    runner = CliRunner()
    dry = runner.invoke(cli, ["import", str(path), "--dry-run", "--as", "admin"])
    assert dry.exit_code == 0, dry.output
    assert "row 2 T-1: would be at" in dry.output and "1 would import" in dry.output
    assert counts(pathway_council)[0] == 0
    done = runner.invoke(cli, ["import", str(path), "--as", "admin"])
    assert "1 imported" in done.output and counts(pathway_council)[0] == 1
    again = runner.invoke(cli, ["import", str(path), "--as", "admin"])
    assert "already present, skipped" in again.output
    refused = runner.invoke(cli, ["import", str(path), "--as", "sw"])
    assert refused.exit_code == 1 and "Only an administrator may import children" in refused.output


def test_only_an_administrator_records_history_and_only_when_importing(pathway_council):
    """The engine's guard behind the import: `recording_history` lets an administrator
    complete a task in any lane; it lets no one else, and without it an administrator
    completes nothing (they hold no lane)."""
    from engine import complete_task, open_tasks, register_child
    db = pathway_council
    clock.set_fixed(at(TODAY))
    child = register_child(db, {k: GOOD[k] for k in ("reference", "name", "date_of_birth", "legal_status",
                                                      "looked_after_on", "team", "social_worker")}, "sw")
    task = next(t for t in open_tasks(db, child_id=child.child_id) if t["name"] == "Hold the first CLA review")
    answers = {"review_held_on": "2026-11-20", "plan_identified": False}
    with pytest.raises(NotAllowed, match="Only an administrator may record"):
        complete_task(db, task["task_id"], answers, "sw", recording_history=True)
    with pytest.raises(NotAllowed, match="is for the IRO"):
        complete_task(db, task["task_id"], answers, "admin")
    done = complete_task(db, task["task_id"], answers, "admin", recording_history=True)
    assert done.error is None and "Hold the second CLA review" in {t["name"] for t in done.opened}
