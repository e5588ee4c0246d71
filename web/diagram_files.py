"""Diagram files coming in from a process owner's browser (an upload, the modeler's save, the
form editor), checked before a draft keeps them.

XML is parsed with entities and the network off, and a document with a DOCTYPE is refused
outright: BPMN never needs one, and the engine parses stored BPMN with lxml's defaults, which
would expand what a DOCTYPE declares. Sizes are bounded per file and per request. File names
are plain names (no folders), so a name can never reach outside a draft's folder.
"""
import json
import re

from lxml import etree

from workflows import diagrams

from workflows.xml import safe_parser

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
MAX_BPMN_BYTES = 2_000_000
MAX_FORM_BYTES = 256_000
MAX_REQUEST_BYTES = 10_000_000
MAX_FILES = 200   # the shipped pathway alone has over 90 diagrams and forms, and grows
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,100}\.(bpmn|json)$")
PROCESS_ID = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]{0,119}$")
#: Namespaces shortened to their usual prefixes in messages a process owner reads.
_PREFIXES = {
    BPMN: "bpmn", "http://www.omg.org/spec/BPMN/20100524/DI": "bpmndi",
    "http://www.omg.org/spec/DD/20100524/DC": "dc", "http://www.omg.org/spec/DD/20100524/DI": "di",
    "http://spiffworkflow.org/bpmn/schema/1.0/core": "spiffworkflow",
    "http://camunda.org/schema/1.0/bpmn": "camunda",
}


class FileRefused(ValueError):
    """A file that cannot be kept; the message says why in plain words."""


def checked_name(name: str | None) -> str:
    """A file name a draft may hold: letters, digits, `_ . -`, ending .bpmn or .json."""
    name = (name or "").strip()
    if not _NAME.match(name) or ".." in name:
        raise FileRefused(f"'{name}' is not a name a diagram file can have: use letters, digits, "
                          "'_', '-' and '.', ending in .bpmn or .json")
    return name


def is_bpmn(name: str) -> bool:
    return name.endswith(".bpmn")


def is_ui_schema(name: str) -> bool:
    return diagrams.is_ui_schema(name)


def is_form(name: str) -> bool:
    """A form (not a UI schema, not SpiffArena's process_model.json metadata)."""
    return diagrams.is_form(name)


def parse_xml(data: bytes, name: str):
    """The root element of `data`, parsed safely; FileRefused with the line if it is not
    well-formed, has a DOCTYPE, or is not BPMN."""
    if len(data) > MAX_BPMN_BYTES:
        raise FileRefused(f"{name} is larger than {MAX_BPMN_BYTES // 1_000_000} MB")
    try:
        root = etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError as exc:
        raise FileRefused(f"{name}: line {exc.lineno}: not well-formed XML ({exc.msg})") from None
    if root.getroottree().docinfo.doctype:
        raise FileRefused(f"{name}: a DOCTYPE is not allowed in a BPMN file")
    if root.tag != f"{{{BPMN}}}definitions":
        raise FileRefused(f"{name}: not a BPMN file (it should start with bpmn:definitions)")
    return root


def checked_bpmn(data: bytes, name: str) -> str:
    """The BPMN file's text, once it has passed `parse_xml`."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    root = parse_xml(data, name)
    for process in root.iter(f"{{{BPMN}}}process"):
        process_id = process.get("id") or ""
        if not PROCESS_ID.match(process_id):
            raise FileRefused(
                f"{name}: line {process.sourceline}: the process id {process_id[:60]!r} cannot be "
                "used: write it with letters, digits, '_', '-' and '.' only, starting with a "
                "letter or '_' (up to 120 characters)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise FileRefused(f"{name}: the file must be saved as UTF-8") from None


def checked_form(data: bytes | str, name: str) -> str:
    """The form's JSON text, if it is a JSON object; FileRefused naming the line otherwise."""
    text = data.decode("utf-8-sig", errors="replace") if isinstance(data, bytes) else data
    if len(text.encode("utf-8")) > MAX_FORM_BYTES:
        raise FileRefused(f"{name} is larger than {MAX_FORM_BYTES // 1000} kB")
    value = json_value(text, name)
    if not isinstance(value, dict):
        raise FileRefused(f"{name}: a form must be a JSON object ({{...}})")
    return text


#: Deeper than any form needs (a list of rows is four levels): refused before anything
#: walks it.
MAX_JSON_DEPTH = 32


def json_value(text: str, name: str):
    """The JSON value, or FileRefused in plain words: not JSON (with the line), nested too
    deeply, a number too long to read, or half a character (a lone surrogate, which cannot
    be written to a file or a page)."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FileRefused(f"{name}: line {exc.lineno}, column {exc.colno}: not valid JSON "
                          f"({exc.msg})") from None
    except RecursionError:
        raise FileRefused(f"{name}: nested more than {MAX_JSON_DEPTH} levels deep") from None
    except ValueError:  # Python refuses to read an integer of more than 4,300 digits
        raise FileRefused(f"{name}: a number in it is too long (more than 4,300 digits)") from None
    if problem := json_problem(value):
        raise FileRefused(f"{name}: {problem}")
    return value


def json_problem(value) -> str | None:
    """What makes a parsed JSON value unusable, walked without recursion, or None."""
    waiting = [(value, 1, "")]
    while waiting:
        item, depth, path = waiting.pop()
        if depth > MAX_JSON_DEPTH:
            return f"nested more than {MAX_JSON_DEPTH} levels deep"
        if isinstance(item, dict):
            for key, inner in item.items():
                if _broken(key):
                    return f"a name in {path or 'the top level'} has a broken character (half of a character pair)"
                waiting.append((inner, depth + 1, f"{path}.{key}" if path else key))
        elif isinstance(item, list):
            waiting.extend((inner, depth + 1, f"{path}[{i}]") for i, inner in enumerate(item))
        elif isinstance(item, str) and _broken(item):
            return f"{path or 'the value'} has a broken character (half of a character pair)"
    return None


def _broken(text: str) -> bool:
    return any("\ud800" <= c <= "\udfff" for c in text)


def processes(xml: str) -> list[dict]:
    """The processes a BPMN file defines: id, name and whether it is executable."""
    try:
        root = parse_xml(xml.encode("utf-8"), "file")
    except FileRefused:
        return []
    return [{"id": p.get("id"), "name": p.get("name") or "",
             "executable": p.get("isExecutable") == "true"}
            for p in root.iter(f"{{{BPMN}}}process")]


def main_process(files: dict[str, str]) -> tuple[str, bool]:
    """(main process id, whether that is certain) for files brought in: the primary process
    of SpiffArena's process_model.json, else the only executable process that no other
    process calls; when several could be, the first of them, not yet chosen."""
    found = [p for name, text in sorted(files.items()) if is_bpmn(name) for p in processes(text)]
    ids = {p["id"] for p in found}
    try:
        primary = json.loads(files.get("process_model.json", "{}")).get("primary_process_id")
    except (ValueError, AttributeError):
        primary = None
    if primary in ids:
        return primary, True
    called = {c for name, text in files.items() if is_bpmn(name) for c in called_processes(text)}
    roots = [p["id"] for p in found if p["executable"] and p["id"] not in called]
    if len(roots) == 1:
        return roots[0], True
    guess = roots or [p["id"] for p in found]
    return (guess[0] if guess else "unnamed"), False


def called_processes(xml: str) -> set[str]:
    try:
        root = parse_xml(xml.encode("utf-8"), "file")
    except FileRefused:
        return set()
    return {c.get("calledElement") for c in root.iter(f"{{{BPMN}}}callActivity") if c.get("calledElement")}


def element_at(xml: str, line: int | None) -> str | None:
    """The id of the element written at `line` (or the nearest one above it with an id)."""
    if not line:
        return None
    try:
        root = parse_xml(xml.encode("utf-8"), "file")
    except FileRefused:
        return None
    found = None
    for element in root.iter():
        if isinstance(element.tag, str) and element.sourceline and element.sourceline <= line \
                and element.get("id") and not (etree.QName(element).namespace or "").endswith("/DI"):
            found = element.get("id")
    return found


def plain(message: str) -> str:
    """A parser's message with `{namespace}name` written `prefix:name`."""
    for uri, prefix in _PREFIXES.items():
        message = message.replace(f"{{{uri}}}", f"{prefix}:")
    return message


def blank_bpmn(process_id: str, name: str) -> str:
    """A new diagram: one executable process with a start event, in one lane, ready to edit."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="{BPMN}" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" id="{process_id}_definitions" targetNamespace="http://permanence-pathway.example/bpmn">
  <bpmn:collaboration id="{process_id}_collaboration">
    <bpmn:participant id="{process_id}_participant" name="{_attr(name)}" processRef="{process_id}" />
  </bpmn:collaboration>
  <bpmn:process id="{process_id}" name="{_attr(name)}" isExecutable="true">
    <bpmn:laneSet id="{process_id}_lanes">
      <bpmn:lane id="{process_id}_lane_social_worker" name="Social Worker">
        <bpmn:flowNodeRef>{process_id}_start</bpmn:flowNodeRef>
      </bpmn:lane>
    </bpmn:laneSet>
    <bpmn:startEvent id="{process_id}_start" name="Start" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="{process_id}_diagram">
    <bpmndi:BPMNPlane id="{process_id}_plane" bpmnElement="{process_id}_collaboration">
      <bpmndi:BPMNShape id="{process_id}_participant_di" bpmnElement="{process_id}_participant" isHorizontal="true">
        <dc:Bounds x="100" y="60" width="800" height="200" />
      </bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="{process_id}_lane_social_worker_di" bpmnElement="{process_id}_lane_social_worker" isHorizontal="true">
        <dc:Bounds x="130" y="60" width="770" height="200" />
      </bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="{process_id}_start_di" bpmnElement="{process_id}_start">
        <dc:Bounds x="182" y="142" width="36" height="36" />
      </bpmndi:BPMNShape>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>
"""


def blank_form(title: str) -> str:
    return json.dumps({"title": title, "type": "object", "required": [], "properties": {}},
                      indent=2) + "\n"


def _attr(text: str) -> str:
    return (text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
            .replace(">", "&gt;"))
