"""The runtime: start a child's pathway, complete a task, fire timers, publish diagrams.
No Flask here; the only package that touches SpiffWorkflow's runtime objects."""
from .case_events import deliver_event  # noqa: F401
from .children import find_child, register_child  # noqa: F401
from .errors import (  # noqa: F401
    Conflict, DiagramInvalid, EngineError, FormInvalid, InstanceInError, NotAllowed, NotFound,
    ProcessIdTaken, TaskNotOpen,
)
from .pathway import complete_task, start_pathway  # noqa: F401
from .position import position  # noqa: F401
from .publishing import publish  # noqa: F401
from .sweep import sweep  # noqa: F401
from . import staff  # noqa: F401  (staff accounts and teams: the administration pages and CLI)
from .tasks import open_tasks  # noqa: F401
from .views import (  # noqa: F401  (read-only queries behind the practitioners' pages)
    child_diagram, child_open_tasks, child_timeline, registration_choices, task_page,
)
from . import figures  # noqa: F401  (keeps the dashboards' running figures in step)
from .inbox_sections import Inbox, InboxFilters, inbox  # noqa: F401
