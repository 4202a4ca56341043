"""Formatters: turn an emitter's structured document into text."""

from __future__ import annotations

from .document import Document
from .ggml import render_ggml

__all__ = ["Document", "render_ggml", "render_raw"]


def render_raw(doc: Document) -> str:
    """The unformatted text (:mod:`.raw`, loaded only when asked for)."""
    from .raw import render_raw as render

    return render(doc)
