"""ggml's clang-format style, as a record whose fields are clang-format's options.

Each rule of the formatter reads the options it depends on from a :class:`Style`,
under clang-format's own names, so that a reader can go from a line of
``ggml-style.clang-format`` to the code that implements it by searching for
the option's name.  :data:`GGML` holds the values of the project's ggml style file,
``format/ggml-style.clang-format`` (``tests/test_style.py`` parses it and
compares, and compares with what clang-format reads from it).  That file is
``BasedOnStyle: LLVM`` and sets only what differs from LLVM: the options a
rule reads that it leaves unset have LLVM's defaults (the test lists them).

Only options that some rule reads are here.  Numbers (limits, widths,
penalties) may take any value; of the options that choose a behaviour, the
formatter implements ggml's choice only (``BinPackParameters: OnePerLine``,
``PointerAlignment: Middle``, ...), and a style asking for another is refused
when it is made rather than formatted wrongly.
"""

from __future__ import annotations

from ...records import Record, set_field

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any


def _set_options(record: Record, options: dict[str, Any]) -> None:
    """Set every field of ``record`` from ``options``, by name; all are required."""
    missing = [name for name in record._fields if name not in options]
    unknown = [name for name in options if name not in record._fields]
    if missing or unknown:
        raise TypeError(f"{type(record).__name__}: missing {missing}, unknown {unknown}")
    for name in record._fields:
        set_field(record, name, options[name])


class AlignConsecutiveStyle(Record):
    """clang-format's ``AlignConsecutiveStyle``: what the AlignConsecutive* options align across.

    ggml writes the short form ``AcrossComments``: enabled, across comment
    lines, not across empty lines.
    """

    __slots__ = ("Enabled", "AcrossEmptyLines", "AcrossComments")
    Enabled: bool
    AcrossEmptyLines: bool
    AcrossComments: bool

    def __init__(self, **options: bool) -> None:
        _set_options(self, options)


#: The short forms clang-format accepts for an AlignConsecutiveStyle.
ALIGN_CONSECUTIVE_SHORT_FORMS = {
    "None": AlignConsecutiveStyle(Enabled=False, AcrossEmptyLines=False, AcrossComments=False),
    "Consecutive": AlignConsecutiveStyle(Enabled=True, AcrossEmptyLines=False, AcrossComments=False),
    "AcrossEmptyLines": AlignConsecutiveStyle(Enabled=True, AcrossEmptyLines=True, AcrossComments=False),
    "AcrossComments": AlignConsecutiveStyle(Enabled=True, AcrossEmptyLines=False, AcrossComments=True),
    "AcrossEmptyLinesAndComments": AlignConsecutiveStyle(Enabled=True, AcrossEmptyLines=True, AcrossComments=True),
}


class BraceWrappingFlags(Record):
    """clang-format's ``BraceWrapping`` (with ``BreakBeforeBraces: Custom``), the braces our blocks open."""

    __slots__ = ("AfterFunction", "AfterControlStatement", "AfterEnum", "AfterExternBlock")
    AfterFunction: bool
    AfterControlStatement: bool
    AfterEnum: bool
    AfterExternBlock: bool

    def __init__(self, **options: bool) -> None:
        _set_options(self, options)


class Style(Record):
    """The clang-format options the formatter reads, by clang-format's names.

    Where each is read:

    ======================================  ==========================================
    ColumnLimit                             breaking, alignment
    IndentWidth                             layout
    ContinuationIndentWidth                 breaking, layout (broken enumerators)
    IndentCaseLabels                        layout (switch bodies)
    IndentExternBlock                       layout (``extern "C"`` blocks)
    IndentPPDirectives, PPIndentWidth       layout (directives inside ``#if``)
    Cpp11BracedListStyle                    layout (initializer lists)
    BraceWrapping                           layout (where a block's ``{`` goes)
    MaxEmptyLinesToKeep                     layout (empty lines)
    KeepEmptyLinesAtTheStartOfBlocks        layout (empty lines)
    SeparateDefinitionBlocks                layout (a definition's name is not aligned)
    AlignConsecutiveDeclarations            alignment
    AlignConsecutiveAssignments             alignment
    AlignAfterOpenBracket                   breaking
    AllowAllParametersOfDeclarationOnNextLine  breaking
    BinPackParameters                       breaking
    BreakStringLiterals                     breaking
    PenaltyExcessCharacter                  breaking, linebreak
    PenaltyReturnTypeOnItsOwnLine           breaking, linebreak
    PenaltyBreakBeforeFirstCallParameter    linebreak
    AlwaysBreakBeforeMultilineStrings       linebreak
    BreakBeforeTernaryOperators             linebreak
    SpaceAfterCStyleCast                    linebreak
    PointerAlignment                        spelling
    QualifierAlignment                      spelling
    BreakAfterReturnType (LLVM default)     breaking, linebreak
    PenaltyBreakOpenParenthesis (default)   breaking, linebreak
    PenaltyBreakAssignment (default)        linebreak
    PenaltyBreakBeforeMemberAccess (default)  linebreak
    PenaltyBreakFirstLessLess (default)     linebreak
    PenaltyBreakString (default)            linebreak
    PenaltyIndentedWhitespace (default)     linebreak
    AlignOperands (default)                 linebreak
    AllowAllArgumentsOnNextLine (default)   linebreak
    BreakAdjacentStringLiterals (default)   linebreak
    BreakBeforeBinaryOperators (default)    linebreak
    ======================================  ==========================================
    """

    __slots__ = (
        "ColumnLimit",
        "IndentWidth",
        "ContinuationIndentWidth",
        "IndentCaseLabels",
        "IndentExternBlock",
        "IndentPPDirectives",
        "PPIndentWidth",
        "Cpp11BracedListStyle",
        "BreakBeforeBraces",
        "BraceWrapping",
        "MaxEmptyLinesToKeep",
        "KeepEmptyLinesAtTheStartOfBlocks",
        "SeparateDefinitionBlocks",
        "AlignConsecutiveDeclarations",
        "AlignConsecutiveAssignments",
        "AlignAfterOpenBracket",
        "AllowAllParametersOfDeclarationOnNextLine",
        "BinPackParameters",
        "BreakStringLiterals",
        "PenaltyExcessCharacter",
        "PenaltyReturnTypeOnItsOwnLine",
        "PenaltyBreakBeforeFirstCallParameter",
        "AlwaysBreakBeforeMultilineStrings",
        "BreakBeforeTernaryOperators",
        "SpaceAfterCStyleCast",
        "PointerAlignment",
        "QualifierAlignment",
        # Unset even in ggml's own file: LLVM's defaults.
        "BreakAfterReturnType",
        "PenaltyBreakOpenParenthesis",
        "PenaltyBreakAssignment",
        "PenaltyBreakBeforeMemberAccess",
        "PenaltyBreakFirstLessLess",
        "PenaltyBreakString",
        "PenaltyIndentedWhitespace",
        "AlignOperands",
        "AllowAllArgumentsOnNextLine",
        "BreakAdjacentStringLiterals",
        "BreakBeforeBinaryOperators",
    )
    ColumnLimit: int
    IndentWidth: int
    ContinuationIndentWidth: int
    IndentCaseLabels: bool
    IndentExternBlock: str
    IndentPPDirectives: str
    PPIndentWidth: int
    Cpp11BracedListStyle: bool
    BreakBeforeBraces: str
    BraceWrapping: BraceWrappingFlags
    MaxEmptyLinesToKeep: int
    KeepEmptyLinesAtTheStartOfBlocks: bool
    SeparateDefinitionBlocks: str
    AlignConsecutiveDeclarations: AlignConsecutiveStyle
    AlignConsecutiveAssignments: AlignConsecutiveStyle
    AlignAfterOpenBracket: str
    AllowAllParametersOfDeclarationOnNextLine: bool
    BinPackParameters: str
    BreakStringLiterals: bool
    PenaltyExcessCharacter: int
    PenaltyReturnTypeOnItsOwnLine: int
    PenaltyBreakBeforeFirstCallParameter: int
    AlwaysBreakBeforeMultilineStrings: bool
    BreakBeforeTernaryOperators: bool
    SpaceAfterCStyleCast: bool
    PointerAlignment: str
    QualifierAlignment: str
    BreakAfterReturnType: str
    PenaltyBreakOpenParenthesis: int
    PenaltyBreakAssignment: int
    PenaltyBreakBeforeMemberAccess: int
    PenaltyBreakFirstLessLess: int
    PenaltyBreakString: int
    PenaltyIndentedWhitespace: int
    AlignOperands: str
    AllowAllArgumentsOnNextLine: bool
    BreakAdjacentStringLiterals: bool
    BreakBeforeBinaryOperators: str

    #: Options that choose a behaviour: the values the formatter implements.
    IMPLEMENTED: dict[str, tuple[Any, ...]] = {
        "IndentExternBlock": ("NoIndent", "Indent", "AfterExternBlock"),
        "IndentPPDirectives": ("None", "AfterHash", "BeforeHash"),
        "Cpp11BracedListStyle": (False,),
        "BreakBeforeBraces": ("Custom", "Attach"),
        "BraceWrapping": (
            BraceWrappingFlags(
                AfterFunction=False, AfterControlStatement=False, AfterEnum=False, AfterExternBlock=False
            ),
        ),
        "SeparateDefinitionBlocks": ("Always",),
        "AlignConsecutiveDeclarations": (ALIGN_CONSECUTIVE_SHORT_FORMS["AcrossComments"],),
        "AlignConsecutiveAssignments": (ALIGN_CONSECUTIVE_SHORT_FORMS["AcrossComments"],),
        "AlignAfterOpenBracket": ("Align",),
        "AllowAllParametersOfDeclarationOnNextLine": (False,),
        "BinPackParameters": ("OnePerLine",),
        "BreakStringLiterals": (True,),
        "AlwaysBreakBeforeMultilineStrings": (True,),
        "BreakBeforeTernaryOperators": (False,),
        "SpaceAfterCStyleCast": (True,),
        "PointerAlignment": ("Middle",),
        "QualifierAlignment": ("Left",),
        "BreakAfterReturnType": ("None",),
        "AlignOperands": ("Align",),
        "AllowAllArgumentsOnNextLine": (True,),
        "BreakAdjacentStringLiterals": (True,),
        "BreakBeforeBinaryOperators": ("None",),
    }

    def __init__(self, **options: Any) -> None:
        _set_options(self, options)
        for name, values in self.IMPLEMENTED.items():
            if options[name] not in values:
                raise ValueError(f"{name}: {options[name]!r} is not implemented; the formatter implements {values}")

    @property
    def pp_indent_width(self) -> int:
        """The indentation of directives nested in ``#if`` (PPIndentWidth, -1: IndentWidth)."""
        return self.IndentWidth if self.PPIndentWidth < 0 else self.PPIndentWidth


#: ggml's style: the values ``format/ggml-style.clang-format`` gives (set there, or LLVM's defaults).
GGML = Style(
    ColumnLimit=120,
    IndentWidth=4,
    ContinuationIndentWidth=4,
    IndentCaseLabels=True,
    IndentExternBlock="NoIndent",
    IndentPPDirectives="AfterHash",
    PPIndentWidth=-1,
    Cpp11BracedListStyle=False,
    BreakBeforeBraces="Custom",
    BraceWrapping=BraceWrappingFlags(
        AfterFunction=False, AfterControlStatement=False, AfterEnum=False, AfterExternBlock=False
    ),
    MaxEmptyLinesToKeep=1,
    KeepEmptyLinesAtTheStartOfBlocks=False,
    SeparateDefinitionBlocks="Always",
    AlignConsecutiveDeclarations=ALIGN_CONSECUTIVE_SHORT_FORMS["AcrossComments"],
    AlignConsecutiveAssignments=ALIGN_CONSECUTIVE_SHORT_FORMS["AcrossComments"],
    AlignAfterOpenBracket="Align",
    AllowAllParametersOfDeclarationOnNextLine=False,
    BinPackParameters="OnePerLine",
    BreakStringLiterals=True,
    PenaltyExcessCharacter=1_000_000,
    PenaltyReturnTypeOnItsOwnLine=200,
    PenaltyBreakBeforeFirstCallParameter=1,
    AlwaysBreakBeforeMultilineStrings=True,
    BreakBeforeTernaryOperators=False,
    SpaceAfterCStyleCast=True,
    PointerAlignment="Middle",
    QualifierAlignment="Left",
    BreakAfterReturnType="None",
    PenaltyBreakOpenParenthesis=0,
    PenaltyBreakAssignment=2,
    PenaltyBreakBeforeMemberAccess=150,
    PenaltyBreakFirstLessLess=120,
    PenaltyBreakString=1000,
    PenaltyIndentedWhitespace=0,
    AlignOperands="Align",
    AllowAllArgumentsOnNextLine=True,
    BreakAdjacentStringLiterals=True,
    BreakBeforeBinaryOperators="None",
)
