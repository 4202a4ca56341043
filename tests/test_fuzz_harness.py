"""The generated fuzz harness (``marshalling.fuzz_output``): opt-in, where it is asked for, formatted as ggml formats.

Its behaviour is tested by compiling and running it: tests/marshalling/test_fuzz_standin.py (anywhere) and
tests/marshalling/test_ggml_fuzz.py (against ggml, with ../shared).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from apir_codegen import load_spec, render
from apir_codegen.pipeline import check_source

from .clangformat import clang_format, needs_clang_format
from .conftest import EXAMPLE_SPEC
from .helpers import run_cli

FUZZ_SPEC = Path(__file__).resolve().parent / "marshalling" / "fuzz" / "spec.yaml"
OUTPUT = "backend/backend-fuzz.gen.cpp"


def example_with_fuzz(tmp_path: Path, path: str = OUTPUT) -> Path:
    spec = tmp_path / EXAMPLE_SPEC.name
    spec.write_text(EXAMPLE_SPEC.read_text().replace("\nmarshalling:\n", f"\nmarshalling:\n  fuzz_output: {path}\n"))
    return spec


def test_absent_means_not_generated() -> None:
    assert not any("fuzz" in path for path in render(load_spec(EXAMPLE_SPEC)))
    assert load_spec(EXAMPLE_SPEC).marshalling.fuzz_output is None  # type: ignore[union-attr]


def test_generated_where_asked(tmp_path: Path) -> None:
    texts = render(load_spec(example_with_fuzz(tmp_path, "fuzz/target.cpp")))
    harness = texts["fuzz/target.cpp"]
    assert '#include "../backend/backend-dispatched.h"' in harness
    assert 'extern "C" int LLVMFuzzerTestOneInput(const uint8_t * data, size_t size);' in harness
    # only the generated commands are fuzzed: 18 of the example's 23
    assert harness.count("cmd == APIR_COMMAND_TYPE_") == 18
    assert "APIR_COMMAND_TYPE_BACKEND_GRAPH_COMPUTE" not in harness
    # the buffer-type token exists because the example's commands take buffer-type handles
    assert "ggml_backend_dev_buffer_type(dev)" in harness
    assert "ggml_backend_dev_buffer_type" not in render(load_spec(FUZZ_SPEC))[OUTPUT]


def test_the_other_files_do_not_change(tmp_path: Path) -> None:
    plain = render(load_spec(EXAMPLE_SPEC))
    fuzzed = render(load_spec(example_with_fuzz(tmp_path)))
    assert {path: text for path, text in fuzzed.items() if path != OUTPUT} == plain


@needs_clang_format
@pytest.mark.parametrize("which", ["example", "standin-spec"])
def test_fixed_point_of_clang_format(which: str, tmp_path: Path) -> None:
    spec = example_with_fuzz(tmp_path) if which == "example" else FUZZ_SPEC
    text = render(load_spec(spec))[OUTPUT]
    assert clang_format(text, filename="backend-fuzz.gen.cpp") == text


@needs_clang_format
def test_unformatted_style_formats_to_the_same_file(tmp_path: Path) -> None:
    spec = load_spec(example_with_fuzz(tmp_path))
    assert clang_format(render(spec, "unformatted")[OUTPUT], filename="x.cpp") == render(spec)[OUTPUT]


def test_generate_check_dump_and_docs(tmp_path: Path) -> None:
    spec = example_with_fuzz(tmp_path)
    out = tmp_path / "out"
    assert run_cli("generate", spec, "-o", out).returncode == 0
    assert (out / OUTPUT).is_file()
    assert run_cli("check", spec, "-o", out).returncode == 0
    (out / OUTPUT).write_text("stale\n")
    assert run_cli("check", spec, "-o", out).returncode == 1
    dumped = json.loads(run_cli("dump", spec).stdout)
    assert dumped["marshalling"]["fuzz_output"] == OUTPUT
    assert f"fuzz harness `{OUTPUT}`" in run_cli("docs", spec).stdout


def test_an_invalid_path_is_a_located_error() -> None:
    source = FUZZ_SPEC.read_text().replace('fuzz_output: "backend/backend-fuzz.gen.cpp"', 'fuzz_output: "/tmp/x.cpp"')
    spec, diagnostics = check_source(source, "spec.yaml")
    assert spec is None
    (error,) = diagnostics
    assert error.message == "marshalling.fuzz_output '/tmp/x.cpp' is absolute"
    assert (error.location.line, error.location.column) == (5, 16)


def test_outputs_lists_the_harness_last(tmp_path: Path) -> None:
    spec = example_with_fuzz(tmp_path)
    listed = run_cli("outputs", spec, "-o", tmp_path / "out").stdout.splitlines()
    assert listed == [str(tmp_path / "out" / rel) for rel in render(load_spec(spec))]
    assert listed[-1] == str(tmp_path / "out" / OUTPUT)
