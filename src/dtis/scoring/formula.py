"""A safe arithmetic evaluator for `formula` rules (no eval, Decimal only).

Allowed: numbers, input names, + - * /, unary minus, parentheses, min(),
max(), comparisons, `and`/`or`/`not` and `a if condition else b`. Anything
else (attributes, subscripts, calls to other functions, power) is refused
when the framework is validated, so a formula can never run code.
"""

from __future__ import annotations

import ast
import functools
import operator
from collections.abc import Callable, Mapping
from decimal import Decimal, DivisionByZero, InvalidOperation

from dtis.scoring.messages import CoreError, gettext_noop
from dtis.scoring.numbers import to_decimal

MAX_LENGTH = 500
MAX_NODES = 200

_BINARY: dict[type[ast.operator], Callable[[Decimal, Decimal], Decimal]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}
_COMPARE: dict[type[ast.cmpop], Callable[[Decimal, Decimal], bool]] = {
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
}
_FUNCTIONS = {"min": min, "max": max}


class FormulaError(CoreError):
    """The expression is not allowed, or cannot be computed with these inputs."""


@functools.lru_cache(maxsize=1024)
def parse(expression: str) -> ast.Expression:
    """Parse and check an expression; raises FormulaError naming the problem."""
    if len(expression) > MAX_LENGTH:
        raise FormulaError(
            gettext_noop("the formula is longer than %(n)s characters"), n=MAX_LENGTH
        )
    try:
        tree = ast.parse(expression, mode="eval")
    except SyntaxError as exc:
        raise FormulaError(gettext_noop("syntax error: %(reason)s"), reason=exc.msg) from exc
    nodes = list(ast.walk(tree))
    if len(nodes) > MAX_NODES:
        raise FormulaError(gettext_noop("the formula is too long"))
    for node in nodes:
        _check_node(node)
    return tree


def _check_node(node: ast.AST) -> None:
    allowed = (
        ast.Expression, ast.BinOp, ast.UnaryOp, ast.Constant, ast.Name, ast.Load, ast.Call,
        ast.Compare, ast.BoolOp, ast.IfExp, ast.And, ast.Or, ast.Not, ast.USub, ast.UAdd,
        *_BINARY, *_COMPARE,
    )  # fmt: skip
    if not isinstance(node, allowed):
        raise FormulaError(
            gettext_noop("not allowed in a formula: %(what)s"), what=type(node).__name__
        )
    if isinstance(node, ast.Constant) and (
        isinstance(node.value, bool) or not isinstance(node.value, int | float)
    ):
        raise FormulaError(gettext_noop("not a number: %(value)r"), value=node.value)
    if isinstance(node, ast.Call) and (
        not isinstance(node.func, ast.Name) or node.func.id not in _FUNCTIONS or node.keywords
    ):
        raise FormulaError(gettext_noop("only min(...) and max(...) may be called"))


@functools.lru_cache(maxsize=1024)
def names(expression: str) -> frozenset[str]:
    """The input names an expression reads (function names excluded)."""
    tree = parse(expression)
    called = {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
    return frozenset(
        n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and id(n) not in called
    )


def evaluate(expression: str, variables: Mapping[str, Decimal]) -> Decimal:
    tree = parse(expression)
    try:
        result = _eval(tree.body, variables)
    except (ZeroDivisionError, DivisionByZero, InvalidOperation) as exc:
        raise FormulaError(gettext_noop("division by zero")) from exc
    return to_decimal(result)


def _eval(node: ast.expr, env: Mapping[str, Decimal]) -> Decimal | bool:
    if isinstance(node, ast.Constant):
        return to_decimal(node.value)
    if isinstance(node, ast.Name):
        if node.id not in env:
            raise FormulaError(gettext_noop("unknown name: %(name)s"), name=node.id)
        return env[node.id]
    if isinstance(node, ast.BinOp):
        return _BINARY[type(node.op)](_num(node.left, env), _num(node.right, env))
    if isinstance(node, ast.UnaryOp):
        if isinstance(node.op, ast.Not):
            return not _eval(node.operand, env)
        value = _num(node.operand, env)
        return -value if isinstance(node.op, ast.USub) else value
    if isinstance(node, ast.Call):
        assert isinstance(node.func, ast.Name)
        return _FUNCTIONS[node.func.id](_num(a, env) for a in node.args)
    if isinstance(node, ast.Compare):
        left = _num(node.left, env)
        for op, right_node in zip(node.ops, node.comparators, strict=True):
            right = _num(right_node, env)
            if not _COMPARE[type(op)](left, right):
                return False
            left = right
        return True
    if isinstance(node, ast.BoolOp):
        values = [bool(_eval(v, env)) for v in node.values]
        return all(values) if isinstance(node.op, ast.And) else any(values)
    if isinstance(node, ast.IfExp):
        branch = node.body if _eval(node.test, env) else node.orelse
        return _eval(branch, env)
    raise FormulaError(gettext_noop("not allowed in a formula: %(what)s"), what=type(node).__name__)


def _num(node: ast.expr, env: Mapping[str, Decimal]) -> Decimal:
    value = _eval(node, env)
    return to_decimal(value)
