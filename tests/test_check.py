"""`check` on ggml's committed headers: up to date only where ggml kept them in sync."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .conftest import EXAMPLE_SPEC, UPSTREAM, needs_shared
from .helpers import run_cli, snapshot


def _committed_copy(revision: str, tmp_path: Path) -> tuple[Path, Path]:
    """A copy of a revision's spec and committed headers, so the test cannot touch ../shared."""
    src = UPSTREAM / revision
    work = tmp_path / revision
    shutil.copytree(src / "committed", work)
    shutil.copy(src / "ggmlremoting_functions.yaml", work / "ggmlremoting_functions.yaml")
    return work / "ggmlremoting_functions.yaml", work


@needs_shared
def test_consistent_revision_is_up_to_date(tmp_path: Path) -> None:
    spec, work = _committed_copy("ggml-7cfc6a52", tmp_path)
    before = snapshot(work)
    result = run_cli("check", spec)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert "up to date" in result.stderr
    assert snapshot(work) == before


@needs_shared
@pytest.mark.parametrize(
    ("revision", "stale_forward"),
    [("ggml-2e2ec9cc", False), ("ggml-b0e0d352", True), ("ggml-48f38694", True)],
)
def test_stale_revisions_are_reported_and_nothing_changes(tmp_path: Path, revision: str, stale_forward: bool) -> None:
    spec, work = _committed_copy(revision, tmp_path)
    before = snapshot(work)
    result = run_cli("check", spec)
    assert result.returncode == 1
    assert snapshot(work) == before, "check must not write"
    assert "out of date" in result.stderr
    if stale_forward:
        assert "virtgpu-forward.gen.h" in result.stdout
        assert "+++ " in result.stdout and "--- " in result.stdout


@needs_shared
def test_hand_edit_of_48f38694_is_the_diff(tmp_path: Path) -> None:
    spec, _ = _committed_copy("ggml-48f38694", tmp_path)
    result = run_cli("check", spec)
    removed = [line for line in result.stdout.splitlines() if line.startswith("-") and not line.startswith("---")]
    assert any("mmap_support" in line for line in removed)


@needs_shared
def test_check_in_place_on_shared_material_changes_nothing() -> None:
    revision = UPSTREAM / "ggml-b0e0d352"
    before = snapshot(revision)
    result = run_cli("check", revision / "ggmlremoting_functions.yaml", "--output-dir", revision / "committed")
    assert result.returncode == 1
    assert snapshot(revision) == before


def test_missing_headers_are_stale(tmp_path: Path) -> None:
    spec = tmp_path / "ggmlremoting_functions.yaml"
    shutil.copy(EXAMPLE_SPEC, spec)
    result = run_cli("check", spec)
    assert result.returncode == 1
    assert "missing" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ggmlremoting_functions.yaml"]
