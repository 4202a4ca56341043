"""The reference pipeline: ggml's own generator script, then clang-format 23.1.3 in ggml's style.

ggml's ``regenerate_remoting.py`` is imported by path from ``../shared`` (never
copied into this repository) and its ``generate_*`` methods give the text it
writes; the pinned clang-format then formats each header as ggml's script
does (``clang-format -i`` on a ``.gen.h`` file), many specs in one process.

When clang-format refuses a header (it guesses Objective-C from a name such as
``NSString``, and ggml's style declares only C++), ggml's script leaves the
header unformatted.  apir-codegen formats it anyway (a documented exception);
the header is then compared with what clang-format makes of it as C++.
"""

from __future__ import annotations

import functools
import importlib.util
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from .clangformat import clang_format, clang_format_binary
from .conftest import UPSTREAM

#: The ggml revision whose script is the reference (the one the README names).
GGML_SCRIPT = UPSTREAM / "ggml-48f38694" / "source" / "src" / "ggml-virtgpu" / "regenerate_remoting.py"
#: ggml's own style file (not the project's copy: this is the reference).
REFERENCE_STYLE = UPSTREAM / "ggml-style.clang-format"

#: Header path (relative to the output directory) -> the script's method that writes it.
METHODS = {
    "backend/shared/apir_backend.gen.h": "generate_apir_backend_header",
    "backend/backend-dispatched.gen.h": "generate_backend_dispatched_header",
    "virtgpu-forward.gen.h": "generate_virtgpu_forward_header",
}


def available() -> bool:
    """Whether the reference pipeline can run here (../shared and the pinned clang-format)."""
    return GGML_SCRIPT.is_file() and REFERENCE_STYLE.is_file() and clang_format_binary() is not None


@functools.cache
def ggml_script() -> ModuleType:
    """ggml's generator script, imported by path."""
    spec = importlib.util.spec_from_file_location("ggml_regenerate_remoting", GGML_SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@dataclass
class Reference:
    """What the reference pipeline makes of one spec.

    ``headers`` is None when ggml's script itself fails on the spec (``error``
    says how); ``refused`` names the headers clang-format refused to format
    (Objective-C guess), which the script leaves unformatted.
    """

    headers: dict[str, str] | None
    error: str | None = None
    refused: tuple[str, ...] = ()


def unformatted(spec_path: Path) -> dict[str, str]:
    """The three headers as ggml's script writes them before clang-format."""
    generator: Any = ggml_script().RemotingCodebaseGenerator(yaml_path=str(spec_path))
    return {relpath: getattr(generator, method)() for relpath, method in METHODS.items()}


def unformatted_headers(spec_text: str) -> dict[str, str]:
    """:func:`unformatted` for spec text."""
    with tempfile.TemporaryDirectory(prefix="apir-ref-") as work:
        path = Path(work) / "ggmlremoting_functions.yaml"
        path.write_text(spec_text, encoding="utf-8")
        return unformatted(path)


def _format_files(paths: list[Path]) -> bool:
    """``clang-format -i`` as ggml's script runs it; False when it refused any file."""
    binary = clang_format_binary()
    assert binary is not None
    proc = subprocess.run([binary, f"--style=file:{REFERENCE_STYLE}", "-i", *map(str, paths)], capture_output=True)
    return proc.returncode == 0


def format_as_cpp(text: str) -> str:
    """clang-format's output for a header, its language forced to C++."""
    return clang_format(text, REFERENCE_STYLE, filename="header.cpp")


def run_reference(spec_texts: list[str]) -> list[Reference]:
    """The reference pipeline over many specs (YAML texts), with one clang-format process
    for all of them (and one more per header only when clang-format refuses some)."""
    with tempfile.TemporaryDirectory(prefix="apir-ref-") as work:
        results: list[Reference] = []
        files: list[Path] = []
        for index, text in enumerate(spec_texts):
            case = Path(work) / str(index)
            case.mkdir()
            spec_path = case / "ggmlremoting_functions.yaml"
            spec_path.write_text(text, encoding="utf-8")
            try:
                headers = unformatted(spec_path)
            except Exception as exc:  # the script's own failure (KeyError, TypeError, ...)
                results.append(Reference(None, f"{type(exc).__name__}: {exc}"))
                continue
            for relpath, header in headers.items():
                path = case / "out" / relpath
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(header, encoding="utf-8")
                files.append(path)
            results.append(Reference(headers))
        written = {path: path.read_bytes() for path in files}
        if files and not _format_files(files):
            # Some header was refused (clang-format goes on with the others and
            # leaves it as it was): among the unchanged ones, find which.
            # ggml's script leaves a refused header as it is; it is formatted
            # as C++ for the comparison (see the module docstring).
            for path in files:
                if path.read_bytes() == written[path] and not _format_files([path]):
                    _mark_refused(results, Path(work), path)
                    path.write_text(format_as_cpp(path.read_text(encoding="utf-8")), encoding="utf-8")
        for index, result in enumerate(results):
            if result.headers is not None:
                case = Path(work) / str(index) / "out"
                result.headers = {rel: (case / rel).read_text(encoding="utf-8") for rel in METHODS}
        return results


def _mark_refused(results: list[Reference], work: Path, path: Path) -> None:
    index = int(path.relative_to(work).parts[0])
    relpath = str(path.relative_to(work / str(index) / "out"))
    results[index].refused += (relpath,)


@dataclass
class Outcome:
    """One spec through both pipelines.

    ``kind`` is ``identical`` (apir-codegen writes what the reference writes),
    ``rejected`` (apir-codegen refuses the spec with error diagnostics) or
    ``different`` (it writes something else without a word: always a bug);
    ``reference-failed`` when ggml's script itself fails on a spec apir-codegen
    accepts (the generator is meant never to produce one).
    """

    kind: str
    text: str
    detail: str = ""
    refused: tuple[str, ...] = ()


def compare(spec_texts: list[str]) -> list[Outcome]:
    """apir-codegen (ggml style) against the reference pipeline, spec by spec."""
    import difflib

    from apir_codegen import render
    from apir_codegen.pipeline import check_source

    references = run_reference(spec_texts)
    outcomes: list[Outcome] = []
    for text, reference in zip(spec_texts, references, strict=True):
        spec, diagnostics = check_source(text, "spec.yaml")
        if spec is None:
            errors = [d.format() for d in diagnostics if d.severity == "error"]
            assert errors, "a spec without a model must have an error"
            outcomes.append(Outcome("rejected", text, errors[0]))
            continue
        if reference.headers is None:
            outcomes.append(Outcome("reference-failed", text, reference.error or ""))
            continue
        ours = render(spec)
        diff: list[str] = []
        for relpath, expected in reference.headers.items():
            if ours[relpath] != expected:
                diff += difflib.unified_diff(
                    expected.splitlines(),
                    ours[relpath].splitlines(),
                    f"reference/{relpath}",
                    f"ours/{relpath}",
                    lineterm="",
                )
        outcomes.append(Outcome("different" if diff else "identical", text, "\n".join(diff), reference.refused))
    return outcomes
