"""Emit: the model to one outline (the structure of a header, see format/outline.py) per generated header.

Emitters are pure functions of the model; formatting is the formatter's job.
"""

from __future__ import annotations

from collections.abc import Callable

from ..format.outline import Outline
from ..model import APIR_BACKEND_HEADER, BACKEND_DISPATCHED_HEADER, VIRTGPU_FORWARD_HEADER, Spec
from . import apir_backend, backend_dispatched, virtgpu_forward

EMITTERS: dict[str, Callable[[Spec], Outline]] = {
    APIR_BACKEND_HEADER: apir_backend.emit,
    BACKEND_DISPATCHED_HEADER: backend_dispatched.emit,
    VIRTGPU_FORWARD_HEADER: virtgpu_forward.emit,
}


def outlines(spec: Spec) -> dict[str, Outline]:
    """One outline per output file, keyed by its path relative to the output directory."""
    return {path: emit(spec) for path, emit in EMITTERS.items()}
