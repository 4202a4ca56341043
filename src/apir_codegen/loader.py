"""Load: spec text to YAML nodes that remember where they came from.

The spec is composed (not constructed) so that every node keeps its line and
column.  PyYAML's C parser (libyaml) is used when it is available, the
pure-Python one otherwise; nodes are built straight from the parser's events.  Problems that stop loading (bad encoding, YAML syntax, custom tags,
recursive or exploding aliases) become diagnostics, never exceptions.
"""

from __future__ import annotations

import os

import yaml
from yaml import events as ev

from .diagnostics import DiagnosticSink, Location
from .files import FileKindError, read_file

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Iterator
    from typing import Any

try:  # PyYAML's libyaml binding: the fast parser
    from yaml._yaml import CParser as _CParser

    HAVE_LIBYAML = True
except ImportError:  # pragma: no cover - pure-Python PyYAML
    HAVE_LIBYAML = False

TAG = "tag:yaml.org,2002:"
STR, BOOL, INT, FLOAT, NULL = TAG + "str", TAG + "bool", TAG + "int", TAG + "float", TAG + "null"
MAP, SEQ, MERGE = TAG + "map", TAG + "seq", TAG + "merge"
_KNOWN_TAGS = {
    STR,
    BOOL,
    INT,
    FLOAT,
    NULL,
    MAP,
    SEQ,
    MERGE,
    TAG + "timestamp",
    TAG + "binary",
    TAG + "set",
    TAG + "omap",
}

#: A spec may use anchors and aliases, but not to blow up: a document whose
#: alias expansion exceeds this many nodes is rejected (a "billion laughs").
MAX_EXPANDED_NODES = 2_000_000


class Node:
    """A YAML node and where it starts (0-based line and column, as PyYAML counts)."""

    __slots__ = ("tag", "value", "line", "column", "end_line", "style", "size")

    def __init__(self, tag: str, value: object, line: int, column: int) -> None:
        self.tag = tag
        self.value = value
        self.line = line
        self.column = column
        self.end_line = line
        self.style: str | None = None
        self.size = 1  # nodes in this value once aliases are expanded

    def location(self, path: str) -> Location:
        """Where the node starts, 1-based, in the file reported as ``path``."""
        return Location(path, self.line + 1, self.column + 1)


class ScalarNode(Node):
    __slots__ = ()
    value: str


class MappingNode(Node):
    __slots__ = ()
    value: list[tuple[Node, Node]]


class SequenceNode(Node):
    __slots__ = ()
    value: list[Node]


class Document:
    """A composed YAML document and the path it is reported under."""

    __slots__ = ("path", "root")

    def __init__(self, path: str, root: Node) -> None:
        self.path = path
        self.root = root

    def loc(self, node: Node) -> Location:
        return node.location(self.path)


class ComposeError(Exception):
    """A problem in the document's structure (aliases, tags), at a node's position."""

    def __init__(self, message: str, line: int, column: int, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.hint = hint


_resolver = yaml.resolver.Resolver()
_resolved: dict[tuple[str, bool], str] = {}


def _scalar_tag(value: str, tag: str | None, implicit: tuple[bool, bool]) -> str:
    if tag is not None and tag != "!":
        return tag
    if tag == "!" or not implicit[0]:
        return STR
    key = (value, implicit[0])
    resolved = _resolved.get(key)
    if resolved is None:
        resolved = _resolved[key] = _resolver.resolve(yaml.ScalarNode, value, implicit)
    return resolved


def _check_merges(node: MappingNode) -> None:
    """A merge key (``<<``) must bring in a mapping or a list of mappings."""
    for key, value in node.value:
        if isinstance(key, ScalarNode) and key.tag == MERGE:
            sources = value.value if isinstance(value, SequenceNode) else [value]
            for source in sources:
                if not isinstance(source, MappingNode):
                    raise ComposeError(
                        f"'<<' merges mappings, not {describe(source)}",
                        source.line,
                        source.column,
                        "write '<<: *anchor' where the anchor names a mapping",
                    )


def _events(text: str) -> Iterator[Any]:
    if HAVE_LIBYAML:
        parser = _CParser(text)
        get = parser.get_event
        while True:
            event = get()
            if event is None:  # pragma: no cover - defensive
                return
            yield event
    else:  # pragma: no cover - pure-Python PyYAML
        yield from yaml.parse(text, Loader=yaml.SafeLoader)


def compose(text: str) -> Node | None:
    """Compose the single document of ``text`` into nodes, checking aliases and tags.

    Like PyYAML's composer, but building light nodes straight from the parser's
    events (several times faster), keeping aliases shared rather than copied,
    and refusing recursive aliases and documents that aliases would blow up.
    Raises :class:`yaml.YAMLError` for syntax errors, :class:`ComposeError`
    for structural ones.
    """
    anchors: dict[str, Node] = {}
    stack: list[Node] = []
    open_nodes: set[int] = set()
    pending_key: list[Node | None] = []
    root: Node | None = None
    documents = 0
    for event in _events(text):
        kind = type(event)
        if kind is ev.ScalarEvent:
            mark = event.start_mark
            node: Node = ScalarNode(
                _scalar_tag(event.value, event.tag, event.implicit), event.value, mark.line, mark.column
            )
            node.end_line = event.end_mark.line
            node.style = event.style
        elif kind is ev.MappingStartEvent or kind is ev.SequenceStartEvent:
            mark = event.start_mark
            mapping = kind is ev.MappingStartEvent
            tag = event.tag if event.tag not in (None, "!") else (MAP if mapping else SEQ)
            container: Node = (MappingNode if mapping else SequenceNode)(tag, [], mark.line, mark.column)
            if event.anchor is not None:
                anchors[event.anchor] = container
            stack.append(container)
            pending_key.append(None)
            open_nodes.add(id(container))
            continue
        elif kind is ev.MappingEndEvent or kind is ev.SequenceEndEvent:
            node = stack.pop()
            pending_key.pop()
            open_nodes.discard(id(node))
            if isinstance(node, MappingNode):
                _check_merges(node)
            if node.size > MAX_EXPANDED_NODES:
                raise ComposeError(
                    f"aliases expand this value to more than {MAX_EXPANDED_NODES:,} nodes",
                    node.line,
                    node.column,
                    "the spec looks like an alias bomb; write the values out or use fewer nested aliases",
                )
        elif kind is ev.AliasEvent:
            mark = event.start_mark
            target = anchors.get(event.anchor)
            if target is None:
                raise ComposeError(f"undefined alias '*{event.anchor}'", mark.line, mark.column)
            if id(target) in open_nodes:
                raise ComposeError("recursive alias: this value contains itself", target.line, target.column)
            node = target
        elif kind is ev.DocumentStartEvent:
            documents += 1
            if documents > 1:
                mark = event.start_mark
                raise ComposeError(
                    "a spec is a single YAML document, but a second one starts here", mark.line, mark.column
                )
            continue
        else:
            continue
        if kind is ev.ScalarEvent and event.anchor is not None:
            anchors[event.anchor] = node
        if node.tag not in _KNOWN_TAGS:
            raise ComposeError(
                f"unsupported YAML tag '{node.tag}'",
                node.line,
                node.column,
                "remove the tag; specs use plain YAML values",
            )
        if not stack:
            root = node
            continue
        parent = stack[-1]
        parent.size += node.size
        if isinstance(parent, SequenceNode):
            parent.value.append(node)
        elif pending_key[-1] is None:
            pending_key[-1] = node
        else:
            assert isinstance(parent, MappingNode)
            parent.value.append((pending_key[-1], node))
            pending_key[-1] = None
    return root


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


def _merge_sources(node: MappingNode) -> tuple[list[tuple[Node, Node]], list[MappingNode]]:
    """A mapping's own pairs, and the mappings its merge keys (``<<``) bring in, in order."""
    explicit: list[tuple[Node, Node]] = []
    sources: list[MappingNode] = []
    for key, value in node.value:
        if isinstance(key, ScalarNode) and key.tag == MERGE:
            for source in value.value if isinstance(value, SequenceNode) else [value]:
                if isinstance(source, MappingNode):
                    sources.append(source)
        else:
            explicit.append((key, value))
    return explicit, sources


def mapping_pairs(node: MappingNode) -> list[tuple[Node, Node]]:
    """Key/value pairs of a mapping with YAML merge keys (``<<``) resolved.

    Explicit keys come after merged ones, so that a later duplicate check and
    lookups see explicit keys override merged ones, as PyYAML does.  A merged
    mapping's own keys override what it merges in turn, and of two merged
    mappings the first wins.

    Merges nest without limit (the alias accounting of :func:`compose` bounds
    their expanded size, not their depth), so the merged mappings are walked
    with a stack of our own rather than by recursion: each pair of a merged
    mapping is visited once per path to it, after what that mapping merges
    itself, and kept unless an enclosing mapping on its path sets its key or
    an earlier pair already brought it in.
    """
    explicit, sources = _merge_sources(node)
    if not sources:
        return explicit
    merged: list[tuple[Node, Node]] = []
    seen: set[object] = set()
    # Keys set by the mappings on the current path, each counted once per mapping.
    shadowed: dict[object, int] = {}

    def enter(mapping_explicit: list[tuple[Node, Node]]) -> list[object]:
        keys = [_key_text(key) for key, _ in mapping_explicit]
        for key in keys:
            shadowed[key] = shadowed.get(key, 0) + 1
        return keys

    stack = [(explicit, enter(explicit), iter(sources))]
    while stack:
        own, keys, pending = stack[-1]
        source = next(pending, None)
        if source is not None:
            source_explicit, source_sources = _merge_sources(source)
            stack.append((source_explicit, enter(source_explicit), iter(source_sources)))
            continue
        stack.pop()
        for key in keys:
            shadowed[key] -= 1
        if not stack:
            break
        for pair, key in zip(own, keys, strict=False):
            if not shadowed[key] and key not in seen:
                seen.add(key)
                merged.append(pair)
    return merged + explicit


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
    long_key = _long_key(text, mark.line, mark.column) if mark is not None else None
    if long_key is not None:
        line, column, length = long_key
        sink.error(
            f"this key is {length:,} characters long; YAML allows at most {MAX_IMPLICIT_KEY:,} in a key "
            "written without '?'",
            Location(path, line + 1, column + 1),
            hint="shorten it, or write it as an explicit key: '? ' and the key on one line, ': ' and the value "
            "on the next",
        )
        return
    message = f"invalid YAML: {problem}"
    if context:
        message += f" ({context})"
    quote = _runaway_quote(text, mark.line) if mark is not None else None
    if quote is not None and mark is not None:
        sink.error(
            f"invalid YAML: this quoted string is not closed on its line and runs to line {mark.line + 1} ({problem})",
            Location(path, quote.line + 1, quote.column + 1),
            hint="add the missing closing quote",
        )
        return
    sink.error(message, location)


#: YAML's limit on the length of a key written without '?' (an implicit key).
MAX_IMPLICIT_KEY = 1024


def _long_key(text: str, line: int, column: int) -> tuple[int, int, int] | None:
    """The key (line, column, length) that a YAML error at ``line:column`` is about, when it is only too long.

    An implicit key longer than 1,024 characters is not a key to YAML, and the
    parser says something else ("could not find expected ':'", "mapping values
    are not allowed here").  When the error points at a ':' after such a key,
    the same text with the key shortened is parsed again: if it gets past that
    point, the length was the only problem.
    """
    lines = text.split("\n")
    if line >= len(lines) or not lines[line].startswith(":", column):
        return None
    source = lines[line]
    offset = sum(len(text_line) + 1 for text_line in lines[:line])
    for start in _key_starts(source, column):
        key = source[start:column].rstrip()
        if len(key) <= MAX_IMPLICIT_KEY:
            return None
        short = key[0] + "k" + key[0] if key[0] in "'\"" else "k"
        try:
            for _ in _events(text[: offset + start] + short + text[offset + start + len(key) :]):
                pass
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            if mark is None or (mark.line, mark.column) <= (line, start + len(short)):
                continue
        return line, start, len(key)
    return None


def _key_starts(source: str, column: int) -> list[int]:
    """Where a key that ends at ``column`` may start: after indentation or '- ', '? ', '{', '[', ',' or ': '.

    A quoted key may hold those itself: then each quote after such a place is
    a candidate, leftmost first (the caller tries them).
    """
    if column and source[column - 1] in ("'", '"'):
        quote = source[column - 1]
        candidates: list[int] = []
        index = source.find(quote)
        while 0 <= index < column - 1 and len(candidates) < 3:
            before = index - 1
            while before >= 0 and source[before] == " ":
                before -= 1
            if before < 0 or source[before] in "{[,:-?":
                candidates.append(index)
            index = source.find(quote, index + 1)
        return candidates
    start = 0
    for delimiter in ("{", "[", ",", ": ", "- ", "? "):
        found = source.rfind(delimiter, 0, column)
        if found >= 0:
            start = max(start, found + len(delimiter))
    while start < column and source[start] == " ":
        start += 1
    return [start]


def _runaway_quote(text: str, error_line: int) -> yaml.Mark | None:
    """The start of a quoted scalar that spans lines and ends where parsing failed.

    An unclosed quote swallows the following lines up to the next quote; the
    parser only notices there, so its position is not where the fix is.
    """
    found = None
    loader = yaml.CSafeLoader if HAVE_LIBYAML else yaml.SafeLoader  # the pure-Python scanner is slow on deep nesting
    try:
        for token in yaml.scan(text, Loader=loader):
            if token.start_mark.line >= error_line:  # the quote starts on an earlier line: no need to scan on
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


def load_document(path: str | os.PathLike[str], sink: DiagnosticSink, display: str | None = None) -> Document | None:
    """Read and compose a spec; report problems to ``sink`` and return None on failure."""
    shown = display if display is not None else str(path)
    try:
        data = read_file(path)
    except FileNotFoundError:
        sink.error(f"spec not found: {shown}", hint="pass the path of a spec (ggmlremoting_functions.yaml)")
        return None
    except FileKindError as exc:
        sink.error(f"spec is {exc.reason}: {shown}")
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
        root = compose(text)
    except yaml.YAMLError as exc:
        _yaml_error(exc, text, path, sink)
        return None
    except ComposeError as exc:
        sink.error(exc.message, Location(path, exc.line + 1, exc.column + 1), exc.hint)
        return None
    except RecursionError:  # pragma: no cover - composing is iterative; a last resort
        sink.error("the spec is nested too deeply", Location(path, 1, 1))
        return None
    if root is None or (isinstance(root, ScalarNode) and root.tag == NULL and not root.value):
        sink.error("the spec is empty", Location(path, 1, 1), hint="a spec needs 'functions' and 'naming_patterns'")
        return None
    return Document(path, root)
