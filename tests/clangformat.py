"""Running the pinned clang-format (23.1.3, from the test extra) with ggml's style.

The style is the project's own file (``src/apir_codegen/format/ggml-style.clang-format``,
installed with the package), so these tests run in any clone; a test proves it
equivalent to ggml's file when ../shared is there.
"""

from __future__ import annotations

import functools
import importlib.resources
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

PINNED = "23.1.3"
GGML_STYLE = Path(str(importlib.resources.files("apir_codegen.format").joinpath("ggml-style.clang-format")))


@functools.cache
def clang_format_binary() -> str | None:
    """The pinned clang-format: the test extra's (beside this Python) first, then PATH."""
    candidates = [Path(sys.executable).parent / "clang-format", shutil.which("clang-format")]
    for candidate in candidates:
        if candidate is None or not Path(candidate).exists():
            continue
        out = subprocess.run([str(candidate), "--version"], capture_output=True, text=True).stdout
        match = re.search(r"version (\d+\.\d+\.\d+)", out)
        if match and match.group(1) == PINNED:
            return str(candidate)
    return None


needs_clang_format = pytest.mark.skipif(
    clang_format_binary() is None, reason=f"clang-format {PINNED} is needed (pip install -e '.[test]')"
)


def clang_format_many(texts: list[str], style: Path = GGML_STYLE) -> list[str]:
    """Format several headers with one clang-format process (each as its own file)."""
    binary = clang_format_binary()
    assert binary is not None
    with tempfile.TemporaryDirectory(prefix="apir-cf-") as work:
        paths = [Path(work) / f"header{index}.h" for index in range(len(texts))]
        for path, text in zip(paths, texts, strict=True):
            path.write_text(text)
        subprocess.run([binary, f"--style=file:{style}", "-i", *map(str, paths)], check=True)
        return [path.read_text() for path in paths]


def dump_config(style: Path) -> str:
    """The whole configuration clang-format makes of a style file."""
    binary = clang_format_binary()
    assert binary is not None
    return subprocess.run(
        [binary, f"--style=file:{style}", "--dump-config"], capture_output=True, text=True, check=True
    ).stdout


def clang_format(text: str, style: Path = GGML_STYLE, filename: str = "header.h") -> str:
    """``text`` formatted as a file named ``filename`` (``.cpp``: never guessed to be Objective-C)."""
    binary = clang_format_binary()
    assert binary is not None
    return subprocess.run(
        [binary, f"--style=file:{style}", f"--assume-filename={filename}"],
        input=text,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
