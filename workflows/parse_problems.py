"""The parser's complaints, placed and said in a process owner's words.

SpiffWorkflow's `ValidationException`s often lack a line ("Duplicate process ID: p"), an
element name, or any place at all ("The process 'x' was not found"), and speak in the
engine's terms ("A Service Task must have an operator"). Here each one gets its file, line
and element from the BPMN text, and a message that says what to change.
"""
import re

from lxml import etree

from .xml import parse_xml


def element_places(bpmn_files: dict[str, str]) -> dict[str, dict[str, tuple]]:
    """file -> element id -> (line, name, tag, calledElement) for every element with an id."""
    places = {}
    for file, xml in bpmn_files.items():
        found = places[file] = {}
        try:
            root = parse_xml(xml)
        except (etree.XMLSyntaxError, ValueError):
            continue
        for element in root.iter():
            if isinstance(element.tag, str) and element.get("id"):
                found.setdefault(element.get("id"), (element.sourceline, element.get("name"),
                                                     etree.QName(element).localname,
                                                     element.get("calledElement")))
    return places


def _label(element_id: str, name: str | None) -> str:
    return f"{name} ({element_id})" if name else element_id


def explained(message: str, file: str | None, line: int | None, element_id: str | None,
              places: dict) -> tuple[str, str | None, int | None, str | None]:
    """(message, file, line, element label) for one parser complaint."""
    if file is None and element_id:
        file = next((f for f, found in places.items() if element_id in found), None)
    if file and element_id and element_id in places.get(file, {}):
        found_line, name, _tag, _called = places[file][element_id]
        line = line or found_line
        element = _label(element_id, name)
    else:
        element = element_id
    if message == "A Service Task must have an operator":
        message = ("service task has nothing this system can run: the Java classes, expressions and "
                   "connectors of Camunda and other engines do not run here. Make it a script task if the "
                   "system works something out, or a user task (with a lane and a form) for the person "
                   "who does it")
    elif re.fullmatch(r"Process .* is not executable\.", message):
        message = ('process is marked not executable (isExecutable="false"): mark it executable in the '
                   "modeler (Camunda Modeler: the \"Executable\" box of the process) to publish it")
    elif message.startswith("Duplicate process ID"):
        others = [f for f, found in places.items() if f != file and element_id in found]
        message = (f"the process id '{element_id}' is also used in {', '.join(others) or 'another file'}: "
                   "each process needs its own id (rename one of them in the modeler)")
    elif "is not a valid value of the atomic type 'xs:ID'" in message:
        duplicate = re.search(r"'id': '([^']*)'", message)
        if duplicate:
            element_id = duplicate.group(1)
            element = element_id
            message = (f"the id '{element_id}' is used by more than one element of this file: each "
                       "element needs its own id (rename one in the modeler)")
    return message, file, line, element


_NOT_FOUND = re.compile(r"The process '([^']*)' was not found")


def process_not_found(message: str, main_process: str, places: dict) -> tuple | None:
    """A missing process: the main one (choose another), or one a call activity calls (the
    call activity is the place to fix)."""
    match = _NOT_FOUND.match(message)
    if not match:
        return None
    missing = match.group(1)
    known = [f"{pid} ({file})" for file, found in places.items() for pid, (_l, _n, tag, _c) in found.items()
             if tag == "process"]
    there = f"the processes in the files are: {', '.join(known)}" if known else "no file has a process"
    if missing == main_process:
        return (f"the draft publishes the process '{missing}', which is in none of its files ({there}): "
                "choose the main process on the draft page", None, None, "main process")
    for file, found in places.items():
        for element_id, (line, name, tag, called) in found.items():
            if tag == "callActivity" and called == missing:
                return (f"calls the process '{missing}', which is in none of the draft's files ({there}): "
                        "upload the file that has it, or correct calledElement", file, line,
                        _label(element_id, name))
    return (f"the process '{missing}' is called but is in none of the draft's files ({there})",
            None, None, missing)
