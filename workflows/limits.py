"""Limits on what one evaluation of diagram code may spend: CPU time and memory.

A process owner's expression runs inside the web server and the timer worker. Without
limits, ``10 ** 10 ** 10`` holds the interpreter (and with it every other request and the
timer thread) for ever, and ``'a' * 10 ** 9`` takes a gigabyte. So each evaluation gets a
:class:`Budget`, and the restricted script engine routes every operation that can make a
value grow or run long through a guard here:

- size: ``**``, ``*``, ``<<``, ``+`` on sequences, ``%`` formatting, ``range``, the string
  methods that pad or repeat, ``join``, ``sum`` and turning values into text are checked
  *before* the work is done, so no single step can allocate more than :data:`MAX_SIZE`
  items or characters (or an integer of more than :data:`MAX_INT_BITS` bits); what every
  step creates is added up against :data:`MAX_CREATED`;
- time: every loop iteration, function call and guarded step ticks the budget, which is
  over once the evaluation has used :data:`MAX_SECONDS` of its thread's CPU time.

Each single step is small, so the interpreter switches threads as usual and the rest of
the service keeps answering; once a budget is spent it stays spent (a script's own
``try``/``except`` cannot swallow the breach), and the evaluation fails with an
:class:`EvaluationLimitError`, an ordinary diagram error naming the element.
"""
from __future__ import annotations

import collections.abc
import contextlib
import numbers
import re
import threading
import time

MAX_SECONDS = 1.0          # CPU seconds one evaluation may use
MAX_SIZE = 100_000         # items or characters in any one value a step creates
MAX_CREATED = 5_000_000    # items or characters all steps of one evaluation may create
MAX_INT_BITS = 65_536      # about 19,700 decimal digits
MAX_DATA = 1_000_000       # characters of task data a script may leave
_CLOCK_EVERY = 256         # ticks between two looks at the clock


class EvaluationLimitError(Exception):
    """Diagram code needed more time or memory than one evaluation may have."""


class Budget:
    """What one evaluation has left; over for good once a limit is passed."""

    __slots__ = ("deadline", "created", "ticks", "breach")

    def __init__(self, seconds: float = MAX_SECONDS):
        self.deadline = time.thread_time() + seconds
        self.created = 0
        self.ticks = 0
        self.breach: str | None = None

    def fail(self, message: str):
        if self.breach is None:
            self.breach = message
        raise EvaluationLimitError(self.breach)

    def tick(self) -> None:
        if self.breach is not None:
            raise EvaluationLimitError(self.breach)
        self.ticks += 1
        if self.ticks % _CLOCK_EVERY == 0 and time.thread_time() > self.deadline:
            self.fail(f"the expression ran for more than {MAX_SECONDS:g} s of processor time "
                      "(a loop that does not end, or too much work for a diagram)")

    def charge(self, size: int, what: str) -> None:
        """Account for a value of `size` items about to be made; refuse it if too big."""
        self.tick()
        if size > MAX_SIZE:
            self.fail(f"{what} would make a value of {size:,} items or characters "
                      f"(at most {MAX_SIZE:,})")
        self.created += size
        if self.created > MAX_CREATED:
            self.fail(f"the expression made more than {MAX_CREATED:,} items or characters "
                      "in all")


_local = threading.local()


def current() -> Budget:
    """The budget of the evaluation running on this thread (a fresh one outside any, so a
    guard called late, e.g. by a lambda kept in data, still checks sizes)."""
    budget = getattr(_local, "budget", None)
    return budget if budget is not None else Budget()


@contextlib.contextmanager
def bounded(seconds: float = MAX_SECONDS):
    """Run one evaluation under a fresh budget (an evaluation inside another shares the
    outer one). Raises EvaluationLimitError afterwards if the code caught the breach."""
    outer = getattr(_local, "budget", None)
    if outer is not None:
        yield outer
        return
    budget = _local.budget = Budget(seconds)
    try:
        yield budget
    except Exception as exc:
        if budget.breach is not None and not isinstance(exc, EvaluationLimitError):
            raise EvaluationLimitError(budget.breach) from exc  # the breach, not what followed
        raise
    finally:
        _local.budget = None
    if budget.breach is not None:
        raise EvaluationLimitError(budget.breach)


def check_data(data: dict) -> None:
    """A script's task data must stay storable: SpiffWorkflow copies it into every task
    that follows and it is written to the database on every change."""
    size = text_size({k: v for k, v in data.items() if k != "__builtins__"}, MAX_DATA)
    if size > MAX_DATA:
        raise EvaluationLimitError(f"the script left more than {MAX_DATA:,} characters of task "
                                   "data (too much to keep with a child's pathway)")


# --- size estimates -----------------------------------------------------------------------

def text_size(value, limit: int = MAX_SIZE) -> int:
    """Roughly how many characters `value` becomes as text (``str``, ``repr``, an f-string,
    JSON), counted only until `limit` is passed: cheap whatever the value."""
    total = 0
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, (str, bytes)):
            total += len(item) + 2
        elif isinstance(item, collections.abc.Mapping):
            total += 2 + 2 * len(item)
            if total <= limit:
                stack.extend(item.keys())
                stack.extend(item.values())
        elif isinstance(item, (list, tuple, set, frozenset)):
            total += 2 + 2 * len(item)
            if total <= limit:
                stack.extend(item)
        elif isinstance(item, int) and not isinstance(item, bool):
            total += item.bit_length() // 3 + 1
        else:
            total += 32
        if total > limit:
            return total
    return total


def _length(value) -> int | None:
    return len(value) if isinstance(value, (str, bytes, list, tuple)) else None


# --- guards for operators ------------------------------------------------------------------

def guarded_pow(base, exponent, modulo=None):
    budget = current()
    budget.tick()
    if modulo is None and isinstance(base, int) and isinstance(exponent, int) and exponent > 0:
        # at least this many bits: |base| >= 2 ** (bit_length - 1)
        if (abs(base).bit_length() - 1) * exponent > MAX_INT_BITS:
            budget.fail(f"{_short(base)} ** {_short(exponent)} is too large a number "
                        f"(more than {MAX_INT_BITS:,} bits)")
    return pow(base, exponent) if modulo is None else pow(base, exponent, modulo)


def guarded_mul(left, right):
    budget = current()
    for seq, count in ((left, right), (right, left)):
        length = _length(seq)
        if length is not None and isinstance(count, int):
            budget.charge(length * max(count, 0), f"repeating a value {_short(count)} times")
            return left * right
    if isinstance(left, int) and isinstance(right, int):
        _check_bits(budget, left.bit_length() + right.bit_length(), "a multiplication")
    else:
        budget.tick()
    return left * right


def guarded_lshift(left, right):
    budget = current()
    if isinstance(left, int) and isinstance(right, int) and right > 0:
        _check_bits(budget, left.bit_length() + right, f"shifting by {_short(right)}")
    else:
        budget.tick()
    return left << right


def guarded_add(left, right):
    left_length, right_length = _length(left), _length(right)
    if left_length is not None and right_length is not None:
        current().charge(left_length + right_length, "joining two values")
    return left + right


_PERCENT_FIELD = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")


def guarded_mod(left, right):
    budget = current()
    if isinstance(left, (str, bytes)):
        pattern = left if isinstance(left, str) else left.decode("latin-1")
        for width, precision in _PERCENT_FIELD.findall(pattern):
            for number in (width, precision):
                if number == "*" or (number and int(number) > MAX_SIZE):
                    budget.fail("a %-format width must be a number of at most "
                                f"{MAX_SIZE:,} (use an f-string)")
        budget.charge(len(left) + text_size(right), "%-formatting")
    else:
        budget.tick()
    return left % right


def _check_bits(budget: Budget, bits: int, what: str) -> None:
    budget.tick()
    if bits > MAX_INT_BITS:
        budget.fail(f"{what} would make too large a number (more than {MAX_INT_BITS:,} bits)")


def _short(value) -> str:
    text = repr(value) if isinstance(value, (int, float)) and abs(value) < 10 ** 12 else "a large number"
    return text if len(text) <= 40 else text[:37] + "..."


INPLACE = {"+=": guarded_add, "*=": guarded_mul, "**=": guarded_pow, "<<=": guarded_lshift,
           "%=": guarded_mod}


# --- guards for iteration, calls and text -------------------------------------------------

def tick(value=None):
    """Called at the start of every loop body and function body (and around a lambda's
    result): the time limit, and the breach that a script's ``except`` may have caught."""
    current().tick()
    return value


def guarded_iter(iterable):
    budget = current()
    budget.tick()
    for item in iterable:
        budget.tick()
        yield item


def guarded_range(*args):
    values = range(*args)
    current().charge(len(values), f"range{args!r}")
    return values


def checked_text(value):
    """Every f-string's value, before it is turned into text."""
    size = text_size(value)
    current().charge(size, "writing a value as text")
    return value


def guarded_str(*args, **kwargs):
    if args:
        current().charge(text_size(args[0]), "str()")
    return str(*args, **kwargs)


def guarded_repr(value):
    current().charge(text_size(value), "repr()")
    return repr(value)


def guarded_sum(iterable, start=0):
    """``sum`` of numbers as usual; of lists or strings through the size guard (the builtin
    would copy quadratically in one step)."""
    if isinstance(start, numbers.Number):
        values = list(guarded_iter(iterable))
        if all(isinstance(v, numbers.Number) for v in values):
            for value in values:
                if isinstance(value, int) and value.bit_length() > MAX_INT_BITS:
                    current().fail("sum() of too large a number")
            return sum(values, start)
        iterable = values
    total = start
    for value in guarded_iter(iterable):
        total = guarded_add(total, value)
    return total


_PADDING = {"ljust", "rjust", "center", "zfill"}


def guarded_method(obj, name: str, method):
    """The attribute `name` of `obj`, wrapped when it can make a value grow in one step."""
    if isinstance(obj, (str, bytes)):
        if name in _PADDING:
            def pad(width, *args):
                current().charge(max(int(width), len(obj)), f"{name}({_short(width)})")
                return method(width, *args)
            return pad
        if name == "expandtabs":
            def expand(tabsize=8):
                current().charge(len(obj) * max(int(tabsize), 1), "expandtabs()")
                return method(tabsize)
            return expand
        if name == "replace":
            def replace(old, new, count=-1):
                times = len(obj) // max(len(old), 1) + 1
                if count >= 0:
                    times = min(times, count)
                current().charge(len(obj) + times * len(new), "replace()")
                return method(old, new, count)
            return replace
        if name == "join":
            def join(iterable):
                parts = list(guarded_iter(iterable))
                current().charge(sum(len(p) for p in parts if isinstance(p, (str, bytes)))
                                 + len(obj) * len(parts), "join()")
                return method(parts)
            return join
        if name == "translate":
            def translate(table):
                current().charge(len(obj) * max(
                    [text_size(v) for v in table.values()] if isinstance(table, dict) else [1],
                    default=1), "translate()")
                return method(table)
            return translate
    if isinstance(obj, list) and name == "extend":
        def extend(iterable):
            items = list(guarded_iter(iterable))
            current().charge(len(obj) + len(items), "extend()")
            return method(items)
        return extend
    return method
