"""The marshmallow field types the task forms need beyond marshmallow's own: GOV.UK dates,
checkbox answers, list rows that keep their indexes, and whole numbers that refuse fractions.
`workflows.forms` builds its schemas from them."""
import re
from datetime import date, datetime

from marshmallow import ValidationError, fields

_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_UK_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


class _GovDate(fields.Field):
    """A date posted as ISO text, as D/M/YYYY, or as GOV.UK date input parts."""

    def _deserialize(self, value, attr, data, **kwargs) -> date:
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        if isinstance(value, dict):
            parts = {k: str(value.get(k) if value.get(k) is not None else "").strip() for k in ("day", "month", "year")}
            if missing := [k for k, v in parts.items() if not v]:
                raise self.make_error(f"no_{missing[0]}")
            day, month, year = parts["day"], parts["month"], parts["year"]
        elif isinstance(value, str) and (m := _ISO_DATE.fullmatch(value.strip())):
            year, month, day = m.groups()
        elif isinstance(value, str) and (m := _UK_DATE.fullmatch(value.strip())):
            day, month, year = m.groups()
        else:
            raise self.make_error("invalid")
        try:
            if not (day.isdigit() and month.isdigit() and year.isdigit() and len(year) == 4):
                raise ValueError(value)
            return date(int(year), int(month), int(day))
        except ValueError as exc:
            raise self.make_error("invalid") from exc


class _MultiChoice(fields.Field):
    """Checkbox answers: a list of option values (one checkbox may post a bare string)."""

    def __init__(self, allowed, **kwargs):
        super().__init__(**kwargs)
        self.allowed = set(allowed)

    def _deserialize(self, value, attr, data, **kwargs) -> list[str]:
        values = [value] if isinstance(value, str) else value
        if not isinstance(values, list) or not all(isinstance(v, str) and v in self.allowed for v in values):
            raise self.make_error("invalid")
        return list(dict.fromkeys(values))  # drop repeats, keep order


class _Rows(fields.List):
    """A list of objects whose clean rows keep their indexes even when a row is not an object,
    so cross-field messages (reported by index) land on the right row."""

    def _deserialize(self, value, attr, data, **kwargs) -> list:
        if not isinstance(value, list):
            raise self.make_error("invalid")
        rows, errors = [], {}
        for i, row in enumerate(value):
            try:
                rows.append(self.inner.deserialize(row, **kwargs))
            except ValidationError as err:
                rows.append(err.valid_data if isinstance(err.valid_data, dict) else {})
                errors[i] = err.messages
        if errors:
            raise ValidationError(errors, valid_data=rows)
        return rows


class _Integer(fields.Integer):
    """Refuses 2.5 rather than silently truncating it to 2."""

    def _format_num(self, value):
        if isinstance(value, float) and not value.is_integer():
            raise ValueError(value)
        return int(value)
