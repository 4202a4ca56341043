"""The generated headers compile, and the dispatch table does what the enum says."""

from __future__ import annotations

from pathlib import Path

import pytest

from apir_codegen import load_spec, render

from .conftest import EXAMPLE_SPEC, conformance_cases, needs_shared, upstream_revisions
from .cxx import compile_and_run, dispatch_program, needs_gxx

pytestmark = needs_gxx


def _generate(spec: Path, out: Path) -> None:
    for relpath, text in render(load_spec(spec)).items():
        target = out / relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)


def _check(spec: Path, tmp_path: Path) -> None:
    out = tmp_path / "gen"
    _generate(spec, out)
    run = compile_and_run(dispatch_program(spec, out), tmp_path)
    assert run.returncode == 0, run.stdout


def test_example_spec_compiles_and_dispatches(tmp_path: Path) -> None:
    _check(EXAMPLE_SPEC, tmp_path)


@needs_shared
@pytest.mark.parametrize("revision", upstream_revisions(), ids=lambda p: p.name)
def test_upstream_specs_compile_and_dispatch(revision: Path, tmp_path: Path) -> None:
    _check(revision / "ggmlremoting_functions.yaml", tmp_path)


@needs_shared
@pytest.mark.parametrize("case", conformance_cases()[:8], ids=lambda p: p.name)
def test_conformance_specs_compile_and_dispatch(case: Path, tmp_path: Path) -> None:
    _check(case / "spec.yaml", tmp_path)


def test_a_wrong_table_fails_the_program(tmp_path: Path) -> None:
    """The harness itself can fail: swap two table entries and it must notice."""
    out = tmp_path / "gen"
    _generate(EXAMPLE_SPEC, out)
    dispatched = out / "backend/backend-dispatched.gen.h"
    text = dispatched.read_text()
    a = "*/ backend_device_get_count,"
    b = "*/ backend_device_get_name,"
    text = text.replace(a, "@@").replace(b, a).replace("@@", b)
    dispatched.write_text(text)
    run = compile_and_run(dispatch_program(EXAMPLE_SPEC, out), tmp_path)
    assert run.returncode != 0
    assert "slot device_get_count" in run.stdout
