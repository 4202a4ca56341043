"""The C expression subset that host_call and checks entries may use.

Accepted expressions keep their tokens with the roles the formatter needs;
anything else is refused at the offset of the first problem, so that
generated code can never be injected into.
"""

from __future__ import annotations

import pytest

from apir_codegen import cexpr
from apir_codegen.cexpr import CExprError, parse_expression

ACCEPTED = [
    ("buffer->iface.set_tensor(buffer, tensor, data, offset, size)", None),
    ("offset <= SIZE_MAX - size", "offset <= SIZE_MAX - size"),
    ("(ggml_tensor *) (uintptr_t) apir_decode_ggml_tensor(dec)", None),
    ('GGML_VIRTGPU_BCK "%s: bad\\n"', None),
    ('"%" PRIu64', None),
    ("__func__", None),
    ("!buffer || apir_decoder_get_fatal(dec)", None),
    ("a ? b : (c ? d : e)", None),
    ("sizeof(ggml_tensor *) * n", None),
    ("sizeof(struct foo)", None),
    ("sizeof x", None),
    ("sizeof(x.y)", None),
    ("-(-x)", None),
    ("- -x", None),
    ("~mask & 0xFFu", None),
    ("&ctx->iface", None),
    ("*out_value", None),
    ("(size_t) -1", None),
    ("(uint32_t) +1", None),
    ("(const char *) name", None),
    ("(void **) &p", None),
    ("(unsigned long long) 10ull", None),
    ("(my_handle) x", None),
    ("a[1][i + 2].b->c", None),
    ("'a' + '\\n'", None),
    ("true && false || nullptr == p", None),
    ("x << 3 >> 1", None),
    ("(a < b) == (c > d)", None),
    ("f()", None),
    ("(a + b) * c", None),
    ("(a.b) - c", None),
    ("0x1F + 42 + 7UL", None),
]


@pytest.mark.parametrize(("text", "_"), ACCEPTED, ids=[t for t, _ in ACCEPTED])
def test_accepted(text: str, _: None) -> None:
    expression = parse_expression(text)
    # The tokens are exactly the text's, in order, with only spaces between them.
    position = 0
    for tok in expression.tokens:
        assert text[position : tok.offset].strip() == ""
        assert text.startswith(tok.text, tok.offset)
        position = tok.offset + len(tok.text)
    assert text[position:].strip() == ""
    assert all(t.role for t in expression.tokens)
    assert str(expression) == text


#: (text, offset, start of the message)
REJECTED = [
    ("x; y", 1, "';' is not allowed"),
    ("{ x }", 0, "braces are not allowed"),
    ("f(a, b", 1, "unbalanced '('"),
    ("f(a))", 4, "unbalanced ')'"),
    ("a[1", 1, "unbalanced '['"),
    ("a)", 1, "unbalanced ')'"),
    ("x // comment", 2, "comments are not allowed"),
    ("x /* comment */", 2, "comments are not allowed"),
    ("a\nb", 1, "line breaks are not allowed"),
    ("a\rb", 1, "line breaks are not allowed"),
    ("#define X 1", 0, "preprocessor directives are not allowed"),
    ("a, b", 1, "the comma operator is not allowed"),
    ("f((a, b))", 4, "the comma operator is not allowed"),
    ("a = b", 2, "assignment '=' is not allowed"),
    ("a += 1", 2, "assignment '+=' is not allowed"),
    ("a <<= 1", 2, "assignment '<<=' is not allowed"),
    ("x++", 1, "'++' is not allowed"),
    ("--x", 0, "'--' is not allowed"),
    ("é", 0, "non-ASCII character"),
    ("a\tb", 1, "control character"),
    ("a \\ b", 2, "backslashes are only allowed inside string literals"),
    ('"abc', 0, "unterminated string literal"),
    ('"a\nb"', 2, "line breaks are not allowed"),
    ("'a", 0, "unterminated character literal"),
    ("return x", 0, "keyword 'return' is not allowed here"),
    ("if", 0, "keyword 'if' is not allowed here"),
    ("a ? b", 5, "expected ':'"),
    ("", 0, "empty expression"),
    ("1.5", 0, "floating-point literals are not supported"),
    ("12abc", 2, "invalid integer literal suffix"),
    ("0x", 0, "hexadecimal literal without digits"),
    ('L"wide"', 0, "prefixed literal"),
    ('MACRO"x"', 0, "prefixed literal"),
    ("a::b", 1, "'::' is not supported"),
    ("f(as)", 2, "'as' is a word clang-format treats specially"),
    ("typeof(x)", 0, "'typeof' is a word clang-format treats specially"),
    ("f(a < b, c > d)", 4, "'<' and '>' in the same parentheses"),
    ("x = (a) - b", 2, "assignment"),
    ("(a) - b", 0, "ambiguous '(a) -'"),
    ("(a) * b", 0, "ambiguous '(a) *'"),
    ("(a) + b", 0, "ambiguous '(a) +'"),
    ("((f))(x)", 5, "a call through a parenthesized expression"),
    ("(foo const) x", 5, "'const' after the type name"),
    ("(const foo) (x)", 0, "a cast to a qualified or tagged type name followed by '('"),
    ("a ? b : c ? d : e", 10, "a '?:' inside another one must be parenthesized"),
    ("a ? b ? c : d : e", 6, "a '?:' inside another one must be parenthesized"),
    ('(const char *) "x"', 15, "a string literal right after ')'"),
    ('(T) ("x" "y")', 5, "a string literal right after '('"),
    ('!"x"', 1, "a string literal right after '!'"),
    ('sizeof "x"', 7, "a string literal right after 'sizeof'"),
    ('a["x"]', 2, "a string literal right after '['"),
    ("(" * 40 + "x" + ")" * 40, 32, "expression nested deeper than 32 levels"),
]


@pytest.mark.parametrize(("text", "offset", "message"), REJECTED, ids=[r[0] for r in REJECTED])
def test_rejected(text: str, offset: int, message: str) -> None:
    with pytest.raises(CExprError) as info:
        parse_expression(text)
    assert info.value.message.startswith(message), info.value.message
    assert info.value.offset == offset


def test_parenthesized_callee_reads_as_a_cast_like_clang_format() -> None:
    """'(f)(x)' is a cast of '(x)' to 'f' for clang-format (it writes '(f) (x)')."""
    roles = [t.role for t in parse_expression("(f)(x)").tokens]
    assert roles[:3] == [cexpr.CAST_OPEN, cexpr.TYPE_WORD, cexpr.CAST_CLOSE]


def test_roles() -> None:
    tokens = parse_expression("(T *) f(-a, b->c[1]) + g ? 1 : 0").tokens
    roles = {(t.text, t.role) for t in tokens}
    assert ("(", cexpr.CAST_OPEN) in roles and (")", cexpr.CAST_CLOSE) in roles
    assert ("*", cexpr.POINTER) in roles and ("T", cexpr.TYPE_WORD) in roles
    assert ("(", cexpr.CALL_OPEN) in roles and (",", cexpr.COMMA) in roles
    assert ("-", cexpr.UNARY) in roles and ("+", cexpr.BINARY) in roles
    assert ("->", cexpr.MEMBER) in roles and ("[", cexpr.INDEX_OPEN) in roles
    assert ("?", cexpr.QUESTION) in roles and (":", cexpr.COLON) in roles


def test_hints() -> None:
    with pytest.raises(CExprError) as info:
        parse_expression("a = b")
    assert info.value.hint == "to compare, write '=='"
    with pytest.raises(CExprError) as info:
        parse_expression("(a) - b")
    assert info.value.hint == "write it without the parentheses around 'a'"
