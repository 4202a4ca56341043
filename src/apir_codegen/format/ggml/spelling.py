"""Spelling: how the style writes a C type's words (PointerAlignment, QualifierAlignment).

Options: PointerAlignment (Middle), QualifierAlignment (Left).

* ``PointerAlignment: Middle``: each run of ``*`` is a word of its own, set off
  by a space on both sides (``const char * name``), which the line breakers and
  the renderer get by joining words with spaces.
* ``QualifierAlignment: Left``: ``char const *`` is written ``const char *``,
  as clang-format moves the qualifiers of the type as the spec wrote it
  (``CType.written``); the model keeps canonical types only.
  :func:`type_words` is the one place the formatter asks for a type's words.
"""

from __future__ import annotations

from ...cdecl import BUILTIN_TYPES, KNOWN_TYPE_NAMES, QUALIFIERS, TAGS, glue_stars, is_possible_macro

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from ...cdecl import CType
    from ..outline import Declaration
    from .style import Style


def type_words(ctype: CType, style: Style, first_on_line: bool) -> tuple[str, ...]:
    """The words of ``ctype`` as ``style`` spells them, ``*`` runs glued.

    ``first_on_line``: the type starts its line (a return type, a local
    declaration) rather than following ``(`` or ``,`` (a parameter); clang-format's
    QualifierAlignment looks at what precedes the type.
    """
    words = ctype.written
    if words is None:
        return ctype.tokens  # built in canonical order, which QualifierAlignment keeps
    known = _SPELLED[first_on_line]
    spelled = known.get(words)
    if spelled is None:
        spelled = known[words] = qualifier_aligned(list(words), style, first_on_line)
    return spelled


#: type_words of the types met so far, by line context and written words (a spec
#: repeats a few types many times).  Valid for every Style: QualifierAlignment Left is
#: the only value a Style accepts.
_SPELLED: dict[bool, dict[tuple[str, ...], tuple[str, ...]]] = {True: {}, False: {}}


def declaration_words(decl: Declaration, style: Style) -> tuple[tuple[str, ...], list[tuple[tuple[str, ...], str]]]:
    """A declaration's words: its specifiers and return type's, and each parameter's type words and name."""
    ret = (*decl.specifiers, *type_words(decl.return_type, style, first_on_line=True))
    known = _SPELLED[False]  # the usual case inline: a parameter's type met before
    params = []
    for param in decl.params:
        words = param.type.written
        spelled = known.get(words) if words is not None else None
        params.append((spelled or type_words(param.type, style, first_on_line=False), param.name))
    return ret, params


def qualifier_aligned(words: list[str], style: Style, first_on_line: bool) -> tuple[str, ...]:
    """QualifierAlignment: how clang-format (``Left``) respells a type given as the words written."""
    assert style.QualifierAlignment == "Left"  # the only value the Style accepts
    if not any(word in QUALIFIERS for word in words[1:]):
        return glue_stars(words)  # nothing to move
    for qualifier in ("volatile", "const"):
        words = _align_qualifier(words, qualifier, at_line_start=first_on_line)
    return glue_stars(words)


def _align_qualifier(words: list[str], qualifier: str, at_line_start: bool) -> list[str]:
    """One pass of clang-format's ``QualifierAlignment: Left`` for one qualifier.

    Mirrors LeftRightQualifierAlignmentFixer as observed on clang-format 20 to 23:
    a qualifier written after a builtin or well-known type moves in front of it,
    after another type name it is inserted before that name, except after
    ``struct`` and after names that look like macros; one written after ``*``
    only reorders the qualifier run it ends.  Edits are computed on the words as
    they were when the pass started.
    """
    seq: list[str | None] = [None if at_line_start else "("] + list(words)

    def prev(k: int) -> int | None:
        k -= 1
        return k if k >= 0 and seq[k] is not None else None

    edits: list[tuple[int, int, list[str | None]]] = []
    for i in range(1, len(seq)):
        if seq[i] != qualifier or prev(i) is None:
            continue
        t = prev(i)
        while t is not None and seq[t] in QUALIFIERS:
            t = prev(t)
        if t is None or seq[t] == "*":
            first = i
            while (p := prev(first)) is not None and seq[p] in QUALIFIERS:
                first = p
            if first != i:
                edits.append((first, i + 1, [qualifier, *seq[first:i]]))
            continue
        word = seq[t]
        assert word is not None
        if word == "(" or word in TAGS or is_possible_macro(word):
            continue
        if word in BUILTIN_TYPES or word in KNOWN_TYPE_NAMES:
            last = t
            while (p := prev(last)) is not None and (
                seq[p] in BUILTIN_TYPES or seq[p] in KNOWN_TYPE_NAMES or seq[p] in QUALIFIERS
            ):
                last = p
            edits.append((last, i + 1, [qualifier, *seq[last:i]]))
            continue
        start = t
        while (p := prev(start)) is not None and seq[p] in QUALIFIERS:
            start = p
        before = prev(start)
        if before is None or seq[before] != "struct":
            edits.append((start, start, [qualifier]))
            edits.append((i, i + 1, []))
    out = list(seq)
    for begin, end, replacement in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
        out[begin:end] = replacement
    return [w for w in out[1:] if w is not None]


def hides_next_name(tokens: tuple[str, ...]) -> bool:
    """Whether clang-format does not see the name after a type spelled ``tokens`` as one.

    Its isStartOfName skips only ``const`` before a name: after ``volatile``
    (``int * volatile p``, ``struct s volatile const p``) the name is not a
    declaration name, so it is neither aligned nor broken before.
    """
    index = len(tokens)
    while index and tokens[index - 1] == "const":
        index -= 1
    return bool(index) and tokens[index - 1] == "volatile"
