"""Settings, from the environment (twelve-factor, as Flask's tutorial does).

DATABASE_URL       SQLAlchemy URL; default a SQLite file `instance/permanence.db`
SECRET_KEY         signs sessions; default a random key kept in `instance/secret_key`
PERMANENCE_CLOCK   empty for real time, an ISO instant to fix it, `+P30D` to offset it
PERMANENCE_SWEEP_SECONDS  how often the timer worker sweeps (default 60)
PERMANENCE_PROCESS the process id new children start on (default permanence_pathway)
PERMANENCE_DIAGRAMS the folder of diagrams `init` publishes (default the shipped diagrams/)
PERMANENCE_INSECURE_COOKIES  1 to send the session cookie over plain http (local `make run`);
                   otherwise it is Secure, as a service behind HTTPS needs
PERMANENCE_SESSION_IDLE_MINUTES  minutes without a request after which a signed-in user
                   must sign in again (default 30)
"""
import os
import secrets
from dataclasses import dataclass
from pathlib import Path


SHIPPED_DIAGRAMS = Path(__file__).resolve().parent.parent / "diagrams"


@dataclass(frozen=True)
class Settings:
    database_url: str
    secret_key: str
    clock: str = ""
    sweep_seconds: float = 60.0
    process_id: str = "permanence_pathway"
    instance_dir: Path = Path("instance")
    diagrams_dir: Path = SHIPPED_DIAGRAMS
    insecure_cookies: bool = False
    session_idle_minutes: int = 30
    council_name: str = "Children's Services"   # heads every printed record and PDF

    @classmethod
    def from_env(cls, environ=None) -> "Settings":
        environ = os.environ if environ is None else environ
        instance_dir = Path(environ.get("PERMANENCE_INSTANCE_DIR", "instance")).resolve()
        url = environ.get("DATABASE_URL") or f"sqlite:///{instance_dir / 'permanence.db'}"
        if url.startswith("sqlite:///"):
            instance_dir.mkdir(parents=True, exist_ok=True)
        try:
            sweep_seconds = float(environ.get("PERMANENCE_SWEEP_SECONDS", "60"))
        except ValueError:
            raise ValueError("PERMANENCE_SWEEP_SECONDS must be a number of seconds") from None
        idle = environ.get("PERMANENCE_SESSION_IDLE_MINUTES", "30").strip()
        if not idle.isdigit() or not 1 <= int(idle) <= 24 * 60:
            raise ValueError("PERMANENCE_SESSION_IDLE_MINUTES must be a whole number of minutes "
                             "from 1 to 1440")
        return cls(database_url=url, secret_key=environ.get("SECRET_KEY") or _kept_key(instance_dir),
                   clock=environ.get("PERMANENCE_CLOCK", ""), sweep_seconds=sweep_seconds,
                   process_id=environ.get("PERMANENCE_PROCESS", "permanence_pathway"),
                   instance_dir=instance_dir,
                   diagrams_dir=Path(environ.get("PERMANENCE_DIAGRAMS") or SHIPPED_DIAGRAMS).resolve(),
                   insecure_cookies=_flag(environ.get("PERMANENCE_INSECURE_COOKIES", "")),
                   session_idle_minutes=int(idle),
                   council_name=(environ.get("PERMANENCE_COUNCIL_NAME") or "").strip()
                   or "Children's Services")


def _flag(value: str) -> bool:
    text = value.strip().lower()
    if text in ("", "0", "false", "no", "off"):
        return False
    if text in ("1", "true", "yes", "on"):
        return True
    raise ValueError(f"PERMANENCE_INSECURE_COOKIES={value!r}: use 1 or 0")


def _kept_key(instance_dir: Path) -> str:
    """A random key written once, so sessions survive a restart without any setting. Made
    with O_EXCL: web processes starting together all read the one key the first wrote."""
    path = instance_dir / "secret_key"
    instance_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        for _ in range(50):   # another process is writing it this moment
            if kept := path.read_text().strip():
                return kept
            import time
            time.sleep(0.02)
        raise ValueError(f"{path} is empty: remove it, or set SECRET_KEY") from None
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key
