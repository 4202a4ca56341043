"""One C expression: tokenizer, parser and the token roles the formatter needs.

Generated marshalling code embeds C expressions written in the spec
(``host_call``, ``checks``).  They must never be able to inject code, and
they must come out exactly as clang-format 23.1.3 formats them in ggml's
style.  Both needs are met by accepting a small, well-defined subset of C
and rejecting everything else with the offset of the first problem:

    expr      := cond
    cond      := binary ('?' cond ':' cond)?
    binary    := unary (BINOP unary)*            (C precedences)
    unary     := ('&' | '*' | '!' | '-' | '~' | '+') unary
               | '(' type ')' unary              (a C-style cast)
               | 'sizeof' '(' (type | expr) ')' | 'sizeof' unary
               | postfix
    postfix   := primary ('(' args? ')' | '[' expr ']' | ('.' | '->') NAME)*
    primary   := NAME | NUMBER | CHAR | strings | 'true' | 'false' | 'nullptr'
               | '(' expr ')'
    strings   := (STRING | NAME)+ with at least one STRING   ("%" PRIu64, MACRO "text")
    type      := quals? base quals? ('*' quals?)*    (as in signatures, see cdecl)

What is not in it is refused: ``;``, braces, comments, line breaks,
preprocessor lines, backslashes outside string literals, non-ASCII and
control characters, assignments, ``++``/``--``, the comma operator, other
keywords, the words clang-format treats specially (:mod:`..clang_words`,
``__func__`` aside), floating-point and prefixed literals, and shapes that
clang-format reads differently from C:

* ``(a) - b`` (also ``*``, ``&``, ``+``) where ``a`` is not a known type:
  clang-format formats it as a cast (``(a) -b``);
* ``<`` and ``>`` in the same bracket: clang-format may take them for
  template brackets (``f(a<b, c> d)``);
* a call through a parenthesized callee ``((f))(x)`` (``(f)(x)`` is read as
  the cast clang-format sees);
* ``(const T) (x)``, ``(struct T) (x)``: not read as casts by clang-format;
  a qualifier after the type name (``(T const)``): reordered by clang-format;
* a ``?:`` directly inside another: clang-format aligns chained conditionals;
* a string literal right after a cast, a unary operator, ``sizeof`` or ``[``
  (or after the ``(`` of a cast's operand): clang-format must break before it
  once it is long, cannot, and gives up on the statement.

The parse result keeps the tokens with their role (binary or unary operator,
call or cast parenthesis, member access, ...): that is what the formatter
needs to space and break them as clang-format does.
"""

from __future__ import annotations

import re

from .cdecl import BUILTIN_TYPES, KEYWORDS, KNOWN_TYPE_NAMES, QUALIFIERS, TAGS
from .clang_words import SPECIAL, SPECIAL_WORDS, special_word_hint

# Token kinds.
IDENT, NUMBER, STRING, CHAR, PUNCT, KEYWORD = "ident", "number", "string", "char", "punct", "keyword"

# Roles of tokens in a parsed expression (what clang-format's annotator makes of them).
NAME = "name"  # identifier or keyword used as a value (true, nullptr, __func__)
LITERAL = "literal"  # number or character literal
STRING_LITERAL = "string"
BINARY = "binary"
UNARY = "unary"
QUESTION = "question"
COLON = "colon"
MEMBER = "member"  # '.' or '->'
CALL_OPEN, CALL_CLOSE = "call(", "call)"
PAREN_OPEN, PAREN_CLOSE = "paren(", "paren)"
CAST_OPEN, CAST_CLOSE = "cast(", "cast)"
SIZEOF = "sizeof"
SIZEOF_OPEN, SIZEOF_CLOSE = "sizeof(", "sizeof)"
INDEX_OPEN, INDEX_CLOSE = "[", "]"
COMMA = "comma"  # between call arguments
TYPE_WORD = "type"  # a word of a type (in a cast or sizeof)
POINTER = "pointer"  # '*' in a type

#: Binary operators and their precedence (clang's prec::Level numbering).
BINARY_PRECEDENCE = {
    "||": 4,
    "&&": 5,
    "|": 6,
    "^": 7,
    "&": 8,
    "==": 9,
    "!=": 9,
    "<": 10,
    ">": 10,
    "<=": 10,
    ">=": 10,
    "<<": 12,
    ">>": 12,
    "+": 13,
    "-": 13,
    "*": 14,
    "/": 14,
    "%": 14,
}
UNARY_OPERATORS = frozenset("&*!-~+")

_PUNCTUATORS = sorted(
    """
    ->* <<= >>= <=> ... -> << >> <= >= == != && || ++ -- += -= *= /= %= &= |= ^= :: .*
    + - * / % < > & | ^ ! ~ ? : . , ( ) [ ] = ; { } #
    """.split(),
    key=len,
    reverse=True,
)
_REJECTED_PUNCTUATORS = {
    ";": "';' is not allowed: the text must be one expression",
    "{": "braces are not allowed: the text must be one expression",
    "}": "braces are not allowed: the text must be one expression",
    "#": "preprocessor directives are not allowed",
    "++": "'++' is not allowed: an expression here must not modify anything",
    "--": "'--' is not allowed: an expression here must not modify anything",
    "::": "'::' is not supported",
    "...": "'...' is not supported",
    ".*": "'.*' is not supported",
    "->*": "'->*' is not supported",
    "<=>": "'<=>' is not supported",
}
_ASSIGNMENTS = frozenset("= += -= *= /= %= &= |= ^= <<= >>=".split())
#: Keywords that are values.
VALUE_KEYWORDS = frozenset({"true", "false", "nullptr"})
#: Keywords that may be part of a type in a cast or sizeof.
TYPE_KEYWORDS = BUILTIN_TYPES | frozenset(QUALIFIERS) | frozenset(TAGS)
MAX_DEPTH = 32  # clang-format gives up formatting lines nested deeper than 50

_IDENT_START = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_")
_IDENT_CHARS = _IDENT_START | frozenset("0123456789")
_HEX = frozenset("0123456789abcdefABCDEF")


class CExprError(ValueError):
    """Text that is not one accepted C expression; ``offset`` is where, in the text."""

    def __init__(self, message: str, offset: int, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset
        self.hint = hint


class Token:
    """A lexical token: kind, text, offset in the source; ``role`` once parsed."""

    __slots__ = ("kind", "text", "offset", "role")

    def __init__(self, kind: str, text: str, offset: int) -> None:
        self.kind = kind
        self.text = text
        self.offset = offset
        self.role = ""

    def __repr__(self) -> str:
        return f"Token({self.text!r}, {self.role or self.kind})"


def _bad_char(char: str, offset: int) -> CExprError:
    if char in "\n\r":
        return CExprError("line breaks are not allowed: the text must be one expression on one line", offset)
    if char == "\\":
        return CExprError("backslashes are only allowed inside string literals", offset)
    if not char.isascii():
        return CExprError(f"non-ASCII character {char!r} is not allowed", offset)
    if not char.isprintable() or char == "\t":
        return CExprError(f"control character {char!r} is not allowed", offset)
    return CExprError(f"unexpected character {char!r}", offset)


def _quoted(text: str, start: int, quote: str) -> int:
    """The offset after the literal that opens at ``start`` with ``quote``."""
    pos = start + 1
    end = len(text)
    what = "string" if quote == '"' else "character"
    while pos < end:
        char = text[pos]
        if char == quote:
            return pos + 1
        if char == "\\":
            pos += 1
            if pos >= end:
                break
            char = text[pos]
        if char in "\n\r" or not char.isascii() or not char.isprintable():
            raise _bad_char(char, pos)
        pos += 1
    raise CExprError(f"unterminated {what} literal", start, hint=f"close it with {quote}")


def _number(text: str, start: int) -> int:
    pos = start
    end = len(text)
    if text.startswith(("0x", "0X"), pos):
        pos += 2
        digits = pos
        while pos < end and text[pos] in _HEX:
            pos += 1
        if pos == digits:
            raise CExprError("hexadecimal literal without digits", start)
    else:
        while pos < end and text[pos].isdigit():
            pos += 1
    suffix = pos
    while pos < end and text[pos] in _IDENT_CHARS:
        pos += 1
    if text[suffix:pos].lower() not in ("", "u", "l", "ul", "lu", "ll", "ull", "llu"):
        raise CExprError(f"invalid integer literal suffix {text[suffix:pos]!r}", suffix)
    if pos < end and text[pos] == ".":
        raise CExprError("floating-point literals are not supported", start)
    return pos


#: One token at a position: spaces, a word, a digit (a number starts), a quote,
#: a comment opener, or a punctuator (longest first).
_LEXEME = re.compile(
    r" +|([A-Za-z_][A-Za-z0-9_]*)|([0-9])|([\"'])|(//|/\*)|(" + "|".join(re.escape(p) for p in _PUNCTUATORS) + ")",
    re.ASCII,
)


def tokenize(text: str) -> list[Token]:
    """The tokens of ``text``; anything outside the accepted subset raises CExprError."""
    tokens: list[Token] = []
    pos = 0
    end = len(text)
    match = _LEXEME.match
    while pos < end:
        m = match(text, pos)
        if m is None:
            raise _bad_char(text[pos], pos)
        start = pos
        word, digit, quote, comment, punct = m.groups()
        if word is not None:
            pos = m.end()
            if pos < end and text[pos] in "\"'":
                raise CExprError(
                    f"prefixed literal {word}{text[pos]}... is not supported",
                    start,
                    hint="write a plain literal, with a space before it if it follows a macro name",
                )
            if word in SPECIAL_WORDS and word != "__func__":
                raise CExprError(f"'{word}' {SPECIAL}", start, hint=special_word_hint(word))
            tokens.append(Token(KEYWORD if word in KEYWORDS else IDENT, word, start))
        elif digit is not None:
            pos = _number(text, start)
            tokens.append(Token(NUMBER, text[start:pos], start))
        elif quote is not None:
            pos = _quoted(text, start, quote)
            tokens.append(Token(STRING if quote == '"' else CHAR, text[start:pos], start))
        elif comment is not None:
            raise CExprError("comments are not allowed", start)
        elif punct is not None:
            message = _REJECTED_PUNCTUATORS.get(punct)
            if message is not None:
                raise CExprError(message, start)
            if punct in _ASSIGNMENTS:
                raise CExprError(
                    f"assignment '{punct}' is not allowed: an expression here must not modify anything",
                    start,
                    hint="to compare, write '=='" if punct == "=" else None,
                )
            pos = m.end()
            tokens.append(Token(PUNCT, punct, start))
        else:
            pos = m.end()  # spaces
    return tokens


# -- the syntax tree -------------------------------------------------------------------------


class Expr:
    """A node of the expression tree; ``tokens`` appends its tokens in order."""

    __slots__ = ()

    def tokens(self, out: list[Token]) -> None:  # pragma: no cover - abstract
        raise NotImplementedError


class Leaf(Expr):
    """A name, a literal, or a run of string literals and macro names."""

    __slots__ = ("parts",)

    def __init__(self, parts: list[Token]) -> None:
        self.parts = parts

    def tokens(self, out: list[Token]) -> None:
        out += self.parts


class Paren(Expr):
    __slots__ = ("open", "inner", "close")

    def __init__(self, open_: Token, inner: Expr, close: Token) -> None:
        self.open, self.inner, self.close = open_, inner, close

    def tokens(self, out: list[Token]) -> None:
        out.append(self.open)
        self.inner.tokens(out)
        out.append(self.close)


class Prefix(Expr):
    """A unary operator, a cast or sizeof: ``head`` tokens, then the operand."""

    __slots__ = ("head", "operand")

    def __init__(self, head: list[Token], operand: Expr | None) -> None:
        self.head, self.operand = head, operand

    def tokens(self, out: list[Token]) -> None:
        out += self.head
        if self.operand is not None:
            self.operand.tokens(out)


class Postfix(Expr):
    """A call, subscript or member access: the base, then ``tail`` (tokens and argument trees)."""

    __slots__ = ("base", "tail")

    def __init__(self, base: Expr, tail: list[Token | Expr]) -> None:
        self.base, self.tail = base, tail

    def tokens(self, out: list[Token]) -> None:
        self.base.tokens(out)
        for part in self.tail:
            if isinstance(part, Token):
                out.append(part)
            else:
                part.tokens(out)


class Binary(Expr):
    __slots__ = ("left", "op", "right")

    def __init__(self, left: Expr, op: Token, right: Expr) -> None:
        self.left, self.op, self.right = left, op, right

    def tokens(self, out: list[Token]) -> None:
        self.left.tokens(out)
        out.append(self.op)
        self.right.tokens(out)


class Ternary(Expr):
    __slots__ = ("cond", "question", "then", "colon", "otherwise")

    def __init__(self, cond: Expr, question: Token, then: Expr, colon: Token, otherwise: Expr) -> None:
        self.cond, self.question, self.then, self.colon, self.otherwise = cond, question, then, colon, otherwise

    def tokens(self, out: list[Token]) -> None:
        self.cond.tokens(out)
        out.append(self.question)
        self.then.tokens(out)
        out.append(self.colon)
        self.otherwise.tokens(out)


class Expression:
    """A parsed expression: its source text, its tree, and its tokens with their roles."""

    __slots__ = ("text", "tree", "tokens")

    def __init__(self, text: str, tree: Expr) -> None:
        self.text = text
        self.tree = tree
        tokens: list[Token] = []
        tree.tokens(tokens)
        self.tokens = tuple(tokens)

    def __str__(self) -> str:
        return self.text


# -- the parser ------------------------------------------------------------------------------


class _Parser:
    def __init__(self, text: str, tokens: list[Token]) -> None:
        self.text = text
        self.toks = tokens
        self.n = len(tokens)
        self.pos = 0
        self.depth = 0

    def peek(self, ahead: int = 0) -> Token | None:
        index = self.pos + ahead
        return self.toks[index] if index < len(self.toks) else None

    def at(self, text: str) -> bool:
        # A string or character literal's text has its quotes: only a punctuator can match.
        return self.pos < self.n and self.toks[self.pos].text == text

    def next_text(self) -> str:
        return self.toks[self.pos].text if self.pos < self.n else ""

    def take(self, role: str) -> Token:
        tok = self.toks[self.pos]
        tok.role = role
        self.pos += 1
        return tok

    def error_here(self, what: str) -> CExprError:
        tok = self.peek()
        if tok is None:
            return CExprError(f"expected {what} at the end of the expression", len(self.text))
        if tok.kind == PUNCT and tok.text == ",":
            return CExprError(
                "the comma operator is not allowed", tok.offset, hint="commas may only separate call arguments"
            )
        if tok.kind == KEYWORD and tok.text not in VALUE_KEYWORDS and tok.text != "sizeof":
            return CExprError(f"keyword '{tok.text}' is not allowed here", tok.offset)
        return CExprError(f"expected {what}, found '{tok.text}'", tok.offset)

    def expect(self, text: str, role: str, opener: Token | None = None) -> Token:
        if not self.at(text):
            error = self.error_here(f"'{text}'")
            if opener is not None and self.peek() is None:
                error = CExprError(f"unbalanced '{opener.text}': no matching '{text}'", opener.offset)
            raise error
        return self.take(role)

    def enter(self, tok: Token) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise CExprError(f"expression nested deeper than {MAX_DEPTH} levels", tok.offset)

    # cond := binary ('?' cond ':' cond)?
    def conditional(self) -> Expr:
        cond = self.binary(4)
        if not self.at("?"):
            return cond
        question = self.take(QUESTION)
        self.enter(question)
        then = self.conditional()
        colon = self.expect(":", COLON)
        otherwise = self.conditional()
        for branch in (then, otherwise):
            if isinstance(branch, Ternary):
                raise CExprError(
                    "a '?:' inside another one must be parenthesized",
                    branch.question.offset,
                    hint="clang-format aligns chained conditionals in a way the formatter does not reproduce",
                )
        self.depth -= 1
        return Ternary(cond, question, then, colon, otherwise)

    def binary(self, min_precedence: int) -> Expr:
        left = self.unary()
        while True:
            tok = self.peek()
            if tok is None or tok.kind != PUNCT:
                return left
            precedence = BINARY_PRECEDENCE.get(tok.text)
            if precedence is None or precedence < min_precedence:
                return left
            op = self.take(BINARY)
            right = self.binary(precedence + 1)
            left = Binary(left, op, right)

    def unary(self) -> Expr:
        tok = self.peek()
        if tok is None:
            raise self.error_here("an operand")
        if tok.kind == PUNCT and tok.text in UNARY_OPERATORS:
            op = self.take(UNARY)
            self.enter(op)
            operand = self.unary()
            self.depth -= 1
            return Prefix([op], operand)
        if tok.kind == KEYWORD and tok.text == "sizeof":
            return self.sizeof()
        if tok.kind == PUNCT and tok.text == "(":
            cast = self.cast()
            if cast is not None:
                return cast
        return self.postfix()

    def type_end(self, start: int) -> int | None:
        """The index after a type starting at token ``start`` that is followed by ')', if any."""
        toks = self.toks
        i = start
        seen_base = False
        n = len(toks)
        while i < n and toks[i].text in QUALIFIERS:
            i += 1
        if i < n and toks[i].text in TAGS:
            if i + 1 < n and toks[i + 1].kind == IDENT:
                i += 2
                seen_base = True
            else:
                return None
        elif i < n and toks[i].text in BUILTIN_TYPES:
            while i < n and toks[i].text in BUILTIN_TYPES:
                i += 1
            seen_base = True
        elif i < n and toks[i].kind == IDENT:
            i += 1
            seen_base = True
        if not seen_base:
            return None
        if i < n and toks[i].text in QUALIFIERS:
            end = i
            while end < n and toks[end].text in QUALIFIERS:
                end += 1
            if end < n and toks[end].kind == PUNCT and toks[end].text in ("*", ")"):
                raise CExprError(
                    f"'{toks[i].text}' after the type name is not supported",
                    toks[i].offset,
                    hint=f"write '{toks[i].text}' first, as clang-format (QualifierAlignment: Left) does",
                )
            return None
        while i < n and toks[i].kind == PUNCT and toks[i].text == "*":
            i += 1
            while i < n and toks[i].text in QUALIFIERS:
                i += 1
        if i < n and toks[i].kind == PUNCT and toks[i].text == ")":
            return i
        return None

    def take_type(self, end: int) -> list[Token]:
        words: list[Token] = []
        while self.pos < end:
            tok = self.peek()
            assert tok is not None
            words.append(self.take(POINTER if tok.text == "*" else TYPE_WORD))
        return words

    def cast(self) -> Expr | None:
        """``(type) operand`` if the parenthesis opens a cast, else None (nothing consumed)."""
        end = self.type_end(self.pos + 1)
        if end is None:
            return None
        inner = self.toks[self.pos + 1 : end]
        after = self.toks[end + 1] if end + 1 < len(self.toks) else None
        if len(inner) == 1 and inner[0].kind == IDENT:
            name = inner[0].text
            if after is None or not _starts_operand(after):
                return None  # '(name)' is a parenthesized expression
            if after.kind == PUNCT and after.text in "-+*&" and name not in KNOWN_TYPE_NAMES:
                raise CExprError(
                    f"ambiguous '({name}) {after.text}': clang-format reads it as a cast of a '{after.text}' operand",
                    self.toks[self.pos].offset,
                    hint=f"write it without the parentheses around '{name}'",
                )
        if (
            len(inner) > 1
            and inner[-1].kind == IDENT
            and after is not None
            and after.kind == PUNCT
            and after.text == "("
        ):
            raise CExprError(
                "a cast to a qualified or tagged type name followed by '(' is not supported",
                self.toks[self.pos].offset,
                hint="clang-format does not read '(const T) (x)' as a cast; drop the parentheses around the operand",
            )
        opener = self.take(CAST_OPEN)
        head = [opener, *self.take_type(end)]
        head.append(self.take(CAST_CLOSE))
        self.enter(opener)
        operand = self.unary()
        self.depth -= 1
        return Prefix(head, operand)

    def sizeof(self) -> Expr:
        keyword = self.take(SIZEOF)
        if not self.at("("):
            self.enter(keyword)
            operand = self.unary()
            self.depth -= 1
            return Prefix([keyword], operand)
        end = self.type_end(self.pos + 1)
        opener = self.take(SIZEOF_OPEN)
        self.enter(opener)
        if end is not None:
            head = [keyword, opener, *self.take_type(end), self.take(SIZEOF_CLOSE)]
            self.depth -= 1
            return Prefix(head, None)
        inner = self.conditional()
        close = self.expect(")", SIZEOF_CLOSE, opener)
        self.depth -= 1
        return Prefix([keyword, opener], Postfix(inner, [close]))

    def postfix(self) -> Expr:
        base = self.primary()
        tail: list[Token | Expr] = []
        depth = self.depth
        while True:
            text = self.next_text()
            if text == "(":
                if isinstance(base, Paren) and not tail:
                    raise CExprError(
                        "a call through a parenthesized expression is not supported",
                        self.toks[self.pos].offset,
                        hint="clang-format formats '(f)(x)' as a cast; call the function by name",
                    )
                opener = self.take(CALL_OPEN)
                self.enter(opener)
                tail.append(opener)
                if not self.at(")"):
                    while True:
                        tail.append(self.conditional())
                        if not self.at(","):
                            break
                        tail.append(self.take(COMMA))
                tail.append(self.expect(")", CALL_CLOSE, opener))
            elif text == "[":
                opener = self.take(INDEX_OPEN)
                self.enter(opener)
                tail += [opener, self.conditional(), self.expect("]", INDEX_CLOSE, opener)]
            elif text in (".", "->"):
                tail.append(self.take(MEMBER))
                tok = self.peek()
                if tok is None or tok.kind != IDENT:
                    raise self.error_here("a member name")
                tail.append(self.take(NAME))
            else:
                break
        self.depth = depth
        return Postfix(base, tail) if tail else base

    def primary(self) -> Expr:
        tok = self.peek()
        if tok is None:
            raise self.error_here("an operand")
        if tok.kind == STRING or (tok.kind == IDENT and (nxt := self.peek(1)) is not None and nxt.kind == STRING):
            parts: list[Token] = []
            while (tok := self.peek()) is not None:
                nxt = self.peek(1)
                if tok.kind == STRING:
                    parts.append(self.take(STRING_LITERAL))
                elif tok.kind == IDENT and (
                    (nxt is not None and nxt.kind == STRING)
                    or (parts and not (nxt is not None and nxt.kind == PUNCT and nxt.text in ("(", "[", ".", "->")))
                ):
                    parts.append(self.take(NAME))  # a macro that expands to a string literal
                else:
                    break
            return Leaf(parts)
        if tok.kind == IDENT or (tok.kind == KEYWORD and tok.text in VALUE_KEYWORDS):
            return Leaf([self.take(NAME)])
        if tok.kind in (NUMBER, CHAR):
            return Leaf([self.take(LITERAL)])
        if tok.kind == PUNCT and tok.text == "(":
            opener = self.take(PAREN_OPEN)
            self.enter(opener)
            inner = self.conditional()
            close = self.expect(")", PAREN_CLOSE, opener)
            self.depth -= 1
            after = self.peek()
            if (
                isinstance(inner, Leaf)
                and inner.parts[0].kind == IDENT
                and len(inner.parts) == 1
                and after is not None
                and after.kind == PUNCT
                and after.text in "-+*&"
            ):
                raise CExprError(
                    f"ambiguous '({inner.parts[0].text}) {after.text}': clang-format reads it as a cast",
                    opener.offset,
                    hint=f"write it without the parentheses around '{inner.parts[0].text}'",
                )
            return Paren(opener, inner, close)
        if tok.kind == PUNCT and tok.text in ")]":
            raise CExprError(f"unbalanced '{tok.text}'", tok.offset)
        raise self.error_here("an operand")


def _starts_operand(tok: Token) -> bool:
    if tok.kind in (IDENT, NUMBER, STRING, CHAR):
        return True
    if tok.kind == KEYWORD:
        return tok.text in VALUE_KEYWORDS or tok.text == "sizeof"
    return tok.text in ("(", "!", "~", "-", "+", "*", "&")


def _check_angles(tokens: tuple[Token, ...]) -> None:
    """Refuse '<' followed by '>' or '>>' in the same bracket: clang-format may see a template."""
    stack: list[Token | None] = [None]  # per open bracket: the first '<' seen in it
    for tok in tokens:
        if tok.kind != PUNCT:
            continue
        if tok.text in "([":
            stack.append(None)
        elif tok.text in ")]":
            stack.pop()
        elif tok.text == "<" and tok.role == BINARY and stack[-1] is None:
            stack[-1] = tok
        elif tok.text in (">", ">>") and tok.role == BINARY and stack[-1] is not None:
            less = stack[-1]
            raise CExprError(
                f"'<' and '{tok.text}' in the same parentheses: clang-format may read them as template brackets",
                less.offset,
                hint="parenthesize one of the comparisons, or write it with '>' / '<' reversed",
            )


def _check_strings(tokens: tuple[Token, ...]) -> None:
    """Refuse a string literal where clang-format can neither break before it nor leave it.

    clang-format must break before a string literal that will be split (or is
    followed by another one) but cannot break right after a cast, a unary
    operator, ``sizeof`` or ``[``, nor after the ``(`` of a parenthesized
    operand of a cast: it then gives up on the whole statement.
    """
    for index, tok in enumerate(tokens):
        if tok.role != STRING_LITERAL or index == 0:
            continue
        prev = tokens[index - 1]
        blocked = prev.role in (CAST_CLOSE, UNARY, SIZEOF, INDEX_OPEN) or (
            prev.role == PAREN_OPEN and index >= 2 and tokens[index - 2].role == CAST_CLOSE
        )
        if blocked:
            raise CExprError(
                f"a string literal right after '{prev.text}' is not supported: clang-format cannot lay it out",
                tok.offset,
                hint="pass the string literal directly, without an operator or cast in front",
            )


def parse_expression(text: str) -> Expression:
    """Parse ``text`` as exactly one expression of the accepted subset, or raise CExprError."""
    tokens = tokenize(text)
    if not tokens:
        raise CExprError("empty expression", 0)
    parser = _Parser(text, tokens)
    tree = parser.conditional()
    rest = parser.peek()
    if rest is not None:
        if rest.kind == PUNCT and rest.text in ")]":
            raise CExprError(f"unbalanced '{rest.text}'", rest.offset)
        raise parser.error_here("the end of the expression")
    expression = Expression(text, tree)
    _check_angles(expression.tokens)
    _check_strings(expression.tokens)
    return expression
