"""Formatters: turn an emitter's structure (:mod:`.outline` for a header, :mod:`.statements` for
function definitions) into text; ggml's style lives in :mod:`.ggml`, the unformatted one in :mod:`.raw`."""

from __future__ import annotations

from .ggml import render_ggml
from .outline import Outline

__all__ = ["Outline", "render_ggml", "render_raw"]


def render_raw(outline: Outline) -> str:
    """The unformatted text (:mod:`.raw`, loaded only when asked for)."""
    from .raw import render_raw as render

    return render(outline)
