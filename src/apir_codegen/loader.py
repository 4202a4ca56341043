"""Load: spec text to YAML nodes that remember where they came from.

The spec is composed (not constructed) so that every node keeps its line and
column.  PyYAML's C parser is used when it is available; the pure-Python one
otherwise.  Problems that stop loading (bad encoding, YAML syntax, custom tags,
recursive or exploding aliases) become diagnostics, never exceptions.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .diagnostics import DiagnosticSink, Location

_LOADER = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader

TAG = "tag:yaml.org,2002:"
STR, BOOL, INT, FLOAT, NULL = TAG + "str", TAG + "bool", TAG + "int", TAG + "float", TAG + "null"
MAP, SEQ, MERGE = TAG + "map", TAG + "seq", TAG + "merge"
_KNOWN_TAGS = {STR, BOOL, INT, FLOAT, NULL, MAP, SEQ, MERGE, TAG + "timestamp", TAG + "binary", TAG + "set", TAG + "omap"}

#: A spec may use anchors and aliases, but not to blow up: a document whose
#: alias expansion exceeds this many nodes is rejected (a "billion laughs").
MAX_EXPANDED_NODES = 2_000_000


@dataclass(frozen=True)
class Document:
    """A composed YAML document and the path it is reported under."""

    path: str
    root: Node

    def loc(self, node: Node) -> Location:
        mark = node.start_mark
        return Location(self.path, mark.line + 1, mark.column + 1)


def describe(node: Node) -> str:
    """What a node is, in words, for diagnostics ("a list", "the integer 5")."""
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    tag = node.tag
    if tag == NULL:
        return "null"
    if tag == BOOL:
        return f"the boolean {node.value}"
    if tag == INT:
        return f"the integer {node.value}"
    if tag == FLOAT:
        return f"the number {node.value}"
    if tag == STR:
        return "a string"
    return f"a value tagged {tag}"


def bool_value(node: ScalarNode) -> bool:
    return str(node.value).lower() in ("yes", "true", "on", "y")


def mapping_pairs(node: MappingNode) -> list[tuple[Node, Node]]:
    """Key/value pairs of a mapping with YAML merge keys (``<<``) resolved.

    Explicit keys come after merged ones, so that a later duplicate check and
    lookups see explicit keys override merged ones, as PyYAML does.
    """
    merged: list[tuple[Node, Node]] = []
    explicit: list[tuple[Node, Node]] = []
    for key, value in node.value:
        if isinstance(key, ScalarNode) and key.tag == MERGE:
            sources = value.value if isinstance(value, SequenceNode) else [value]
            for source in sources:
                if isinstance(source, MappingNode):
                    for pair in mapping_pairs(source):
                        if all(_key_text(pair[0]) != _key_text(k) for k, _ in merged):
                            merged.append(pair)
        else:
            explicit.append((key, value))
    if not merged:
        return explicit
    explicit_keys = {_key_text(k) for k, _ in explicit}
    return [p for p in merged if _key_text(p[0]) not in explicit_keys] + explicit


def _key_text(node: Node) -> object:
    return (node.tag, node.value) if isinstance(node, ScalarNode) else id(node)


def _decode(data: bytes, path: str, sink: DiagnosticSink) -> str | None:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        sink.error(
            f"the spec is not UTF-8 text (invalid byte 0x{data[exc.start]:02x})",
            Location(path, line, column),
            hint="save the spec as UTF-8",
        )
        return None


def _position(text: str, index: int, path: str) -> Location:
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return Location(path, line, column)


def _yaml_error(exc: yaml.YAMLError, text: str, path: str, sink: DiagnosticSink) -> None:
    if isinstance(exc, yaml.reader.ReaderError):
        char = exc.character
        code = ord(char) if isinstance(char, str) else int(char)
        shown = f"U+{code:04X}"
        sink.error(f"the spec contains a character YAML does not allow ({shown})", _position(text, exc.position, path))
        return
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    context_mark = getattr(exc, "context_mark", None)
    if mark is not None and context_mark is not None and mark.index >= len(text.rstrip()):
        # Noticed only at the end of the text (an unclosed bracket or quote):
        # the construct that is not closed is the place to look.
        mark = context_mark
    location = Location(path, mark.line + 1, mark.column + 1) if mark else Location(path, 1, 1)
    lines = text.splitlines()
    if mark and mark.line < len(lines) and "\t" in lines[mark.line][: mark.column + 1]:
        sink.error("tab character in indentation", location, hint="YAML indentation must use spaces, not tabs")
        return
    message = f"invalid YAML: {problem}"
    if context:
        message += f" ({context})"
    quote = _runaway_quote(text, mark.line if mark else -1)
    if quote is not None:
        sink.error(
            f"invalid YAML: this quoted string is not closed on its line and runs to line {mark.line + 1}"
            f" ({problem})",
            Location(path, quote.line + 1, quote.column + 1),
            hint="add the missing closing quote",
        )
        return
    sink.error(message, location)


def _runaway_quote(text: str, error_line: int) -> yaml.Mark | None:
    """The start of a quoted scalar that spans lines and ends where parsing failed.

    An unclosed quote swallows the following lines up to the next quote; the
    parser only notices there, so its position is not where the fix is.
    """
    found = None
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if token.start_mark.line > error_line:
                break
            if (
                isinstance(token, yaml.ScalarToken)
                and token.style in ('"', "'")
                and token.start_mark.line < token.end_mark.line
                and token.end_mark.line == error_line
            ):
                found = token.start_mark
    except yaml.YAMLError:
        pass
    return found


def _check_graph(doc: Document, sink: DiagnosticSink) -> bool:
    """Reject recursive aliases, unknown tags and alias bombs; linear in the node count."""
    expanded: dict[int, int] = {}
    state: dict[int, int] = {}  # 1 = on the stack, 2 = done
    stack: list[tuple[Node, int]] = [(doc.root, 0)]
    ok = True
    while stack:
        node, phase = stack.pop()
        key = id(node)
        if phase == 0:
            if state.get(key) == 2:
                continue
            if state.get(key) == 1:
                sink.error("recursive alias: this value contains itself", doc.loc(node))
                return False
            if node.tag not in _KNOWN_TAGS:
                sink.error(f"unsupported YAML tag '{node.tag}'", doc.loc(node), hint="remove the tag; specs use plain YAML values")
                ok = False
            state[key] = 1
            stack.append((node, 1))
            for child in _children(node):
                stack.append((child, 0))
        else:
            state[key] = 2
            total = 1 + sum(expanded[id(c)] for c in _children(node))
            expanded[key] = total
            if total > MAX_EXPANDED_NODES:
                sink.error(
                    f"aliases expand this value to more than {MAX_EXPANDED_NODES:,} nodes",
                    doc.loc(node),
                    hint="the spec looks like an alias bomb; write the values out or use fewer nested aliases",
                )
                return False
    return ok


def _children(node: Node) -> list[Node]:
    if isinstance(node, MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, SequenceNode):
        return list(node.value)
    return []


def load_document(path: str | Path, sink: DiagnosticSink, display: str | None = None) -> Document | None:
    """Read and compose a spec; report problems to ``sink`` and return None on failure."""
    shown = display if display is not None else str(path)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        sink.error(f"spec not found: {shown}", hint="pass the path of a spec (ggmlremoting_functions.yaml)")
        return None
    except IsADirectoryError:
        sink.error(f"spec is a directory, not a file: {shown}")
        return None
    except OSError as exc:
        sink.error(f"cannot read spec {shown}: {exc.strerror or exc}")
        return None
    return compose_text(data, shown, sink)


def compose_text(data: bytes | str, path: str, sink: DiagnosticSink) -> Document | None:
    text = data if isinstance(data, str) else _decode(data, path, sink)
    if text is None:
        return None
    try:
        root = yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        _yaml_error(exc, text, path, sink)
        return None
    except RecursionError:
        sink.error("the spec is nested too deeply", Location(path, 1, 1))
        return None
    if root is None:
        sink.error("the spec is empty", Location(path, 1, 1), hint="a spec needs 'functions' and 'naming_patterns'")
        return None
    doc = Document(path, root)
    if not _check_graph(doc, sink):
        return None
    return doc
