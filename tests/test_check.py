"""`check` on ggml's committed headers: up to date only where ggml kept them in sync."""

from __future__ import annotations

import shlex
import shutil
from pathlib import Path

import pytest

from .clangformat import clang_format_binary, needs_clang_format
from .conftest import EXAMPLE_SPEC, UPSTREAM, needs_shared
from .helpers import copy_spec, run_cli, snapshot


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


def _suggested_command(stderr: str) -> list[str]:
    """The `generate` command that check's summary line suggests, as words."""
    summary = stderr.strip().splitlines()[-1]
    assert "out of date; to update them, run: " in summary, stderr
    words = shlex.split(summary.split("run: ", 1)[1])
    assert words[:2] == ["apir-codegen", "generate"], words
    return words[2:]


@pytest.mark.parametrize(
    "options",
    [
        [],
        ["-o", "out dir/it's here", "--werror"],
        ["--output-dir=o", "--style", "unformatted"],
        ["--output-dir=-o", "--style=unformatted", "--werror"],
    ],
    ids=["defaults", "quoted-output-dir", "unformatted", "dash-output-dir"],
)
def test_check_suggests_the_generate_command_that_makes_it_pass(tmp_path: Path, options: list[str]) -> None:
    spec = copy_spec(EXAMPLE_SPEC, tmp_path / "my spec")
    stale = run_cli("check", spec.relative_to(tmp_path), *options, cwd=tmp_path)
    assert stale.returncode == 1
    generate = run_cli(*["generate", *_suggested_command(stale.stderr)], cwd=tmp_path)
    assert generate.returncode == 0, generate.stderr
    result = run_cli("check", spec.relative_to(tmp_path), *options, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


@needs_clang_format
def test_check_suggests_the_clang_format_options(tmp_path: Path) -> None:
    spec = copy_spec(EXAMPLE_SPEC, tmp_path / "spec")
    style = tmp_path / "a style" / ".clang-format"
    style.parent.mkdir()
    style.write_text("BasedOnStyle: LLVM\n")
    binary = clang_format_binary()
    assert binary is not None
    options = ["--style", "clang-format", "--clang-format", binary, "--clang-format-style", str(style)]
    stale = run_cli("check", spec, *options)
    words = _suggested_command(stale.stderr)
    assert run_cli("generate", *words).returncode == 0
    assert run_cli("check", spec, *options).returncode == 0
