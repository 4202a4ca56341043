"""clang-format's penalties for line breaks, named after where clang-format defines them.

clang-format chooses line breaks by cost: each break costs its token's split
penalty (``TokenAnnotator::splitPenalty`` plus ``20 * BindingStrength``), plus
``15`` for the first break at each nesting level
(``ContinuationIndenter::addTokenOnNewLine``), and every column past the limit
costs ``PenaltyExcessCharacter``.  The constants below are the ones the
declarations of our headers meet; the style options among them are read from
the :class:`~.style.Style`.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from .style import Style

#: ``TokenAnnotator::calculateFormattingInformation``: a token's split penalty
#: grows by this much per level of binding strength.
BINDING_STRENGTH_FACTOR = 20
#: Binding strength outside any parenthesis (``AnnotatingParser``'s first
#: context); each parenthesis level adds one (``ScopedContextCreator``).
TOP_LEVEL_BINDING_STRENGTH = 1

#: splitPenalty before a name (``TT_StartOfName``) inside parentheses, e.g. a parameter's name.
START_OF_NAME = 200
#: splitPenalty after the ``(`` of a function declaration, when AlignAfterOpenBracket is not DontAlign.
AFTER_DECLARATION_OPEN_PAREN = 100
#: splitPenalty after a comma.
AFTER_COMMA = 1
#: splitPenalty after ``struct``, ``class`` or ``union``.
AFTER_RECORD_KEYWORD = 5000
#: ``ContinuationIndenter::addTokenOnNewLine``: the first line break at each
#: nesting level costs this much more, so that similar breaks are preferred.
FIRST_BREAK_ON_LEVEL = 15
#: ``ContinuationIndenter::canBreak``: with ``BreakAfterReturnType: None``,
#: no break before a function's name when the line so far is narrower than this.
SHORT_RETURN_TYPE_COLUMNS = 6


def binding(nesting: int) -> int:
    """What the binding strength adds to a split penalty, at a parenthesis nesting level."""
    return BINDING_STRENGTH_FACTOR * (TOP_LEVEL_BINDING_STRENGTH + nesting)


def before_function_name(style: Style) -> int:
    """Breaking between a declaration's return type and its name (nesting level 0)."""
    return style.PenaltyReturnTypeOnItsOwnLine + binding(0)


def before_parameter_name() -> int:
    """Breaking between a parameter's type and its name (nesting level 1)."""
    return START_OF_NAME + binding(1)


def after_open_paren(style: Style) -> int:
    """Breaking after a declaration's ``(``, before its first parameter (nesting level 1)."""
    if style.PenaltyBreakOpenParenthesis:
        return style.PenaltyBreakOpenParenthesis + binding(1)
    return AFTER_DECLARATION_OPEN_PAREN + binding(1)  # AlignAfterOpenBracket is not DontAlign


def after_comma() -> int:
    """Breaking after a comma of a parameter list (nesting level 1)."""
    return AFTER_COMMA + binding(1)


def after_record_keyword(nesting: int) -> int:
    """Breaking after ``struct``/``class``/``union`` in a type."""
    return AFTER_RECORD_KEYWORD + binding(nesting)
