"""Small BPMN processes written in tests: a process of the given elements and flows, each
flow a (source, target) or (source, target, condition) triple, with a start and an end."""
from xml.sax.saxutils import escape

from workflows.diagrams import DiagramBundle

SPIFF = "http://spiffworkflow.org/bpmn/schema/1.0/core"
NOTE_FORM = {"title": "Note", "type": "object", "required": ["note"],
             "properties": {"note": {"type": "string", "title": "Note"},
                            "score": {"type": "integer", "title": "Score"}}}


def process_xml(process_id: str, elements: str, flows: list[tuple], lanes: dict | None = None,
                extra: str = "") -> str:
    written = []
    for number, flow in enumerate(flows, start=1):
        source, target = flow[0], flow[1]
        condition = (f'<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">{escape(flow[2])}'
                     "</bpmn:conditionExpression>" if len(flow) > 2 else "")
        written.append(f'<bpmn:sequenceFlow id="flow_{number}" sourceRef="{source}" targetRef="{target}">'
                       f"{condition}</bpmn:sequenceFlow>")
    lane_xml = ""
    if lanes:
        lane_xml = "<bpmn:laneSet id=\"lanes\">" + "".join(
            f'<bpmn:lane id="lane_{n}" name="{name}">' + "".join(
                f"<bpmn:flowNodeRef>{ref}</bpmn:flowNodeRef>" for ref in refs) + "</bpmn:lane>"
            for n, (name, refs) in enumerate(lanes.items())) + "</bpmn:laneSet>"
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:spiffworkflow="{SPIFF}" id="{process_id}_definitions" targetNamespace="http://permanence-pathway.example/bpmn">
  {extra}
  <bpmn:process id="{process_id}" isExecutable="true">
    {lane_xml}
    <bpmn:startEvent id="start" />
    {elements}
    <bpmn:endEvent id="end" />
    {"".join(written)}
  </bpmn:process>
</bpmn:definitions>
"""


def bundle(process_id: str, elements: str, flows: list[tuple], forms: dict | None = None,
           **kwargs) -> DiagramBundle:
    return DiagramBundle(process_id, {f"{process_id}.bpmn": process_xml(process_id, elements, flows, **kwargs)},
                         forms or {})


def user_task(task_id: str, form: str = "note.json", extra_properties: str = "", inner: str = "",
              due: str = "add_working_days(looked_after_on, 10)") -> str:
    return (f'<bpmn:userTask id="{task_id}" name="{task_id.replace("_", " ").capitalize()}">'
            "<bpmn:extensionElements><spiffworkflow:properties>"
            f'<spiffworkflow:property name="formJsonSchemaFilename" value="{form}" />'
            f'<spiffworkflow:property name="dueDate" value="{escape(due, {chr(34): "&quot;"})}" />'
            '<spiffworkflow:property name="rule" value="R7" />'
            f"{extra_properties}</spiffworkflow:properties></bpmn:extensionElements>{inner}</bpmn:userTask>")
