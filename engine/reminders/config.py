"""What the reminders need from the settings (web/settings.py reads the environment)."""
from dataclasses import dataclass

NOTIFY_URL = "https://api.notifications.service.gov.uk"


@dataclass(frozen=True)
class ReminderConfig:
    notify_api_key: str = ""         # GOV.UK Notify's API key; empty: keep e-mails here
    notify_template_id: str = ""     # an e-mail template whose subject is ((subject)), body ((body))
    notify_base_url: str = NOTIFY_URL
    service_url: str = "http://127.0.0.1:8000"   # where links in e-mails point
    child_names: bool = False        # the council allows the child's name in e-mails
    digest_hour: int = 7             # digests are made from this hour (London) each day
    panel_business: bool = True      # invitations, agendas, papers by e-mail (panel_notices)

    @property
    def sends(self) -> bool:
        return bool(self.notify_api_key)

    def task_link(self, task_id: str) -> str:
        return f"{self.service_url.rstrip('/')}/tasks/{task_id}"
