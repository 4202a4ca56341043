"""The build cache of ggml's libraries: reused when complete, rebuilt when the source changes, one build at a time.

Exercised on a tiny CMake project that builds the two library targets the
cache asks for, so it runs anywhere cmake and g++ are (not only with ../shared).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import ROOT
from .ggml_build import CACHE_ENV, GgmlBuildError, build_ggml, cache_root, find_cmake, find_compilers

CMAKE = find_cmake()
COMPILERS = find_compilers()
pytestmark = pytest.mark.skipif(CMAKE is None or COMPILERS is None, reason="cmake or gcc/g++ is not installed")

PROJECT = """\
cmake_minimum_required(VERSION 3.14)
project(fake CXX)
add_library(ggml-base SHARED base.cpp)
set_target_properties(ggml-base PROPERTIES VERSION 0.1.0 SOVERSION 0)
add_library(ggml-cpu SHARED cpu.cpp)
target_link_libraries(ggml-cpu PRIVATE ggml-base)
"""


def fake_source(root: Path, value: int = 1) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "CMakeLists.txt").write_text(PROJECT)
    (root / "base.cpp").write_text(f"int fake_base() {{ return {value}; }}\n")
    (root / "cpu.cpp").write_text("int fake_base();\nint fake_cpu() { return fake_base() + 1; }\n")
    return root


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    return tmp_path / "cache"


def _build(source: Path) -> tuple[str, bool]:
    assert CMAKE is not None and COMPILERS is not None
    result = build_ggml(source, CMAKE, *COMPILERS)
    return str(result.lib_dir), result.reused


def test_builds_once_then_reuses(tmp_path: Path, cache: Path) -> None:
    source = fake_source(tmp_path / "src")
    lib_dir, reused = _build(source)
    assert not reused
    assert cache_root() == cache and Path(lib_dir).parent.parent == cache
    for name in ("libggml-base.so", "libggml-base.so.0", "libggml-cpu.so"):
        assert (Path(lib_dir) / name).is_file(), name
    assert not (Path(lib_dir).parent / "build").exists()  # objects are not kept
    assert _build(source) == (lib_dir, True)
    assert [p.name for p in cache.iterdir() if not p.name.endswith(".lock")] == [Path(lib_dir).parent.name]


def test_a_changed_source_builds_afresh(tmp_path: Path, cache: Path) -> None:
    first, _ = _build(fake_source(tmp_path / "src"))
    second, reused = _build(fake_source(tmp_path / "src", value=2))
    assert not reused and second != first


def test_an_incomplete_build_is_not_reused(tmp_path: Path, cache: Path) -> None:
    source = fake_source(tmp_path / "src")
    lib_dir, _ = _build(source)
    (Path(lib_dir).parent / "complete").unlink()  # as if a build had died before finishing
    assert _build(source) == (lib_dir, False)


def test_a_failed_build_says_why_and_leaves_nothing(tmp_path: Path, cache: Path) -> None:
    source = fake_source(tmp_path / "src")
    (source / "base.cpp").write_text("this is not C++\n")
    with pytest.raises(GgmlBuildError, match="ggml build failed"):
        _build(source)
    assert [p for p in cache.iterdir() if not p.name.endswith(".lock")] == []


def test_concurrent_sessions_build_once(tmp_path: Path, cache: Path) -> None:
    """Two sessions at once (two processes): one builds under the lock, the other waits and reuses."""
    source = fake_source(tmp_path / "src")
    script = (
        "import sys; from tests.marshalling.ggml_build import *; "
        f"r = build_ggml(__import__('pathlib').Path({str(source)!r}), {CMAKE!r}, *find_compilers()); "
        "print(r.lib_dir, r.reused)"
    )
    env = {**os.environ, CACHE_ENV: str(cache), "PYTHONPATH": str(ROOT)}
    runs = [
        subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, env=env) for _ in range(2)
    ]
    outputs = [run.communicate(timeout=120)[0].split() for run in runs]
    assert all(run.returncode == 0 for run in runs)
    assert outputs[0][0] == outputs[1][0]
    assert sorted(reused for _, reused in outputs) == ["False", "True"]
