"""The statements of :mod:`..format.statements`, with their C text parsed once per text.

The marshalling emitters write the same expressions over and over (every stub
calls ``REMOTE_CALL(gpu, encoder, decoder, ret)``, every handler tests
``apir_decoder_get_fatal(dec)``): on a 1,000-function spec about 25,000
expressions of 2,800 distinct texts, whose parsing was half the time of
rendering them.  These subclasses hand the statement model an already parsed
:class:`..cexpr.Expression`, shared between statements of the same text
(the layout only reads an expression's tokens).
"""

from __future__ import annotations

from functools import lru_cache

from ..cdecl import CType
from ..cexpr import Expression, parse_expression
from ..format import statements

ExprLike = Expression | str


@lru_cache(maxsize=8192)
def _parse(text: str) -> Expression:
    return parse_expression(text)


def parsed(value: ExprLike) -> Expression:
    return value if isinstance(value, Expression) else _parse(value)


class Declare(statements.Declare):
    __slots__ = ()

    def __init__(self, type: CType, name: str, init: ExprLike | None = None) -> None:
        super().__init__(type, name, parsed(init) if init is not None else None)


class Assign(statements.Assign):
    __slots__ = ()

    def __init__(self, target: ExprLike, value: ExprLike) -> None:
        super().__init__(parsed(target), parsed(value))


class Call(statements.Call):
    __slots__ = ()

    def __init__(self, expr: ExprLike) -> None:
        super().__init__(parsed(expr))


class Return(statements.Return):
    __slots__ = ()

    def __init__(self, value: ExprLike | None = None) -> None:
        super().__init__(parsed(value) if value is not None else None)


class If(statements.If):
    __slots__ = ()

    def __init__(
        self,
        branches: list[tuple[ExprLike, list[statements.Statement]]],
        otherwise: list[statements.Statement] | None = None,
    ) -> None:
        super().__init__([(parsed(cond), body) for cond, body in branches], otherwise)
