"""Function bodies formatted as clang-format 23.1.3 formats them in ggml's style.

* Regression fixtures: one small function per rule of layout, with the text
  clang-format leaves unchanged (tests/fixtures/statements/<name>.cpp).
* Properties over random function definitions (names and types from one
  character to well past the 120-column limit): the output is a fixed point of
  clang-format, clang-format reaches it from the unformatted text, and it
  differs from the unformatted text only in whitespace (and in the string
  literals clang-format splits).  Many functions go through one clang-format
  process per example.
* ggml's own hand-written handlers, expressed in the model, come out as ggml
  wrote them (with ../shared).
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apir_codegen.cdecl import parse_param, parse_type
from apir_codegen.format.ggml.bodies import render_definitions, render_unformatted
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

from .clangformat import clang_format_many, needs_clang_format
from .conftest import FIXTURES, UPSTREAM, needs_shared
from .stmtgen import StmtGen

FIXTURE_DIR = FIXTURES / "statements"


def fn(
    name: str, params: list[str], body: list[Statement], ret: str = "void", static: bool = False
) -> FunctionDefinition:
    return FunctionDefinition(parse_type(ret), name, [parse_param(p) for p in params], body, static)


def decl(type_text: str, name: str, init: str | None = None) -> Declare:
    return Declare(parse_type(type_text), name, init)


LONG = "a_rather_long_argument_name_that_takes_room"

CASES: dict[str, Callable[[], list[TopLevel]]] = {
    # AlignConsecutiveDeclarations, PointerAlignment: Middle
    "declarations_aligned": lambda: [
        fn(
            "f",
            [],
            [
                decl("apir_encoder *", "encoder"),
                decl("apir_decoder *", "decoder"),
                decl("ApirForwardReturnCode", "ret"),
            ],
        )
    ],
    # AlignConsecutiveAssignments (right-justified '='), across comments, not across empty lines
    "assignments_aligned": lambda: [
        fn(
            "f",
            [],
            [
                Assign("x", "1"),
                LineComment("a comment does not end the run"),
                Assign("longer_name", "2"),
                Assign("*out", "3"),
                Blank(),
                Assign("y", "4"),
            ],
        )
    ],
    # A line without a match ends a run; declarations and assignments align separately.
    "runs_end_at_unmatched_lines": lambda: [
        fn(
            "f",
            [],
            [
                decl("const ggml_tensor *", "src"),
                LineComment("safe to remove the const qualifier here"),
                Assign("src", "apir_decode_ggml_tensor(dec)"),
                decl("ggml_tensor *", "dst", "(ggml_tensor *) (uintptr_t) apir_decode_ggml_tensor(dec)"),
                Call("apir_encode_bool_t(enc, &ret)"),
                decl("int", "after_a_call", "0"),
            ],
        )
    ],
    # BinPackParameters: OnePerLine, parameter names aligned
    "signature_one_per_line": lambda: [
        fn(
            "apir_buffer_set_tensor",
            [
                "virtgpu * gpu",
                "apir_buffer_context_t * buffer_context",
                "ggml_tensor * tensor",
                "const void * data",
                "size_t offset",
                "size_t size",
            ],
            [Return()],
        )
    ],
    # AllowAllParametersOfDeclarationOnNextLine: false: after '(' still one per line
    "signature_break_after_paren": lambda: [
        fn(
            "a_function_with_a_name_so_long_that_parameters_cannot_be_aligned_after_its_opening_parenthesis_at_all",
            ["const struct some_long_type_name * first", "unsigned int second"],
            [Return("0")],
            ret="uint32_t",
            static=True,
        )
    ],
    # BinPackArguments: true, AlignAfterOpenBracket: Align
    "call_bin_packed": lambda: [fn("f", [], [Call(f"some_function({LONG}, {LONG}_2, {LONG}_3, {LONG}_4)")])],
    # PenaltyBreakBeforeFirstCallParameter: a break after '(' when aligning does not fit
    "call_break_after_paren": lambda: [
        fn(
            "f",
            [],
            [Call(f"a_function_called_with_a_very_long_name_indeed_{LONG}({LONG}, other_function({LONG}, {LONG}))")],
        )
    ],
    # BreakStringLiterals, PenaltyBreakString, AlwaysBreakBeforeMultilineStrings
    "string_literals": lambda: [
        fn(
            "f",
            [],
            [
                Call(
                    'GGML_LOG_ERROR(GGML_VIRTGPU_BCK "%s: this message is long enough that it has to be split '
                    'somewhere before the column limit is reached\\n", __func__)'
                ),
                Call('GGML_ABORT("%s: short message", __func__)'),
                Return(
                    '"a returned string literal that is long enough to be broken by clang-format in several pieces, '
                    'pieces, pieces"'
                ),
            ],
            ret="const char *",
        )
    ],
    # Binary operators: breaks after the operator, operands aligned (AlignOperands: Align)
    "if_condition_broken": lambda: [
        fn(
            "f",
            [],
            [
                If(
                    [
                        (f"{LONG} != nullptr && {LONG}_2->some_member == 42 && {LONG}_3 > {LONG}_4 + 1", [Return("1")]),
                        ("!ok", [Return("2")]),
                    ],
                    [Return("3")],
                )
            ],
            ret="int",
        )
    ],
    # '?:' breaks after '?' or ':' (BreakBeforeTernaryOperators: false)
    "conditional_broken": lambda: [
        fn("f", [], [Assign("value", f"{LONG} ? {LONG}_when_true + 1 : {LONG}_when_false_and_long_enough_to_break")])
    ],
    # Member access chains: PenaltyBreakBeforeMemberAccess
    "member_access": lambda: [
        fn("f", [], [decl("void *", "shmem_data", f"ctx->iface->get_shmem_ptr(ctx->ctx_id, {LONG}, {LONG}_2)")])
    ],
    # Spacing: casts (SpaceAfterCStyleCast), unary operators, pointers in casts, sizeof
    "spacing": lambda: [
        fn(
            "f",
            [],
            [
                Assign("x", "(uint32_t) -1"),
                Assign("y", "- -x + !flag - ~mask"),
                Assign("p", "(void **) &q"),
                Assign("n", "sizeof(ggml_tensor *) * count"),
                Assign("z", "a[i] << 2 >> b"),
                Call("f(&a->b, *c, __func__, 'x')"),
            ],
        )
    ],
    # Empty lines: at most one, none after '{', none before a lone '}', kept before '} else'
    "empty_lines": lambda: [
        fn(
            "f",
            [],
            [
                Blank(),
                Call("a()"),
                Blank(),
                Blank(),
                If([("x", [Call("b()"), Blank()]), ("y", [Call("c()"), Blank()])]),
                Call("d()"),
                Blank(),
            ],
        )
    ],
    # SeparateDefinitionBlocks: Always; a comment right above a definition belongs to it
    "definition_blocks": lambda: [
        Raw('#include "virtgpu-forward-impl.h"'),
        LineComment("the first function"),
        fn("first", [], [Return()]),
        fn("second", [], [Return()]),
        LineComment("a comment"),
        Blank(),
        LineComment("the third function"),
        fn("third", [], [Return()]),
    ],
    # Continuation lines aligned after '(' move with the aligned name and '='
    "continuation_moves_with_alignment": lambda: [
        fn(
            "f",
            [],
            [
                decl("uint32_t", "a", "1"),
                decl("ggml_backend_buffer_type_t", "buft", f"some_function_with_arguments({LONG}, {LONG}_2, {LONG}_3)"),
            ],
        )
    ],
    # A continuation line past the limit once aligned ends the run (AlignedTo)
    "wide_continuation_ends_run": lambda: [
        fn(
            "f",
            [],
            [
                Assign("a_longer_target_name", "1"),
                Assign("b", f"cond ? {LONG} : {LONG}_2 + {LONG}_3 + {LONG}_4 + more"),
            ],
        )
    ],
    # Pieces of a split string literal move with the aligned statement
    "split_string_moves_with_alignment": lambda: [
        fn(
            "f",
            [],
            [
                decl("int", "a_long_name", "0"),
                decl(
                    "const char *",
                    "s",
                    f'g({LONG}, "a string long enough to be split, which clang-format does at a space, as it does '
                    f'for any string literal that does not fit in what is left of the line")',
                ),
            ],
        )
    ],
    # A split string literal is laid out as clang-format sees it on its next pass
    # (pieces as literals of their own), which here changes where the call breaks
    # (found by the property test; names as it drew them).
    "split_string_relaid_out": lambda: [
        fn(
            "f",
            [],
            [
                If(
                    [
                        (
                            "ready",
                            [
                                Call(
                                    "abnd54smu3_3ws_a8sp6cjr1qw5e7hx1i5i9zb2mrdo9h01r1irho0r((sy9979l05i4tiuic9klfweizp9 *) "
                                    'eioucbqg7m("m(r]x\\x1fvf]\\\\c)_l\\"", U9BMW17K7AKGAJAAI0I "d+)8/A7)m,)g1]4x)1ilBdr2((\\nBy'
                                    '\\\\k6.o8wnxn88f_b[()ztvt[ -]7[i :\\033\\t]/xv-=y3 :\\\\\\\\k7\\t1 lyBCzA\\"tv+mgu\\n"), '
                                    "n8k_y3g_is.ax_, v7s7ksqi0q9b, gs0r2udon)"
                                )
                            ],
                        )
                    ]
                )
            ],
        )
    ],
    # '>>' is two '>' for clang-format: no break between them
    "shift_right": lambda: [
        fn("f", [], [Call(f"f({LONG}, {LONG}_2 > {LONG}_3 >> (shift_amount_that_is_long)->member, last)")])
    ],
    # Nested blocks, else-if chains, static functions
    "nested_blocks": lambda: [
        fn(
            "validate",
            ["size_t offset", "size_t size"],
            [
                If(
                    [
                        (
                            "offset > SIZE_MAX - size",
                            [
                                If([("verbose", [Call('GGML_LOG_ERROR("%s: overflow\\n", __func__)')])]),
                                Return("1"),
                            ],
                        )
                    ]
                ),
                Return("0"),
            ],
            ret="uint32_t",
            static=True,
        )
    ],
    # The return type on its own line (PenaltyReturnTypeOnItsOwnLine) when nothing else fits
    "return_type_on_its_own_line": lambda: [
        fn(
            "function_name_long_enough_to_push_everything_past_the_limit_" + "x" * 30,
            ["some_type_t first_parameter_name", "other_type_t second"],
            [Return("first_parameter_name")],
            ret="some_very_long_return_type_t *",
        )
    ],
}

CASE_NAMES = sorted(CASES)


@pytest.mark.parametrize("name", CASE_NAMES)
def test_fixture(name: str) -> None:
    expected = (FIXTURE_DIR / f"{name}.cpp").read_text()
    assert render_definitions(CASES[name]()) == expected


@needs_clang_format
def test_fixtures_are_clang_format_fixed_points() -> None:
    paths = [FIXTURE_DIR / f"{name}.cpp" for name in CASE_NAMES]
    texts = [path.read_text() for path in paths]
    for path, text, formatted in zip(paths, texts, clang_format_many(texts), strict=True):
        assert formatted == text, path.name


def test_every_fixture_has_a_case() -> None:
    assert sorted(p.stem for p in FIXTURE_DIR.glob("*.cpp")) == CASE_NAMES


def test_empty_body_is_refused() -> None:
    with pytest.raises(ValueError, match="empty body"):
        render_definitions([fn("f", [], [Blank()])])


def test_layouts_are_reused_for_lines_of_the_same_shape() -> None:
    """A line laid out once is reused, with its own names, for lines whose tokens have
    the same kinds and widths: the result is what laying it out afresh gives."""
    from apir_codegen.format.ggml import bodies

    def make(suffix: str) -> FunctionDefinition:
        name = f"argument_with_a_long_name_{suffix}"
        return fn(
            f"f_{suffix}",
            [f"uint32_t {name}"],
            [
                decl("uint32_t", f"v_{suffix}", f"compute_{suffix}({name}, {name}, {name}, {name}, {name}_end)"),
                Assign(
                    f"*out_{suffix}", f'g({name}, "%s: text that is long enough to be split in two pieces", {name})'
                ),
                Call(f"h_{suffix}({name})"),
            ],
        )

    together = render_definitions([make("aa"), make("bb")])
    bodies._LAYOUTS.clear()
    alone = render_definitions([make("bb")])
    assert together.endswith(alone) and "_aa" not in alone
    assert "argument_with_a_long_name_bb" in together.split("\n\n")[1]


def test_signatures_broken_without_the_search_are_placed_as_by_the_search() -> None:
    """A signature that does not fit is broken by comparing the few shapes a declaration
    can take (as the headers' declarations are): every token where the full search puts it."""
    from apir_codegen.format.ggml import GGML, bodies
    from apir_codegen.format.ggml.linebreak import annotate, fits_on_one_line, format_line, link

    def placed(places: list) -> list[tuple]:
        return [(p.newline, p.spaces, p.column, p.aligned_to if p.newline else 0, p.aligned) for p in places]

    compared = skipped = 0
    for seed in range(400):
        rng = random.Random(seed)
        for item in StmtGen(rng, rng.choice([1.0, 2.0, 3.0])).file():
            if not isinstance(item, FunctionDefinition):
                continue
            line = bodies._signature_line(item, GGML).line(0)
            link(line)
            if fits_on_one_line(line, 0, GGML):
                continue
            fast = bodies._signature_placements(line, 0, GGML)  # before annotate, as bodies does
            if fast is None:
                skipped += 1
                continue
            annotate(line, GGML)
            assert placed(fast) == placed(format_line(line, 0, GGML)), " ".join(t.text for t in line.tokens)
            compared += 1
    assert compared > 300 and skipped < compared / 5


def test_a_text_is_parsed_once_for_every_statement_that_writes_it() -> None:
    assert Call("f(a, b)").expr is Return("f(a, b)").value is If([("f(a, b)", [Call("g()")])]).branches[0][0]
    assert Assign("*out", "x + 1").value is Declare(parse_type("int"), "y", "x + 1").init
    assert Call("f(a, b)").expr is not Call("f(a, c)").expr


def test_struct_returned_by_a_macro_like_name_is_refused() -> None:
    """clang-format reads 'struct foo NAME(...) {' as a struct definition when NAME looks like a macro."""
    with pytest.raises(ValueError, match="no lowercase letter"):
        render_definitions([fn("_8", ["int a"], [Return()], ret="struct foo")])
    assert render_definitions([fn("_8", ["int a"], [Return()], ret="struct foo *")]).startswith("struct foo * _8(")


def _squash(text: str) -> str:
    # clang-format also splits long string literals ("a_" "b"): joined back here.
    return re.sub(r"\s+", "", text).replace('""', "")


#: Functions per example: they go through clang-format together.
BATCH = 10


@needs_clang_format
@settings(max_examples=max(1, settings.default.max_examples // (2 * BATCH)))
@given(st.integers(min_value=0, max_value=2**64 - 1))
def test_random_definitions_are_clang_format_fixed_points(seed: int) -> None:
    # One seed per example (a generator drawing every character from hypothesis
    # would spend its time in bookkeeping); the seed shrinks and replays.
    rng = random.Random(seed)
    files = [StmtGen(rng, rng.choice([0.5, 1.0, 1.0, 2.0])).file() for _ in range(BATCH)]
    ours = [render_definitions(items) for items in files]
    raw = [render_unformatted(items) for items in files]
    for text, plain in zip(ours, raw, strict=True):
        assert _squash(text) == _squash(plain)
    once = clang_format_many(ours + raw)
    for index, text in enumerate(ours):
        assert once[index] == text, "clang-format changes the output"
    # From the unformatted text clang-format reaches the same text, in a few passes:
    # clang-format is not idempotent where it splits string literals (it formats
    # the pieces differently on the next pass: the fixed point is what counts).
    reached = once[BATCH:]
    for _ in range(3):
        again = clang_format_many(reached)
        if again == reached:
            break
        reached = again
    for index, text in enumerate(ours):
        assert reached[index] == text, "clang-format does not reach the output from the unformatted text"


# -- ggml's hand-written handlers, in the model ------------------------------------------------

GUEST = "virtgpu-forward-buffer.cpp"
HOST = "backend/backend-dispatched-buffer.cpp"
LOG_INVALID = 'GGML_LOG_ERROR(GGML_VIRTGPU_BCK "%s: Invalid buffer handle from guest\\n", __func__)'


def _host_prologue() -> list[Statement]:
    return [
        decl("ggml_backend_buffer_t", "buffer"),
        Assign("buffer", "apir_decode_ggml_buffer(dec)"),
        Blank(),
        If([("!buffer || apir_decoder_get_fatal(dec)", [Call(LOG_INVALID), Return("1")])]),
        Blank(),
    ]


HOST_PARAMS = ["apir_encoder * enc", "apir_decoder * dec", "virgl_apir_context * ctx"]

HANDWRITTEN: list[tuple[str, Callable[[], FunctionDefinition]]] = [
    (
        HOST,
        lambda: fn(
            "backend_buffer_get_base",
            HOST_PARAMS,
            [
                Call("GGML_UNUSED(ctx)"),
                decl("ggml_backend_buffer_t", "buffer"),
                Assign("buffer", "apir_decode_ggml_buffer(dec)"),
                Blank(),
                If([("!buffer || apir_decoder_get_fatal(dec)", [Call(LOG_INVALID), Return("1")])]),
                Blank(),
                decl("uintptr_t", "base", "(uintptr_t) buffer->iface.get_base(buffer)"),
                Call("apir_encode_uintptr_t(enc, &base)"),
                Blank(),
                Return("0"),
            ],
            ret="uint32_t",
        ),
    ),
    (
        HOST,
        lambda: fn(
            "backend_buffer_cpy_tensor",
            HOST_PARAMS,
            [
                Call("GGML_UNUSED(ctx)"),
                Blank(),
                *_host_prologue(),
                decl("const ggml_tensor *", "src"),
                LineComment("safe to remove the const qualifier here"),
                Assign("src", "apir_decode_ggml_tensor(dec)"),
                decl("ggml_tensor *", "dst", "(ggml_tensor *) (uintptr_t) apir_decode_ggml_tensor(dec)"),
                Blank(),
                decl("bool", "ret", "buffer->iface.cpy_tensor(buffer, src, (ggml_tensor *) dst)"),
                Blank(),
                Call("apir_encode_bool_t(enc, &ret)"),
                Blank(),
                Return("0"),
            ],
            ret="uint32_t",
        ),
    ),
    (
        HOST,
        lambda: fn(
            "backend_buffer_free_buffer",
            HOST_PARAMS,
            [
                Call("GGML_UNUSED(ctx)"),
                Call("GGML_UNUSED(enc)"),
                Blank(),
                *_host_prologue(),
                If(
                    [
                        (
                            "!apir_untrack_backend_buffer(buffer)",
                            [
                                Call(
                                    'GGML_LOG_WARN(GGML_VIRTGPU_BCK "%s: unknown buffer %p\\n", __func__, (void *) buffer)'
                                ),
                                Return("1"),
                            ],
                        )
                    ]
                ),
                Blank(),
                Call("buffer->iface.free_buffer(buffer)"),
                Blank(),
                Return("0"),
            ],
            ret="uint32_t",
        ),
    ),
    (
        GUEST,
        lambda: fn(
            "apir_buffer_cpy_tensor",
            [
                "virtgpu * gpu",
                "apir_buffer_context_t * buffer_context",
                "const ggml_tensor * src",
                "const ggml_tensor * dst",
            ],
            [
                decl("apir_encoder *", "encoder"),
                decl("apir_decoder *", "decoder"),
                decl("ApirForwardReturnCode", "ret"),
                Blank(),
                Call("REMOTE_CALL_PREPARE(gpu, encoder, APIR_COMMAND_TYPE_BUFFER_CPY_TENSOR)"),
                Blank(),
                Call("apir_encode_apir_buffer_host_handle_t(encoder, &buffer_context->host_handle)"),
                Call("apir_encode_ggml_tensor(encoder, src)"),
                Call("apir_encode_ggml_tensor(encoder, dst)"),
                Blank(),
                Call("REMOTE_CALL(gpu, encoder, decoder, ret)"),
                Blank(),
                decl("bool", "ret_val"),
                Call("apir_decode_bool_t(decoder, &ret_val)"),
                Blank(),
                Call("remote_call_finish(gpu, encoder, decoder)"),
                Blank(),
                Return("ret_val"),
            ],
            ret="bool",
        ),
    ),
    (
        GUEST,
        lambda: fn(
            "apir_buffer_set_tensor",
            [
                "virtgpu * gpu",
                "apir_buffer_context_t * buffer_context",
                "ggml_tensor * tensor",
                "const void * data",
                "size_t offset",
                "size_t size",
            ],
            [
                decl("apir_encoder *", "encoder"),
                decl("apir_decoder *", "decoder"),
                decl("ApirForwardReturnCode", "ret"),
                Blank(),
                Call("REMOTE_CALL_PREPARE(gpu, encoder, APIR_COMMAND_TYPE_BUFFER_SET_TENSOR)"),
                Blank(),
                Call("apir_encode_apir_buffer_host_handle_t(encoder, &buffer_context->host_handle)"),
                Call("apir_encode_ggml_tensor(encoder, tensor)"),
                Blank(),
                # (ggml writes a trailing comment here; trailing comments are not in the model)
                decl("virtgpu_shmem", "temp_shmem"),
                decl("virtgpu_shmem *", "shmem", "&temp_shmem"),
                decl("bool", "using_shared_shmem", "false"),
                Blank(),
                If(
                    [
                        (
                            "size <= gpu->data_shmem.mmap_size",
                            [
                                LineComment("Lock mutex before using shared data_shmem buffer"),
                                If(
                                    [
                                        (
                                            "mtx_lock(&gpu->data_shmem_mutex) != thrd_success",
                                            [
                                                Call(
                                                    'GGML_ABORT(GGML_VIRTGPU "%s: Failed to lock data_shmem mutex", __func__)'
                                                )
                                            ],
                                        )
                                    ]
                                ),
                                Assign("using_shared_shmem", "true"),
                                Assign("shmem", "&gpu->data_shmem"),
                                Blank(),
                            ],
                        ),
                        (
                            "virtgpu_shmem_create(gpu, size, shmem)",
                            [
                                Call(
                                    'GGML_ABORT(GGML_VIRTGPU "%s: Couldn\'t allocate the guest-host shared buffer", '
                                    "__func__)"
                                )
                            ],
                        ),
                    ]
                ),
                Blank(),
                Call("memcpy(shmem->mmap_ptr, data, size)"),
                Call("apir_encode_virtgpu_shmem_res_id(encoder, shmem->res_id)"),
                Blank(),
                Call("apir_encode_size_t(encoder, &offset)"),
                Call("apir_encode_size_t(encoder, &size)"),
                Blank(),
                Call("REMOTE_CALL(gpu, encoder, decoder, ret)"),
                Blank(),
                Call("remote_call_finish(gpu, encoder, decoder)"),
                Blank(),
                LineComment("Unlock mutex before cleanup"),
                If(
                    [("using_shared_shmem", [Call("mtx_unlock(&gpu->data_shmem_mutex)")])],
                    [Call("virtgpu_shmem_destroy(gpu, shmem)")],
                ),
                Blank(),
                Return(),
            ],
        ),
    ),
]


def _definition(source: str, name: str) -> str:
    """The text of function ``name``'s definition in ggml's source, as ggml wrote it."""
    match = re.search(rf"^[^\n]*\b{name}\(.*?^}}\n", source, re.M | re.S)
    assert match, name
    return match.group(0)


@needs_shared
@pytest.mark.parametrize(("path", "make"), HANDWRITTEN, ids=[m().name for _, m in HANDWRITTEN])
def test_ggml_handwritten_handlers(path: str, make: Callable[[], FunctionDefinition]) -> None:
    folder = UPSTREAM / "ggml-48f38694" / "source" / "src" / "ggml-virtgpu"
    if not folder.is_dir():
        pytest.skip("ggml's sources are not in ../shared")
    function = make()
    expected = _definition((folder / path).read_text(), function.name)
    expected = expected.replace("  // Local storage for large buffers", "")  # trailing comments: not in the model
    expected = re.sub(r"virtgpu_shmem   temp_shmem;", "virtgpu_shmem   temp_shmem;", expected)
    assert render_definitions([function]) == expected
