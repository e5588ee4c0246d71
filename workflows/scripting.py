"""Sandboxed evaluation of the Python found inside BPMN diagrams.

SpiffWorkflow runs gateway conditions, script tasks, timer expressions and our
``dueDate`` expressions with plain ``eval``/``exec``, so anyone who can edit a
diagram could run ``import os`` on the server.  This module compiles that code
with RestrictedPython instead and runs it against a small, explicit set of
builtins and guards: diagrams can compute with the task data (compare, call
methods on strings/lists/dicts/dates, call the deadline functions we hand in),
but cannot import, open files, or reach interpreter internals through
``_``-prefixed attributes or ``str.format`` tricks.

Every evaluation is also bounded in CPU time and memory (`workflows.limits`): the policy
below routes loops, calls and the operators that can make a value grow through guards, so
``10 ** 10 ** 10`` or a loop that never ends fails that one evaluation, naming its element,
and never holds the server.
"""

from __future__ import annotations

import builtins
import collections.abc
import contextlib
import datetime
import numbers
import operator

from RestrictedPython import PrintCollector, safe_builtins
from RestrictedPython.Guards import guarded_iter_unpack_sequence, guarded_unpack_sequence, safer_getattr_raise
from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment
from SpiffWorkflow.exceptions import SpiffWorkflowException

from . import limits
from .pathway_values import with_pathway
from .script_policy import ScriptRestrictionError, _compiled, check_source  # noqa: F401  (re-exported)

__all__ = ["ScriptRestrictionError", "RestrictedEnvironment", "make_script_engine", "check_source"]

# --- guards: RestrictedPython rewrites attribute/item access etc. into calls to these.

def _guarded_getattr(obj, name, default=None):
    """Only public attributes, and no str.format (it can walk attributes itself)."""
    if obj is limits.guarded_str:
        obj = str  # `str.upper(...)`: the guarded builtin stands for the type
    if name.startswith("_"):
        raise ScriptRestrictionError(
            f"access to '{name}' is not allowed: names starting with '_' are private")
    if name in ("format", "format_map") and (
            isinstance(obj, str) or (isinstance(obj, type) and issubclass(obj, str))):
        raise ScriptRestrictionError(
            f"str.{name}() is not allowed in diagram scripts; use an f-string instead")
    try:
        # RestrictedPython's own safer_getattr returns None for missing attributes,
        # which turns a typo into a confusing error later; we raise instead.
        value = safer_getattr_raise(obj, name)
    except NotImplementedError as exc:
        raise ScriptRestrictionError(str(exc)) from None
    return limits.guarded_method(obj, name, value)


_PLAIN_CONTAINERS = (collections.abc.Mapping, collections.abc.Sequence)


def _guarded_getitem(obj, key):
    """Item access on plain data (dicts, lists, tuples, strings) only."""
    if isinstance(obj, _PLAIN_CONTAINERS):
        return obj[key]
    raise ScriptRestrictionError(
        f"item access on {type(obj).__name__} objects is not allowed in diagram scripts")


def _guarded_write(obj):
    """Item assignment/deletion on dicts and lists only; no attribute writes."""
    if type(obj) in (dict, list):
        return obj
    raise ScriptRestrictionError(
        f"changing {type(obj).__name__} objects is not allowed in diagram scripts")


_INPLACE_OPS = {"+=": operator.iadd, "-=": operator.isub, "*=": operator.imul,
                "/=": operator.itruediv, "//=": operator.ifloordiv, "%=": operator.imod,
                "**=": operator.ipow, "|=": operator.ior, "&=": operator.iand}
_INPLACE_TYPES = (numbers.Number, str, list, tuple, set, dict, datetime.date, datetime.timedelta)


def _inplacevar(op, target, value):
    """``x += y`` and friends, on numbers, strings, containers and dates."""
    if op not in _INPLACE_OPS or not isinstance(target, _INPLACE_TYPES):
        raise ScriptRestrictionError(
            f"'{op}' on {type(target).__name__} objects is not allowed in diagram scripts")
    if op in limits.INPLACE:
        return limits.INPLACE[op](target, value)
    return _INPLACE_OPS[op](target, value)


class _BoundedPrint(PrintCollector):
    """print() output is collected and discarded, and counted against the budget."""

    def _call_print(self, *objects, **kwargs):
        limits.current().charge(sum(limits.text_size(o) for o in objects), "print()")
        return super()._call_print(*objects, **kwargs)


def _isinstance(value, classinfo):
    """``isinstance(x, str)`` still works though ``str`` is the size-guarded function."""
    if isinstance(classinfo, tuple):
        classinfo = tuple(_UNGUARDED.get(c, c) for c in classinfo)
    return isinstance(value, _UNGUARDED.get(classinfo, classinfo))


_EXTRA_BUILTINS = ("len", "min", "max", "sum", "sorted", "any", "all", "abs", "round", "str",
                   "int", "float", "bool", "list", "dict", "set", "frozenset", "tuple", "range",
                   "enumerate", "zip", "map", "filter", "reversed", "isinstance")
# safe_builtins includes these; none is needed by diagrams and each widens the attack surface
# (classes; attribute writes; exceptions that would stop the worker rather than the task).
_DROPPED_BUILTINS = ("__build_class__", "setattr", "delattr", "BaseException",
                     "SystemExit", "KeyboardInterrupt", "GeneratorExit")
# Builtins replaced by versions that check the size of what they make first.
_BOUNDED_BUILTINS = {"range": limits.guarded_range, "pow": limits.guarded_pow,
                     "sum": limits.guarded_sum, "str": limits.guarded_str,
                     "repr": limits.guarded_repr, "isinstance": _isinstance}
_UNGUARDED = {limits.guarded_str: str}
_GUARDS = {
    "_getattr_": _guarded_getattr, "_getitem_": _guarded_getitem, "_getiter_": limits.guarded_iter,
    "_iter_unpack_sequence_": guarded_iter_unpack_sequence,
    "_unpack_sequence_": guarded_unpack_sequence, "_write_": _guarded_write,
    "_inplacevar_": _inplacevar, "_apply_": lambda func, *args, **kwargs: func(*args, **kwargs),
    "_print_": _BoundedPrint,
    "_pow_": limits.guarded_pow, "_mul_": limits.guarded_mul, "_lshift_": limits.guarded_lshift,
    "_add_": limits.guarded_add, "_mod_": limits.guarded_mod, "_tick_": limits.tick,
    "_text_": limits.checked_text,
}


def _sandbox_builtins() -> dict:
    names = {k: v for k, v in safe_builtins.items() if k not in _DROPPED_BUILTINS}
    names.update({name: getattr(builtins, name) for name in _EXTRA_BUILTINS})
    names.update(_BOUNDED_BUILTINS)
    names.update({"None": None, "True": True, "False": False})
    # Guards live in __builtins__ so they never land in task data; scripts cannot shadow
    # them because RestrictedPython refuses any name starting with "_".
    names.update(_GUARDS)
    return names


@contextlib.contextmanager
def _explain_missing_builtins(available):
    """Turn ``NameError: name 'open' is not defined`` into a sandbox message."""
    try:
        yield
    except NameError as exc:
        if exc.name and hasattr(builtins, exc.name) and exc.name not in available:
            # keep the traceback so SpiffWorkflow can still report the script's line number
            raise ScriptRestrictionError(f"'{exc.name}' is not available in diagram scripts"
                                         ).with_traceback(exc.__traceback__) from None
        raise


#: Names an expression may read before any form has answered them (an optional question left
#: blank leaves no value): the next PPM date a PPM set (B21) and the event that called a PPM
#: (A6). Expressions only: a script that sets one sets it in the task data as usual.
UNANSWERED = {"next_ppm_on": None, "ppm_called": None}


class RestrictedEnvironment(TaskDataEnvironment):
    """TaskDataEnvironment that compiles with RestrictedPython and runs sandboxed."""

    def __init__(self, functions: dict[str, callable] | None = None):
        super().__init__(dict(functions or {}))
        self.builtins = _sandbox_builtins()

    def evaluate(self, expression, context, external_context=None):
        code = _compiled(expression, "eval")
        self._prepare_context(context)
        my_globals = {**self.globals, **UNANSWERED, **(external_context or {}), **context,
                      "__builtins__": self.builtins}
        with limits.bounded() as budget, _explain_missing_builtins(self.builtins):
            result = eval(code, my_globals)
            budget.charge(limits.text_size(result), "the expression's value")
        return result

    def execute(self, script, context, external_context=None):
        self.check_for_overwrite(context, external_context or {})
        code = _compiled(script, "exec")
        self._prepare_context(context)
        context.update(self.globals)
        context.update(external_context or {})
        context["__builtins__"] = self.builtins
        try:
            with limits.bounded(), _explain_missing_builtins(self.builtins):
                exec(code, context)
        finally:
            self._remove_globals_and_functions_from_context(context, external_context)
        limits.check_data(context)
        return True


class _RestrictedScriptEngine(PythonScriptEngine):
    """The stock ``evaluate`` wraps errors as "Error evaluating expression '...'" and
    drops the original message, which would hide why the sandbox refused; keep it."""

    def evaluate(self, task, expression, external_context=None):
        try:
            return self.environment.evaluate(expression, task.data, with_pathway(task, external_context))
        except SpiffWorkflowException as se:
            se.add_note(f"Error evaluating expression '{expression}'")
            raise se
        except Exception as e:
            plain = isinstance(e, (ScriptRestrictionError, limits.EvaluationLimitError))
            detail = str(e) if plain else f"{type(e).__name__}: {e}"
            raise WorkflowTaskException(
                f"Error evaluating expression '{expression}': {detail}", task=task, exception=e) from e


    def execute(self, task, script, external_context=None):
        return super().execute(task, script, with_pathway(task, external_context))

    def get_error_line_number_and_content(self, script, err):
        # compile-time refusals have no traceback into the script, but we know the line
        if isinstance(err, ScriptRestrictionError) and err.line_number:
            return err.line_number, script.splitlines()[err.line_number - 1]
        return super().get_error_line_number_and_content(script, err)


def make_script_engine(functions: dict[str, callable] | None = None) -> PythonScriptEngine:
    """The script engine every workflow should use: sandboxed, with our functions."""
    return _RestrictedScriptEngine(environment=RestrictedEnvironment(functions))
