"""Emit: the model to one outline (the structure of a header, see format/outline.py) per generated header.

Emitters are pure functions of the model; formatting is the formatter's job.
"""

from __future__ import annotations

from collections.abc import Callable

from ..format.outline import Outline
from ..model import APIR_BACKEND_HEADER, BACKEND_DISPATCHED_HEADER, VIRTGPU_FORWARD_HEADER, Spec
from . import apir_backend, backend_dispatched, virtgpu_forward

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from ..format.statements import TopLevel

EMITTERS: dict[str, Callable[[Spec], Outline]] = {
    APIR_BACKEND_HEADER: apir_backend.emit,
    BACKEND_DISPATCHED_HEADER: backend_dispatched.emit,
    VIRTGPU_FORWARD_HEADER: virtgpu_forward.emit,
}


def outlines(spec: Spec) -> dict[str, Outline]:
    """One outline per generated header, keyed by its path relative to the output directory.

    With marshalling, the hook header too.
    """
    out = {path: emit(spec) for path, emit in EMITTERS.items()}
    if spec.marshalling is not None:
        from . import hook_header

        out[spec.marshalling.host_impl_header] = hook_header.emit(spec)
    return out


def definitions(spec: Spec) -> dict[str, list[TopLevel]]:
    """The generated source files (function definitions), keyed by path: none without marshalling."""
    if spec.marshalling is None:
        return {}
    from . import guest_stubs, host_handlers

    out = {
        spec.marshalling.guest_output: guest_stubs.emit(spec),
        spec.marshalling.host_output: host_handlers.emit(spec),
    }
    if spec.marshalling.fuzz_output is not None:
        from . import fuzz_harness

        out[spec.marshalling.fuzz_output] = fuzz_harness.emit(spec)
    return out
