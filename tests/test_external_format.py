"""--style unformatted and --style clang-format: other formats for other projects."""

from __future__ import annotations

from pathlib import Path

from apir_codegen import load_spec, render

from .clangformat import GGML_STYLE, clang_format, clang_format_binary, dump_config, needs_clang_format
from .conftest import EXAMPLE_SPEC, ROOT, UPSTREAM, needs_shared
from .helpers import copy_spec, run_cli

LLVM_STYLE = "BasedOnStyle: LLVM\nColumnLimit: 80\nPointerAlignment: Right\n"


@needs_clang_format
def test_clang_format_style_runs_the_named_binary_and_style(tmp_path: Path) -> None:
    spec = copy_spec(EXAMPLE_SPEC, tmp_path / "spec")
    style = tmp_path / "llvm.clang-format"
    style.write_text(LLVM_STYLE)
    binary = clang_format_binary()
    assert binary is not None
    out = tmp_path / "out"
    result = run_cli(
        "generate", spec, "-o", out, "--style", "clang-format", "--clang-format", binary,
        "--clang-format-style", style,
    )
    assert result.returncode == 0, result.stderr
    for relpath, text in render(load_spec(spec), "unformatted").items():
        assert (out / relpath).read_text() == clang_format(text, style)
    assert "void apir_device_get_memory(struct virtgpu *gpu, size_t *free," in (out / "virtgpu-forward.gen.h").read_text()
    check = run_cli(
        "check", spec, "-o", out, "--style", "clang-format", "--clang-format", binary, "--clang-format-style", style
    )
    assert check.returncode == 0, check.stderr


@needs_clang_format
def test_clang_format_with_ggml_style_equals_the_built_in_style(tmp_path: Path) -> None:
    binary = clang_format_binary()
    assert binary is not None
    spec = load_spec(EXAMPLE_SPEC)
    external = render(spec, "clang-format", clang_format=binary, clang_format_style=str(GGML_STYLE))
    assert external == render(spec)


def test_missing_binary_is_a_diagnostic(tmp_path: Path) -> None:
    style = tmp_path / "style"
    style.write_text(LLVM_STYLE)
    out = tmp_path / "out"
    result = run_cli(
        "generate", EXAMPLE_SPEC, "-o", out, "--style", "clang-format", "--clang-format",
        "no-such-clang-format-binary", "--clang-format-style", style,
    )
    assert result.returncode == 1
    assert "error: clang-format binary 'no-such-clang-format-binary' not found" in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_missing_style_file_is_a_diagnostic(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_cli(
        "generate", EXAMPLE_SPEC, "-o", out, "--style", "clang-format", "--clang-format-style", tmp_path / "nope"
    )
    assert result.returncode == 1
    assert "not found" in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_clang_format_style_needs_a_style_file(tmp_path: Path) -> None:
    result = run_cli("generate", EXAMPLE_SPEC, "-o", tmp_path / "out", "--style", "clang-format")
    assert result.returncode == 1
    assert "--style clang-format needs --clang-format-style FILE" in result.stderr


def test_failing_binary_is_a_diagnostic(tmp_path: Path) -> None:
    fake = tmp_path / "fake-clang-format"
    fake.write_text("#!/bin/sh\necho 'boom: bad style' >&2\nexit 3\n")
    fake.chmod(0o755)
    style = tmp_path / "style"
    style.write_text(LLVM_STYLE)
    result = run_cli(
        "generate", EXAMPLE_SPEC, "-o", tmp_path / "out", "--style", "clang-format", "--clang-format", fake,
        "--clang-format-style", style,
    )
    assert result.returncode == 1
    assert "failed on backend/shared/apir_backend.gen.h (exit 3): boom: bad style" in result.stderr


def test_the_ggml_style_file_is_package_data() -> None:
    assert GGML_STYLE.is_file()
    assert "apir_codegen" in GGML_STYLE.parts
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert '"format/ggml-style.clang-format"' in pyproject


@needs_clang_format
@needs_shared
def test_the_ggml_style_file_is_ggmls_style() -> None:
    """Our file, written from the option values, configures clang-format exactly as ggml's own file does."""
    ours = dump_config(GGML_STYLE)
    assert "ColumnLimit:     120" in ours and "PointerAlignment: Middle" in ours
    assert ours == dump_config(UPSTREAM / "ggml-style.clang-format")
