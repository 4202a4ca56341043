"""Shared fixtures: the reference material in ../shared (skipped when absent)."""

from __future__ import annotations

from pathlib import Path

import os

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
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def upstream_revisions() -> list[Path]:
    return sorted(p for p in UPSTREAM.glob("ggml-*") if p.is_dir()) if UPSTREAM.is_dir() else []


def conformance_cases() -> list[Path]:
    return sorted(p for p in CONFORMANCE.glob("case*") if p.is_dir()) if CONFORMANCE.is_dir() else []


needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason="../shared reference material is absent")
