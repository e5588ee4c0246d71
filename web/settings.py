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
PERMANENCE_OIDC_*  signing in through the council's OpenID Connect provider (web/oidc_settings.py)
PERMANENCE_NOTIFY_API_KEY, PERMANENCE_NOTIFY_TEMPLATE_ID, PERMANENCE_NOTIFY_BASE_URL,
PERMANENCE_SERVICE_URL, PERMANENCE_REMINDER_CHILD_NAMES, PERMANENCE_DIGEST_HOUR, PERMANENCE_PANEL_EMAILS
                   reminders by e-mail through GOV.UK Notify (README, "Reminders by e-mail")
"""
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from .oidc_settings import OidcSettings, oidc_from_env


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
    oidc: OidcSettings | None = None   # single sign-on beside local accounts; None: local only
    notify_api_key: str = ""                     # GOV.UK Notify; empty: e-mails kept for admins
    notify_template_id: str = ""
    notify_base_url: str = "https://api.notifications.service.gov.uk"
    service_url: str = "http://127.0.0.1:8000"   # the address links in e-mails point to
    reminder_child_names: bool = False
    digest_hour: int = 7
    panel_emails: bool = True                    # panel business by e-mail (issue 11 §7)

    @property
    def reminders(self):
        """What the worker's reminders need (engine/reminders/config.py)."""
        from engine.reminders.config import ReminderConfig
        return ReminderConfig(self.notify_api_key, self.notify_template_id, self.notify_base_url,
                              self.service_url, self.reminder_child_names, self.digest_hour,
                              self.panel_emails)

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
        notify_key = environ.get("PERMANENCE_NOTIFY_API_KEY", "").strip()
        template = environ.get("PERMANENCE_NOTIFY_TEMPLATE_ID", "").strip()
        if notify_key and (len(notify_key) < 74 or not template):
            raise ValueError("PERMANENCE_NOTIFY_API_KEY must be the whole key GOV.UK Notify gave "
                             "(name-service id-secret), with PERMANENCE_NOTIFY_TEMPLATE_ID set "
                             "to an e-mail template whose subject is ((subject)) and body ((body))")
        hour = environ.get("PERMANENCE_DIGEST_HOUR", "7").strip()
        if not hour.isdigit() or not 0 <= int(hour) <= 23:
            raise ValueError("PERMANENCE_DIGEST_HOUR must be an hour from 0 to 23")
        return cls(notify_api_key=notify_key, notify_template_id=template,
                   notify_base_url=environ.get("PERMANENCE_NOTIFY_BASE_URL", "").strip()
                   or "https://api.notifications.service.gov.uk",
                   service_url=environ.get("PERMANENCE_SERVICE_URL", "").strip()
                   or "http://127.0.0.1:8000",
                   reminder_child_names=_flag(environ.get("PERMANENCE_REMINDER_CHILD_NAMES", ""),
                                              "PERMANENCE_REMINDER_CHILD_NAMES"),
                   digest_hour=int(hour),
                   panel_emails=_flag(environ.get("PERMANENCE_PANEL_EMAILS", "1"), "PERMANENCE_PANEL_EMAILS"),
                   database_url=url, secret_key=environ.get("SECRET_KEY") or _kept_key(instance_dir),
                   clock=environ.get("PERMANENCE_CLOCK", ""), sweep_seconds=sweep_seconds,
                   process_id=environ.get("PERMANENCE_PROCESS", "permanence_pathway"),
                   instance_dir=instance_dir,
                   diagrams_dir=Path(environ.get("PERMANENCE_DIAGRAMS") or SHIPPED_DIAGRAMS).resolve(),
                   insecure_cookies=_flag(environ.get("PERMANENCE_INSECURE_COOKIES", "")),
                   session_idle_minutes=int(idle),
                   council_name=(environ.get("PERMANENCE_COUNCIL_NAME") or "").strip()
                   or "Children's Services",
                   oidc=oidc_from_env(environ))


def _flag(value: str, name: str = "PERMANENCE_INSECURE_COOKIES") -> bool:
    text = value.strip().lower()
    if text in ("", "0", "false", "no", "off"):
        return False
    if text in ("1", "true", "yes", "on"):
        return True
    raise ValueError(f"{name}={value!r}: use 1 or 0")


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
