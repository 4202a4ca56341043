"""Golden tests: ggml's specs and the conformance sample give the expected bytes."""

from __future__ import annotations

from pathlib import Path

import pytest

from apir_codegen import OUTPUT_FILES, load_spec, render

from .conftest import conformance_cases, needs_shared, upstream_revisions


def _assert_golden(spec_path: Path, expected_dir: Path) -> None:
    outputs = render(load_spec(spec_path))
    assert sorted(outputs) == sorted(OUTPUT_FILES)
    for relpath, text in outputs.items():
        expected = (expected_dir / relpath).read_text()
        assert text == expected, f"{relpath} differs for {spec_path}"


@needs_shared
@pytest.mark.parametrize("revision", upstream_revisions(), ids=lambda p: p.name)
def test_upstream_spec_gives_expected_headers(revision: Path) -> None:
    _assert_golden(revision / "ggmlremoting_functions.yaml", revision / "expected")


@needs_shared
@pytest.mark.parametrize("case", conformance_cases(), ids=lambda p: p.name)
def test_conformance_case_gives_expected_headers(case: Path) -> None:
    _assert_golden(case / "spec.yaml", case / "expected")


@needs_shared
def test_upstream_material_is_found_when_present() -> None:
    assert len(upstream_revisions()) == 4
    assert len(conformance_cases()) >= 25
