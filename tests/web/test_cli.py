"""The `permanence` console command, run as an operator runs it: the installed script in a
subprocess, on a SQLite file, with the clock fixed by PERMANENCE_CLOCK.

Each call costs about a second, so related checks are grouped into scenarios. The demo
data (`init --demo`) is built once per module and copied for each test that changes it.

Dates. The clock is Monday 2 March 2026, 09:00 UTC (09:00 GMT in London). The demo
registers each child relative to that day (web/demo.py, CHILDREN: days looked after), and
R7 is 10 working days from becoming looked after, the day itself not counted (RULES.md,
Counting). No bank holiday falls between 21 February and 1 April 2026 (Good Friday is 3 April):
  DEMO-001 looked after 3 days before:  Fri 27 Feb -> 2-6 Mar (5), 9-13 Mar (10): due Fri 13 Mar
  DEMO-002 looked after 9 days before:  Sat 21 Feb -> 23-27 Feb (5), 2-6 Mar (10): due Fri 6 Mar
  DEMO-003 looked after 30 days before: Sat 31 Jan -> 2-6 Feb (5), 9-13 Feb (10): due Fri 13 Feb,
           overdue already, so the sweep inside `init --demo` (as at 2 Mar) escalated it: the
           Team Manager's chase is due 2 working days after it became overdue (Sat 14 Feb):
           Mon 16 (1), Tue 17 Feb (2)
  DEMO-007 looked after 5 days before:  Wed 25 Feb -> 26-27 Feb (2), 2-6 Mar (7), 9-11 Mar (10):
           due Wed 11 Mar
  DEMO-004/005/008 held their initial PPM 7 days after becoming looked after; review PPM (R8)
           6 weeks later: 28 Jan -> 11 Mar, 12 Feb -> 26 Mar, 8 Jan -> 19 Feb (overdue)
  DEMO-006 (South) held it on 25 Feb with a plan of reunification: the Team Manager confirms
           the support plan within 6 weeks (R9): 8 Apr
North: DEMO-001..005 (asha.sw, ben.sw; tom.tm manages). South: DEMO-006..008 (cara.sw, tia.tm).
"""
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from ..conftest import DEMO_DIAGRAMS

ROOT = Path(__file__).resolve().parents[2]
PERMANENCE = ROOT / ".venv" / "bin" / "permanence"
CLOCK = "2026-03-02T09:00:00+00:00"


def _env(folder: Path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in {"PERMANENCE_PROCESS", "PERMANENCE_SWEEP_SECONDS", "SECRET_KEY"}}
    env.update(DATABASE_URL=f"sqlite:///{folder / 'p.db'}",
               PERMANENCE_INSTANCE_DIR=str(folder / "instance"), PERMANENCE_CLOCK=CLOCK,
               # the small demo diagram: these tests are about the command, not the pathway
               PERMANENCE_PROCESS="demo_pathway", PERMANENCE_DIAGRAMS=str(DEMO_DIAGRAMS))
    env.update(extra)
    return env


def run(folder: Path, *args: str, **env) -> subprocess.CompletedProcess:
    return subprocess.run([str(PERMANENCE), *args], env=_env(folder, **env), cwd=folder,
                          capture_output=True, text=True, timeout=120)


def ok(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return result.stdout


def refused(result: subprocess.CompletedProcess, field_lines: int = 0) -> list[str]:
    """A refusal: non-zero exit, nothing on stdout, 'error: ...' as the one first line of
    stderr (plus `field_lines` indented lines, one per form field), never a traceback."""
    assert result.returncode != 0, result.stdout
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines and lines[0].startswith("error: "), result.stderr
    assert len(lines) == 1 + field_lines, result.stderr
    assert all(line.startswith("  ") for line in lines[1:]), result.stderr
    return lines


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    out = ok(run(folder, "init", "--demo"))
    lines = out.splitlines()
    assert lines[:2] == [
        "diagram demo_pathway: version 1 published",
        "demo data loaded: sign in as asha.sw, tom.tm, iris.iro ... with the password "
        "'permanence-demo'",
    ]
    assert len(lines) == 3 and lines[2].startswith(
        "demo API token (demo-cms, read only; try it at /api/v1/docs): pp_")
    return folder / "p.db"


@pytest.fixture
def demo(demo_template, tmp_path) -> Path:
    """A folder with its own copy of the demo database."""
    for suffix in ("", "-wal", "-shm"):
        source = demo_template.with_name(demo_template.name + suffix)
        if source.exists():
            shutil.copy(source, tmp_path / ("p.db" + suffix))
    return tmp_path


def _task_of(folder: Path, reference: str) -> dict:
    [task] = json.loads(ok(run(folder, "tasks", "list", "--child", reference, "--json")))
    return task


# --- init and child add ------------------------------------------------------------------

def test_init_is_harmless_to_repeat_and_adding_a_child_opens_the_initial_ppm(tmp_path):
    assert ok(run(tmp_path, "init")) == "diagram demo_pathway: version 1 published\n"
    assert ok(run(tmp_path, "init")) == "diagram demo_pathway: version 1 already published\n"
    # The demo brings teams and staff (`user add` and `team add` can too: test_cli_admin.py).
    out = ok(run(tmp_path, "init", "--demo"))
    assert out.startswith("diagram demo_pathway: version 1 already published\ndemo data loaded:")
    assert ok(run(tmp_path, "init", "--demo")).splitlines() == [
        "diagram demo_pathway: version 1 already published",
        "demo data not loaded: the database already has children",
    ]

    child = ("child", "add", "--reference", "C-100", "--name", "Alex Example",
             "--dob", "2019-05-04", "--legal-status", "ico", "--looked-after-on", "2026-03-02",
             "--team", "Children in Care North", "--social-worker", "asha.sw")
    out = ok(run(tmp_path, *child)).splitlines()
    # 8 demo children, so this is the 9th child and the 9th pathway.
    assert out[0] == "child 9 registered; pathway 9 started"
    # Looked after Mon 2 March 2026; 10 working days, the day itself not counted:
    # 3-6 March (4), 9-13 March (9), Mon 16 March (10).
    assert out[1:] == ["  open: Record initial PPM (Social Worker) due 2026-03-16 [R7]"]

    [task] = json.loads(ok(run(tmp_path, "tasks", "list", "--child", "C-100", "--json")))
    assert {k: task[k] for k in ("name", "lane", "due_on", "rule", "overdue", "status",
                                 "child_reference", "child_name")} == {
        "name": "Record initial PPM", "lane": "Social Worker", "due_on": "2026-03-16",
        "rule": "R7", "overdue": False, "status": "open", "child_reference": "C-100",
        "child_name": "Alex Example"}

    # The same reference again, and other bad details: one line, then one line per field.
    lines = refused(run(tmp_path, *child[:-2], "--social-worker", "cara.sw",
                        "--dob", "2026-02-30", "--legal-status", "x"), field_lines=4)
    assert lines[0].startswith("error: There is a problem with the form: ")
    fields = {line.split(":")[0].strip(): line for line in lines[1:]}
    assert set(fields) == {"reference", "date_of_birth", "legal_status", "social_worker"}
    assert "A child with reference C-100 is already registered" in fields["reference"]
    assert "'cara.sw' is not in Children in Care North" in fields["social_worker"]


# --- listings ----------------------------------------------------------------------------

def test_tasks_are_listed_by_due_date_for_what_each_user_can_do(demo):
    everything = json.loads(ok(run(demo, "tasks", "list", "--json")))
    assert [(t["child_reference"], t["name"], t["due_on"], t["rule"], t["overdue"])
            for t in everything] == [
        ("DEMO-003", "Record initial PPM", "2026-02-13", "R7", True),
        ("DEMO-003", "Chase overdue initial PPM", "2026-02-17", "R7", True),
        ("DEMO-008", "Record review PPM", "2026-02-19", "R8", True),
        ("DEMO-002", "Record initial PPM", "2026-03-06", "R7", False),
        ("DEMO-004", "Record review PPM", "2026-03-11", "R8", False),
        ("DEMO-007", "Record initial PPM", "2026-03-11", "R7", False),
        ("DEMO-001", "Record initial PPM", "2026-03-13", "R7", False),
        ("DEMO-005", "Record review PPM", "2026-03-26", "R8", False),
        ("DEMO-006", "Confirm reunification support plan", "2026-04-08", "R9", False),
    ]

    # The North team manager: only the Team Manager lane, only North children (not DEMO-006).
    out = ok(run(demo, "tasks", "list", "--user", "tom.tm")).splitlines()
    assert len(out) == 1
    assert out[0].endswith("2026-02-17  [ R7]  DEMO-003 Charlie White: "
                           "Chase overdue initial PPM (Team Manager)  OVERDUE")

    north = json.loads(ok(run(demo, "tasks", "list", "--user", "asha.sw", "--json")))
    assert {t["lane"] for t in north} == {"Social Worker"}
    assert [t["child_reference"] for t in north] == [
        "DEMO-003", "DEMO-002", "DEMO-004", "DEMO-001", "DEMO-005"]

    south = json.loads(ok(run(demo, "tasks", "list", "--user", "cara.sw", "--json")))
    assert [(t["child_reference"], t["name"]) for t in south] == [
        ("DEMO-008", "Record review PPM"), ("DEMO-007", "Record initial PPM")]

    # The IRO works council-wide, but nothing in this diagram is in the IRO's lane.
    assert ok(run(demo, "tasks", "list", "--user", "iris.iro")) == "no open tasks\n"
    assert refused(run(demo, "tasks", "list", "--user", "nobody")) == [
        "error: There is no active user 'nobody'"]
    assert refused(run(demo, "tasks", "list", "--child", "NOPE")) == ["error: There is no child NOPE"]


def test_child_show_says_where_the_child_is_and_only_to_those_who_may_see(demo):
    out = ok(run(demo, "child", "show", "DEMO-001")).splitlines()
    task_id = out[3].split()[0]
    assert out[0].startswith("Alfie Brown (DEMO-001), born ")
    assert out[0].endswith(", ico, looked after since 2026-02-27, Children in Care North, "
                           "social worker Asha Patel")
    assert out[1:3] == ["pathway: active; stage: Initial PPM; route: -", "open tasks:"]
    assert out[3] == f"  {task_id}  Record initial PPM (Social Worker) due 2026-03-13 [R7]"
    assert out[4:] == ["deadlines:", "  Initial PPM deadline: due 2026-03-13 [R7] running"]

    shown = json.loads(ok(run(demo, "child", "show", "DEMO-001", "--json")))
    assert shown["child"]["reference"] == "DEMO-001"
    assert shown["child"]["looked_after_on"] == "2026-02-27"
    assert (shown["process"], shown["version"], shown["status"], shown["stage"]) == (
        "demo_pathway", 1, "active", "Initial PPM")
    # Overdue from 00:00 London on Sat 14 March (GMT): the escalation timer is due then.
    assert shown["next_due_at"] == "2026-03-14T00:00:00+00:00"
    assert [(t["task_id"], t["due_on"], t["rule"]) for t in shown["open_tasks"]] == [
        (task_id, "2026-03-13", "R7")]
    assert shown["deadlines"] == [{"label": "Initial PPM deadline", "rule": "R7",
                                   "due_on": "2026-03-13", "status": "running", "met_on": None}]
    assert shown["current_elements"] == ["initial_ppm_overdue", "record_initial_ppm"]

    assert refused(run(demo, "child", "show", "NOPE")) == ["error: There is no child NOPE"]
    # A social worker of the South team does not see a North child.
    [line] = refused(run(demo, "child", "show", "DEMO-001", "--user", "cara.sw"))
    assert line.startswith("error: There is no child ") and "that you can see" in line
    # The North team manager does.
    assert ok(run(demo, "child", "show", "DEMO-001", "--user", "tom.tm")).splitlines() == out


def test_a_hidden_child_is_refused_as_if_it_did_not_exist(demo):
    hidden = refused(run(demo, "child", "show", "DEMO-001", "--user", "cara.sw"))
    missing = refused(run(demo, "child", "show", "DEMO-999", "--user", "cara.sw"))
    assert hidden == [line.replace("DEMO-999", "DEMO-001") for line in missing]


# --- completing a task -------------------------------------------------------------------

def test_completing_a_task_from_the_shell(demo):
    task_id = _task_of(demo, "DEMO-001")["task_id"]

    # Form errors: the one line, then a line per field; nothing is completed.
    lines = refused(run(demo, "task", "complete", task_id, "--user", "asha.sw", "--data",
                        json.dumps({"held_on": "2026-03-09", "plan": "bogus"})), field_lines=3)
    assert lines[0].startswith("error: There is a problem with the form: ")
    fields = {line.split(":")[0].strip(): line for line in lines[1:]}
    assert set(fields) == {"held_on", "plan", "contingency_plan"}
    assert "must be today or in the past" in fields["held_on"]  # 9 March is after 2 March

    [line] = refused(run(demo, "task", "complete", task_id, "--user", "asha.sw",
                         "--data", '{"held_on": '))
    assert line.startswith("error: --data is not valid JSON")

    # A social worker of the other team cannot see the task, let alone complete it.
    assert refused(run(demo, "task", "complete", task_id, "--user", "cara.sw", "--data", "{}")) == [
        f"error: There is no task {task_id} that you can see"]
    # The team manager sees the child but the task is in the Social Worker lane.
    assert refused(run(demo, "task", "complete", task_id, "--user", "tom.tm", "--data", "{}")) == [
        "error: 'Record initial PPM' is for the Social Worker: you do not hold that role"]

    good = json.dumps({"held_on": "2026-03-02", "plan": "long_term_fostering",
                       "contingency_plan": "Special guardianship with the aunt"})
    out = ok(run(demo, "task", "complete", task_id, "--user", "asha.sw", "--data", good))
    # R8: the review PPM is 6 weeks after the date the PPM was held: 2 March + 42 days = 13 April.
    assert out.splitlines() == ["completed; pathway is active",
                                "  next: Record review PPM (Social Worker) due 2026-04-13 [R8]"]

    # Completed at the fixed clock, 09:00 UTC = 09:00 GMT in London.
    assert refused(run(demo, "task", "complete", task_id, "--user", "asha.sw", "--data", good)) == [
        "error: 'Record initial PPM' was already completed by Asha Patel on 2 March 2026 at 09:00"]
    assert _task_of(demo, "DEMO-001")["name"] == "Record review PPM"


def test_task_show_says_what_a_task_needs_and_complete_refuses_unknown_answers(demo):
    listed = _task_of(demo, "DEMO-001")
    task_id = listed["task_id"]
    out = ok(run(demo, "task", "show", task_id, "--user", "asha.sw")).splitlines()
    assert out[0].startswith("Record initial PPM for ") and out[0].endswith(", Social Worker")
    assert out[1].startswith(f"due {listed['due_on']} [R7]")
    questions = {line.split(":")[0].strip(): line for line in out if line.startswith("  ")}
    assert questions["held_on"] == "  held_on: date YYYY-MM-DD, required  (Date the meeting was held)"
    assert "one of reunification, " in questions["plan"] and ", required" in questions["plan"]
    assert "required" not in questions["background"]
    shown = json.loads(ok(run(demo, "task", "show", task_id, "--user", "asha.sw", "--json")))
    assert {q["name"] for q in shown["questions"]} >= {"held_on", "plan", "contingency_plan"}
    # only someone who may do the task may ask
    assert refused(run(demo, "task", "show", task_id, "--user", "cara.sw")) == [
        f"error: There is no task {task_id} that you can see"]

    # A mistyped name is refused, naming it, and nothing is completed.
    typo = json.dumps({"held_on": "2026-03-02", "plan": "long_term_fostering",
                       "contingency_plan": "Special guardianship", "contingency": "x"})
    lines = refused(run(demo, "task", "complete", task_id, "--user", "asha.sw", "--data", typo),
                    field_lines=1)
    assert lines[1].startswith("  contingency: initial-ppm.json has no question 'contingency'")
    assert _task_of(demo, "DEMO-001")["name"] == "Record initial PPM"


def test_as_of_reads_what_is_due_on_another_day(demo):
    """DEMO-001's initial PPM is due 13 March (R7): overdue as of the 17th, not today."""
    [now] = json.loads(ok(run(demo, "tasks", "list", "--child", "DEMO-001", "--json")))
    [later] = json.loads(ok(run(demo, "tasks", "list", "--child", "DEMO-001", "--json",
                                "--as-of", "2026-03-17")))
    assert (now["overdue"], later["overdue"]) == (False, True)
    assert "OVERDUE" in ok(run(demo, "child", "show", "DEMO-001", "--as-of", "2026-03-17"))
    assert "Invalid value for '--as-of'" in run(demo, "tasks", "list", "--as-of", "17/03/2026").stderr


# --- timers and the clock ----------------------------------------------------------------

def test_timers_run_escalates_missed_deadlines(demo):
    [line] = refused(run(demo, "timers", "run", "--now", "2026-03-30T00:00:00"))
    assert "give a UTC offset" in line
    [line] = refused(run(demo, "timers", "run", "--now", "next tuesday"))
    assert line.startswith("error: ")

    # By 30 March the R7 deadlines of DEMO-002 (6 Mar), DEMO-007 (11 Mar) and DEMO-001
    # (13 Mar) have passed; DEMO-003's escalation already fired inside `init --demo`.
    report = json.loads(ok(run(demo, "timers", "run", "--now", "2026-03-30T00:00:00+00:00",
                               "--json")))
    assert report == {"instances": 3, "timers_fired": 3, "errors": []}
    # Nothing is left to fire: each timer fires once.
    assert ok(run(demo, "timers", "run", "--now", "2026-03-30T00:00:00+00:00")) == (
        "0 due, 0 timers fired, 0 errors\n")

    # The chase runs from the day the deadline was missed, not from the (late) sweep:
    # DEMO-001 due Fri 13 Mar, overdue from Sat 14 Mar: Mon 16 (1), Tue 17 Mar (2).
    out = ok(run(demo, "child", "show", "DEMO-001")).splitlines()
    assert out[2] == "open tasks:"
    assert out[3].endswith("  Record initial PPM (Social Worker) due 2026-03-13 [R7]")
    assert out[4].endswith("  Chase overdue initial PPM (Team Manager) due 2026-03-17 [R7]")  # today is 2 Mar
    assert out[5:] == ["deadlines:", "  Initial PPM deadline: due 2026-03-13 [R7] missed"]

    chases = json.loads(ok(run(demo, "tasks", "list", "--user", "tom.tm", "--json")))
    assert [(t["child_reference"], t["name"], t["due_on"]) for t in chases] == [
        ("DEMO-003", "Chase overdue initial PPM", "2026-02-17"),
        ("DEMO-002", "Chase overdue initial PPM", "2026-03-10"),  # due 6 Mar: Mon 9, Tue 10
        ("DEMO-001", "Chase overdue initial PPM", "2026-03-17"),
    ]  # DEMO-007 is a South child: tia.tm's, not tom.tm's


def test_a_clock_setting_that_cannot_be_read_is_refused(tmp_path):
    [line] = refused(run(tmp_path, "tasks", "list", PERMANENCE_CLOCK="yesterday"))
    assert line.startswith("error: PERMANENCE_CLOCK='yesterday' is neither an ISO-8601 instant")
    [line] = refused(run(tmp_path, "init", PERMANENCE_CLOCK="2026-03-02T09:00:00"))
    assert "needs a UTC offset" in line


def test_a_command_before_init_is_refused_in_one_line(tmp_path):
    [line] = refused(run(tmp_path, "tasks", "list"))
    assert "permanence init" in line


def test_a_now_that_is_not_an_instant_names_the_option(tmp_path):
    [line] = refused(run(tmp_path, "timers", "run", "--now", "garbage"))
    assert line == "error: --now 'garbage' is not an ISO-8601 instant, e.g. 2026-03-30T00:00:00+00:00"


# --- case events ------------------------------------------------------------------------

def test_D22_a_case_event_from_the_shell(demo):
    """DEMO-002 (Bella, s20, Asha's) had her kinship placement recorded by the demo on the
    day she became looked after, Sat 21 February."""
    lines = refused(run(demo, "child", "event", "DEMO-002", "proceedings_issued", "--user", "asha.sw",
                        "--data", json.dumps({"issued_on": "2026-02-20"})), field_lines=1)
    assert lines[1] == ("  issued_on: Date proceedings were issued must be on or after Bella Green "
                        "became looked after (21 February 2026)")
    assert refused(run(demo, "child", "event", "DEMO-002", "moved_school", "--user", "asha.sw"),
                   field_lines=1)[1].startswith("  kind: There is no case event 'moved_school'")
    assert refused(run(demo, "child", "event", "DEMO-002", "missing", "--user", "cara.sw",
                       "--data", '{"missing_on": "2026-03-01"}')) == [
        "error: There is no child DEMO-002 that you can see"]
    out = ok(run(demo, "child", "event", "DEMO-002", "placement_changed", "--user", "asha.sw", "--data",
                 json.dumps({"placement_type": "in_house_foster", "carers": "Jo Carter",
                             "area": "local", "started_on": "2026-03-02"})))
    assert out.startswith("event ") and out.rstrip().endswith("recorded: placement_changed")
    shown = json.loads(ok(run(demo, "child", "event", "DEMO-002", "missing", "--user", "tom.tm",
                              "--data", '{"missing_on": "2026-03-02"}', "--json")))
    assert (shown["kind"], shown["caught_by"], shown["error"]) == ("missing", [], None)
