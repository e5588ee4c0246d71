"""What diagram code may say, checked before it runs: RestrictedPython's policy plus the
rules it leaves to runtime, compiled once per source (`workflows.scripting` runs it).

A problem is reported with its line, so a process owner's diagram is refused at publishing
(`check_source`) rather than failing on a child's pathway."""
from __future__ import annotations

import ast
import copy
import functools
import numbers
import re

from RestrictedPython import RestrictingNodeTransformer, compile_restricted_eval, compile_restricted_exec

from . import limits


CACHE_SIZE = 2000


class ScriptRestrictionError(Exception):
    """Diagram code tried to use something the sandbox forbids."""

    def __init__(self, message: str, line_number: int | None = None):
        super().__init__(message)
        self.line_number = line_number  # of the first problem, when known before running


# Builtins a diagram might reasonably call but that would open the sandbox;
# calling them is reported before anything runs rather than as a NameError.
_FORBIDDEN_CALLS = frozenset({
    "open", "eval", "exec", "compile", "getattr", "setattr", "delattr", "hasattr",
    "globals", "locals", "vars", "dir", "type", "input", "breakpoint", "help",
    "exit", "quit", "memoryview", "object", "super", "classmethod", "staticmethod",
    "property",
})


class _DiagramPolicy(RestrictingNodeTransformer):
    """RestrictedPython's policy plus the rules it leaves to runtime.

    RestrictedPython compiles ``import`` and ``class`` and only fails when the
    code runs; we want them rejected when a diagram is validated.
    """

    def visit_Import(self, node):
        self.error(node, "imports are not allowed in diagram scripts")
        return node

    visit_ImportFrom = visit_Import

    def visit_ClassDef(self, node):
        self.error(node, "class definitions are not allowed in diagram scripts")
        return node

    def visit_Expression(self, node):
        self.eval_mode = True  # print() needs a statement to set up its collector
        return super().visit_Expression(node)

    def visit_Call(self, node):
        name = node.func.id if isinstance(node.func, ast.Name) else None
        if name in _FORBIDDEN_CALLS or (name == "print" and getattr(self, "eval_mode", False)):
            self.error(node, f"'{name}' is not available in diagram scripts")
        return super().visit_Call(node)

    # --- limits: the operators that can make a value grow call a guard instead
    _GUARDED_OPS = {ast.Pow: "_pow_", ast.Mult: "_mul_", ast.LShift: "_lshift_",
                    ast.Add: "_add_", ast.Mod: "_mod_"}

    def visit_BinOp(self, node):
        node = super().visit_BinOp(node)
        guard = self._GUARDED_OPS.get(type(node.op))
        if guard is None:
            return node
        call = ast.Call(func=ast.Name(guard, ast.Load()), args=[node.left, node.right], keywords=[])
        return ast.fix_missing_locations(ast.copy_location(call, node))

    def visit_While(self, node):
        node = super().visit_While(node)
        node.body.insert(0, _tick_statement(node))
        return node

    def visit_FunctionDef(self, node):
        node = super().visit_FunctionDef(node)
        node.body.insert(0, _tick_statement(node))
        return node

    def visit_Lambda(self, node):
        node = super().visit_Lambda(node)
        node.body = ast.fix_missing_locations(ast.copy_location(
            ast.Call(func=ast.Name("_tick_", ast.Load()), args=[node.body], keywords=[]), node.body))
        return node

    def visit_FormattedValue(self, node):
        """``f"{value:>{width}}"``: the value is size-checked before it becomes text, and a
        width must be a plain number no larger than one value may be."""
        spec = node.format_spec
        if spec is not None:
            if any(isinstance(part, ast.FormattedValue) for part in spec.values):
                self.error(node, "a format width in an f-string must be written as a number")
            else:
                text = "".join(str(part.value) for part in spec.values if isinstance(part, ast.Constant))
                if any(int(n) > limits.MAX_SIZE for n in re.findall(r"\d+", text)):
                    self.error(node, f"a format width in an f-string must be at most {limits.MAX_SIZE:,}")
        node = super().visit_FormattedValue(node)
        node.value = ast.fix_missing_locations(ast.copy_location(
            ast.Call(func=ast.Name("_text_", ast.Load()), args=[node.value], keywords=[]), node.value))
        return node

    def visit_AugAssign(self, node):
        """Allow ``counts["visits"] += 1`` (RestrictedPython refuses item targets).

        Rewritten as ``counts["visits"] = counts["visits"] + 1`` when the target
        has no calls in it, so evaluating it twice cannot change the result.
        """
        target = node.target
        if isinstance(target, ast.Subscript) and not any(
                isinstance(n, ast.Call) for n in ast.walk(target)):
            load = ast.Subscript(value=copy.deepcopy(target.value), slice=copy.deepcopy(target.slice),
                                 ctx=ast.Load())
            value = ast.BinOp(left=load, op=node.op, right=node.value)
            assign = ast.copy_location(ast.Assign(targets=[target], value=value), node)
            return self.visit(ast.fix_missing_locations(assign))
        return super().visit_AugAssign(node)


def _tick_statement(node):
    call = ast.Call(func=ast.Name("_tick_", ast.Load()), args=[], keywords=[])
    return ast.fix_missing_locations(ast.copy_location(ast.Expr(call), node))


# RestrictedPython's wording -> ours.  Each pattern sees the text after "Line N: ".
_REWRITES = [
    (r'"(.+)" is an invalid variable name because it starts with "_"\.?',
     r"the name '\1' is not allowed: names starting with '_' are private"),
    (r'"(.+)" is an invalid attribute name because it starts with "_"\.?',
     r"access to '\1' is not allowed: names starting with '_' are private"),
    (r'"(.+)" is a restricted name, that is forbidden to access in RestrictedPython\.',
     r"access to '\1' is not allowed in diagram scripts"),
    (r'"(.+)" is a reserved name\.', r"'\1' is a reserved name in diagram scripts"),
    (r"(Exec|Eval) calls are not allowed\.", lambda m: f"'{m[1].lower()}' is not available in diagram scripts"),
    (r"SyntaxError: (.*) at statement: .*", r"syntax error: \1"),
    (r"(\w+) statements are not allowed\.", r"\1 statements are not allowed in diagram scripts"),
    (r"Augmented assignment of (attributes|object items and slices) is not allowed\.",
     r"augmented assignment (+= etc.) of \1 is not allowed in diagram scripts"),
]


def _readable(error: str, lines: list[str]) -> tuple[int, str]:
    """(line number or 0, message) for one RestrictedPython error string."""
    match = re.match(r"Line (\w+): (.*)", error, re.S)
    lineno, text = (match[1], match[2]) if match else (None, error)
    for pattern, replacement in _REWRITES:
        text, count = re.subn(pattern, replacement, text, count=1)
        if count:
            break
    text = text.replace("RestrictedPython", "diagram scripts")
    number = int(lineno) if lineno and lineno.isdigit() else 0
    if 0 < number <= len(lines):
        return number, f"{text} (line {number}: {lines[number - 1].strip()})"
    return number, f"{text} (line {number})" if number else text


@functools.lru_cache(maxsize=CACHE_SIZE)
def _compile(source: str, mode: str):
    """Compile once per (source, mode): the same conditions run on every task."""
    if mode not in ("eval", "exec"):
        raise ValueError(f"mode must be 'eval' or 'exec', not {mode!r}")
    compiler = compile_restricted_eval if mode == "eval" else compile_restricted_exec
    result = compiler(source, filename="<string>", policy=_DiagramPolicy)
    lines = source.splitlines()
    found = sorted(dict.fromkeys(_readable(e, lines) for e in result.errors), key=lambda p: p[0])
    return result.code, tuple(found)


def check_source(source: str, mode: str) -> list[str]:
    """Readable problems (with line numbers) that stop ``source`` compiling; [] if none.

    Lets diagram validation refuse a diagram before it is published, without running it."""
    return [text for _, text in _compile(source, mode)[1]]


def _compiled(source: str, mode: str):
    code, problems = _compile(source, mode)
    if problems:
        raise ScriptRestrictionError("; ".join(text for _, text in problems), problems[0][0] or None)
    return code
