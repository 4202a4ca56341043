"""The words clang-format treats specially: the list agrees with the pinned binary.

``src/apir_codegen/clang_words.py`` is the output of ``tools/probe_clang_words.py``.
Here the probe runs again on the words clang-format's sources name (keyword
tables, additional keywords, style macros): those not in the list must come
out exactly as clang-format writes them, and a sample of those in the list
must not.
"""

from __future__ import annotations

import sys

import pytest

from apir_codegen.cdecl import KEYWORDS, is_identifier
from apir_codegen.clang_words import SPECIAL_WORDS
from apir_codegen.pipeline import check_source

from .clangformat import needs_clang_format
from .conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))
import probe_clang_words as probe  # noqa: E402

SAMPLE = ["as", "import", "instanceof", "typeof", "foreach", "Q_FOREACH", "Q_UNUSED", "__attribute__", "__int64", "_1"]


def test_special_words_are_names_apir_codegen_would_otherwise_take() -> None:
    assert all(is_identifier(word) for word in SPECIAL_WORDS)
    # Keywords are refused as types and parameter names anyway; these four can
    # still be composed from a group and a function name with empty prefixes.
    assert SPECIAL_WORDS & KEYWORDS == {"and_eq", "not_eq", "or_eq", "xor_eq"}
    assert set(SAMPLE) - {"_1"} <= SPECIAL_WORDS


@pytest.mark.parametrize("word", ["foreach", "__int64"])
def test_a_special_word_is_refused_by_name(word: str) -> None:
    text = f"""\
functions:
  g:
    group_description: g
    functions:
      f:
        frontend_extra_params: ["{word} x"]
naming_patterns:
  enum_prefix: E_
  backend_function_prefix: b_
  frontend_function_prefix: f_
  frontend_base_param: "int fd"
"""
    spec, diagnostics = check_source(text, "s.yaml")
    assert spec is None
    assert f"'{word}' is a word clang-format treats specially" in diagnostics[0].message


@needs_clang_format
def test_other_source_words_are_formatted_as_clang_format_does() -> None:
    words = sorted({w for w in probe.SOURCE_WORDS if is_identifier(w)} - SPECIAL_WORDS)
    with probe.every_word_accepted():
        suspects, unprobed = probe.suspects(list(enumerate(words)))
    assert not suspects and not unprobed, (suspects, unprobed)


@needs_clang_format
def test_special_words_are_special() -> None:
    sample = [(index, word) for index, word in enumerate(SAMPLE) if word != "_1"]
    with probe.every_word_accepted():
        suspects, _ = probe.suspects(sample)
    assert suspects == sample


def test_probing_leaves_the_check_on() -> None:
    with probe.every_word_accepted():
        assert check_source("functions: {}\n", "s.yaml") is not None
    spec, diagnostics = check_source(
        "functions:\n  g:\n    group_description: g\n    functions:\n      f:\n"
        "        frontend_extra_params: ['as x']\n"
        "naming_patterns: {enum_prefix: E_, backend_function_prefix: b_, frontend_function_prefix: f_,"
        " frontend_base_param: 'int fd'}\n",
        "s.yaml",
    )
    assert spec is None and "'as'" in diagnostics[0].message
