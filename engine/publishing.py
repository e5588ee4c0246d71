"""Publishing a diagram bundle as a new immutable version.

A bundle is parsed, XSD-checked and linted first; one with any problem is refused whole and
nothing is stored, so a broken diagram can never reach a running instance. Publishing the
same files again returns the version that already has them.

A process keeps its identity: files published as a `new_process` (brought in from elsewhere,
not started from a version of it) whose main process id is already published are refused
with `ProcessIdTaken`, since three unrelated `Process_1` diagrams must not become versions 1
to 3 of one process. The process owner either gives the process its own id or says these
files are its next version.
"""
from sqlalchemy import func, select

from models import Database, DiagramVersion
from workflows.diagrams import DiagramBundle, DiagramError, parse_bundle
from workflows.dry_run import dry_run
from workflows.lint import element_lines, lint
from workflows.serialization import spec_to_json

from . import audit, clock
from .errors import DiagramInvalid, ProcessIdTaken


def validate(bundle: DiagramBundle):
    """The parsed bundle, or DiagramInvalid listing every problem found."""
    try:
        parsed = parse_bundle(bundle)
    except DiagramError as exc:
        raise DiagramInvalid(exc.problems) from None
    problems = lint(bundle, parsed)
    if not problems:  # expressions that do not even compile are not worth running
        problems = dry_run(parsed, element_lines(bundle))
    if problems:
        raise DiagramInvalid(problems)
    return parsed


def publish(db: Database, bundle: DiagramBundle, published_by: str,
            note: str = "", *, new_process: bool = False) -> tuple[DiagramVersion, bool]:
    """Store `bundle` as the next version of its process; (version, True if new). With
    `new_process`, refuse (ProcessIdTaken) if the process id is already published."""
    parsed = validate(bundle)
    content_hash = bundle.content_hash()
    now = clock.now()
    with db.transaction() as session:
        latest = latest_published(session, bundle.process_id)
        if latest is not None and latest.content_hash == content_hash:
            return latest, False
        if latest is not None and new_process:
            raise ProcessIdTaken(bundle.process_id, latest)
        number = (session.scalar(select(func.max(DiagramVersion.version)).where(
            DiagramVersion.process_id == bundle.process_id)) or 0) + 1
        version = DiagramVersion(
            process_id=bundle.process_id, version=number, bpmn_files=bundle.bpmn_files,
            form_files=bundle.form_files, content_hash=content_hash,
            spec_json=spec_to_json(parsed.spec, parsed.subprocess_specs),
            published_by=published_by, published_at=now, note=note)
        session.add(version)
        session.flush()
        audit.record(session, audit.PUBLISHED, now, process=bundle.process_id, version=number,
                     published_by=published_by)
        return version, True


def latest_published(session, process_id: str) -> DiagramVersion | None:
    return session.scalar(select(DiagramVersion).where(DiagramVersion.process_id == process_id)
                          .order_by(DiagramVersion.version.desc()).limit(1))
