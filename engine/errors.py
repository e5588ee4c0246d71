"""What the engine refuses, as exceptions the web layer and the CLI turn into plain messages."""


class EngineError(Exception):
    """Base: the message is written for the person who asked."""


class NotFound(EngineError):
    pass


class NotAllowed(EngineError):
    """The actor may not do this (wrong role for the lane, or not their child)."""


class TaskNotOpen(EngineError):
    """The task is not waiting for anyone: already completed, cancelled, or not yet reached."""


class FormInvalid(EngineError):
    """The submitted data failed the task's form; `errors` is keyed by field, `data` is kept."""

    def __init__(self, errors: dict, data: dict):
        self.errors = errors
        self.data = data
        super().__init__("There is a problem with the form: " + ", ".join(map(str, errors)))


class Conflict(EngineError):
    """Someone else changed the same pathway at the same moment and we could not retry."""


class InstanceInError(EngineError):
    """The pathway is stopped in error and needs a fix before anyone can act on it."""


class DiagramInvalid(EngineError):
    def __init__(self, problems):
        self.problems = problems
        super().__init__("The diagram cannot be published:\n" + "\n".join(f"- {p}" for p in problems))


class ProcessIdTaken(EngineError):
    """New files whose main process id is already a published, different process: publishing
    them would silently make them its next version. `latest` is that process's newest version."""

    def __init__(self, process_id: str, latest):
        self.process_id, self.latest = process_id, latest
        super().__init__(
            f"A process '{process_id}' is already published (version {latest.version}). These files "
            "were not started from it, so publishing them would make them its next version, and children "
            f"on '{process_id}' could later be moved onto them. Give the main process its own id in the "
            f"modeler, or, if these files are a new version of '{process_id}', say so and publish them "
            "as its next version.")
