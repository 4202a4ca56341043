"""ggml's formatting, built in: clang-format's layout of our headers, without clang-format.

ggml formats its generated headers with clang-format and the style in
``format/ggml-style.clang-format``.  This package reproduces what clang-format
23.1.3 makes of the headers our emitters outline, from their structure.
Every rule reads its options from :mod:`.style`, by clang-format's names:

* :mod:`.style`: the options, with ggml's values;
* :mod:`.layout`: where lines go (indentation, empty lines); it drives the rest;
* :mod:`.breaking`: breaking declarations and function heads (with
  clang-format's penalties), enumerators, table entries and string literals;
* :mod:`.alignment`: AlignConsecutiveDeclarations and
  AlignConsecutiveAssignments, clang-format's ``AlignTokens`` (the one
  alignment engine);
* :mod:`.spelling`: PointerAlignment and QualifierAlignment (the latter
  still applied when ``cdecl`` parses a type; its place is here).
"""

from __future__ import annotations

from ..outline import Outline
from .layout import lay_out
from .style import GGML, Style

__all__ = ["GGML", "Style", "render", "render_ggml"]


def render_ggml(outline: Outline) -> str:
    """The outline in ggml's style."""
    return render(outline, GGML)


def render(outline: Outline, style: Style) -> str:
    """The outline in ``style``: laid out as changes, aligned, written."""
    return lay_out(outline, style)
