"""ggml's formatting, built in: clang-format's layout of our files, without clang-format.

ggml formats its generated files with clang-format and the style in
``format/ggml-style.clang-format``.  This package reproduces what clang-format
23.1.3 makes of the headers our emitters outline (:mod:`..outline`) and of
the function definitions they describe (:mod:`..statements`), from their
structure.  Every rule of ggml's style is in this folder, and reads its
options from :mod:`.style`, by clang-format's names:

* :mod:`.style`: the options, with ggml's values;
* :mod:`.layout`: where a header's lines go (indentation, empty lines); it
  drives the rest for headers;
* :mod:`.bodies`: the same for function definitions and their statements
  (indentation of blocks, empty lines, SeparateDefinitionBlocks);
* :mod:`.breaking`: clang-format's fixed penalties, string-literal splitting
  (BreakStringLiterals), and breaking the headers' declarations and function
  heads, enumerators and table entries;
* :mod:`.linebreak`: breaking a statement of a function body, a port of
  clang-format's TokenAnnotator, ContinuationIndenter and optimizing line
  formatter;
* :mod:`.alignment`: AlignConsecutiveDeclarations and
  AlignConsecutiveAssignments, clang-format's ``AlignTokens`` (the one
  alignment engine, for headers and bodies);
* :mod:`.spelling`: PointerAlignment and QualifierAlignment (the model
  keeps canonical types; the formatter spells them).
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
