"""One C expression, as a spec may write it for the host (interim checker).

Text from the spec that lands in generated code must be exactly one C
expression: no statement separator, no block, no comment, no preprocessor
line, no assignment, so that a spec can never inject code.
"""

from __future__ import annotations


class CExprError(ValueError):
    def __init__(self, message: str, offset: int, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset
        self.hint = hint


_PUNCT = sorted(
    "-> ++ -- << >> <= >= == != && || += -= *= /= %= &= |= ^= <<= >>= ... :: "
    "( ) [ ] . & * + - ~ ! / % < > ^ | ? : , = ; { } #".split(),
    key=len,
    reverse=True,
)
_ASSIGN = {"=", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<=", ">>="}
_STATEMENT_WORDS = frozenset(
    "asm break case continue default do else for goto if return switch while typedef static extern register "
    "auto inline struct union enum class namespace template using throw try catch delete new co_await co_return "
    "co_yield".split()
)


def tokenize(text: str) -> list[tuple[str, int]]:
    out: list[tuple[str, int]] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c in " \t":
            i += 1
        elif c in "\n\r":
            raise CExprError("a line break", i, "write the expression on one line")
        elif not c.isascii() or ord(c) < 0x20 or c == "\x7f":
            raise CExprError(f"character U+{ord(c):04X} is not allowed", i)
        elif c.isalpha() or c == "_":
            j = i
            while j < n and (text[j].isalnum() and text[j].isascii() or text[j] == "_"):
                j += 1
            out.append((text[i:j], i))
            i = j
        elif c.isdigit():
            j = i
            while j < n and (text[j].isalnum() and text[j].isascii() or text[j] == "."):
                j += 1
            out.append((text[i:j], i))
            i = j
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c:
                if text[j] == "\\":
                    j += 1
                elif text[j] in "\n\r":
                    break
                j += 1
            if j >= n or text[j] != c:
                raise CExprError("an unterminated literal", i)
            out.append((text[i : j + 1], i))
            i = j + 1
        elif text.startswith("//", i) or text.startswith("/*", i):
            raise CExprError("a comment", i, "comments cannot appear in generated expressions")
        elif c == "\\":
            raise CExprError("a backslash outside a literal", i)
        else:
            for p in _PUNCT:
                if text.startswith(p, i):
                    out.append((p, i))
                    i += len(p)
                    break
            else:
                raise CExprError(f"unexpected character '{c}'", i)
    return out


def parse_expression(text: str) -> list[tuple[str, int]]:
    """Check that ``text`` is one C expression; return its tokens or raise :class:`CExprError`."""
    tokens = tokenize(text)
    if not tokens:
        raise CExprError("it is empty", 0)
    stack: list[tuple[str, int]] = []
    pairs = {")": "(", "]": "["}
    for tok, off in tokens:
        if tok in (";", "{", "}", "#"):
            raise CExprError(f"'{tok}' ends or opens a statement", off, "write one expression, without ';' or braces")
        if tok in _ASSIGN:
            raise CExprError(f"'{tok}' assigns", off, "an expression here must not assign; compare with '=='")
        if tok in ("++", "--"):
            raise CExprError(f"'{tok}' modifies a variable", off)
        if tok in _STATEMENT_WORDS:
            raise CExprError(f"'{tok}' is not part of an expression", off)
        if tok in "([":
            stack.append((tok, off))
        elif tok in ")]":
            if not stack or stack[-1][0] != pairs[tok]:
                raise CExprError(f"unbalanced '{tok}'", off)
            stack.pop()
        elif tok == "," and not stack:
            raise CExprError("',' at the top level makes two expressions", off)
    if stack:
        raise CExprError(f"unbalanced '{stack[-1][0]}'", stack[-1][1])
    return tokens
