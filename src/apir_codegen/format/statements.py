"""Structured input for function definitions: what a generated C++ source contains, not how it looks.

Generated marshalling code is C++ function bodies: local declarations, calls,
assignments, ``if`` blocks, returns, comments.  An emitter describes them with
the statement model below, the function-body sibling of :mod:`.outline`: no
indentation, no spacing, no line breaks.  A formatter turns it into text: ggml's
style (:mod:`.ggml.bodies`) lays it out as clang-format 23.1.3 does, the
unformatted style writes one statement per line.

Expressions are given as :class:`apir_codegen.cexpr.Expression` or as C text,
parsed (and refused outside the subset) by
:func:`apir_codegen.cexpr.parse_expression` once per text, so that their
tokens and roles are known.  Types and parameters are
:mod:`apir_codegen.cdecl`'s.  Not in the model: trailing comments, loops,
``switch``, empty function bodies (clang-format would write ``{}``),
declarations of several names.
"""

from __future__ import annotations

from functools import lru_cache

from ..cdecl import CType, Param
from ..cexpr import Expression, parse_expression

ExprLike = Expression | str


@lru_cache(maxsize=8192)
def _parse(text: str) -> Expression:
    return parse_expression(text)


def _expr(value: ExprLike) -> Expression:
    """An expression given as text is parsed once per text, shared by every statement that writes it: the
    marshalling emitters write the same expressions over and over (every stub calls ``REMOTE_CALL(gpu,
    encoder, decoder, ret)``), and a layout only reads an expression's tokens."""
    return value if isinstance(value, Expression) else _parse(value)


class Declare:
    """``TYPE NAME;`` or ``TYPE NAME = INIT;``."""

    __slots__ = ("type", "name", "init")

    def __init__(self, type: CType, name: str, init: ExprLike | None = None) -> None:
        self.type = type
        self.name = name
        self.init = _expr(init) if init is not None else None


class Assign:
    """``TARGET = VALUE;``."""

    __slots__ = ("target", "value")

    def __init__(self, target: ExprLike, value: ExprLike) -> None:
        self.target = _expr(target)
        self.value = _expr(value)


class Call:
    """An expression statement ``EXPR;`` (a call, a macro call)."""

    __slots__ = ("expr",)

    def __init__(self, expr: ExprLike) -> None:
        self.expr = _expr(expr)


class Return:
    """``return;`` or ``return VALUE;``."""

    __slots__ = ("value",)

    def __init__(self, value: ExprLike | None = None) -> None:
        self.value = _expr(value) if value is not None else None


class If:
    """``if (COND) { ... } else if (COND) { ... } else { ... }``: ``branches`` are
    (condition, body) pairs; ``otherwise`` the final else body, if any."""

    __slots__ = ("branches", "otherwise")

    def __init__(
        self, branches: list[tuple[ExprLike, list[Statement]]], otherwise: list[Statement] | None = None
    ) -> None:
        self.branches = [(_expr(cond), list(body)) for cond, body in branches]
        self.otherwise = list(otherwise) if otherwise is not None else None


class LineComment:
    """An own-line ``// TEXT`` comment (never broken: ReflowComments is off)."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


class Blank:
    """An empty line (kept where clang-format keeps one)."""

    __slots__ = ()


class Raw:
    """A top-level line written as is (``#include "x.h"``)."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


class FunctionDefinition:
    """A function definition ``[static] RET NAME(PARAMS) { BODY }``."""

    __slots__ = ("return_type", "name", "params", "body", "static")

    def __init__(
        self, return_type: CType, name: str, params: list[Param], body: list[Statement], static: bool = False
    ) -> None:
        self.return_type = return_type
        self.name = name
        self.params = list(params)
        self.body = list(body)
        self.static = static


Statement = Declare | Assign | Call | Return | If | LineComment | Blank
TopLevel = FunctionDefinition | LineComment | Blank | Raw
