"""--style unformatted and --style clang-format: other formats for other projects."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from apir_codegen import OUTPUT_FILES, check_spec, load_spec, render

from .clangformat import GGML_STYLE, clang_format, clang_format_binary, dump_config, needs_clang_format
from .conftest import EXAMPLE_SPEC, FIXTURES, ROOT, UPSTREAM, needs_shared
from .helpers import Result, copy_spec, read_tree, run_cli

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
        "generate",
        spec,
        "-o",
        out,
        "--style",
        "clang-format",
        "--clang-format",
        binary,
        "--clang-format-style",
        style,
    )
    assert result.returncode == 0, result.stderr
    for relpath, text in render(load_spec(spec), "unformatted").items():
        assert (out / relpath).read_text() == clang_format(text, style)
    assert (
        "void apir_device_get_memory(struct virtgpu *gpu, size_t *free," in (out / "virtgpu-forward.gen.h").read_text()
    )
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


def _usage_error(result: Result) -> list[str]:
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("usage: apir-codegen generate ")
    assert "Traceback" not in result.stderr
    return [line for line in result.stderr.splitlines() if ": error: " in line]


def test_missing_binary_is_a_usage_error(tmp_path: Path) -> None:
    style = tmp_path / "style"
    style.write_text(LLVM_STYLE)
    out = tmp_path / "out"
    result = run_cli(
        "generate",
        EXAMPLE_SPEC,
        "-o",
        out,
        "--style",
        "clang-format",
        "--clang-format",
        "no-such-clang-format-binary",
        "--clang-format-style",
        style,
    )
    assert _usage_error(result) == [
        "apir-codegen generate: error: clang-format binary not found: no-such-clang-format-binary"
    ]
    assert not out.exists()


@pytest.mark.parametrize("kind", ["missing", "directory"])
def test_missing_style_file_is_a_usage_error(tmp_path: Path, kind: str) -> None:
    out = tmp_path / "out"
    style = tmp_path / "style"
    if kind == "directory":
        style.mkdir()
    # Any program will do as the binary: it is not run.
    result = run_cli(
        "generate",
        EXAMPLE_SPEC,
        "-o",
        out,
        "--style",
        "clang-format",
        "--clang-format",
        sys.executable,
        "--clang-format-style",
        style,
    )
    what = "not found:" if kind == "missing" else "is a directory, not a file:"
    assert _usage_error(result) == [f"apir-codegen generate: error: clang-format style file {what} {style}"]
    assert not out.exists()


def test_clang_format_options_are_checked_only_with_that_style(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_cli("generate", EXAMPLE_SPEC, "-o", out, "--clang-format", "nope", "--clang-format-style", "nope")
    assert result.returncode == 0, result.stderr


def test_clang_format_style_needs_a_style_file(tmp_path: Path) -> None:
    result = run_cli(
        "generate", EXAMPLE_SPEC, "-o", tmp_path / "out", "--style", "clang-format", "--clang-format", sys.executable
    )
    assert _usage_error(result) == [
        "apir-codegen generate: error: --style clang-format needs --clang-format-style FILE"
    ]


def test_failing_binary_is_a_diagnostic(tmp_path: Path) -> None:
    fake = tmp_path / "fake-clang-format"
    fake.write_text("#!/bin/sh\necho 'boom: bad style' >&2\nexit 3\n")
    fake.chmod(0o755)
    style = tmp_path / "style"
    style.write_text(LLVM_STYLE)
    result = run_cli(
        "generate",
        EXAMPLE_SPEC,
        "-o",
        tmp_path / "out",
        "--style",
        "clang-format",
        "--clang-format",
        fake,
        "--clang-format-style",
        style,
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


# --- length limits are ggml's style's ------------------------------------------------------------

LONG = {
    "name-too-long": "APIR_COMMAND_TYPE_DEVICE_GET_VERY_LONG_NAME_VERY_LONG_NAME_VERY_LONG_NAME",
    "param-too-long": "host_handle_with_a_name_that_goes_on_and_on_and_on_and_on_and_on_beyond_all_reason_and_sense",
}


@pytest.mark.parametrize("name", sorted(LONG))
def test_length_limits_apply_to_ggmls_style_only(name: str, tmp_path: Path) -> None:
    """A name too long for ggml's 120 columns is refused by the ggml style, and only there."""
    spec = copy_spec(FIXTURES / "diagnostics" / f"{name}.yaml", tmp_path / "spec")
    refused = run_cli("generate", spec, "-o", tmp_path / "ggml")
    assert refused.returncode == 1
    assert "ggml's 120-column headers" in refused.stderr
    assert check_spec(spec)[0] is None
    out = tmp_path / "unformatted"
    result = run_cli("generate", spec, "-o", out, "--style", "unformatted")
    assert result.returncode == 0, result.stderr
    assert "error" not in result.stderr
    assert any(LONG[name] in (out / relpath).read_text() for relpath in OUTPUT_FILES)
    accepted, diagnostics = check_spec(spec, style="unformatted")
    assert accepted is not None and not diagnostics
    assert render(accepted, "unformatted") == read_tree(out, OUTPUT_FILES)
    assert run_cli("check", spec, "-o", out, "--style", "unformatted").returncode == 0
    # Commands that lay out no header apply no limit either: the spec can be locked, documented, dumped.
    for command in ("lock", "docs", "dump"):
        assert run_cli(command, spec).returncode == 0, command


@needs_clang_format
def test_length_limits_do_not_apply_to_an_external_clang_format(tmp_path: Path) -> None:
    spec = copy_spec(FIXTURES / "diagnostics" / "name-too-long.yaml", tmp_path / "spec")
    style = tmp_path / "llvm.clang-format"
    style.write_text(LLVM_STYLE)
    binary = clang_format_binary()
    assert binary is not None
    out = tmp_path / "out"
    options = ["-o", out, "--style", "clang-format", "--clang-format", binary, "--clang-format-style", style]
    result = run_cli("generate", spec, *options)
    assert result.returncode == 0, result.stderr
    assert LONG["name-too-long"] in (out / "backend/shared/apir_backend.gen.h").read_text()
