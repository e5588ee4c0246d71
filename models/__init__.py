"""SQLAlchemy 2.0 tables and the database session; no behaviour beyond invariants."""
from .tables import (  # noqa: F401
    AuditEvent, Base, Child, Deadline, DiagramVersion, HumanTask, PathwayInstance, SignInFailure, Team,
    User, UserRole,
)
from .case_events import CaseEvent, Placement  # noqa: F401
from .records import TaskRecord  # noqa: F401
from .casework import CaseDetailVersion, ChildCasework, SiblingGroup, SiblingLink  # noqa: F401
from .drafts import TaskDraft  # noqa: F401
from .actions import ActionProgress, PpmAction  # noqa: F401
from .integration import (  # noqa: F401
    ApiToken, IdempotentResponse, OutboxEvent, WebhookSubscription,
)
from .reminders import (  # noqa: F401
    PanelNotice, Reminder, ReminderEmail, ReminderProgress, ReminderSettings,
)
from .figures import ALWAYS, FOREVER, DashboardFigure, DriftEntry  # noqa: F401
from .database import Database  # noqa: F401
