"""Shared fixtures: the reference material in ../shared (skipped when absent)."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Property tests: a fixed, reproducible profile for CI, a long one to run by hand
# (HYPOTHESIS_PROFILE=long python -m pytest tests/test_formatting.py).
settings.register_profile(
    "ci",
    max_examples=300,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)
settings.register_profile(
    "long",
    max_examples=5000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
UPSTREAM = SHARED / "upstream"
CONFORMANCE = SHARED / "conformance-sample"
EXAMPLE_SPEC = ROOT / "examples" / "ggml-virtgpu" / "ggmlremoting_functions.yaml"


def without_marshalling(text: str) -> str:
    """A spec's text without its marshalling annotations (``marshalling:`` and every ``marshal:`` block)."""
    out: list[str] = []
    cut: int | None = None  # indentation of the block being left out
    for line in text.splitlines(keepends=True):
        indent = len(line) - len(line.lstrip(" "))
        if cut is not None:
            if not line.strip() or indent > cut:
                continue
            cut = None
        key = line.strip()
        if key.startswith(("marshal:", "marshalling:")):
            cut = indent
            continue
        out.append(line)
    return "".join(out)


#: The example spec without marshalling: ggml's protocol alone, for the tests of the headers,
#: lock files, compatibility and writing (written once per session, beside nothing else).
PLAIN_EXAMPLE_SPEC = Path(tempfile.mkdtemp(prefix="apir-codegen-plain-example-")) / "ggmlremoting_functions.yaml"
PLAIN_EXAMPLE_SPEC.write_text(without_marshalling(EXAMPLE_SPEC.read_text()))
atexit.register(shutil.rmtree, PLAIN_EXAMPLE_SPEC.parent, True)
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def upstream_revisions() -> list[Path]:
    return sorted(p for p in UPSTREAM.glob("ggml-*") if p.is_dir()) if UPSTREAM.is_dir() else []


def conformance_cases() -> list[Path]:
    return sorted(p for p in CONFORMANCE.glob("case*") if p.is_dir()) if CONFORMANCE.is_dir() else []


needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason="../shared reference material is absent")
