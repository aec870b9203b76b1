"""Formula indicators: arithmetic of other indicators' codes, evaluated after aggregation.

A formula such as ``100 * cd_thoa_uoc / dn_co_cd`` is parsed once with Python's `ast` module and
only numbers, indicator codes, + - * / and parentheses are accepted. It is evaluated on the
totals of a unit, subtree or cluster (never summed itself); a division by zero or a missing
component gives no value (None) rather than a wrong one.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from decimal import Decimal, DivisionByZero, InvalidOperation
from functools import lru_cache

from django.utils.translation import gettext as _

from congdoan.core.exceptions import RuleViolation

_OPS = (ast.Add, ast.Sub, ast.Mult, ast.Div)


@lru_cache(maxsize=512)
def parse(text: str) -> ast.Expression:
    """The checked syntax tree of a formula; RuleViolation names what is not allowed."""
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise RuleViolation(
            _("The formula “%(formula)s” cannot be read (column %(col)s).")
            % {"formula": text, "col": exc.offset or 0},
            field="formula",
        ) from exc
    for node in ast.walk(tree):
        allowed = isinstance(
            node,
            (ast.Expression, ast.BinOp, ast.UnaryOp, ast.USub, ast.UAdd, ast.Name, ast.Load, *_OPS),
        ) or (isinstance(node, ast.Constant) and isinstance(node.value, int | float))
        if not allowed:
            raise RuleViolation(
                _(
                    "The formula “%(formula)s” may only use numbers, indicator codes, + - * / and "
                    "parentheses."
                )
                % {"formula": text},
                field="formula",
            )
    return tree


def codes(text: str) -> frozenset[str]:
    """The indicator codes a formula reads."""
    return _codes(text)


@lru_cache(maxsize=512)
def _codes(text: str) -> frozenset[str]:
    return frozenset(n.id for n in ast.walk(parse(text)) if isinstance(n, ast.Name))


def evaluate(text: str, values: Mapping[str, Decimal | None]) -> Decimal | None:
    """The formula's value, or None when a component is missing or a divisor is zero."""
    try:
        return _eval(parse(text).body, values)
    except (DivisionByZero, InvalidOperation, ZeroDivisionError, _Missing):
        return None


class _Missing(Exception):
    pass


def _eval(node: ast.AST, values: Mapping[str, Decimal | None]) -> Decimal:
    if isinstance(node, ast.Constant):
        return Decimal(str(node.value))
    if isinstance(node, ast.Name):
        value = values.get(node.id)
        if value is None:
            raise _Missing(node.id)
        return Decimal(value)
    if isinstance(node, ast.UnaryOp):
        operand = _eval(node.operand, values)
        return -operand if isinstance(node.op, ast.USub) else operand
    if isinstance(node, ast.BinOp):
        left, right = _eval(node.left, values), _eval(node.right, values)
        if isinstance(node.op, ast.Add):
            return left + right
        if isinstance(node.op, ast.Sub):
            return left - right
        if isinstance(node.op, ast.Mult):
            return left * right
        if right == 0:
            raise ZeroDivisionError
        return left / right
    raise _Missing(type(node).__name__)  # pragma: no cover - parse() refuses it


def evaluation_order(formulas: Mapping[str, str]) -> list[str]:
    """Codes of formula indicators so that each comes after the formulas it reads.

    RuleViolation if formulas read each other in a circle.
    """
    order: list[str] = []
    state: dict[str, int] = {}

    def visit(code: str, trail: tuple[str, ...]) -> None:
        if state.get(code) == 2:
            return
        if state.get(code) == 1:
            raise RuleViolation(
                _("Formulas read each other in a circle: %(codes)s.")
                % {"codes": " → ".join((*trail, code))},
                field="formula",
            )
        state[code] = 1
        for dep in sorted(codes(formulas[code])):
            if dep in formulas:
                visit(dep, (*trail, code))
        state[code] = 2
        order.append(code)

    for code in sorted(formulas):
        visit(code, ())
    return order
