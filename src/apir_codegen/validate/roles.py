"""Second pass, value by value: the semantic checks of each string, chosen by its schema role.

:mod:`apir_codegen.schema` declares every string with a role (what it holds,
``schema.ROLES``); :meth:`RoleChecks.check` runs the checks of that role, so a
new key of an existing role is checked like the others without a line here.
The checks of the marshalling roles (codec, C expression) are in
:mod:`.marshal`, which adds them to the table; output paths are checked there
together (no two the same).
"""

from __future__ import annotations

from .. import clang_words
from .. import schema as S
from ..cdecl import KEYWORDS, CDeclError, CType, Param, is_identifier, parse_param, parse_type
from ..diagnostics import BIDI_CONTROLS, LINE_BREAKS, DiagnosticSink
from ..names import clash, param_clash, reserved_prefix
from .limits import Limits
from .values import V, identifier_hint, offset_location, shown

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Callable
    from typing import Any, TypeVar

    T = TypeVar("T")


class RoleChecks:
    """The checks of each role; each reports its problems and returns the checked value, or None.

    ``limits``: the lengths the selected style can lay out (None: no limits).
    """

    def __init__(self, sink: DiagnosticSink, limits: Limits | None) -> None:
        self.sink = sink
        self.limits = limits
        self.by_role: dict[str, Callable[[V, str, str], Any]] = {
            S.COMMENT: self.comment,
            S.C_TYPE_ROLE: self.ctype,
            S.C_PARAM_ROLE: self.param,
            S.PREFIX: self.prefix,
            S.ENUM_PREFIX: self.prefix,
            S.FUNCTION_NAME: self.function_name,
        }

    def check(self, value: V, what: str, where: str) -> Any:
        """``value`` checked as its role requires (None when reported); ``what`` and ``where`` name it in messages."""
        assert value.schema is not None, "only strings have roles"
        return self.by_role[value.schema.role](value, what, where)

    def comment(self, value: V, what: str, where: str) -> str | None:
        """Text that lands in a C comment."""
        text: str = value.value
        bad = None
        comment_hint = "it is written into a C comment: keep it to one line without '*/'"
        if "*/" in text:
            bad = ("contains '*/', which would end the C comment early", text.index("*/"), comment_hint)
        elif text.lstrip().startswith("clang-format"):
            bad = (
                "starts with 'clang-format', which clang-format would read as a directive",
                text.index("c"),
                "start the description with another word",
            )
        else:
            for index, char in enumerate(text):
                if char in LINE_BREAKS:
                    bad = ("contains a line break", index, comment_hint)
                    break
                if ord(char) < 0x20 and char != "\t" or 0x7F <= ord(char) <= 0x9F:
                    bad = (f"contains a control character (U+{ord(char):04X})", index, comment_hint)
                    break
                if char in BIDI_CONTROLS:
                    bad = (
                        f"contains a bidirectional control character (U+{ord(char):04X})",
                        index,
                        "it reorders how editors show the header, not what the compiler reads "
                        "(compilers warn: -Wbidi-chars); remove it",
                    )
                    break
        if bad:
            self.sink.error(f"{what} {where} {bad[0]}", offset_location(value, bad[1]), hint=bad[2])
            return None
        if "/*" in text:
            self.sink.warning(
                f"{what} {where} contains '/*' inside a C comment",
                offset_location(value, text.index("/*")),
                hint="compilers warn about '/*' within a comment (-Wcomment)",
            )
        return text

    def _parse(self, value: V, where: str, what: str, parser: Callable[[str], T]) -> T | None:
        try:
            return parser(value.value)
        except CDeclError as exc:
            self.sink.error(
                f"invalid {what} '{shown(value.value)}' {where}: {exc.message}",
                offset_location(value, exc.offset),
                exc.hint,
            )
            return None

    def _fits(self, value: V, where: str, what: str, spelling: str, limit: int) -> bool:
        if len(spelling) <= limit:
            return True
        assert self.limits is not None
        self.sink.error(
            f"{what} '{value.value}' {where} is {len(spelling)} characters long; at most {limit} fit "
            f"{self.limits.headers}",
            value.loc,
            hint="use a shorter name or a typedef",
        )
        return False

    def ctype(self, value: V, what: str, where: str) -> CType | None:
        ctype = self._parse(value, where, what, parse_type)
        limits = self.limits
        if ctype is not None and limits and not self._fits(value, where, what, ctype.spelling, limits.return_type):
            return None
        return ctype

    def param(self, value: V, what: str, where: str) -> Param | None:
        param = self._parse(value, where, what, parse_param)
        limits = self.limits
        if param is None or limits and not self._fits(value, where, what, param.spelling, limits.parameter):
            return None
        why = param_clash(param.name)
        if why is not None:
            self.sink.error(
                f"{what} name '{param.name}' {where} {why}",
                offset_location(value, len(value.value.rstrip()) - len(param.name)),
                hint="rename the parameter",
            )
            return None
        return param

    def prefix(self, value: V, what: str, where: str) -> str | None:
        """A prefix; ``what`` is its key.  Enum prefixes are followed by upper-cased names."""
        text: str = value.value
        if text and not is_identifier(text):
            self.sink.error(
                f"'{what}' value '{text}' cannot start a C identifier",
                value.loc,
                hint=identifier_hint(text) if text else None,
            )
            return None
        assert value.schema is not None
        why = reserved_prefix(text, upper_case_follows=value.schema.role == S.ENUM_PREFIX)
        if why is not None:
            self.sink.error(
                f"'{what}' value '{text}' makes every name it starts reserved for the compiler and its "
                f"library (it {why})",
                value.loc,
                hint="start the prefix with a letter, and do not write '__'",
            )
            return None
        return text

    def function_name(self, value: V, what: str, where: str) -> str | None:
        """A name the headers declare as a function (that it compiles is checked with the others, in :mod:`.collisions`)."""
        name: str = value.value
        if not is_identifier(name):
            self.sink.error(f"{what} '{name}' {where} is not a C identifier", value.loc, hint=identifier_hint(name))
        elif name in KEYWORDS:
            self.sink.error(f"{what} '{name}' {where} is a C/C++ keyword", value.loc)
        elif name in clang_words.SPECIAL_WORDS and clash(name, True) is None:
            self.sink.error(
                f"{what} '{name}' {where} {clang_words.SPECIAL}",
                value.loc,
                hint=clang_words.special_word_hint(name),
            )
        else:
            return name
        return None
