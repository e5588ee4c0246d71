"""Bringing a council's existing children on at their true position (issue 14, section 1):
the template (`template`), checking rows (`rows`), replaying a child's past through the engine
(`replay`) and the import with its dry run (`run`)."""
from .run import ChildResult, ImportReport, import_tracker  # noqa: F401
from .template import COLUMNS, TrackerUnreadable, read_tracker, template_csv, template_xlsx  # noqa: F401
