"""With no settings, `permanence init --demo` publishes the shipped pathway and the demo
children are on it: what `make run` gives a council trying the product."""
import json
import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PERMANENCE = ROOT / ".venv" / "bin" / "permanence"


def test_init_demo_runs_the_full_pathway(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PERMANENCE_") and k != "DATABASE_URL"}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'p.db'}", PERMANENCE_INSTANCE_DIR=str(tmp_path / "i"),
               PERMANENCE_CLOCK="2026-03-02T09:00:00+00:00")

    def run(*args):
        return subprocess.run([str(PERMANENCE), *args], env=env, capture_output=True, text=True,
                              check=True, timeout=300).stdout

    assert "diagram permanence_pathway: version 1 published" in run("init", "--demo")
    tasks = json.loads(run("tasks", "list", "--json"))
    by_child = {}
    for t in tasks:
        by_child.setdefault(t["child_reference"], set()).add((t["name"], t["lane"]))
    # A child without a plan yet holds the initial PPM; one with a plan is on its route.
    assert ("Hold the initial PPM", "Social Worker") in by_child["DEMO-002"]
    assert ("Hold the first CLA review", "IRO") in by_child["DEMO-002"]
    assert ("Send the Child's Permanence Report to the ADM", "Social Worker") in by_child["DEMO-005"]
    assert ("Propose the long-term fostering match", "Social Worker") in by_child["DEMO-004"]
    shown = json.loads(run("child", "show", "DEMO-005", "--json"))
    assert (shown["process"], shown["stage"], shown["route"]) == ("permanence_pathway", "Adoption", "adoption")
    # Case details from a shell (K4, K9): a sibling in another team is shown without detail.
    details = json.loads(run("child", "details", "DEMO-001", "--user", "asha.sw", "--json"))
    members = {m["name"]: m["visible"] for m in details["siblings"]["members"]}
    assert members == {"Alfie Brown": True, "Ethan Grey": True, "A sibling you do not have access to": False}
    said = run("child", "details", "DEMO-001", "--user", "sam.sm")
    assert "siblings: group" in said and "Freya Scott (DEMO-006)" in said
    refused = subprocess.run([str(PERMANENCE), "child", "identity", "DEMO-001", "--user", "asha.sw",
                              "--data", '{"uasc": "perhaps"}'], env=env, capture_output=True, text=True)
    assert refused.returncode != 0 and "uasc" in refused.stderr + refused.stdout
    run("child", "identity", "DEMO-001", "--user", "asha.sw", "--reason", "Language confirmed",
        "--data", '{"ethnicity": "White British", "first_language": "English", "uasc": "no"}')
    assert "First language: English" in run("child", "details", "DEMO-001", "--user", "tom.tm")
    # E32: Daisy's decision aid: long-term fostering proposed, its statements fitting best.
    daisy = json.loads(run("child", "details", "DEMO-004", "--user", "ben.sw", "--json"))["route_choice"]
    assert (daisy["proposed"], daisy["best"], daisy["warning"]) == ("Long-term fostering", ["Long-term fostering"], "")
    assert "Long-term fostering 3 of 4" in run("child", "details", "DEMO-004", "--user", "tom.tm")
    # A9, E6, E25: the family network and the health assessments from a shell.
    refused = subprocess.run([str(PERMANENCE), "child", "network", "DEMO-001", "--user", "asha.sw",
                              "--data", '{"name": "Dean Brown", "relationship": "Uncle", "caring": "ruled_out", '
                                        '"identified_on": "2026-03-01", "assessment": "not_assessed"}'],
                             env=env, capture_output=True, text=True)
    assert refused.returncode != 0 and "ruled_out_reason" in refused.stderr + refused.stdout
    assert "family network: version 4 recorded" in run(
        "child", "network", "DEMO-001", "--user", "asha.sw", "--data",
        '{"name": "Dean Brown", "relationship": "Uncle", "caring": "ruled_out", "identified_on": "2026-03-01", '
        '"ruled_out_reason": "Works abroad", "assessment": "not_assessed"}')
    said = run("child", "details", "DEMO-001", "--user", "tom.tm")
    assert "family network: 4 people" in said and "Dean Brown (Uncle): Ruled out as a carer" in said
    assert "health assessments: 1 recorded; next due" in said
    assert "health assessments: version 2 recorded" in run(
        "child", "health", "DEMO-001", "--user", "asha.sw", "--data",
        '{"kind": "review", "held_on": "2026-03-02", "carried_out_by": "LAC nurse", "outcome": "Well"}')


def test_init_demo_brings_two_children_on_from_a_tracker(tmp_path):
    """The demo shows the import (issue 14): DEMO-101 and DEMO-102 came from a tracker, well
    into their pathway, with the deadlines their dates give (met and missed)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PERMANENCE_") and k != "DATABASE_URL"}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'p.db'}", PERMANENCE_INSTANCE_DIR=str(tmp_path / "i"),
               PERMANENCE_CLOCK="2026-03-02T09:00:00+00:00")

    def run(*args):
        return subprocess.run([str(PERMANENCE), *args], env=env, capture_output=True, text=True,
                              check=True, timeout=300).stdout

    run("init", "--demo")
    imogen = json.loads(run("child", "show", "DEMO-101", "--json"))
    assert (imogen["stage"], imogen["route"]) == ("Adoption", "adoption")
    assert "Record the adoption match" in {t["name"] for t in imogen["open_tasks"]}
    statuses = {d["status"] for d in imogen["deadlines"]}
    assert {"met", "missed"} <= statuses
    jacob = json.loads(run("child", "show", "DEMO-102", "--json"))
    assert "Ratify the long-term match at panel" in {t["name"] for t in jacob["open_tasks"]}
    # E24, E26: the Shahs, his short-term carers, were reassessed before the match was proposed.
    from sqlalchemy import create_engine, text
    with create_engine(f"sqlite:///{tmp_path / 'p.db'}").connect() as connection:
        answers = [json.loads(a) if isinstance(a, str) else a for (a,) in connection.execute(text(
            "SELECT r.answers FROM task_record r JOIN child c ON c.id = r.child_id "
            "WHERE c.reference = 'DEMO-102' AND r.bpmn_id = 'propose_match' ORDER BY r.revision"))]
    assert [a.get("carers_origin") for a in answers] == ["sought", "short_term"]
    assert answers[-1]["reassessment_recommends"] is True and answers[-1]["halton_option"] == "council_carer"
    # Jacob is 17: his care-leaving PPM is open (B23, L1-L5), and Ethan's care proceedings
    # issued have called a PPM to twin-track his plan (A6).
    assert "Confirm care-leaver status at a PPM" in {t["name"] for t in jacob["open_tasks"]}
    ethan = json.loads(run("child", "show", "DEMO-005", "--json"))
    assert "Hold the PPM the event calls for" in {t["name"] for t in ethan["open_tasks"]}


def test_A10_E18_init_publishes_the_work_before_care_and_a_child_is_registered_before_care(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PERMANENCE_") and k != "DATABASE_URL"}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'p.db'}", PERMANENCE_INSTANCE_DIR=str(tmp_path / "i"),
               PERMANENCE_CLOCK="2026-03-02T09:00:00+00:00")

    def run(*args, check=True):
        return subprocess.run([str(PERMANENCE), *args], env=env, capture_output=True, text=True,
                              check=check, timeout=300)

    said = run("init", "--demo").stdout
    assert "diagram before_care: version 1 published" in said
    assert "diagram before_care: version 1 already published" in run("init").stdout
    refused = run("child", "add-before-care", "--reference", "EOC-1", "--name", "Eddie Edge", "--kind", "edge",
                  "--known-on", "2026-02-23", "--dob", "2015-06-01", "--team", "Children in Care North",
                  "--social-worker", "asha.sw", check=False)
    assert refused.returncode != 0 and "Select why the council knows the child" in refused.stderr
    added = json.loads(run("child", "add-before-care", "--reference", "EOC-1", "--name", "Eddie Edge",
                           "--kind", "edge_of_care", "--known-on", "2026-02-23", "--dob", "2015-06-01",
                           "--team", "Children in Care North", "--social-worker", "asha.sw", "--json").stdout)
    # Referred Monday 23 February 2026: the LGM 10 working days on, Monday 9 March (R21).
    assert {(t["name"], t["due_on"], t["rule"]) for t in added["opened"]} == {
        ("Hold the Legal Gateway Meeting: edge of care", "2026-03-09", "R21"),
        ("Record that the child became looked after, or that care is no longer considered", None, None)}
    shown = json.loads(run("child", "show", "EOC-1", "--json").stdout)
    assert (shown["process"], shown["child"]["before_care"], shown["child"]["known_on"]) == (
        "before_care", "edge_of_care", "2026-02-23")
    assert run("child", "show", "EOC-1").stdout.startswith(
        "Eddie Edge (EOC-1), born 2015-06-01, on the edge of care, not looked after, referred 2026-02-23")
