"""Write semantics: where files go, what is rewritten, and that writes are atomic."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from apir_codegen import OUTPUT_FILES, load_spec, render
from apir_codegen.writer import WriteError, atomic_write, write_outputs

from .conftest import PLAIN_EXAMPLE_SPEC
from .helpers import run_cli, snapshot


@pytest.fixture
def spec_dir(tmp_path: Path) -> Path:
    work = tmp_path / "virtgpu"
    work.mkdir()
    shutil.copy(PLAIN_EXAMPLE_SPEC, work / "ggmlremoting_functions.yaml")
    return work


def test_output_lands_beside_the_spec_whatever_the_cwd(spec_dir: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = run_cli("generate", spec_dir / "ggmlremoting_functions.yaml", cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    for relpath in OUTPUT_FILES:
        assert (spec_dir / relpath).is_file()
    assert list(elsewhere.iterdir()) == []


def test_default_spec_is_in_the_current_directory(spec_dir: Path) -> None:
    result = run_cli("generate", cwd=spec_dir)
    assert result.returncode == 0, result.stderr
    for relpath in OUTPUT_FILES:
        assert (spec_dir / relpath).is_file()


def test_relative_spec_path_from_a_parent_directory(spec_dir: Path) -> None:
    result = run_cli("generate", "virtgpu/ggmlremoting_functions.yaml", cwd=spec_dir.parent)
    assert result.returncode == 0, result.stderr
    assert (spec_dir / "virtgpu-forward.gen.h").is_file()
    assert not (spec_dir.parent / "virtgpu-forward.gen.h").exists()


def test_output_dir_option(spec_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out" / "deeper"
    result = run_cli("generate", spec_dir / "ggmlremoting_functions.yaml", "--output-dir", out)
    assert result.returncode == 0, result.stderr
    expected = render(load_spec(spec_dir / "ggmlremoting_functions.yaml"))
    for relpath, text in expected.items():
        assert (out / relpath).read_text() == text
    assert not (spec_dir / "virtgpu-forward.gen.h").exists()


def test_second_run_rewrites_nothing(spec_dir: Path) -> None:
    spec = spec_dir / "ggmlremoting_functions.yaml"
    assert run_cli("generate", spec).returncode == 0
    # Backdate the files: a rewrite, even with the same bytes, would move the mtime.
    for relpath in OUTPUT_FILES:
        os.utime(spec_dir / relpath, ns=(1_000_000_000, 1_000_000_000))
    before = snapshot(spec_dir)
    result = run_cli("generate", spec)
    assert result.returncode == 0
    assert snapshot(spec_dir) == before
    assert "0 files written, 3 unchanged" in result.stderr


def test_only_changed_files_are_rewritten(spec_dir: Path) -> None:
    spec = spec_dir / "ggmlremoting_functions.yaml"
    assert run_cli("generate", spec).returncode == 0
    for relpath in OUTPUT_FILES:
        os.utime(spec_dir / relpath, ns=(1_000_000_000, 1_000_000_000))
    # A new parameter changes only the guest header.
    text = spec.read_text().replace('- "uint8_t value"', '- "uint8_t value"\n          - "size_t count"')
    spec.write_text(text)
    assert run_cli("generate", spec).returncode == 0
    mtimes = {rel: (spec_dir / rel).stat().st_mtime_ns for rel in OUTPUT_FILES}
    assert mtimes["virtgpu-forward.gen.h"] != 1_000_000_000
    assert mtimes["backend/shared/apir_backend.gen.h"] == 1_000_000_000
    assert mtimes["backend/backend-dispatched.gen.h"] == 1_000_000_000
    assert "uint8_t value, size_t count);" in (spec_dir / "virtgpu-forward.gen.h").read_text()


def test_generate_leaves_no_temporary_files(spec_dir: Path) -> None:
    assert run_cli("generate", spec_dir / "ggmlremoting_functions.yaml").returncode == 0
    names = sorted(str(p.relative_to(spec_dir)) for p in spec_dir.rglob("*") if p.is_file())
    assert names == sorted(["ggmlremoting_functions.yaml", *OUTPUT_FILES])


def test_existing_file_mode_is_kept(tmp_path: Path) -> None:
    target = tmp_path / "x.h"
    target.write_text("old")
    target.chmod(0o640)
    atomic_write(target, b"new")
    assert target.read_text() == "new"
    assert target.stat().st_mode & 0o777 == 0o640


def test_new_file_mode_follows_umask(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        atomic_write(tmp_path / "n.h", b"x")
    finally:
        os.umask(old)
    assert (tmp_path / "n.h").stat().st_mode & 0o777 == 0o644


def test_output_under_a_regular_file_is_a_diagnostic(spec_dir: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("not a directory")
    result = run_cli("generate", spec_dir / "ggmlremoting_functions.yaml", "--output-dir", blocker / "out")
    assert result.returncode == 1
    assert "error:" in result.stderr
    assert "Traceback" not in result.stderr
    assert blocker.read_text() == "not a directory"


def test_write_error_is_raised_as_write_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(WriteError):
        write_outputs({"a/b.h": "text"}, blocker)
