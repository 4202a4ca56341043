"""Shared fixtures: the reference material in ../shared (skipped when absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

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
