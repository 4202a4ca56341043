"""Random function definitions for the statement formatter's property tests.

Names and types have random lengths, from one character to well past the
120-column limit, so that every kind of line break is exercised; expressions
cover the whole subset :mod:`apir_codegen.cexpr` accepts.  Driven by a
``random.Random`` (hypothesis hands one over, seeded from its own choices).
"""

from __future__ import annotations

import random

from apir_codegen.cdecl import KEYWORDS, Param, parse_param, parse_type
from apir_codegen.cexpr import BINARY_PRECEDENCE, CExprError, parse_expression
from apir_codegen.clang_words import SPECIAL_WORDS
from apir_codegen.format.statements import (
    Assign,
    Blank,
    Call,
    Declare,
    FunctionDefinition,
    If,
    LineComment,
    Raw,
    Return,
    Statement,
    TopLevel,
)

_FIRST = "abcdefghijklmnopqrstuvwxyz_"
_REST = _FIRST + "0123456789"
_STRING_CHARS = "abcdefghij klmnop/qrs:tuv-wxyz%.,()[]=+_0123456789 ABC"
_ESCAPES = ["\\n", '\\"', "\\\\", "\\t", "\\x1f", "\\033"]
_BUILTINS = ["int", "unsigned int", "char", "bool", "void", "uint32_t", "size_t", "long long", "unsigned char"]


class StmtGen:
    def __init__(self, rng: random.Random, scale: float = 1.0) -> None:
        self.rng = rng
        self.scale = scale

    def length(self) -> int:
        r = self.rng.random()
        if r < 0.55:
            n = self.rng.randint(1, 10)
        elif r < 0.85:
            n = self.rng.randint(10, 35)
        elif r < 0.97:
            n = self.rng.randint(35, 80)
        else:
            n = self.rng.randint(80, 150)
        return max(1, int(n * self.scale))

    def name(self, upper: bool = False) -> str:
        while True:
            n = self.length()
            text = self.rng.choice(_FIRST) + "".join(self.rng.choice(_REST) for _ in range(n - 1))
            if upper:
                text = text.upper()
            if text not in KEYWORDS and text not in SPECIAL_WORDS and not text.startswith("__"):
                return text

    def type_text(self) -> str:
        rng = self.rng
        r = rng.random()
        if r < 0.3:
            base = rng.choice(_BUILTINS)
        elif r < 0.4:
            base = "struct " + self.name()
        else:
            base = self.name()
        if rng.random() < 0.25 and base != "void":
            base = "const " + base
        stars = rng.choice([0, 0, 1, 1, 1, 2])
        if base.endswith("void") and not stars:
            stars = 1
        return base + " " + "*" * stars if stars else base

    def ctype(self):  # type: ignore[no-untyped-def]
        return parse_type(self.type_text())

    def param(self) -> Param:
        return parse_param(f"{self.type_text()} {self.name()}")

    # -- expressions ----------------------------------------------------------------------------

    def string(self) -> str:
        rng = self.rng
        n = self.length() + (rng.randint(0, 60) if rng.random() < 0.4 else 0)
        parts = []
        while sum(map(len, parts)) < n:
            parts.append(rng.choice(_ESCAPES) if rng.random() < 0.06 else rng.choice(_STRING_CHARS))
        return '"' + "".join(parts) + '"'

    def leaf(self) -> str:
        rng = self.rng
        r = rng.random()
        if r < 0.5:
            return self.name()
        if r < 0.6:
            return rng.choice(["0", "1", "42", "0x1f", "10u", "0xFFull", "7UL"])
        if r < 0.7:
            return self.string()
        if r < 0.78:
            return self.name(upper=True) + " " + self.string()
        if r < 0.82:
            return rng.choice(["__func__", "true", "false", "nullptr", "'a'", "'\\n'"])
        if r < 0.86:
            return self.string() + " " + self.string()
        return self.name() + rng.choice(["->", "."]) + self.name()

    def expr(self, depth: int = 0) -> str:
        rng = self.rng
        if depth > 3 or rng.random() < 0.3 + 0.15 * depth:
            return self.leaf()
        r = rng.random()
        if r < 0.3:
            return self.call(depth)
        if r < 0.5:
            op = rng.choice(list(BINARY_PRECEDENCE))
            return f"{self.expr(depth + 1)} {op} {self.expr(depth + 1)}"
        if r < 0.58:
            return rng.choice(["!", "-", "~", "&", "*", "+"]) + self.operand(depth + 1)
        if r < 0.64:
            return f"{self.expr(depth + 1)} ? {self.expr(depth + 1)} : {self.expr(depth + 1)}"
        if r < 0.72:
            return f"({self.type_text()}) {self.operand(depth + 1)}"
        if r < 0.77:
            return f"({self.expr(depth + 1)})"
        if r < 0.82:
            inner = self.type_text() if rng.random() < 0.5 else self.expr(depth + 1)
            return f"sizeof({inner})"
        if r < 0.88:
            return f"{self.name()}[{self.expr(depth + 1)}]"
        return self.operand(depth + 1) + rng.choice(["->", "."]) + self.name()

    def operand(self, depth: int) -> str:
        """An operand that binds tighter than any binary operator."""
        r = self.rng.random()
        if r < 0.4:
            return self.name()
        if r < 0.7:
            return self.call(depth)
        return f"({self.expr(depth)})"

    def call(self, depth: int) -> str:
        rng = self.rng
        callee = self.name(upper=rng.random() < 0.2)
        if rng.random() < 0.2:
            callee = self.name() + rng.choice(["->", "."]) + self.name() + rng.choice(["->", "."]) + callee
        n = rng.choice([0, 1, 1, 2, 2, 3, 3, 4, 5, 7])
        return f"{callee}({', '.join(self.expr(depth + 1) for _ in range(n))})"

    def expression(self, make) -> str:  # type: ignore[no-untyped-def]
        """An expression the parser accepts (drawing again when it refuses one)."""
        while True:
            text = make()
            try:
                parse_expression(text)
            except CExprError:
                continue
            return text

    # -- statements -----------------------------------------------------------------------------

    def statement(self, depth: int) -> Statement:
        rng = self.rng
        r = rng.random()
        if r < 0.22:
            init = self.expression(self.expr) if rng.random() < 0.6 else None
            return Declare(self.ctype(), self.name(), init)
        if r < 0.4:
            target = rng.choice(
                [
                    self.name,
                    lambda: "*" + self.name(),
                    lambda: self.name() + "->" + self.name(),
                    lambda: f"{self.name()}[{self.leaf()}]",
                ]
            )
            return Assign(self.expression(target), self.expression(self.expr))
        if r < 0.62:
            return Call(self.expression(lambda: self.call(0)))
        if r < 0.7:
            return Return(self.expression(self.expr) if rng.random() < 0.7 else None)
        if r < 0.8 and depth < 2:
            branches = [(self.expression(self.expr), self.body(depth + 1)) for _ in range(rng.choice([1, 1, 2, 3]))]
            otherwise = self.body(depth + 1) if rng.random() < 0.3 else None
            return If(branches, otherwise)
        if r < 0.88:
            return LineComment(self.comment())
        return Blank()

    def comment(self) -> str:
        n = self.length()
        return "".join(self.rng.choice(_STRING_CHARS) for _ in range(n)).strip() or "note"

    def body(self, depth: int = 0) -> list[Statement]:
        body = [self.statement(depth) for _ in range(self.rng.randint(0 if depth else 1, 8 if depth else 12))]
        if not depth and all(isinstance(stmt, Blank) for stmt in body):
            body.append(Return())  # a function body may not be empty
        return body

    def function(self) -> FunctionDefinition:
        rng = self.rng
        params = [self.param() for _ in range(rng.choice([0, 1, 2, 3, 3, 4, 6]))]
        body = self.body()
        # A lowercase letter: 'struct foo NAME(...)' with NAME like a macro reads as a struct to clang-format.
        return FunctionDefinition(self.ctype(), "f" + self.name(), params, body, static=rng.random() < 0.2)

    def file(self) -> list[TopLevel]:
        rng = self.rng
        items: list[TopLevel] = [Raw('#include "x.h"')]
        for _ in range(rng.randint(1, 4)):
            if rng.random() < 0.3:
                items.append(LineComment(self.comment()))
            if rng.random() < 0.3:
                items.append(Blank())
            items.append(self.function())
        return items
