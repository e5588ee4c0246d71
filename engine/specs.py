"""Parsed diagram versions, cached in the process: a spec is rebuilt from its stored JSON
once per version, never per request (a version is immutable, so the cache never goes stale)."""
from dataclasses import dataclass

from sqlalchemy.orm import Session

from models import DiagramVersion
from workflows.diagrams import load_forms
from workflows.forms import FormDefinition
from workflows.serialization import spec_from_json

from .errors import NotFound
from .kept import Kept

_MAX_VERSIONS = 64


@dataclass(frozen=True)
class LoadedVersion:
    id: int
    process_id: str
    version: int
    spec: object
    subprocess_specs: dict
    forms: dict[str, FormDefinition]


_versions: Kept[LoadedVersion] = Kept(_MAX_VERSIONS)


def loaded_version(session: Session, version_id: int) -> LoadedVersion:
    # Keyed by database too: one process may talk to two (tests, a migration tool).
    bind = session.get_bind()  # an Engine, or a Connection inside an import's child transaction
    key = (str(getattr(bind, "url", None) or bind.engine.url), version_id)
    found = _versions.get(key)
    if found is not None:
        return found
    row = session.get(DiagramVersion, version_id)
    if row is None:
        raise NotFound(f"There is no diagram version {version_id}")
    spec, subprocess_specs = spec_from_json(row.spec_json)
    forms, _ = load_forms(row.form_files)
    return _versions.put(key, LoadedVersion(row.id, row.process_id, row.version, spec,
                                            subprocess_specs, forms))


def clear_cache() -> None:
    """For a database that was emptied and reused (tests): version ids start again."""
    _versions.clear()
