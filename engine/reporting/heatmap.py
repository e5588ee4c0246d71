"""Where the children are on the diagram: open tasks counted per diagram element, for the
latest published version of the pathway, shown over the diagram as a heatmap.

A task inside a called process (planning, reviews, panel...) counts on the call activity that
leads to it, so the main diagram shows every child; the page can open each called process to
see its own steps. A published version never changes, so its processes are read once (kept by content hash:
version ids are only unique within one database).
"""
import threading
from dataclasses import dataclass

from lxml import etree
from sqlalchemy import bindparam, func, or_, select
from sqlalchemy.orm import Session

from models import Child, DiagramVersion, HumanTask, PathwayInstance

from ..errors import NotFound
from .scope import Scope, running

_BPMN = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"
_lock = threading.Lock()
_PROCESSES: dict[str, dict[str, "ProcessInfo"]] = {}
_SHAPES: dict[tuple[str, str, str], tuple] = {}
_FILES: dict[tuple[str, str], str] = {}


@dataclass(frozen=True)
class ProcessInfo:
    process_id: str
    name: str
    tasks: dict[str, str]                 # user task id -> name
    calls: dict[str, tuple[str, str]]     # call activity id -> (called process id, name)


@dataclass(frozen=True)
class Heatmap:
    version: int
    process_id: str
    process_name: str
    counts: dict[str, int]                # element id -> open tasks at or below it
    rows: list[dict]                      # element, name, kind, count; most first
    processes: list[tuple[str, str]]      # (process id, name) of the version, main first


_LATEST = (select(DiagramVersion.id, DiagramVersion.version, DiagramVersion.content_hash)
           .where(DiagramVersion.process_id == bindparam("process_id"))
           .order_by(DiagramVersion.version.desc()).limit(1))


def latest_version(session: Session, process_id: str) -> tuple[int, int, str] | None:
    """(id, version number, content hash) of the newest published version of `process_id`
    (read every time: another process may have published one since)."""
    row = session.connection().execute(_LATEST, {"process_id": process_id}).first()
    return tuple(row) if row else None


def processes(session: Session, version_id: int, content_hash: str) -> dict[str, ProcessInfo]:
    with _lock:
        known = _PROCESSES.get(content_hash)
    if known is None:
        files = session.scalar(select(DiagramVersion.bpmn_files).where(DiagramVersion.id == version_id))
        known = _parse(files or {})
        with _lock:
            if len(_PROCESSES) > 32:
                _PROCESSES.clear()
            _PROCESSES[content_hash] = known
    return known


def _parse(files: dict[str, str]) -> dict[str, ProcessInfo]:
    found = {}
    for xml in files.values():
        root = etree.fromstring(xml.encode("utf-8"))
        for process in root.iter(f"{_BPMN}process"):
            tasks = {t.get("id"): t.get("name") or t.get("id")
                     for t in process.iter(f"{_BPMN}userTask")}
            calls = {c.get("id"): (c.get("calledElement"), c.get("name") or c.get("id"))
                     for c in process.iter(f"{_BPMN}callActivity")}
            pid = process.get("id")
            found[pid] = ProcessInfo(pid, process.get("name") or pid, tasks, calls)
    return found


def heatmap(session: Session, scope: Scope, main_process: str, process_id: str | None = None,
            counted=None) -> Heatmap | None:
    """The counts over `process_id` (default the main process); None if nothing is published.
    `counted(version_id)` gives the open tasks per step (the running figures); without it
    they are counted from the tasks."""
    latest = latest_version(session, main_process)
    if latest is None:
        return None
    version_id, version, content_hash = latest
    known = processes(session, version_id, content_hash)
    shown = process_id or main_process
    if shown not in known:
        raise NotFound(f"There is no process {shown} in the pathway")
    per_task = (counted(version_id) if counted is not None
                else open_tasks_by_element(session, scope, version_id))
    steps, listed = _shape(content_hash, known, main_process, shown)
    counts, rows = _roll_up(steps, per_task)
    return Heatmap(version, shown, known[shown].name, counts, rows, listed)


def open_tasks_by_element(session: Session, scope: Scope, version_id: int) -> dict[str, int]:
    query = (select(HumanTask.bpmn_id, func.count()).where(HumanTask.status == "open")
             .group_by(HumanTask.bpmn_id))
    others = session.scalar(select(PathwayInstance.id).where(
        or_(PathwayInstance.diagram_version_id < version_id,
            PathwayInstance.diagram_version_id > version_id), running()).limit(1))
    if others is not None:  # only then is the version worth checking task by task
        query = query.where(HumanTask.instance_id.in_(
            select(PathwayInstance.id).where(PathwayInstance.diagram_version_id == version_id)))
    if not scope.every_team:
        query = query.join(Child, Child.id == HumanTask.child_id).where(Child.team_id == scope.team_id)
    return {bpmn_id: n for bpmn_id, n in session.execute(query)}


def _reachable(known: dict[str, ProcessInfo], start: str) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        pid = todo.pop()
        if pid in seen or pid not in known:
            continue
        seen.add(pid)
        todo.extend(called for called, _ in known[pid].calls.values())
    return seen


def _shape(content_hash: str, known: dict[str, ProcessInfo], main_process: str, shown: str):
    """What the heatmap of `shown` counts, worked out once per published version (it never
    changes): each step as (element, name, kind, called process, the user tasks it counts),
    and the processes of the version, main first."""
    key = (content_hash, main_process, shown)
    with _lock:
        found = _SHAPES.get(key)
    if found is None:
        info = known[shown]
        steps = [(tid, name, "task", None, (tid,)) for tid, name in info.tasks.items()]
        steps += [(cid, name, "call", called,
                   tuple(tid for pid in _reachable(known, called) for tid in known[pid].tasks))
                  for cid, (called, name) in info.calls.items()]
        order = [main_process, *sorted(p for p in _reachable(known, main_process) if p != main_process)]
        found = (steps, [(p, known[p].name) for p in order if p in known])
        with _lock:
            if len(_SHAPES) > 256:
                _SHAPES.clear()
            _SHAPES[key] = found
    return found


def _roll_up(steps, per_task: dict[str, int]):
    """Each task of the process shown with its own count; each call activity with the count
    of every task in the processes below it."""
    counts, rows = {}, []
    for element, name, kind, called, tasks in steps:
        total = sum(per_task.get(tid, 0) for tid in tasks)
        if total:
            counts[element] = total
            row = {"element": element, "name": name, "kind": kind, "count": total}
            if kind == "call":
                row["process"] = called
            rows.append(row)
    rows.sort(key=lambda r: (-r["count"], r["name"]))
    return counts, rows


def diagram_xml(session: Session, main_process: str, process_id: str | None = None) -> str:
    """The BPMN file of a process of the latest version (the page draws it with bpmn-js)."""
    from ..views import process_file
    latest = latest_version(session, main_process)
    if latest is None:
        raise NotFound(f"No version of the diagram '{main_process}' has been published")
    version_id, _, content_hash = latest
    shown = process_id or main_process
    if shown not in processes(session, version_id, content_hash):
        raise NotFound(f"There is no process {shown} in the pathway")
    key = (content_hash, shown)
    with _lock:
        xml = _FILES.get(key)
    if xml is None:   # a published version never changes: its files are read once
        files = session.scalar(select(DiagramVersion.bpmn_files).where(DiagramVersion.id == version_id))
        xml = process_file(files, shown)
        with _lock:
            if len(_FILES) > 64:
                _FILES.clear()
            _FILES[key] = xml
    return xml
