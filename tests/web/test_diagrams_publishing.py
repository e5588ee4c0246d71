"""Checking and publishing a draft through the web: every kind of problem the engine finds,
listed at once with its file, line and element and a link to where it is fixed; diagrams
from Camunda Modeler and SpiffArena; publishing a new immutable version, and what it leaves
alone."""
from datetime import date

import pytest
from sqlalchemy import select

from engine import open_tasks, register_child
from models import DiagramVersion, PathwayInstance

from ..conftest import child_details
from .conftest import page_text
from .diagrams.support import (  # noqa: F401  (fixtures)
    diagram_app, draft_from_files, edit_demo, new_draft, po, problems_listed,
)

TEAM_BOSS = ('name="Team Manager"', 'name="Team Boss"')


def _check(client, draft):
    response = client.get(f"/diagrams/drafts/{draft}/validate")
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("replacements, expected", [
    pytest.param([('<bpmn:endEvent id="reunified" name="Reunified">',
                   '<bpmn:endEvent id="reunified" name="Reunified"><bpmn:frobnicate />')],
                 "demo_pathway.bpmn 97 reunified Element 'bpmn:frobnicate': This element is not expected.",
                 id="xsd"),
    pytest.param([('<bpmn:userTask id="record_review_ppm" name="Record review PPM">',
                   '<bpmn:callActivity id="record_review_ppm" name="Record review PPM" calledElement="nowhere">'),
                  ('</bpmn:userTask>\n    <bpmn:exclusiveGateway id="achieved_gateway"',
                   '</bpmn:callActivity>\n    <bpmn:exclusiveGateway id="achieved_gateway"')],
                 "demo_pathway.bpmn 100 Record review PPM (record_review_ppm) calls the process 'nowhere', which is "
                 "in none of the draft's files", id="parse"),
    pytest.param([TEAM_BOSS], "demo_pathway.bpmn 62 Chase overdue initial PPM (chase_initial_ppm) lane 'Team Boss' "
                              "is not a known role", id="lane"),
    pytest.param([('value="escalation.json"', 'value="chase.json"')],
                 "demo_pathway.bpmn 62 Chase overdue initial PPM (chase_initial_ppm) form 'chase.json' does not exist",
                 id="form"),
    pytest.param([('<spiffworkflow:property name="rule" value="R8" />', '<spiffworkflow:property name="rule" value="R99" />')],
                 "demo_pathway.bpmn 100 Record review PPM (record_review_ppm) rule 'R99' is not a rule id of RULES.md",
                 id="rule"),
    pytest.param([('value="add_weeks(held_on, 6)" />\n          <spiffworkflow:property name="rule" value="R8"',
                   'value="add_weeks(heldon, 6)" />\n          <spiffworkflow:property name="rule" value="R8"')],
                 "demo_pathway.bpmn 100 Record review PPM (record_review_ppm) dueDate uses 'heldon', which no "
                 "form or script of the diagram sets (add_weeks(heldon, 6))", id="sample-data"),
    pytest.param([('plan == "reunification"', 'plan == __import__("os").name')],
                 "demo_pathway.bpmn 79 Plan? (plan_gateway) condition of the flow to confirm_reunification: the name "
                 "'__import__' is not allowed", id="forbidden"),
    pytest.param([('<bpmn:exclusiveGateway id="plan_gateway" name="Plan?" default="flow_to_review">',
                   '<bpmn:exclusiveGateway id="plan_gateway" name="Plan?">'),
                  ('<bpmn:sequenceFlow id="flow_to_review" name="Other plans" sourceRef="plan_gateway" targetRef="record_review_ppm" />',
                   '<bpmn:sequenceFlow id="flow_to_review" name="Other plans" sourceRef="plan_gateway" targetRef="record_review_ppm">'
                   '<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">plan == "adoption"</bpmn:conditionExpression>'
                   '</bpmn:sequenceFlow>')],
                 "demo_pathway.bpmn 79 Plan? (plan_gateway) no default flow, and every condition is false when plan "
                 "is 'family_and_friends'", id="stranding-gateway"),
    pytest.param([('<spiffworkflow:property name="dueDate" value="add_weeks(held_on, 6)" />\n'
                   '          <spiffworkflow:property name="rule" value="R8" />', '')],
                 "demo_pathway.bpmn 100 Record review PPM (record_review_ppm) user task has no dueDate and no rule",
                 id="undated-task"),
])
def test_each_kind_of_problem_is_listed_with_where_it_is(po, replacements, expected):
    draft = new_draft(po)
    edit_demo(po, draft, *replacements)
    response = _check(po, draft)
    listed = problems_listed(response)
    assert any(row.startswith(expected) for row in listed), listed
    assert "govuk-error-summary" in response.get_data(as_text=True)
    assert 'id="publish"' not in response.get_data(as_text=True)   # nothing to publish from here


def test_every_problem_is_listed_at_once_with_a_link_to_the_element(po):
    draft = new_draft(po)
    edit_demo(po, draft, TEAM_BOSS, ('<spiffworkflow:property name="rule" value="R8" />',
                                     '<spiffworkflow:property name="rule" value="R99" />'))
    response = _check(po, draft)
    text, html = page_text(response), response.get_data(as_text=True)
    assert "3 problems stop this draft being published" in text
    assert [row.split(" ")[:3] for row in problems_listed(response)] == [
        ["demo_pathway.bpmn", "62", "Chase"], ["demo_pathway.bpmn", "84", "Confirm"], ["demo_pathway.bpmn", "100", "Record"]]
    link = f"/diagrams/drafts/{draft}/files/demo_pathway.bpmn/edit?element=chase_initial_ppm"
    assert f'href="{link}"' in html
    summary = html[html.index("govuk-error-summary"):html.index("</ul>", html.index("govuk-error-summary"))]
    assert summary.count("<li>") == 3 and link in summary


def test_an_xsd_problem_links_to_the_element_on_its_line(po):
    draft = new_draft(po)
    edit_demo(po, draft, ('<bpmn:endEvent id="reunified" name="Reunified">',
                          '<bpmn:endEvent id="reunified" name="Reunified"><bpmn:frobnicate />'))
    html = _check(po, draft).get_data(as_text=True)
    assert f"/diagrams/drafts/{draft}/files/demo_pathway.bpmn/edit?element=reunified" in html


def test_a_broken_form_is_listed_with_its_path_and_links_to_the_form_editor(po):
    draft = new_draft(po)
    po.post(f"/diagrams/drafts/{draft}/forms/review-ppm.json", data={"action": "save", "definition":
            '{"title": "Review", "type": "object", "properties": {"held_on": {"type": "strnig"}}}'})
    response = _check(po, draft)
    assert problems_listed(response) == [
        "review-ppm.json Open review-ppm.json review-ppm.json: properties.held_on: unsupported type 'strnig'"]
    assert f'href="/diagrams/drafts/{draft}/forms/review-ppm.json"' in response.get_data(as_text=True)


def test_a_camunda_diagram_comes_in_with_every_problem_listed_plainly(po):
    draft = draft_from_files(po, "camunda.bpmn")
    assert "Draft of Process_1q8w3e5" in page_text(po.get(f"/diagrams/drafts/{draft}"))
    listed = problems_listed(_check(po, draft))
    assert [row.split(" (")[0] for row in listed] == [
        "camunda.bpmn 22 Hold initial PPM", "camunda.bpmn 22 Hold initial PPM", "camunda.bpmn 22 Hold initial PPM",
        "camunda.bpmn 36 Plan?", "camunda.bpmn 41 Confirm reunification plan",
        "camunda.bpmn 41 Confirm reunification plan", "camunda.bpmn 41 Confirm reunification plan"]
    joined = "\n".join(listed)
    assert "lane 'Social workers' is not a known role" in joined and "lane 'Team leaders' is not a known role" in joined
    assert joined.count("user task has no form (property formJsonSchemaFilename)") == 2
    assert joined.count("user task has no dueDate and no rule") == 2
    assert 'syntax error: invalid syntax (line 1: ${plan == "reunification"})' in joined
    publish = po.post(f"/diagrams/drafts/{draft}/publish", data={"note": "Try it"})
    assert publish.status_code == 400 and len(problems_listed(publish)) == 7


def test_a_camunda_diagram_fixed_for_this_service_passes_and_publishes(po, staff):
    draft = draft_from_files(po, "camunda-fixed.bpmn", "kinship-ppm.json", "kinship-confirm.json")
    response = _check(po, draft)
    assert problems_listed(response) == [] and "No problems found" in page_text(response)
    published = po.post(f"/diagrams/drafts/{draft}/publish", data={"note": "Kinship planning from Camunda"})
    assert published.headers["Location"] == "/diagrams/Process_1q8w3e5/versions/1"
    register_child(staff, child_details(reference="K-1"), "sw", process_id="Process_1q8w3e5")
    [task] = open_tasks(staff)[-1:]
    assert (task["name"], task["lane"], task["due_on"], task["rule"]) == (
        "Hold initial PPM", "Social Worker", date(2026, 3, 16), "R7")


def test_a_spiffarena_diagram_with_its_ui_schema_passes_publishes_and_runs(po, staff):
    draft = draft_from_files(po, "spiffarena.bpmn", "ppm-review-schema.json", "ppm-review-uischema.json",
                             "chase-schema.json")
    assert problems_listed(_check(po, draft)) == []
    po.post(f"/diagrams/drafts/{draft}/publish", data={"note": "Review PPMs from SpiffArena"})
    register_child(staff, child_details(reference="S-9"), "sw", process_id="Process_review_ppms_4k2m9xq")
    [task] = [t for t in open_tasks(staff) if t["name"] == "Hold the review PPM"]
    assert (task["lane"], task["due_on"], task["rule"]) == ("Social Worker", date(2026, 4, 13), "R8")


def test_publishing_stores_a_new_version_and_leaves_running_pathways_where_they_are(po, staff):
    child = register_child(staff, child_details(), "sw", process_id="demo_pathway")
    draft = new_draft(po)
    edit_demo(po, draft, ('name="Record review PPM"', 'name="Record the review PPM"'))
    response = po.post(f"/diagrams/drafts/{draft}/publish", data={"note": "Clearer name"})
    assert response.headers["Location"] == "/diagrams/demo_pathway/versions/2"
    assert "Version 2 of demo_pathway is published" in page_text(po.get(response.headers["Location"]))
    with staff.transaction() as session:
        v2 = session.scalar(select(DiagramVersion).where(DiagramVersion.version == 2))
        assert (v2.published_by, v2.note) == ("po", "Clearer name")
        assert 'name="Record the review PPM"' in v2.bpmn_files["demo_pathway.bpmn"]
        instance = session.get(PathwayInstance, child.outcome.instance_id)
        assert instance.diagram_version_id == 1
    assert po.get(f"/diagrams/drafts/{draft}").status_code == 404   # the draft is done with


def test_publishing_needs_a_note_and_refuses_a_draft_with_problems(po, staff):
    draft = new_draft(po)
    edit_demo(po, draft, ('name="Record review PPM"', 'name="Record the review PPM"'))
    no_note = po.post(f"/diagrams/drafts/{draft}/publish", data={"note": "  "})
    assert no_note.status_code == 400 and "Enter what changed in this version" in page_text(no_note)
    edit_demo(po, draft, TEAM_BOSS)
    refused = po.post(f"/diagrams/drafts/{draft}/publish", data={"note": "Rename the manager"})
    assert refused.status_code == 400 and "lane 'Team Boss' is not a known role" in page_text(refused)
    with staff.transaction() as session:
        assert session.scalars(select(DiagramVersion.version)).all() == [1]
    assert po.get(f"/diagrams/drafts/{draft}").status_code == 200   # kept, to be fixed


def test_publishing_an_unchanged_draft_says_so_and_adds_no_version(po, staff):
    draft = new_draft(po)
    response = po.post(f"/diagrams/drafts/{draft}/publish", data={"note": "Nothing really"}, follow_redirects=True)
    assert "Nothing changed: these files are already version 1" in page_text(response)
    with staff.transaction() as session:
        assert session.scalars(select(DiagramVersion.version)).all() == [1]


def test_the_check_page_offers_publishing_only_to_process_owners(diagram_app, po):
    from .conftest import sign_in
    draft = new_draft(po)
    admin = diagram_app.test_client()
    sign_in(admin, "admin")
    page = admin.get(f"/diagrams/drafts/{draft}/validate").get_data(as_text=True)
    assert "No problems found" in page and 'id="publish"' not in page
    assert 'id="publish"' in _check(po, draft).get_data(as_text=True)
