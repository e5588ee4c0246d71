"""Publishing a diagram bundle as a new immutable version.

A bundle is parsed, XSD-checked and linted first; one with any problem is refused whole and
nothing is stored, so a broken diagram can never reach a running instance. Publishing the
same files again returns the version that already has them.
"""
from sqlalchemy import func, select

from models import Database, DiagramVersion
from workflows.diagrams import DiagramBundle, DiagramError, parse_bundle
from workflows.dry_run import dry_run
from workflows.lint import element_lines, lint
from workflows.serialization import spec_to_json

from . import audit, clock
from .errors import DiagramInvalid


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
            note: str = "") -> tuple[DiagramVersion, bool]:
    """Store `bundle` as the next version of its process; (version, True if new)."""
    parsed = validate(bundle)
    content_hash = bundle.content_hash()
    now = clock.now()
    with db.transaction() as session:
        latest = session.scalar(
            select(DiagramVersion).where(DiagramVersion.process_id == bundle.process_id)
            .order_by(DiagramVersion.version.desc()).limit(1))
        if latest is not None and latest.content_hash == content_hash:
            return latest, False
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
