"""Safe arithmetic expressions for computed indicators (no eval of arbitrary code)."""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Collection, Mapping
from graphlib import CycleError, TopologicalSorter
from typing import Any

_BINARY: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}
_MAX_LENGTH = 500


class FormulaError(ValueError):
    """A formula that is not a plain arithmetic expression over indicator keys."""


def _parse(expr: str) -> ast.expr:
    if len(expr) > _MAX_LENGTH:
        raise FormulaError(f"formula longer than {_MAX_LENGTH} characters")
    try:
        tree = ast.parse(expr, mode="eval").body
    except SyntaxError as exc:
        raise FormulaError(f"syntax error in formula '{expr}': {exc.msg}") from None
    for node in ast.walk(tree):
        allowed = (ast.BinOp, ast.UnaryOp, ast.Name, ast.Constant, ast.Load, ast.USub, ast.UAdd)
        if isinstance(node, ast.operator) and type(node) in _BINARY:
            continue
        if not isinstance(node, allowed):
            raise FormulaError(
                f"'{ast.unparse(node) if isinstance(node, ast.expr) else type(node).__name__}'"
                " is not allowed in a formula (only + - * / numbers and indicator keys)"
            )
        if isinstance(node, ast.Constant) and not isinstance(node.value, int | float):
            raise FormulaError(f"only numbers are allowed as constants, not {node.value!r}")
    return tree


def formula_dependencies(expr: str) -> set[str]:
    """Indicator keys a formula refers to."""
    return {n.id for n in ast.walk(_parse(expr)) if isinstance(n, ast.Name)}


def resolve_reference(name: str, keys: Collection[str]) -> str | None:
    """The indicator key a formula name means; '-' in keys is written '_' in formulas."""
    if name in keys:
        return name
    dashed = name.replace("_", "-")
    return dashed if dashed in keys else None


def evaluate_formula(expr: str, values: Mapping[str, Any]) -> Any:
    """Evaluate over scalars or pandas Series alike (vectorised by the operators)."""

    def walk(node: ast.expr) -> Any:
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Name):
            key = resolve_reference(node.id, values.keys())
            return values[key if key is not None else node.id]
        if isinstance(node, ast.UnaryOp):
            operand = walk(node.operand)
            return -operand if isinstance(node.op, ast.USub) else operand
        if isinstance(node, ast.BinOp):
            return _BINARY[type(node.op)](walk(node.left), walk(node.right))
        raise FormulaError(ast.unparse(node))  # unreachable after _parse

    return walk(_parse(expr))


def evaluation_order(formulas: Mapping[str, str]) -> list[str]:
    """Computed indicator keys in dependency order; raises FormulaError on a cycle."""
    graph: dict[str, set[str]] = {}
    for key, expr in formulas.items():
        resolved = (resolve_reference(dep, formulas) for dep in formula_dependencies(expr))
        graph[key] = {dep for dep in resolved if dep is not None}
    try:
        return list(TopologicalSorter(graph).static_order())
    except CycleError as exc:
        cycle = " -> ".join(str(k) for k in exc.args[1])
        raise FormulaError(f"computed indicators form a cycle: {cycle}") from None
