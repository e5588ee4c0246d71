"""Diagrams as process owners publish them: BPMN files and their JSON forms, parsed and checked.

A bundle is everything one pathway version needs (the main process, the processes it calls,
the forms its tasks name). Parsing always runs the BPMN XSD (`VALIDATOR`); a bundle that
fails any check is refused with every problem at once, each with its file, line and element.
"""
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.spiff.parser.process import VALIDATOR, SpiffBpmnParser

from .forms import FormDefinition, FormDefinitionError, form_from_dicts
from .parse_problems import element_places, explained, process_not_found
from .xml import parse_xml


@dataclass(frozen=True)
class Problem:
    message: str
    file: str | None = None
    line: int | None = None
    element: str | None = None

    def __str__(self) -> str:
        where = ":".join(str(p) for p in (self.file, self.line) if p)
        element = f" [{self.element}]" if self.element else ""
        return f"{where}{element}: {self.message}" if where or element else self.message


class DiagramError(Exception):
    """A bundle that cannot be published or run; `problems` lists every reason found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


@dataclass(frozen=True)
class DiagramBundle:
    process_id: str
    bpmn_files: dict[str, str]
    form_files: dict[str, dict] = field(default_factory=dict)

    def content_hash(self) -> str:
        """Same files, same hash: publishing an unchanged bundle is recognisable."""
        canonical = json.dumps([self.process_id, self.bpmn_files, self.form_files],
                               sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass
class ParsedDiagram:
    spec: object
    subprocess_specs: dict
    forms: dict[str, FormDefinition]


def load_directory(path: str | Path, process_id: str) -> DiagramBundle:
    """Every `.bpmn` and `.json` file in a folder, as the shipped `diagrams/` keeps them."""
    path = Path(path)
    bpmn = {p.name: p.read_text(encoding="utf-8") for p in sorted(path.glob("*.bpmn"))}
    forms = {}
    for p in sorted(path.glob("*.json")):
        try:
            forms[p.name] = json.loads(p.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise DiagramError([Problem(f"not valid JSON: {exc.msg}", p.name, exc.lineno)])
    return DiagramBundle(process_id, bpmn, forms)


#: SpiffArena's metadata files, beside the diagrams and forms but neither.
METADATA_FILES = {"process_model.json", "process_group.json"}
_UI_ENDINGS = ("uischema.json", "_ui.json", "-ui.json")


def is_ui_schema(name: str) -> bool:
    """A UI schema (how a form is laid out), not a form: SpiffArena writes `x-uischema.json`,
    older examples `x_ui.json`."""
    return name.endswith(_UI_ENDINGS)


def is_form(name: str) -> bool:
    return name.endswith(".json") and not is_ui_schema(name) and name not in METADATA_FILES


def ui_schema_names(form_name: str) -> list[str]:
    """The names a form's UI schema may have, the preferred first."""
    stem = form_name[:-len(".json")]
    names = [f"{stem}-uischema.json", f"{stem}_ui.json", f"{stem}-ui.json"]
    if stem.endswith("schema"):  # foo-schema.json pairs with foo-uischema.json
        bare = stem[:-len("schema")]
        names.insert(0, f"{bare}uischema.json")
        names += [f"{bare.rstrip('-_')}_ui.json", f"{bare.rstrip('-_')}-ui.json"]
    return names


def form_names_for(ui_name: str) -> list[str]:
    """The names of the form a UI schema may belong to."""
    ending = next(e for e in _UI_ENDINGS if ui_name.endswith(e))
    stem = ui_name[:-len(ending)]
    bare = stem.rstrip("-_")
    candidates = (f"{bare}.json", f"{bare}-schema.json", f"{bare}_schema.json", f"{stem}schema.json")
    return [n for n in dict.fromkeys(candidates) if ui_name in ui_schema_names(n)]


def load_forms(form_files: dict[str, dict]) -> tuple[dict[str, FormDefinition], list[Problem]]:
    forms, problems = {}, []
    for name, schema in form_files.items():
        if not is_form(name):
            continue
        ui_name = next((n for n in ui_schema_names(name) if n in form_files), None)
        try:
            forms[name] = form_from_dicts(name, schema, form_files.get(ui_name) if ui_name else None)
        except FormDefinitionError as exc:
            problems.append(Problem(str(exc), name))
    return forms, problems


def parse_bundle(bundle: DiagramBundle) -> ParsedDiagram:
    """Parse and XSD-check every file, resolve the main process and the processes it calls."""
    parser = SpiffBpmnParser(validator=VALIDATOR)
    problems: list[Problem] = []
    for name, xml in bundle.bpmn_files.items():
        try:
            parser.add_bpmn_xml(parse_xml(xml), filename=name)
        except etree.XMLSyntaxError as exc:
            problems.append(Problem(f"not well-formed XML: {exc.msg}", name, exc.lineno))
        except ValueError as exc:  # a DOCTYPE
            problems.append(Problem(str(exc), name, 1))
        except ValidationException as exc:
            problems.append(_validation_problem(exc, name))
    forms, form_problems = load_forms(bundle.form_files)
    problems += form_problems
    places = element_places(bundle.bpmn_files)
    if problems:
        raise DiagramError([_placed(p, places) for p in problems])
    try:
        spec = parser.get_spec(bundle.process_id)
        subprocess_specs = parser.get_subprocess_specs(bundle.process_id)
    except ValidationException as exc:
        problem = _validation_problem(exc, None)
        missing = process_not_found(problem.message, bundle.process_id, places)
        raise DiagramError([Problem(*missing) if missing else _placed(problem, places)])
    return ParsedDiagram(spec, subprocess_specs, forms)


def _validation_problem(exc: ValidationException, file_name: str | None) -> Problem:
    message = str(exc.args[0]) if exc.args else str(exc)
    return Problem(message, exc.file_name or file_name, exc.line_number or None,
                   exc.id or None)


def _placed(problem: Problem, places: dict) -> Problem:
    """The parser's problem with its file, line and element, in the process owner's words."""
    if problem.file and problem.file not in places:
        return problem  # a form, not a diagram
    return Problem(*explained(problem.message, problem.file, problem.line, problem.element, places))
