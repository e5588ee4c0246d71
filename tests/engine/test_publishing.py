"""Publishing: a broken diagram is refused with every problem, its file, line and element;
a good one becomes an immutable version; the same files again are the same version."""
import pytest
from sqlalchemy import select

from engine import DiagramInvalid, publish
from models import DiagramVersion
from workflows.diagrams import load_directory

from ..conftest import DEMO_DIAGRAMS, DIAGRAMS


def _bundle(**changes):
    bundle = load_directory(DEMO_DIAGRAMS, "demo_pathway")
    xml = bundle.bpmn_files["demo_pathway.bpmn"]
    for old, new in changes.get("replace", []):
        assert old in xml, old
        xml = xml.replace(old, new)
    forms = dict(bundle.form_files)
    for name in changes.get("drop_forms", []):
        forms.pop(name)
    return type(bundle)(bundle.process_id, {"demo_pathway.bpmn": xml}, forms)


def test_publishing_the_same_files_twice_gives_one_version(db):
    first, created = publish(db, _bundle(), "po")
    again, created_again = publish(db, _bundle(), "po")
    assert (first.version, created, again.id, created_again) == (1, True, first.id, False)
    changed, created = publish(db, _bundle(replace=[("Record review PPM", "Record the review PPM")]), "po")
    assert (changed.version, created) == (2, True)


def _problems(db, bundle) -> list[str]:
    with pytest.raises(DiagramInvalid) as caught:
        publish(db, bundle, "po")
    with db.transaction() as s:
        assert s.scalar(select(DiagramVersion)) is None  # nothing stored
    return [str(p) for p in caught.value.problems]


def test_malformed_xml_is_refused_with_its_line(db):
    problems = _problems(db, _bundle(replace=[('<bpmn:endEvent id="reunified" name="Reunified">',
                                               '<bpmn:endEvent id="reunified" name="Reunified>')]))
    assert len(problems) == 1
    assert problems[0].startswith("demo_pathway.bpmn:") and "not well-formed XML" in problems[0]


def test_project_rules_are_all_reported_at_once(db):
    problems = _problems(db, _bundle(
        replace=[('name="Team Manager"', 'name="Team Boss"'),
                 ('<spiffworkflow:property name="rule" value="R8" />',
                  '<spiffworkflow:property name="rule" value="R99" />'),
                 ('plan == "reunification"', 'plan == __import__("os").name'),
                 ('add_weeks(held_on, 6)" />\n          <spiffworkflow:property name="rule" value="R9"',
                  'open(&quot;/etc/passwd&quot;)" />\n          <spiffworkflow:property name="rule" value="R9"')],
        drop_forms=["escalation.json"]))
    assert problems == [
        "demo_pathway.bpmn:62 [Chase overdue initial PPM (chase_initial_ppm)]: lane 'Team Boss' "
        "is not a known role (known: Social Worker, Team Manager, Practice Lead, IRO, Panel Chair, Panel "
        "Administrator, Agency Decision Maker, Legal, Service Manager, Head of Service, Senior Manager)",
        "demo_pathway.bpmn:62 [Chase overdue initial PPM (chase_initial_ppm)]: form 'escalation.json' "
        "does not exist",
        "demo_pathway.bpmn:79 [Plan? (plan_gateway)]: condition of the flow to confirm_reunification: "
        "the name '__import__' is not allowed: names starting with '_' are private "
        "(line 1: plan == __import__(\"os\").name)",
        "demo_pathway.bpmn:84 [Confirm reunification support plan (confirm_reunification)]: lane "
        "'Team Boss' is not a known role (known: Social Worker, Team Manager, Practice Lead, IRO, Panel Chair, "
        "Panel Administrator, Agency Decision Maker, Legal, Service Manager, Head of Service, "
        "Senior Manager)",
        "demo_pathway.bpmn:84 [Confirm reunification support plan (confirm_reunification)]: dueDate: "
        "'open' is not available in diagram scripts (line 1: open(\"/etc/passwd\"))",
        "demo_pathway.bpmn:100 [Record review PPM (record_review_ppm)]: rule 'R99' is not a rule id "
        "of RULES.md (R1 to R25)",
    ]


def test_a_script_that_imports_cannot_be_published(db):
    sneaky = ('<bpmn:scriptTask id="sneaky" name="Sneaky"><bpmn:script>import os\n'
              'os.system("true")</bpmn:script></bpmn:scriptTask>\n'
              '    <bpmn:sequenceFlow id="flow_sneaky" sourceRef="sneaky" targetRef="plan_gateway" />\n')
    problems = _problems(db, _bundle(replace=[
        ('<bpmn:sequenceFlow id="flow_to_plan" sourceRef="record_initial_ppm" targetRef="plan_gateway" />',
         '<bpmn:sequenceFlow id="flow_to_plan" sourceRef="record_initial_ppm" targetRef="sneaky" />\n    '
         + sneaky)]))
    assert any("[Sneaky (sneaky)]: script: imports are not allowed" in p for p in problems), problems


def test_a_task_that_flows_back_to_itself_is_refused(db):
    problems = _problems(db, _bundle(replace=[(
        '<bpmn:sequenceFlow id="flow_to_achieved" sourceRef="record_review_ppm" targetRef="achieved_gateway" />',
        '<bpmn:sequenceFlow id="flow_to_achieved" sourceRef="record_review_ppm" targetRef="record_review_ppm" />')]))
    assert any("[Record review PPM (record_review_ppm)]: flows straight back to itself" in p for p in problems)


def test_a_path_that_stops_without_an_end_event_is_refused(db):
    problems = _problems(db, _bundle(replace=[
        ('<bpmn:sequenceFlow id="flow_reunified" sourceRef="confirm_reunification" targetRef="reunified" />', '')]))
    assert any("[Confirm reunification support plan (confirm_reunification)]: has no outgoing flow" in p
               for p in problems), problems


def test_an_expression_that_fails_on_sample_data_is_refused(db):
    problems = _problems(db, _bundle(replace=[(
        'value="add_weeks(held_on, 6)" />\n          <spiffworkflow:property name="rule" value="R8"',
        'value="add_weeks(heldon, 6)" />\n          <spiffworkflow:property name="rule" value="R8"')]))
    assert problems == ["demo_pathway.bpmn:100 [Record review PPM (record_review_ppm)]: dueDate uses 'heldon', "
                        "which no form or script of the diagram sets (add_weeks(heldon, 6))"]


def test_a_gateway_whose_conditions_can_all_be_false_without_a_default_is_refused(db):
    problems = _problems(db, _bundle(replace=[
        ('<bpmn:exclusiveGateway id="plan_gateway" name="Plan?" default="flow_to_review">',
         '<bpmn:exclusiveGateway id="plan_gateway" name="Plan?">'),
        ('<bpmn:sequenceFlow id="flow_to_review" name="Other plans" sourceRef="plan_gateway" targetRef="record_review_ppm" />',
         '<bpmn:sequenceFlow id="flow_to_review" name="Other plans" sourceRef="plan_gateway" targetRef="record_review_ppm">'
         '<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">plan == "adoption"</bpmn:conditionExpression>'
         '</bpmn:sequenceFlow>')]))
    assert problems == ["demo_pathway.bpmn:79 [Plan? (plan_gateway)]: no default flow, and every condition is false "
                        "when plan is 'family_and_friends': add a default flow or a condition for that answer"]


def test_the_shipped_pathway_passes_every_check(db):
    from engine.publishing import validate
    validate(load_directory(DIAGRAMS, "permanence_pathway"))


def test_a_diagram_with_a_doctype_is_refused_and_no_entity_is_expanded(db, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    bundle = _bundle()
    original = bundle.bpmn_files["demo_pathway.bpmn"]
    doctype = f'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE d [<!ENTITY x SYSTEM "file://{secret}">]>'
    declared = original.replace('<?xml version="1.0" encoding="UTF-8"?>', doctype)
    used = declared.replace('name="Record review PPM"', 'name="&x;"')
    for xml, expected in ((declared, "demo_pathway.bpmn:1: a DOCTYPE is not allowed in a BPMN file"),
                          (used, "Attribute references external entity 'x'")):
        problems = _problems(db, type(bundle)(bundle.process_id, {"demo_pathway.bpmn": xml}, bundle.form_files))
        assert len(problems) == 1 and expected in problems[0], problems
        assert "TOP SECRET" not in problems[0]
