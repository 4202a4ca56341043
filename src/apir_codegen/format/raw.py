"""The unformatted rendering: what ggml's reference script writes before clang-format.

Useful for projects that format with their own tools, and as the input of an
external clang-format run.  Types and parameters are written exactly as the
spec spells them, and lines are indented as the script indents them: two
spaces in an enum body or an initializer list, four per level in a function
body, a switch and a case.
"""

from __future__ import annotations

from .ggml.style import GGML
from .outline import (
    ENUM_BODY,
    EXTERN_BLOCK,
    FUNCTION_BODY,
    INITIALIZER_LIST,
    SWITCH_BODY,
    Blank,
    Block,
    CaseReturn,
    Comment,
    Declaration,
    Directive,
    EnumEntry,
    Item,
    Outline,
    TableEntry,
)
from .statements import Call, Return

#: The reference script's indentation of what each kind of block holds.
BODY_INDENT = {FUNCTION_BODY: "    ", SWITCH_BODY: "    ", ENUM_BODY: "  ", INITIALIZER_LIST: "  ", EXTERN_BLOCK: ""}
#: The statement after a case label, relative to the label.
CASE_INDENT = "    "


def _head(decl: Declaration) -> str:
    params = ", ".join(p.source for p in decl.params)
    return " ".join((*decl.specifiers, decl.raw_return, f"{decl.name}({params})"))


def _lines(items: tuple[Item, ...], indent: str, out: list[str]) -> None:
    for item in items:
        if isinstance(item, Blank):
            out.append("")
        elif isinstance(item, Comment):
            out.append(indent + item.text)
        elif isinstance(item, (Call, Return)):
            from .ggml.bodies import one_line_statement  # the tokens' spacing is clang-format's

            out.append(indent + one_line_statement(item, GGML))
        elif isinstance(item, Directive):
            out.append("#" + item.text)
        elif isinstance(item, Declaration):
            out.append(f"{indent}{_head(item)};")
        elif isinstance(item, EnumEntry):
            out.append(f"{indent}{item.name} = {item.value},")
        elif isinstance(item, CaseReturn):
            label = "default" if item.label is None else f"case {item.label}"
            out.append(f"{indent}{label}:")
            out.append(f'{indent}{CASE_INDENT}return "{item.text}";')
        elif isinstance(item, TableEntry):
            note = f" {item.note}" if item.note else ""
            out.append(f"{indent}/* {item.label}  = */ {item.value}{note},")
        elif isinstance(item, Block):
            head = _head(item.head) if isinstance(item.head, Declaration) else item.head
            out.append(f"{indent}{head} {{")
            body = indent + BODY_INDENT[item.kind]
            first = len(out)
            _lines(item.items, body, out)
            if item.kind == INITIALIZER_LIST and len(out) > first and not out[first]:
                # The script writes the list's indentation, then its lines, the
                # first of which starts with a line break.
                out[first] = body
            out.append(indent + item.closing)
        else:
            out.append("#" + item.directive)
            _lines(item.items, indent, out)
            out.append("#endif")


def render_raw(outline: Outline) -> str:
    out: list[str] = []
    _lines(outline.items, "", out)
    return "".join(line + "\n" for line in out)
