"""The formatter's style record holds the values of the project's ggml style file.

Each rule of the built-in formatter reads its options from
``apir_codegen.format.ggml.style.GGML``, named as in clang-format; the file
``format/ggml-style.clang-format`` says what ggml's style is.  These tests keep
the two equal: the record against the file as written (options it leaves
unset have LLVM's defaults, as ``BasedOnStyle: LLVM`` says), and, with the
pinned clang-format, against clang-format's own reading of the file.
"""

from __future__ import annotations

import subprocess
from typing import Any

import pytest
import yaml

from apir_codegen.format.ggml.style import ALIGN_CONSECUTIVE_SHORT_FORMS, GGML, AlignConsecutiveStyle, Style
from apir_codegen.records import Record

from .clangformat import GGML_STYLE, clang_format_binary, needs_clang_format

#: LLVM's defaults for the options of the record that ggml's file leaves unset.
LLVM_DEFAULTS: dict[str, Any] = {
    "ContinuationIndentWidth": 4,
    "PPIndentWidth": -1,
    "MaxEmptyLinesToKeep": 1,
    "AlignAfterOpenBracket": "Align",
    "BreakStringLiterals": True,
    "PenaltyExcessCharacter": 1_000_000,
    "BreakAfterReturnType": "None",
    "PenaltyBreakOpenParenthesis": 0,
    "PenaltyBreakAssignment": 2,
    "PenaltyBreakBeforeMemberAccess": 150,
    "PenaltyBreakFirstLessLess": 120,
    "PenaltyBreakString": 1000,
    "PenaltyIndentedWhitespace": 0,
    "AlignOperands": "Align",
    "AllowAllArgumentsOnNextLine": True,
    "BreakAdjacentStringLiterals": True,
    "BreakBeforeBinaryOperators": "None",
}
#: LLVM's default for each BraceWrapping flag (with BreakBeforeBraces: Custom).
LLVM_BRACE_WRAPPING = False


def _style_file() -> dict[str, Any]:
    data = yaml.safe_load(GGML_STYLE.read_text())
    assert isinstance(data, dict)
    return data


def _record_value(name: str, value: Any) -> Any:
    """A value as the file spells it, as the record holds it."""
    field = getattr(GGML, name)
    if isinstance(field, AlignConsecutiveStyle):
        return ALIGN_CONSECUTIVE_SHORT_FORMS[value] if isinstance(value, str) else AlignConsecutiveStyle(**value)
    if isinstance(field, Record):  # BraceWrapping: the flags the file gives, LLVM's default for the others
        return type(field)(**{flag: value.get(flag, LLVM_BRACE_WRAPPING) for flag in field._fields})
    return value


def test_every_option_has_the_style_files_value() -> None:
    data = _style_file()
    assert data.get("BasedOnStyle") == "LLVM"
    for name in Style._fields:
        if name in data:
            assert getattr(GGML, name) == _record_value(name, data[name]), name
        else:
            assert name in LLVM_DEFAULTS, f"{name} is neither in the style file nor a known LLVM default"
            assert getattr(GGML, name) == LLVM_DEFAULTS[name], name


def test_defaults_are_only_for_options_the_file_leaves_unset() -> None:
    data = _style_file()
    assert not set(LLVM_DEFAULTS) & set(data)
    assert set(LLVM_DEFAULTS) <= set(Style._fields)


def test_a_behaviour_the_formatter_does_not_implement_is_refused() -> None:
    options = {name: getattr(GGML, name) for name in Style._fields}
    assert Style(**options) == GGML
    with pytest.raises(ValueError, match="PointerAlignment: 'Left' is not implemented"):
        Style(**{**options, "PointerAlignment": "Left"})
    with pytest.raises(TypeError, match="missing \\['ColumnLimit'\\]"):
        Style(**{name: value for name, value in options.items() if name != "ColumnLimit"})


#: Options clang-format 23 renamed: the record's name -> where ``--dump-config`` shows it.
RENAMED = {
    "BinPackParameters": ("PackParameters", "BinPack"),
    "KeepEmptyLinesAtTheStartOfBlocks": ("KeepEmptyLines", "AtStartOfBlock"),
}
#: Values clang-format 23 spells otherwise: (option, as dumped) -> as the record holds it.
RESPELLED = {
    ("AlignAfterOpenBracket", True): "Align",
    ("Cpp11BracedListStyle", "Block"): False,
    ("AfterControlStatement", "Never"): False,
}


def _dumped(value: Any, option: str) -> Any:
    if isinstance(value, dict):
        return {key: _dumped(sub, key) for key, sub in value.items()}
    return RESPELLED.get((option, value), value)


@needs_clang_format
def test_every_option_has_the_value_clang_format_reads_from_the_style_file() -> None:
    binary = clang_format_binary()
    assert binary is not None
    dump = subprocess.run(
        [binary, f"--style=file:{GGML_STYLE}", "--dump-config"], capture_output=True, text=True, check=True
    ).stdout
    config = yaml.safe_load(dump)
    for name in Style._fields:
        path = RENAMED.get(name, (name,))
        value = config
        for key in path:
            value = value[key]
        value = _dumped(value, path[-1])
        field = getattr(GGML, name)
        if isinstance(field, Record):  # compare the fields the record has
            value = type(field)(**{flag: value[flag] for flag in field._fields})
        assert field == value, name


def test_qualifier_alignment_is_the_formatters() -> None:
    """The model spells types canonically; QualifierAlignment (Left) is applied by the
    formatter to the words as written, as clang-format moves them."""
    from apir_codegen.cdecl import parse_param, parse_type
    from apir_codegen.format.ggml.spelling import type_words

    int_param = parse_param("int const * volatile p").type
    assert int_param.spelling == "const int * volatile"
    assert type_words(int_param, GGML, first_on_line=False) == ("const", "int", "*", "volatile")
    tagged = parse_param("struct s const * p").type  # not moved after a struct tag's name
    assert tagged.spelling == "const struct s *"
    assert type_words(tagged, GGML, first_on_line=False) == ("struct", "s", "const", "*")
    macro = parse_type("FOO_T const *")  # nor after a name that looks like a macro
    assert type_words(macro, GGML, first_on_line=True) == ("FOO_T", "const", "*")
    named = parse_type("foo_t const")  # before any other type name
    assert type_words(named, GGML, first_on_line=True) == ("const", "foo_t")
    # At the start of a line and after '(' the same words can come out differently.
    both = parse_type("const int volatile")
    assert type_words(both, GGML, first_on_line=True) == ("const", "volatile", "int")
    assert type_words(both, GGML, first_on_line=False) == ("volatile", "const", "int")
