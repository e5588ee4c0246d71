"""The small Jinja templates a diagram may carry (a task's `instructionsForEndUser` and its
`dueReason`), checked and rendered with bounds.

These are sentences over the task's data ("10 working days after {{ looked_after_on }}"),
so only what a sentence needs is allowed: names, attributes and items, literals,
conditions, comparisons, `~` joins, one level of `{% for %}` over data, and the filters
below. Calls (`range`, methods), arithmetic, assignments, macros and includes are refused
when the diagram is validated, and again before rendering, so a template can never loop
without end or build a huge string; what it writes is also cut off at `MAX_OUTPUT`.
"""
from __future__ import annotations

import functools

from jinja2 import StrictUndefined, TemplateSyntaxError, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment

MAX_OUTPUT = 20_000     # characters one rendering may write
MAX_SOURCE = 5_000      # characters of template source

_NODES = (nodes.Template, nodes.Output, nodes.TemplateData, nodes.Name, nodes.Const,
          nodes.Getattr, nodes.Getitem, nodes.Slice, nodes.Filter, nodes.Test, nodes.If,
          nodes.CondExpr, nodes.Compare, nodes.Operand, nodes.And, nodes.Or, nodes.Not,
          nodes.Neg, nodes.Pos, nodes.Concat, nodes.For, nodes.List, nodes.Tuple, nodes.Dict,
          nodes.Pair, nodes.Keyword)
FILTERS = frozenset({"default", "d", "upper", "lower", "title", "capitalize", "trim", "length",
                     "count", "first", "last", "join", "string", "int", "float", "round", "abs",
                     "e", "escape", "list", "sort", "unique", "reverse", "striptags",
                     "selectattr", "rejectattr", "attr"})
TESTS = frozenset({"defined", "undefined", "none", "true", "false", "number", "string",
                   "sequence", "mapping", "in", "eq", "ne", "lt", "le", "gt", "ge", "odd",
                   "even", "divisibleby"})
_WORDS = {nodes.Call: "calls (such as range() or methods)", nodes.Assign: "{% set %}",
          nodes.AssignBlock: "{% set %}", nodes.Macro: "macros", nodes.CallBlock: "{% call %}",
          nodes.Include: "{% include %}", nodes.Import: "{% import %}",
          nodes.FromImport: "{% from ... import %}", nodes.Extends: "{% extends %}",
          nodes.With: "{% with %}", nodes.FilterBlock: "{% filter %}",
          nodes.BinExpr: "arithmetic (+ - * / // % **)"}


class TemplateRefused(ValueError):
    """A diagram's template uses something a sentence does not need."""


class _Environment(ImmutableSandboxedEnvironment):
    """No `range`, `lipsum`, `cycler`, `joiner` or `namespace`: nothing to call."""

    def __init__(self, **options):
        super().__init__(autoescape=False, **options)
        self.globals.clear()


_LENIENT = _Environment()
_STRICT = _Environment(undefined=StrictUndefined)


def check_template(source: str) -> list[str]:
    """Why `source` cannot be a diagram template ([] if it can); for validation."""
    try:
        _checked(source)
    except TemplateRefused as exc:
        return [str(exc)]
    return []


def render(source: str, data: dict, *, strict: bool = False) -> str:
    """`source` rendered over `data`. Raises TemplateRefused for a refused template, Jinja's
    errors for a missing name (when `strict`) or a broken one."""
    template = _checked(source, strict)
    written, size = [], 0
    for chunk in template.generate(**data):
        size += len(chunk)
        if size > MAX_OUTPUT:
            raise TemplateRefused(f"the text would be longer than {MAX_OUTPUT:,} characters")
        written.append(chunk)
    return "".join(written)


@functools.lru_cache(maxsize=512)
def _checked(source: str, strict: bool = False):
    if len(source) > MAX_SOURCE:
        raise TemplateRefused(f"the template is longer than {MAX_SOURCE:,} characters")
    environment = _STRICT if strict else _LENIENT
    try:
        tree = environment.parse(source)
    except TemplateSyntaxError as exc:
        raise TemplateRefused(f"template syntax error on line {exc.lineno}: {exc.message}") from None
    _refuse_what_a_sentence_does_not_need(tree)
    return environment.from_string(tree)


def _refuse_what_a_sentence_does_not_need(tree) -> None:
    for node in tree.find_all(nodes.Node):
        if not isinstance(node, _NODES):
            what = next((w for kind, w in _WORDS.items() if isinstance(node, kind)),
                        type(node).__name__)
            raise TemplateRefused(f"templates may not use {what}")
        if isinstance(node, nodes.Filter) and node.name not in FILTERS:
            raise TemplateRefused(f"the filter '{node.name}' is not available in templates "
                                  f"(available: {', '.join(sorted(FILTERS))})")
        if isinstance(node, nodes.Test) and node.name not in TESTS:
            raise TemplateRefused(f"the test '{node.name}' is not available in templates")
        if isinstance(node, nodes.For):
            if node.recursive or any(True for _ in node.find_all(nodes.For)):
                raise TemplateRefused("templates may not put a {% for %} inside another")
