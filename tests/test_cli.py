"""The command line: help, exit statuses, `python -m`, the example spec."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from apir_codegen import OUTPUT_FILES
from apir_codegen.cli import main

from .conftest import EXAMPLE_SPEC, PLAIN_EXAMPLE_SPEC
from .helpers import Result, run_cli


@pytest.mark.parametrize("args", [["--help"], ["generate", "--help"], ["check", "--help"]])
def test_help_everywhere(args: list[str]) -> None:
    result = run_cli(*args)
    assert result.returncode == 0
    assert "usage: apir-codegen" in result.stdout


def test_version() -> None:
    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("apir-codegen ")


@pytest.mark.parametrize("args", [[], ["frobnicate"], ["generate", "--no-such-option"], ["check", "a", "b"]])
def test_usage_errors_exit_2(args: list[str]) -> None:
    result = run_cli(*args)
    assert result.returncode == 2
    assert "usage:" in result.stderr


def test_example_headers_are_up_to_date() -> None:
    """The committed example headers are checked by the tool itself, so they cannot go stale."""
    result = run_cli("check", EXAMPLE_SPEC)
    assert result.returncode == 0, result.stdout + result.stderr


def _assert_usage_error(result: Result, command: str, *messages: str) -> None:
    """Exit 2, the command's usage line, then one 'error:' line per problem (as argparse and black do)."""
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith(f"usage: apir-codegen {command} "), result.stderr
    expected = [f"apir-codegen {command}: error: {message}" for message in messages]
    assert result.stderr.splitlines()[-len(expected) :] == expected, result.stderr
    assert result.stderr.count(": error: ") == len(expected)
    assert result.stdout == ""


@pytest.mark.parametrize("command", ["generate", "check", "lock", "docs", "dump"])
def test_missing_spec_is_a_usage_error(tmp_path: Path, command: str) -> None:
    result = run_cli(command, cwd=tmp_path)
    _assert_usage_error(result, command, "spec not found: ggmlremoting_functions.yaml")
    assert list(tmp_path.iterdir()) == []


def test_spec_that_is_a_directory_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "specs").mkdir()
    result = run_cli("generate", "specs", cwd=tmp_path)
    _assert_usage_error(result, "generate", "spec is a directory, not a file: specs")
    assert [p.name for p in tmp_path.iterdir()] == ["specs"]


def test_compat_names_each_missing_spec(tmp_path: Path) -> None:
    result = run_cli("compat", "old.yaml", EXAMPLE_SPEC, cwd=tmp_path)
    _assert_usage_error(result, "compat", "spec not found: old.yaml")
    result = run_cli("compat", "old.yaml", "new.yaml", cwd=tmp_path)
    _assert_usage_error(result, "compat", "spec not found: old.yaml", "spec not found: new.yaml")


@pytest.mark.parametrize(
    ("command", "option", "names"),
    [
        ("generate", "-o", "-o/--output-dir"),
        ("check", "--output-dir", "-o/--output-dir"),
        ("docs", "-o", "-o/--output"),
    ],
)
def test_empty_output_path_is_a_usage_error(tmp_path: Path, command: str, option: str, names: str) -> None:
    result = run_cli(command, EXAMPLE_SPEC, option, "", cwd=tmp_path)
    _assert_usage_error(result, command, f"argument {names}: the path is empty")
    assert list(tmp_path.iterdir()) == []


def test_all_usage_problems_at_once(tmp_path: Path) -> None:
    result = run_cli(
        "check", "nope.yaml", "-o", "", "--style", "clang-format", "--clang-format", sys.executable, cwd=tmp_path
    )
    _assert_usage_error(
        result,
        "check",
        "spec not found: nope.yaml",
        "argument -o/--output-dir: the path is empty",
        "--style clang-format needs --clang-format-style FILE",
    )


def test_spec_content_errors_stay_exit_1(tmp_path: Path) -> None:
    spec = tmp_path / "ggmlremoting_functions.yaml"
    spec.write_text("functions: {}\n")
    result = run_cli("generate", spec)
    assert result.returncode == 1
    assert "usage:" not in result.stderr


def test_spec_error_writes_nothing(tmp_path: Path) -> None:
    spec = tmp_path / "ggmlremoting_functions.yaml"
    spec.write_text(EXAMPLE_SPEC.read_text().replace('frontend_return: "int"', 'frontend_retrun: "int"'))
    result = run_cli("generate", spec)
    assert result.returncode == 1
    assert f"{spec}:" in result.stderr
    assert "unknown key 'frontend_retrun' in function 'device.get_count'" in result.stderr
    assert "did you mean 'frontend_return'?" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ggmlremoting_functions.yaml"]


def test_diagnostic_uses_the_path_as_given(tmp_path: Path) -> None:
    (tmp_path / "spec.yaml").write_text("functions: {}\n")
    result = run_cli("check", "spec.yaml", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("spec.yaml:1:1: error: missing required key 'naming_patterns'")


def test_python_dash_m_and_console_script_agree(tmp_path: Path) -> None:
    sibling = Path(sys.executable).parent / "apir-codegen"
    script = str(sibling) if sibling.exists() else shutil.which("apir-codegen")
    if script is None:
        pytest.skip("apir-codegen is not installed as a command")
    a = subprocess.run([script, "check", str(EXAMPLE_SPEC)], capture_output=True, text=True)
    b = run_cli("check", EXAMPLE_SPEC)
    assert (a.returncode, a.stdout) == (b.returncode, b.stdout)


def test_main_in_process(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = tmp_path / "ggmlremoting_functions.yaml"
    shutil.copy(EXAMPLE_SPEC, spec)
    assert main(["generate", str(spec), "-q"]) == 0
    assert capsys.readouterr().err == ""
    assert all((tmp_path / rel).exists() for rel in OUTPUT_FILES)
    assert main(["check", str(spec)]) == 0


def test_unformatted_style_is_the_reference_text(tmp_path: Path) -> None:
    spec = tmp_path / "ggmlremoting_functions.yaml"
    shutil.copy(EXAMPLE_SPEC, spec)
    assert main(["generate", str(spec), "--style", "unformatted", "-q"]) == 0
    forward = (tmp_path / "virtgpu-forward.gen.h").read_text()
    assert "void apir_device_get_memory(struct virtgpu *gpu, size_t *free, size_t *total);" in forward


def test_readme_starts_with_the_two_commands_and_ci_runs_the_second() -> None:
    from .conftest import ROOT

    readme = (ROOT / "README.md").read_text()
    blocks = [b.split("```", 1)[0].strip() for b in readme.split("```sh\n")[1:3]]
    install_and_run, install_and_test = blocks
    assert "pip install" in install_and_run and "apir-codegen generate examples/ggml-virtgpu/" in install_and_run
    assert "pip install" in install_and_test and "pytest" in install_and_test
    assert install_and_test in (ROOT / ".ci" / "run").read_text()
    # The example spec the first command names exists and is up to date.
    assert (ROOT / "examples/ggml-virtgpu/ggmlremoting_functions.yaml").is_file()


def test_readme_names_ggmls_folder_beside_llama_cpps_and_the_generator_revision() -> None:
    from .conftest import ROOT

    readme = " ".join((ROOT / "README.md").read_text().split())
    assert "(`src/ggml-virtgpu/` in ggml's repository, `ggml/src/ggml-virtgpu/` in llama.cpp's)" in readme
    assert "follows ggml's generator as of ggml 7cfc6a52" in readme
    assert "headers committed by older versions of ggml's script" in readme and "show as stale" in readme


def test_generate_ends_with_ggmls_summary_on_one_line(tmp_path: Path) -> None:
    """ggml's script reports the functions, the groups and the header files: so does generate, in one line."""
    spec = tmp_path / "ggmlremoting_functions.yaml"
    shutil.copy(PLAIN_EXAMPLE_SPEC, spec)
    first = run_cli("generate", spec)
    assert first.returncode == 0
    lines = first.stderr.splitlines()
    assert lines[:-1] == [f"wrote {tmp_path / rel}" for rel in OUTPUT_FILES]
    assert lines[-1] == "apir-codegen: 23 commands in 4 groups; 3 files written, 0 unchanged."
    again = run_cli("generate", spec)
    assert again.stderr == "apir-codegen: 23 commands in 4 groups; 0 files written, 3 unchanged.\n"
    quiet = run_cli("generate", spec, "-q")
    assert (quiet.returncode, quiet.stderr, quiet.stdout) == (0, "", "")
