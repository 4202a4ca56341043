"""Find, delete and extract function definitions in a C++ source by name.

When ggml adopts a generated command it deletes the hand-written definition;
the test harness does the same to ggml's sources so that a generated file can
be linked beside them (a leftover would be a duplicate symbol). It also moves
hand-written definitions into an "as if generated" file to prove the mechanism.

This is a scanner, not a parser: it knows comments, string and character
literals (raw strings too), preprocessor lines and braces, which is all it takes
to find a definition at namespace scope (inside `extern "C" { }` and
`namespace x { }` as well) in code like ggml's. A definition includes the
comment lines directly above it (no blank line between) and the end of its last
line; one of the blank lines around it goes with it so that no double blank
line is left behind.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_IDENT = re.compile(r"[A-Za-z_][A-Za-z_0-9]*")
_RAW_STRING = re.compile(r'(?:u8|u|U|L)?R"([^()\\\s]{0,16})\(')
_NUMBER = re.compile(r"\.?[0-9](?:[eEpP][+-]|[0-9A-Za-z_.'])*")


class CppSplitError(Exception):
    """A name is not defined exactly once, or the source cannot be scanned."""


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Definition:
    """A function definition: ``source[start:end]`` is what deleting it removes."""

    name: str
    start: int
    end: int
    body_start: int  # offset of its opening brace


def _line_start(source: str, pos: int) -> int:
    return source.rfind("\n", 0, pos) + 1


def _comment_end(source: str, i: int, comments: list[tuple[int, int]]) -> int:
    """If a comment starts at ``i``: record it and return where it ends; else 0."""
    if source.startswith("//", i):
        end = source.find("\n", i)
        end = len(source) if end < 0 else end
    elif source.startswith("/*", i):
        end = source.find("*/", i + 2)
        if end < 0:
            raise CppSplitError(f"unterminated comment at offset {i}")
        end += 2
    else:
        return 0
    comments.append((i, end))
    return end


def _scan(source: str) -> tuple[list[Token], list[tuple[int, int]]]:
    """Tokens outside comments, literals and preprocessor lines, and the comment spans."""
    tokens: list[Token] = []
    comments: list[tuple[int, int]] = []
    i, n = 0, len(source)
    at_line_start = True
    while i < n:
        c = source[i]
        if c == "\n":
            at_line_start = True
            i += 1
            continue
        if c in " \t\r\f\v":
            i += 1
            continue
        if c == "#" and at_line_start:
            # a preprocessor line, with its continuations; comments inside it end it like the compiler does
            while i < n and source[i] != "\n":
                if source[i] == "\\" and i + 1 < n and source[i + 1] == "\n":
                    i += 2
                else:
                    i = _comment_end(source, i, comments) or i + 1
            continue
        at_line_start = False
        comment_end = _comment_end(source, i, comments)
        if comment_end:
            i = comment_end
            continue
        raw = _RAW_STRING.match(source, i)
        if raw:
            closing = ")" + raw.group(1) + '"'
            end = source.find(closing, raw.end())
            if end < 0:
                raise CppSplitError(f"unterminated raw string at offset {i}")
            tokens.append(Token('""', i, end + len(closing)))
            i = end + len(closing)
            continue
        ident = _IDENT.match(source, i)
        if ident:
            # an encoding prefix glued to a literal (u8"x", L'x') is part of the literal
            if ident.end() < n and source[ident.end()] in "\"'" and ident.group() in ("u8", "u", "U", "L"):
                i = ident.end()
                continue
            tokens.append(Token(ident.group(), i, ident.end()))
            i = ident.end()
            continue
        if c in "\"'":
            j = i + 1
            while j < n and source[j] != c:
                if source[j] == "\\":
                    j += 1
                elif source[j] == "\n":
                    raise CppSplitError(f"unterminated literal at offset {i}")
                j += 1
            if j >= n:
                raise CppSplitError(f"unterminated literal at offset {i}")
            tokens.append(Token(c + c, i, j + 1))
            i = j + 1
            continue
        number = _NUMBER.match(source, i)
        if number:
            tokens.append(Token("0", i, number.end()))
            i = number.end()
            continue
        if source.startswith("::", i):
            tokens.append(Token("::", i, i + 2))
            i += 2
            continue
        tokens.append(Token(c, i, i + 1))
        i += 1
    return tokens, comments


def _matching(tokens: list[Token], k: int, open_: str, close: str) -> int:
    """Index of the token that closes the bracket at ``tokens[k]``."""
    depth = 0
    for j in range(k, len(tokens)):
        if tokens[j].text == open_:
            depth += 1
        elif tokens[j].text == close:
            depth -= 1
            if depth == 0:
                return j
    raise CppSplitError(f"unbalanced '{open_}' at offset {tokens[k].start}")


#: What may stand between a function's ')' and its body: qualifiers, attributes, a trailing return type.
_BETWEEN = {"const", "noexcept", "override", "final", "volatile", "throw", "-", "&", "::", "*", "<", ">", ","}


def _definitions(source: str) -> list[Definition]:
    tokens, comments = _scan(source)
    found: list[Definition] = []
    # start of the current declaration: the token after the last ';', '}' or scope '{' at namespace scope
    decl_start = 0
    k = 0
    scopes = 0  # open extern "C" / namespace braces
    while k < len(tokens):
        tok = tokens[k]
        if tok.text in (";", "}"):
            if tok.text == "}":
                if scopes == 0:
                    raise CppSplitError(f"unbalanced '}}' at offset {tok.start}")
                scopes -= 1
            k += 1
            decl_start = k
            continue
        if tok.text == "{":
            head = [t.text for t in tokens[decl_start:k]]
            if head[:1] == ["namespace"] or (head[:2] == ["extern", '""'] and len(head) == 2):
                scopes += 1
                k += 1
                decl_start = k
                continue
            close = _matching(tokens, k, "{", "}")
            definition = _function_at(source, tokens, comments, decl_start, k, close)
            if definition is not None:
                found.append(definition)
            k = close + 1
            # a function body ends its declaration; `struct x { ... } y;` goes on to its ';'
            if definition is not None:
                decl_start = k
            continue
        if tok.text in ("(", "["):
            k = _matching(tokens, k, tok.text, ")" if tok.text == "(" else "]") + 1
            continue
        k += 1
    if scopes:
        raise CppSplitError("unbalanced '{' at the end of the source")
    return found


def _function_at(
    source: str, tokens: list[Token], comments: list[tuple[int, int]], first: int, brace: int, close: int
) -> Definition | None:
    """The definition whose body is ``tokens[brace..close]``, if that brace opens a function body."""
    # walk back from the brace over qualifiers to the ')' that closes the parameter list
    j = brace - 1
    while j >= first and tokens[j].text != ")":
        if tokens[j].text in ("=", "struct", "class", "union", "enum") or tokens[j].text in "{};":
            return None
        if not (tokens[j].text in _BETWEEN or _IDENT.fullmatch(tokens[j].text) or tokens[j].text == "0"):
            return None
        j -= 1
    if j < first:
        return None
    depth = 0
    while j >= first:
        if tokens[j].text == ")":
            depth += 1
        elif tokens[j].text == "(":
            depth -= 1
            if depth == 0:
                break
        j -= 1
    if j <= first:
        return None
    name_tok = tokens[j - 1]
    if not _IDENT.fullmatch(name_tok.text) or name_tok.text in ("if", "while", "for", "switch", "return", "sizeof"):
        return None
    # no '=' before the name: `int x = f(a) { ... }` is not a function
    if any(t.text == "=" for t in tokens[first : j - 1]):
        return None
    start, end = _extent(source, comments, tokens[first].start, tokens[close].end)
    return Definition(name=name_tok.text, start=start, end=end, body_start=tokens[brace].start)


def _extent(source: str, comments: list[tuple[int, int]], first: int, last: int) -> tuple[int, int]:
    """Widen ``[first, last)`` to whole lines, the comment lines above, and one surrounding blank line."""

    def comment_covering(pos: int) -> tuple[int, int] | None:
        return next(((s, e) for s, e in comments if s <= pos < e), None)

    start = _line_start(source, first)
    if source[start:first].strip():
        start = first  # something else on the line before the definition: keep it
    # attach the comments that fill the lines directly above (no blank line between)
    while start > 0 and start == _line_start(source, start):
        above = _line_start(source, start - 1)
        line = source[above : start - 1]
        if not line.strip():
            break
        first_char = above + len(line) - len(line.lstrip())
        comment = comment_covering(first_char)
        if comment is None:
            break
        # the whole line must be comments: every non-blank character inside some comment
        pos, covered = first_char, True
        while pos < start - 1:
            if source[pos].isspace():
                pos += 1
                continue
            span = comment_covering(pos)
            if span is None:
                covered = False
                break
            pos = span[1]
        if not covered:
            break
        c_line = _line_start(source, comment[0])
        if source[c_line : comment[0]].strip():
            break
        start = c_line
    end = last
    newline = source.find("\n", end)
    if newline >= 0 and not source[end:newline].strip():
        end = newline + 1
    elif newline < 0 and not source[end:].strip():
        end = len(source)
    # one blank line around the definition goes with it
    before_blank = start == 0 or source[_line_start(source, start - 1) : start - 1].strip() == ""
    after = source.find("\n", end)
    if start == _line_start(source, start) and end == _line_start(source, end) and before_blank:
        if after >= 0 and not source[end:after].strip():
            end = after + 1
        elif end == len(source) and start > 0:
            start = _line_start(source, start - 1)
    return start, end


def find_definition(source: str, name: str) -> Definition:
    """The one definition of function ``name`` at namespace scope; error if none or several."""
    matches = [d for d in _definitions(source) if d.name == name]
    if not matches:
        raise CppSplitError(f"no definition of '{name}'")
    if len(matches) > 1:
        raise CppSplitError(f"{len(matches)} definitions of '{name}' (overloads are not supported)")
    return matches[0]


def defined_functions(source: str) -> list[str]:
    """Names of the functions defined at namespace scope, in order."""
    return [d.name for d in _definitions(source)]


def extract_definitions(source: str, names: Iterable[str]) -> tuple[str, list[str]]:
    """``source`` without the named definitions, and their texts in the order of ``names``."""
    names = list(names)
    if len(set(names)) != len(names):
        raise CppSplitError("a name is listed twice")
    spans = [find_definition(source, name) for name in names]
    texts = [source[d.start : d.end] for d in spans]
    remaining = source
    for d in sorted(spans, key=lambda d: d.start, reverse=True):
        remaining = remaining[: d.start] + remaining[d.end :]
    return remaining, texts


def remove_definitions(source: str, names: Iterable[str]) -> str:
    """``source`` without the named function definitions (as ggml does when a command becomes generated)."""
    return extract_definitions(source, names)[0]
