"""The tables of DESIGN.md: people, children, diagram versions, pathway instances and the
projections that inboxes and dashboards read (human tasks, deadlines), plus the audit trail.

No behaviour here beyond invariants: the engine owns every state change.
"""
from datetime import date, datetime

from sqlalchemy import (
    JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from .facts import fact
from .search import keep_search_text, search_text_default
from .types import UTCDateTime


class Base(DeclarativeBase):
    pass


class Team(Base):
    __tablename__ = "team"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)


class User(Base):
    """A member of staff. `username` is the sign-in name; `external_id` links the account to
    its identity at the council's OpenID Connect provider (`issuer subject`), once it has
    signed in that way (engine/single_sign_on.py)."""
    __tablename__ = "app_user"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: Carried in the session cookie at sign-in; signing out moves it on, so a copy of an
    #: old cookie replayed after sign-out is refused.
    session_generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    external_id: Mapped[str | None] = mapped_column(String(400), unique=True, index=True)

    team: Mapped[Team | None] = relationship()
    # Roles are needed by every access check: load them with the user, in one query.
    role_rows: Mapped[list["UserRole"]] = relationship(
        lazy="joined", cascade="all, delete-orphan")

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(r.role for r in self.role_rows)


class SignInFailure(Base):
    """A failed sign-in, kept a short while to slow down guessing: per account (named,
    known or not) and per address. In the database so every web process sees them."""
    __tablename__ = "sign_in_failure"
    __table_args__ = (Index("ix_sign_in_failure_account", "account", "failed_at"),
                      Index("ix_sign_in_failure_address", "address", "failed_at"))
    id: Mapped[int] = mapped_column(primary_key=True)
    account: Mapped[str] = mapped_column(String(80))
    address: Mapped[str] = mapped_column(String(64))
    failed_at: Mapped[datetime] = mapped_column(UTCDateTime)


class UserRole(Base):
    __tablename__ = "user_role"
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), primary_key=True)
    role: Mapped[str] = mapped_column(String(60), primary_key=True)


class Child(Base):
    __tablename__ = "child"
    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    date_of_birth: Mapped[date] = mapped_column(Date)
    legal_status: Mapped[str] = mapped_column(String(40))
    looked_after_on: Mapped[date] = mapped_column(Date)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"), index=True)
    social_worker_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    # A10, B1, E18 (0022): "edge_of_care" or "unborn" while the council knows the child but
    # they are not looked after (then `looked_after_on` holds `known_on` and, for an unborn
    # baby, `date_of_birth` the expected date); None once looked after. `known_on`: the date
    # the council was told or the child referred, kept after they become looked after.
    before_care: Mapped[str | None] = mapped_column(String(20))
    known_on: Mapped[date | None] = mapped_column(Date)
    # When the child's social worker or team last changed (a reallocation; 0007).
    allocated_on: Mapped[date | None] = mapped_column(Date)
    # Name and reference in lower case, and the reference without spaces or hyphens: what
    # the child search reads, one narrow indexed column (models/search.py keeps it; 0007).
    search_text: Mapped[str] = mapped_column(String(400), default=search_text_default,
                                             server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    team: Mapped[Team] = relationship()
    social_worker: Mapped[User | None] = relationship()


class DiagramVersion(Base):
    """A published pathway: immutable once stored; instances point at the version they run."""
    __tablename__ = "diagram_version"
    __table_args__ = (UniqueConstraint("process_id", "version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[str] = mapped_column(String(120))
    version: Mapped[int] = mapped_column(Integer)
    bpmn_files: Mapped[dict] = mapped_column(JSON)      # file name -> BPMN XML
    form_files: Mapped[dict] = mapped_column(JSON)      # file name -> JSON form definition
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    spec_json: Mapped[str] = mapped_column(Text)        # parsed spec, serialized once
    published_by: Mapped[str] = mapped_column(String(80))
    published_at: Mapped[datetime] = mapped_column(UTCDateTime)
    note: Mapped[str] = mapped_column(Text, default="")


class PathwayInstance(Base):
    """One child's running pathway. `state` is the workflow without its spec (the spec lives
    once in diagram_version); `version` turns concurrent writes into a clear conflict."""
    __tablename__ = "pathway_instance"
    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("child.id"), index=True)
    diagram_version_id: Mapped[int] = mapped_column(ForeignKey("diagram_version.id"), index=True)
    state: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="active")
    stage: Mapped[str] = mapped_column(String(120), default="")
    route: Mapped[str] = mapped_column(String(120), default="")
    next_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    error_message: Mapped[str | None] = mapped_column(Text)
    # Case facts the dashboards and panel cohorts need, kept from the workflow's data
    # (workflows.stages.FACT_KEYS), so that no listing deserializes a workflow.
    facts: Mapped[dict] = mapped_column(JSON, default=dict)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    child: Mapped[Child] = relationship(lazy="joined")
    diagram_version: Mapped[DiagramVersion] = relationship(lazy="raise")

    __mapper_args__ = {"version_id_col": version}
    # The sweep walks this index in (next_due_at, id) order: an idle sweep is one probe.
    __table_args__ = (Index("ix_pathway_instance_due", "next_due_at", "id"),)


class HumanTask(Base):
    """A user task as a row, so inboxes never deserialize a workflow."""
    __tablename__ = "human_task"
    __table_args__ = (
        Index("ix_human_task_open_lane", "status", "lane", "due_on"),
        Index("ix_human_task_assignee", "assignee_id", "status"),
        # With the rule: is a missed deadline's work still open (engine.reporting)?
        Index("ix_human_task_instance", "instance_id", "status", "rule"),
        # A team's open tasks in due order (a team manager's inbox, the panel alerts).
        Index("ix_human_task_team_open", "team_id", "status", "due_on"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[str] = mapped_column(String(36), unique=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("pathway_instance.id"))
    child_id: Mapped[int] = mapped_column(ForeignKey("child.id"), index=True)
    # The child's team, kept with the task (set when it opens, moved with the child by
    # `engine.allocation`), so that a team's tasks are read from an index, not by joining
    # every open task in the council to the team's children.
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"))
    bpmn_id: Mapped[str] = mapped_column(String(120))
    name: Mapped[str] = mapped_column(String(255))
    lane: Mapped[str] = mapped_column(String(60))
    form: Mapped[str | None] = mapped_column(String(255))
    instructions: Mapped[str] = mapped_column(Text, default="")
    stage: Mapped[str] = mapped_column(String(120), default="")
    due_on: Mapped[date | None] = mapped_column(Date)
    rule: Mapped[str | None] = mapped_column(String(10))
    due_error: Mapped[str | None] = mapped_column(Text)
    # Why the task is due then, in plain words, from the diagram's `dueReason` property.
    due_reason: Mapped[str | None] = mapped_column(Text)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    status: Mapped[str] = mapped_column(String(20), default="open")  # open, completed, cancelled
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    completed_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    completed_by: Mapped[User | None] = relationship(foreign_keys=[completed_by_id])
    # Through this relationship the unit of work writes the instance (and so checks its
    # version) before it inserts or updates any of its task rows.
    instance: Mapped[PathwayInstance] = relationship()


class Deadline(Base):
    """A statutory clock that is not a task (plan by the second review, 26 weeks), kept by a
    timer event in the diagram that carries a `rule` property."""
    __tablename__ = "deadline"
    __table_args__ = (UniqueConstraint("instance_id", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("pathway_instance.id"), index=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("child.id"), index=True)
    key: Mapped[str] = mapped_column(String(36))        # the timer event task's id
    bpmn_id: Mapped[str] = mapped_column(String(120))
    rule: Mapped[str] = mapped_column(String(10))
    label: Mapped[str] = mapped_column(String(255))
    due_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20))      # running, met, late, missed, cancelled
    met_on: Mapped[date | None] = mapped_column(Date)

    # As for a task row (HumanTask.instance): the unit of work writes the instance, and so
    # checks its version, before it inserts or updates any of its clocks' rows.
    instance: Mapped[PathwayInstance] = relationship()


class AuditEvent(Base):
    """Append-only: who did what, when, to which child's pathway."""
    __tablename__ = "audit_event"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    actor_name: Mapped[str] = mapped_column(String(120))
    child_id: Mapped[int | None] = mapped_column(ForeignKey("child.id"))
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("pathway_instance.id"))
    kind: Mapped[str] = mapped_column(String(40))
    detail: Mapped[dict] = mapped_column(JSON, default=dict)


# A child's events by kind (migration 0024): the child page's timeline reads its kinds of
# event only, not every time someone looked at the child, which grow with every visit.
Index("ix_audit_event_child_kind", AuditEvent.child_id, AuditEvent.kind, AuditEvent.at)


# The managers' pages (engine.reporting) count and list over every child of a council; each of
# these indexes answers one of their questions from the index alone (migration 0004).
Index("ix_pathway_instance_summary", PathwayInstance.status, PathwayInstance.stage,
      PathwayInstance.route, PathwayInstance.child_id)                 # children by stage, route
Index("ix_pathway_instance_child_summary", PathwayInstance.child_id, PathwayInstance.status,
      PathwayInstance.stage, PathwayInstance.route)                    # a child's stage and route
Index("ix_pathway_instance_version_status", PathwayInstance.diagram_version_id,
      PathwayInstance.status)                                          # who runs an older version
Index("ix_pathway_instance_last_ppm", fact(PathwayInstance.facts, "held_on"),
      PathwayInstance.status, PathwayInstance.stage, PathwayInstance.child_id)   # no PPM in 6 weeks
Index("ix_pathway_instance_legal_status", fact(PathwayInstance.facts, "legal_status"),
      PathwayInstance.status, fact(PathwayInstance.facts, "s20_endorsed"),
      fact(PathwayInstance.facts, "still_s20"), PathwayInstance.child_id)        # s20 drift
Index("ix_child_search", Child.search_text, Child.team_id, Child.id)   # the child search
Index("ix_human_task_open_due", HumanTask.status, HumanTask.due_on, HumanTask.rule,
      HumanTask.child_id)                                              # overdue, next due
Index("ix_human_task_open_step", HumanTask.status, HumanTask.bpmn_id, HumanTask.due_on,
      HumanTask.child_id, HumanTask.instance_id)                       # heatmap, panel actions
Index("ix_deadline_status_due", Deadline.status, Deadline.due_on, Deadline.rule,
      Deadline.child_id, Deadline.instance_id)                         # overdue, next due
Index("ix_deadline_rule", Deadline.rule, Deadline.status, Deadline.due_on,
      Deadline.child_id, Deadline.instance_id)                         # no plan by second review


keep_search_text(Child)
