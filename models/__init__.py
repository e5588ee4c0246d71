"""SQLAlchemy 2.0 tables and the database session; no behaviour beyond invariants."""
from .tables import (  # noqa: F401
    AuditEvent, Base, Child, Deadline, DiagramVersion, HumanTask, PathwayInstance, Team, User,
    UserRole,
)
from .integration import (  # noqa: F401
    ApiToken, IdempotentResponse, OutboxEvent, WebhookSubscription,
)
from .database import Database  # noqa: F401
