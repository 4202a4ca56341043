"""Formatters: turn an emitter's outline (the structure of a header) into text."""

from __future__ import annotations

from .outline import Outline
from .ggml import render_ggml

__all__ = ["Outline", "render_ggml", "render_raw"]


def render_raw(outline: Outline) -> str:
    """The unformatted text (:mod:`.raw`, loaded only when asked for)."""
    from .raw import render_raw as render

    return render(outline)
