"""Spelling: how the style writes a C type's words (PointerAlignment, QualifierAlignment).

Options: PointerAlignment (Middle), QualifierAlignment (Left).

* ``PointerAlignment: Middle``: each run of ``*`` is a word of its own, set off
  by a space on both sides (``const char * name``), which the line breaker and
  the renderer get by joining words with spaces.
* ``QualifierAlignment: Left``: ``char const *`` is written ``const char *``.
  Today :func:`apir_codegen.cdecl.clang_format_spelling` does it when a type
  is parsed and stores the result as ``CType.spelled``, which ``CType.tokens``
  returns.  It belongs here, as a function of the canonical type and the style:
  :func:`type_words` is the one place the formatter asks for a type's words.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from ...cdecl import CType
    from ..outline import Declaration
    from .style import Style


def type_words(ctype: CType, style: Style) -> tuple[str, ...]:
    """The words of ``ctype`` as ``style`` spells them, ``*`` runs glued into one word."""
    return ctype.tokens


def declaration_words(
    decl: Declaration, style: Style
) -> tuple[tuple[str, ...], list[tuple[tuple[str, ...], str]]]:
    """A declaration's words: its specifiers and return type's, and each parameter's type words and name."""
    ret = (*decl.specifiers, *type_words(decl.return_type, style))
    return ret, [(type_words(param.type, style), param.name) for param in decl.params]
