"""Deleting and extracting C++ function definitions by name (what ggml does when a command becomes generated)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ..conftest import SHARED
from .cppsplit import CppSplitError, defined_functions, extract_definitions, find_definition, remove_definitions

SOURCE = """\
#include "x.h"

static int helper(int a) {
    return a + 1;
}

// the first command
/* with a two-part
   comment */
uint32_t backend_one(apir_encoder * enc,
                     apir_decoder * dec,
                     virgl_apir_context * ctx) {
    const char * s = "}{ backend_two( {";
    char c = '}';
    if (helper(1)) { return backend_two(enc, dec, ctx); }  // } backend_two(
    return 0;
}

uint32_t backend_two(apir_encoder * enc, apir_decoder * dec, virgl_apir_context * ctx);

uint32_t backend_two(apir_encoder * enc, apir_decoder * dec, virgl_apir_context * ctx) {
#define X }
    struct { int a; } s = { 1 };
    return s.a;
}
"""


def test_lists_definitions_not_declarations_or_calls() -> None:
    assert defined_functions(SOURCE) == ["helper", "backend_one", "backend_two"]


def test_removes_a_definition_with_its_comments_and_one_blank_line() -> None:
    out = remove_definitions(SOURCE, ["backend_one"])
    assert "backend_one" not in out
    assert "the first command" not in out and "comment */" not in out
    assert "static int helper(int a) {\n    return a + 1;\n}\n\nuint32_t backend_two(apir_encoder" in out
    assert "\n\n\n" not in out
    assert defined_functions(out) == ["helper", "backend_two"]


def test_removing_the_last_definition_leaves_no_trailing_blank_line() -> None:
    out = remove_definitions(SOURCE, ["backend_two"])
    assert out.endswith("virgl_apir_context * ctx);\n")
    assert "backend_two(apir_encoder * enc, apir_decoder * dec, virgl_apir_context * ctx);" in out  # the declaration


def test_extract_returns_the_exact_text_in_the_order_asked() -> None:
    rest, texts = extract_definitions(SOURCE, ["backend_two", "helper"])
    # the last definition of the file takes the blank line before it (no blank line is left at the end)
    assert texts[0].startswith("\nuint32_t backend_two(apir_encoder") and texts[0].endswith("return s.a;\n}\n")
    assert texts[1] == "static int helper(int a) {\n    return a + 1;\n}\n\n"
    assert defined_functions(rest) == ["backend_one"]
    # nothing else is touched: the remaining text plus the pieces is the original, character for character
    assert sorted(rest + "".join(texts)) == sorted(SOURCE)


def test_a_definition_starting_the_file_takes_the_blank_line_after_it() -> None:
    assert remove_definitions("int f() { return 1; }\n\nint g() { return 2; }\n", ["f"]) == "int g() { return 2; }\n"


def test_inside_extern_c_and_namespaces() -> None:
    source = 'extern "C" {\nint f(void) { return 1; }\n}\nnamespace n {\nnamespace {\nint g() { return 2; }\n}\n}\n'
    assert defined_functions(source) == ["f", "g"]
    assert remove_definitions(source, ["f", "g"]) == 'extern "C" {\n}\nnamespace n {\nnamespace {\n}\n}\n'


def test_qualifiers_raw_strings_and_initialisers_are_not_functions() -> None:
    source = (
        'static const char * s = R"x(int h() { })x";\n'
        "int table[] = { 1, 2 };\n"
        "struct s { int m() const { return 0; } };\n"
        "auto k(int a) -> int { return a; }\n"
        "int v(int a) noexcept { return a; }\n"
    )
    assert defined_functions(source) == ["k", "v"]


def test_errors() -> None:
    with pytest.raises(CppSplitError, match="no definition of 'backend_three'"):
        remove_definitions(SOURCE, ["backend_three"])
    with pytest.raises(CppSplitError, match="2 definitions of 'f'"):
        find_definition("int f(int) { return 0; }\nint f(char) { return 1; }\n", "f")
    with pytest.raises(CppSplitError, match="listed twice"):
        remove_definitions(SOURCE, ["helper", "helper"])
    with pytest.raises(CppSplitError, match="unbalanced"):
        defined_functions("int f() { return 0;\n")
    with pytest.raises(CppSplitError, match="unterminated comment"):
        defined_functions("int f() { return 0; } /* \n")


VIRTGPU = SHARED / "upstream" / "ggml-48f38694" / "source" / "src" / "ggml-virtgpu"
GGML_FILES = (
    sorted([*VIRTGPU.glob("virtgpu-forward-*.cpp"), *VIRTGPU.glob("backend/backend-dispatched*.cpp")])
    if VIRTGPU.is_dir()
    else []
)


@pytest.mark.skipif(not GGML_FILES, reason="../shared (ggml's sources) is absent")
@pytest.mark.parametrize("path", GGML_FILES, ids=lambda p: p.name)
def test_every_definition_of_ggml_files_comes_out_cleanly(path: Path) -> None:
    """Each definition of ggml's stub and handler files, removed alone, leaves the others untouched."""
    source = path.read_text()
    names = defined_functions(source)
    assert names, path
    for name in names:
        rest, (text,) = extract_definitions(source, [name])
        assert defined_functions(rest) == [n for n in names if n != name]
        assert f"{name}(" in text and text.rstrip().endswith("}")
        assert "\n\n\n" not in rest
        # the removed text is one contiguous piece of the original
        assert source.replace(text, "", 1) == rest
