"""Which diagram elements keep which rule: read from the BPMN files, for the documentation's
rule table (docs/pathway.md) and for process owners checking that every rule is kept."""
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from .rules import RULES
from .xml import parse_xml

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
SPIFF = "http://spiffworkflow.org/bpmn/schema/1.0/core"
_KINDS = {"userTask": "task", "boundaryEvent": "deadline (boundary timer)",
          "intermediateCatchEvent": "timer", "callActivity": "call activity"}


@dataclass(frozen=True)
class RuleElement:
    rule: str
    process: str
    element_id: str
    name: str
    kind: str
    lane: str
    due: str


def rule_elements(folder: str | Path) -> list[RuleElement]:
    found = []
    for path in sorted(Path(folder).glob("*.bpmn")):
        root = parse_xml(path.read_bytes())
        for process in root.iter(f"{{{BPMN}}}process"):
            lanes = {ref.text: lane.get("name") for lane in process.iter(f"{{{BPMN}}}lane")
                     for ref in lane.iter(f"{{{BPMN}}}flowNodeRef")}
            for element in process:
                props = {p.get("name"): p.get("value") for p in element.iter(f"{{{SPIFF}}}property")}
                if props.get("rule"):
                    tag = etree.QName(element).localname
                    lane = lanes.get(element.get("id")) or lanes.get(element.get("attachedToRef"), "")
                    found.append(RuleElement(props["rule"], process.get("id"), element.get("id"),
                                             element.get("name") or "", _KINDS.get(tag, tag), lane,
                                             props.get("dueDate", "")))
    return sorted(found, key=lambda e: (int(e.rule[1:]), e.process, e.element_id))


def rule_table(folder: str | Path) -> str:
    """A Markdown table: every rule of RULES.md and the elements that keep it."""
    elements = rule_elements(folder)
    lines = ["| rule | what | kept by (process: element, lane) |", "|---|---|---|"]
    for rule, statement in sorted(RULES.items(), key=lambda kv: int(kv[0][1:])):
        keepers = [f"`{e.process}`: {e.name} ({e.kind}, {e.lane or 'no lane'})"
                   for e in elements if e.rule == rule]
        lines.append(f"| {rule} | {statement} | {'<br>'.join(keepers) or '**not kept by any diagram**'} |")
    return "\n".join(lines) + "\n"
