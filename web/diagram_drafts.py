"""Drafts: a process owner's edits to a diagram bundle, kept until they are published.

Drafts are files, not rows (no schema change, and a draft is thrown away once published):
`<PERMANENCE_INSTANCE_DIR>/drafts/<draft id>/draft.json` says which process the draft is for,
which version it started from, who started it and who changed it last; `files/` beside it
holds the BPMN files and JSON forms by name, exactly as they will be published. A draft is
shared by the process owners (any of them may continue it); the last save of a file wins.
Every write goes to a temporary file first and is renamed into place, so a file is never
seen half-written.
"""
import json
import os
import re
import secrets
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from flask import current_app

from engine import clock
from workflows.diagrams import DiagramBundle

from .diagram_files import MAX_FILES, FileRefused, checked_name, is_bpmn

_DRAFT_ID = re.compile(r"^[0-9a-f]{12}$")


class DraftNotFound(LookupError):
    pass


@dataclass(frozen=True)
class Draft:
    id: str
    process_id: str
    based_on: int | None        # the version it started from; None for files brought in
    created_by: str
    created_at: datetime
    updated_by: str
    updated_at: datetime
    folder: Path
    based_on_process: str | None = None  # the process of the version it started from
    process_chosen: bool = True          # False while the main process is only a guess

    @property
    def new_process(self) -> bool:
        """Brought in from elsewhere, or switched to another process: publishing it under a
        process id that is already published needs the process owner to say so."""
        return self.based_on is None or self.process_id != (self.based_on_process or self.process_id)

    @property
    def files_folder(self) -> Path:
        return self.folder / "files"

    def names(self) -> list[str]:
        return sorted(p.name for p in self.files_folder.iterdir() if p.is_file()
                      and not p.name.startswith("."))

    def read(self, name: str) -> str:
        path = self.files_folder / checked_name(name)
        if not path.is_file():
            raise DraftNotFound(name)
        return path.read_text(encoding="utf-8")

    def has(self, name: str) -> bool:
        return (self.files_folder / checked_name(name)).is_file()

    def bundle(self) -> DiagramBundle:
        """The draft as the engine validates and publishes it."""
        texts = {name: self.read(name) for name in self.names()}
        return DiagramBundle(
            self.process_id, {n: t for n, t in texts.items() if is_bpmn(n)},
            {n: json.loads(t) for n, t in texts.items() if not is_bpmn(n)})


class DraftStore:
    def __init__(self, root: Path):
        self.root = Path(root)

    def create(self, process_id: str, based_on: int | None, by: str, files: dict[str, str],
               process_chosen: bool = True) -> Draft:
        if len(files) > MAX_FILES:
            raise FileRefused(f"a draft holds at most {MAX_FILES} files")
        named = {checked_name(name): text for name, text in files.items()}  # all, before any is written
        draft_id = secrets.token_hex(6)
        folder = self.root / draft_id
        (folder / "files").mkdir(parents=True)
        for name, text in named.items():
            _write(folder / "files" / name, text)
        now = clock.now()
        self._save_meta(folder, {"process_id": process_id, "based_on": based_on,
                                 "based_on_process": process_id if based_on is not None else None,
                                 "process_chosen": process_chosen, "created_by": by,
                                 "created_at": now.isoformat(), "updated_by": by,
                                 "updated_at": now.isoformat()})
        return self.get(draft_id)

    def get(self, draft_id: str) -> Draft:
        folder = self.root / draft_id
        if not _DRAFT_ID.match(draft_id or "") or not (folder / "draft.json").is_file():
            raise DraftNotFound(draft_id)
        meta = json.loads((folder / "draft.json").read_text(encoding="utf-8"))
        return Draft(draft_id, meta["process_id"], meta.get("based_on"), meta["created_by"],
                     datetime.fromisoformat(meta["created_at"]), meta["updated_by"],
                     datetime.fromisoformat(meta["updated_at"]), folder,
                     meta.get("based_on_process"), meta.get("process_chosen", True))

    def all(self) -> list[Draft]:
        """Every draft, the most recently changed first."""
        if not self.root.is_dir():
            return []
        drafts = []
        for folder in self.root.iterdir():
            try:
                drafts.append(self.get(folder.name))
            except (DraftNotFound, ValueError, KeyError):
                continue  # a half-made or foreign folder is not a draft
        return sorted(drafts, key=lambda d: d.updated_at, reverse=True)

    def write(self, draft: Draft, name: str, text: str, by: str) -> None:
        path = draft.files_folder / checked_name(name)
        if not path.exists() and len(draft.names()) >= MAX_FILES:
            raise FileRefused(f"a draft holds at most {MAX_FILES} files")
        _write(path, text)
        self.touch(draft, by)

    def remove(self, draft: Draft, name: str, by: str) -> None:
        path = draft.files_folder / checked_name(name)
        if not path.is_file():
            raise DraftNotFound(name)
        path.unlink()
        self.touch(draft, by)

    def set_process(self, draft: Draft, process_id: str, by: str) -> None:
        self.touch(draft, by, process_id=process_id, process_chosen=True)

    def touch(self, draft: Draft, by: str, **changes) -> None:
        meta = json.loads((draft.folder / "draft.json").read_text(encoding="utf-8"))
        meta.update(changes, updated_by=by, updated_at=clock.now().isoformat())
        self._save_meta(draft.folder, meta)

    def discard(self, draft: Draft) -> None:
        shutil.rmtree(draft.folder, ignore_errors=True)

    @staticmethod
    def _save_meta(folder: Path, meta: dict) -> None:
        _write(folder / "draft.json", json.dumps(meta, indent=2))


def _write(path: Path, text: str) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".saving-")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def drafts() -> DraftStore:
    """The store of the running application: under its instance folder."""
    return DraftStore(Path(current_app.config["PERMANENCE"].instance_dir) / "drafts")
