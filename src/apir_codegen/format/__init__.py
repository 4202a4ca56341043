"""Formatters: turn an emitter's structured document into text."""

from __future__ import annotations

from .document import Document
from .ggml import render_ggml
from .raw import render_raw

__all__ = ["Document", "render_ggml", "render_raw"]
