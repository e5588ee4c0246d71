"""Forms for BPMN user tasks: load the JSON Schema a task names, check what a practitioner submits.

A user task names its form with `formJsonSchemaFilename` (and optionally
`formUiSchemaFilename`), as SpiffArena does, so diagrams stay portable. The
same definition drives the GOV.UK-styled web page and the engine's check before
a task completes: data that reaches the workflow has already been converted
(dates as `datetime.date`, numbers as int/float) and bounded in size, and a
practitioner who gets something wrong is told so in GOV.UK's plain words.

Validation is done by a marshmallow schema built once per form definition.
"""

from __future__ import annotations

import json
import threading
from datetime import date
from pathlib import Path
from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, pre_load, validates_schema
from marshmallow.validate import Length, OneOf, Range

from workflows.form_field_types import _GovDate, _Integer, _MultiChoice, _Rows
from workflows.form_fields import (Field, is_multiline, FormDefinitionError, error_words, find_ref, parse_form,
                                   parse_rules)
from workflows.functions import diagram_functions
from workflows.typed_input import control_message, date_message
from workflows.scripting import RestrictedEnvironment

__all__ = ["Field", "FormDefinition", "FormDefinitionError", "form_from_dicts", "load_form"]



def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class _FormSchema(Schema):
    """Base for every generated schema: ignore unknown keys, treat blank answers as not given."""

    class Meta:
        unknown = EXCLUDE  # a stray key posted by a browser is not the practitioner's mistake

    @pre_load
    def _drop_blanks(self, data, **kwargs):
        # Web forms post "" for an unanswered question; it must count as missing so
        # "required" gives "Enter ..." rather than a length or format message.
        if not isinstance(data, dict):
            return data
        out = {}
        for key, value in data.items():
            if isinstance(value, str):
                value = value.replace("\r\n", "\n").strip()
            if _blank(value) or value == [] or (isinstance(value, dict) and all(map(_blank, value.values()))):
                continue
            out[key] = value
        return out


class _TopSchema(_FormSchema):
    """Adds the checks that need other answers, today's date or the child's birth."""

    form_fields: tuple[Field, ...] = ()
    today: date
    born: date | None = None

    @validates_schema(skip_on_field_errors=False)
    def _check_dates(self, data, **kwargs):
        errors = _date_errors(self.form_fields, data, self.form_fields, data, self.today, self.born)
        if errors:
            raise ValidationError(errors)


def _date_errors(fields_, values, top_fields, top_values, today, born=None) -> dict:
    errors: dict = {}
    for f in fields_:
        value = values.get(f.name)
        if f.kind == "list" and isinstance(value, list):
            nested = {i: e for i, item in enumerate(value) if isinstance(item, dict)
                      and (e := _date_errors(f.item_fields, item, top_fields, top_values, today, born))}
            if nested:
                errors[f.name] = nested
        elif f.kind == "date" and isinstance(value, date):
            messages = []
            earliest = date.fromisoformat(f.earliest) if f.earliest else None
            if f.not_in_future and value > today:
                messages.append(f"{f.error_subject} must be today or in the past")
            elif bounds := date_message(f.error_subject, value, today, earliest, born):
                messages.append(bounds)
            if f.not_before:
                target = find_ref(f, fields_, top_fields)
                source = values if any(g.name == target.name for g in fields_) else top_values
                other = source.get(target.name)
                if isinstance(other, date) and value < other:
                    messages.append(f"{f.error_subject} must be the same as or after {target.error_name}")
            if messages:
                errors[f.name] = messages
    return errors


def _esc(text: str) -> str:
    # marshmallow str.format()s its messages; a brace in a label must survive that.
    return text.replace("{", "{{").replace("}", "}}")


def _plural(n, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _no_control(subject: str, multiline: bool):
    def check(value):
        if isinstance(value, str) and (message := control_message(subject, value, multiline)):
            raise ValidationError(message)
    return check


def _born(context: dict) -> date | None:
    """The child's date of birth from the task's data, if it is there and a date."""
    value = context.get("date_of_birth")
    try:
        return value if isinstance(value, date) else date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _marshmallow_field(f: Field) -> fields.Field:
    """One Field as a marshmallow field carrying GOV.UK-style messages."""
    name, subject = _esc(f.error_name), _esc(f.error_subject)
    enter = f"Enter {name}"
    if f.required:
        presence: dict[str, Any] = {"required": True}
    else:
        presence = {"load_default": list if f.kind in ("list", "multichoice") else None}
    validators: list = []
    if f.kind in ("text", "textarea"):
        messages = {"invalid": f"{subject} must be text"}
        validators.append(_no_control(f.error_subject, is_multiline(f)))
        if f.min_length:
            validators.append(Length(min=f.min_length, error=f"{subject} must be {_plural(f.min_length, 'character', 'characters')} or more"))
        validators.append(Length(max=f.max_length, error=f"{subject} must be {f.max_length} characters or fewer"))
        return fields.String(validate=validators, **presence, error_messages={"required": enter, **messages})
    if f.kind == "choice":
        select = f"Select {name}"
        return fields.String(validate=OneOf([v for v, _ in f.options], error=select), **presence,
                             error_messages={"required": select, "invalid": select})
    if f.kind == "boolean":
        # "Select yes or no for the has permanence been achieved" would be nonsense, and a bare
        # "Select yes or no" does not say which question, when a form asks several: name it.
        question = f.label.rstrip().endswith("?") and f.error_name == error_words(f.label, None)["error_name"]
        select = f"Select yes or no: {_esc(f.label.strip())}" if question else f"Select yes or no for {name}"
        return fields.Boolean(**presence, error_messages={"required": select, "invalid": select})
    if f.kind == "date":
        return _GovDate(**presence, error_messages={
            "required": enter, "invalid": f"{subject} must be a real date",
            **{f"no_{part}": f"{subject} must include a {part}" for part in ("day", "month", "year")}})
    if f.kind in ("number", "integer"):
        lo, hi = f.minimum, f.maximum
        if lo is not None and hi is not None:
            validators.append(Range(min=lo, max=hi, error=f"{subject} must be between {lo} and {hi}"))
        elif lo is not None:
            validators.append(Range(min=lo, error=f"{subject} must be {lo} or more"))
        elif hi is not None:
            validators.append(Range(max=hi, error=f"{subject} must be {hi} or less"))
        invalid = f"{subject} must be a whole number" if f.kind == "integer" else f"{subject} must be a number"
        cls = _Integer if f.kind == "integer" else fields.Float
        return cls(validate=validators, **presence, error_messages={
            "required": enter, "invalid": invalid, "too_large": invalid, "special": invalid})
    fewest = max(f.min_items or 0, 1 if f.required else 0)
    if f.kind == "multichoice":
        if fewest > 1:
            validators.append(Length(min=fewest, error=f"Select at least {fewest} options for {name}"))
        if f.max_items is not None:
            validators.append(Length(max=f.max_items, error=f"Select {_plural(f.max_items, 'option', 'options')} or fewer for {name}"))
        return _MultiChoice([v for v, _ in f.options], validate=validators, **presence,
                            error_messages={"required": f"Select {name}", "invalid": f"Select {name}"})
    at_least = f"{subject} must have at least {_plural(fewest, 'entry', 'entries')}"
    if fewest:
        validators.append(Length(min=fewest, error=at_least))
    validators.append(Length(max=f.max_items, error=f"{subject} must have {f.max_items} entries or fewer"))
    items = _FormSchema.from_dict({g.name: _marshmallow_field(g) for g in f.item_fields}, name=f"{f.name}_item")
    return _Rows(fields.Nested(items), validate=validators, **presence,
                       error_messages={"required": at_least, "invalid": f"{subject} must be a list"})


def _sample(f: Field, today: date) -> Any:
    if f.kind in ("text", "textarea"):
        return "Sample text".ljust(f.min_length or 0, ".")[: f.max_length]
    if f.kind == "date":
        return today
    if f.kind in ("number", "integer"):
        value = f.minimum if f.minimum is not None else min(0, f.maximum if f.maximum is not None else 0)
        return int(-(-value // 1)) if f.kind == "integer" else value
    if f.kind == "boolean":
        return True
    if f.kind == "choice":
        return f.options[0][0]
    if f.kind == "multichoice":
        return [v for v, _ in f.options[: max(1, f.min_items or 0)]]
    return [{g.name: _sample(g, today) for g in f.item_fields} for _ in range(max(1, f.min_items or 0))]


class FormDefinition:
    """A loaded form: what to render (`fields`) and how to check a submission (`validate`)."""

    def __init__(self, name: str, schema: dict, ui_schema: dict | None = None, ui_name: str | None = None):
        self.name = name
        self.schema_json = schema
        self.ui_schema_json = ui_schema
        self.title, self.description, self.fields = parse_form(name, schema, ui_schema, ui_name or f"{name} (UI schema)")
        self.rules = parse_rules(name, schema, self.fields)
        # Built once: generating marshmallow classes per submission would be wasted work.
        self._schema_cls = _TopSchema.from_dict({f.name: _marshmallow_field(f) for f in self.fields},
                                                name=f"Form_{Path(name).stem}")
        # One schema instance per thread, reused: making one deep-copies every field (most
        # of a check's cost); a call's own state (today, the birth date) is set on it first.
        self._schemas = threading.local()

    def __repr__(self) -> str:
        return f"<FormDefinition {self.name} ({len(self.fields)} fields)>"

    def validate(self, data: dict, today: date | None = None,
                 context: dict | None = None) -> tuple[dict, dict]:
        """Return (clean, errors); errors is {} when the task may complete.

        `today` is a parameter so "not in the future" is testable and follows the
        caller's notion of today (the engine's clock), not this machine's. `context` is the
        task's data (date of birth, ...) that `x-rules` read beside the answers.
        """
        schema = getattr(self._schemas, "schema", None)
        if schema is None:
            schema = self._schemas.schema = self._schema_cls()
        # marshmallow 4 dropped Schema.context; the thread's own instance carries the call's state.
        schema.form_fields = self.fields
        schema.today = today or date.today()
        schema.born = _born(context or {})
        try:
            clean = schema.load(data)
        except ValidationError as err:
            valid = err.valid_data if isinstance(err.valid_data, dict) else {}
            if not isinstance(err.messages, dict):
                return valid, {"_schema": err.messages}
            return valid, {**self._rule_errors_beside(valid, err.messages, schema.today, context or {}),
                           **err.messages}
        return clean, self._rule_errors(clean, schema.today, context or {})

    def _rule_errors_beside(self, valid: dict, errors: dict, today: date, context: dict) -> dict:
        """Every error at once: the form's rules over the answers that are valid, beside the
        fields' own errors, so a long form is not sent back a second time for a rule it broke
        the first. A rule reading a field in error, or about one, waits for it to be put right."""
        ready = [rule for rule in self.rules
                 if rule.field not in errors and not (_names(rule.when) & set(errors))]
        if not ready:
            return {}
        answers = {f.name: None for f in self.fields} | valid
        try:
            return _evaluated(ready, today, context, answers)
        except Exception:   # a rule that cannot read half a form waits for the whole of it
            return {}

    def unknown_answers(self, data: dict) -> dict:
        """Errors for answers to questions the form does not ask (a mistyped name), by name,
        rows included. Pages post only the form's own fields and ignore strays; a program
        (the CLI, the API) is told, so a typo is never silently dropped."""
        return _unknown(self.fields, data, self.name)

    def _rule_errors(self, clean: dict, today: date, context: dict) -> dict:
        if not self.rules:
            return {}
        try:
            return _evaluated(self.rules, today, context, clean)
        except _RuleFailed as failed:  # the form's own check is wrong: not the user's to fix
            raise FormDefinitionError(f"{self.name}: x-rules check {failed.rule.when!r} failed: "
                                      f"{failed.__cause__}") from failed.__cause__

    def sample_data(self, today: date) -> dict:
        """Plausible valid answers, so diagram checks can dry-run expressions that read form data."""
        sample = {f.name: _sample(f, today) for f in self.fields}
        if not self.rules:
            return sample
        # A rule the first options break (those invited to a PPM must include the IRO; a
        # complex case is chaired by the team manager) is met by ticking every option of a
        # multi-select, or by the first option of a choice that passes.
        try:
            for f in self.fields:
                if f.kind not in ("multichoice", "choice") or f.name not in self._sample_errors(sample, today):
                    continue
                tries = ([[v for v, _ in f.options]] if f.kind == "multichoice"
                         else [v for v, _ in f.options[1:]])
                for value in tries:
                    sample[f.name] = value
                    if f.name not in self._sample_errors(sample, today):
                        break
        except FormDefinitionError:
            pass
        return sample

    def _sample_errors(self, sample: dict, today: date) -> dict:
        return self.validate(_plain(sample), today=today, context={})[1]


def _plain(value):
    """Answers with dates written as text, as a page or program sends them."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def form_from_dicts(name: str, schema: dict, ui_schema: dict | None = None) -> FormDefinition:
    """Build a form from already-parsed JSON (tests, or forms stored elsewhere)."""
    return FormDefinition(name, schema, ui_schema)


def load_form(path: str | Path, ui_schema_path: str | Path | None = None) -> FormDefinition:
    """Load a form JSON file (and its UI schema) as named by a user task."""
    path = Path(path)
    ui_path = Path(ui_schema_path) if ui_schema_path is not None else None
    return FormDefinition(path.name, _read_json(path), _read_json(ui_path) if ui_path else None,
                          ui_path.name if ui_path else None)


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise FormDefinitionError(f"{path.name}: line {exc.lineno}: not valid JSON ({exc.msg})") from exc


def _unknown(fields, data: dict, where: str) -> dict:
    known = {f.name: f for f in fields}
    errors: dict = {}
    for name, value in data.items():
        field = known.get(name)
        if field is None:
            errors[name] = [f"{where} has no question '{name}' (its questions: "
                            f"{', '.join(known) or 'none'})"]
        elif field.kind == "list" and isinstance(value, list):
            for index, row in enumerate(value):
                if isinstance(row, dict) and (inner := _unknown(field.item_fields, row, f"a row of {name}")):
                    errors.setdefault(name, {})[index] = inner
    return errors


class _RuleFailed(Exception):
    def __init__(self, rule):
        super().__init__(rule.when)
        self.rule = rule


def _evaluated(rules, today: date, context: dict, answers: dict) -> dict:
    """The messages of the rules the answers break, by field."""
    environment = RestrictedEnvironment(diagram_functions(lambda: today))
    errors: dict[str, list[str]] = {}
    for rule in rules:
        try:
            # `case` reads a fact of the case that may not be known yet (`case.get('issued_on')`).
            broken = environment.evaluate(rule.when, {**context, **answers, "case": dict(context)})
        except Exception as exc:
            raise _RuleFailed(rule) from exc
        if broken:
            errors.setdefault(rule.field, []).append(rule.message)
    return errors


def _names(expression: str) -> set[str]:
    """The names a rule's expression reads."""
    import ast
    return {node.id for node in ast.walk(ast.parse(expression, mode="eval")) if isinstance(node, ast.Name)}
