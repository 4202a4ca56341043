"""Formatting fidelity: ggml's clang-format style, reproduced without clang-format.

* Regression fixtures: one small spec per formatting rule, with the headers the
  reference pipeline (unformatted text, then clang-format 23.1.3 in ggml's
  style) makes of it.
* Properties over random valid specs (hypothesis): clang-format leaves
  apir-codegen's output unchanged, the output is exactly the reference
  pipeline's, and it differs from the unformatted rendering only in whitespace.

Profiles: ``ci`` (default; fixed seed, a few hundred examples) and ``long``
(``HYPOTHESIS_PROFILE=long``, thousands, random seed) to run by hand.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from apir_codegen import load_spec, render
from apir_codegen.pipeline import check_source

from .clangformat import clang_format, clang_format_many, needs_clang_format
from .conftest import FIXTURES
from .specgen import SpecGen

CASES = sorted(p for p in (FIXTURES / "formatting").iterdir() if p.is_dir())


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_formatting_fixture(case: Path) -> None:
    outputs = render(load_spec(case / "spec.yaml"))
    for relpath, text in outputs.items():
        assert text == (case / "expected" / relpath).read_text(), f"{case.name}: {relpath}"


@needs_clang_format
@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_formatting_fixture_is_the_reference_pipeline(case: Path) -> None:
    """The expected files themselves are what clang-format makes of the unformatted text."""
    for relpath, text in render(load_spec(case / "spec.yaml"), "unformatted").items():
        assert clang_format(text) == (case / "expected" / relpath).read_text(), f"{case.name}: {relpath}"


def test_fixtures_cover_the_rules() -> None:
    assert len(CASES) >= 15


@st.composite
def specs(draw: st.DrawFn, east_const: bool = True) -> str:
    """A random valid spec, as YAML text."""
    rng = draw(st.randoms(use_true_random=False))
    scale = draw(st.sampled_from([0.5, 1.0, 1.0, 2.0, 3.0]))
    data = SpecGen(rng, scale, east_const).spec()
    return yaml.safe_dump(data, sort_keys=False)


def _model(text: str):  # type: ignore[no-untyped-def]
    spec, diagnostics = check_source(text, "random.yaml")
    assert spec is not None, [d.format() for d in diagnostics]
    return spec


def _squash(text: str) -> str:
    # clang-format also splits long string literals ("a_" "b"): joined back here.
    return re.sub(r"\s+", "", text).replace('""', "")


@given(specs(east_const=False))
def test_only_whitespace_differs_from_the_unformatted_rendering(text: str) -> None:
    """Besides whitespace, clang-format only splits long string literals (joined back
    by _squash) and moves qualifiers written after a type ('char const *' becomes
    'const char *'), so specs here spell them first."""
    spec = _model(text)
    formatted = render(spec)
    unformatted = render(spec, "unformatted")
    for relpath in formatted:
        assert _squash(formatted[relpath]) == _squash(unformatted[relpath])


@needs_clang_format
@given(specs())
def test_output_is_a_fixed_point_of_clang_format_and_the_reference(text: str) -> None:
    spec = _model(text)
    formatted = render(spec)
    unformatted = render(spec, "unformatted")
    paths = list(formatted)
    results = clang_format_many([formatted[p] for p in paths] + [unformatted[p] for p in paths])
    for index, relpath in enumerate(paths):
        ours = formatted[relpath]
        assert results[index] == ours, f"clang-format changes {relpath}"
        assert results[len(paths) + index] == ours, f"{relpath} differs from the reference pipeline"


def test_generator_makes_valid_specs() -> None:
    rng = random.Random(7)
    for _ in range(50):
        _model(yaml.safe_dump(SpecGen(rng, rng.choice([0.5, 1.0, 3.0])).spec(), sort_keys=False))
