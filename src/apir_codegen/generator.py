"""ggml's generator class, ``RemotingCodebaseGenerator``, on apir-codegen's model.

ggml's ``regenerate_remoting.py`` is also a Python class that scripts import
to get at the commands of a spec and the text of the headers.  This class has
the same names and, for ggml's spec, returns what ggml's returns, so such a
script can switch by changing its import.  Underneath it is apir-codegen: the
spec is loaded and validated once (a bad spec raises :class:`SpecError` with
every diagnostic, instead of a ``KeyError`` traceback), names come from the
model's naming rules, and headers from the emitters: by default formatted as
ggml commits them (``formatted=False``: the text ggml's script writes before
clang-format), written by :meth:`regenerate_codebase` beside the spec through
the writer (atomically, only what changed).

The attributes that ggml's class fills from ``yaml.safe_load`` (``config``,
``functions``, ``naming_patterns``, ``config_data``) hold the same values,
constructed by PyYAML's safe constructor from the very document the model was
validated from: the spec is parsed once.
"""

from __future__ import annotations

import os

from .diagnostics import SpecError
from .model import APIR_BACKEND_HEADER, BACKEND_DISPATCHED_HEADER, VIRTGPU_FORWARD_HEADER

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any

    from .loader import Node
    from .model import Spec
    from .writer import FileCheck


def _plain(root: Node) -> Any:
    """The Python value of a composed document, exactly as ``yaml.safe_load`` gives it."""
    import yaml

    from .loader import MappingNode, SequenceNode

    converted: dict[int, yaml.Node] = {}  # an alias is the same node: the same value, once

    def convert(node: Node) -> yaml.Node:
        done = converted.get(id(node))
        if done is not None:
            return done
        out: yaml.Node
        if isinstance(node, MappingNode):
            out = yaml.MappingNode(node.tag, [])
            converted[id(node)] = out
            out.value = [(convert(key), convert(value)) for key, value in node.value]
        elif isinstance(node, SequenceNode):
            out = yaml.SequenceNode(node.tag, [])
            converted[id(node)] = out
            out.value = [convert(item) for item in node.value]
        else:
            out = yaml.ScalarNode(node.tag, node.value, style=node.style)
            converted[id(node)] = out
        return out

    return yaml.constructor.SafeConstructor().construct_document(convert(root))


class RemotingCodebaseGenerator:
    """The commands and headers of a spec, with the interface of ggml's generator class."""

    def __init__(self, yaml_path: str | os.PathLike[str] = "ggmlremoting_functions.yaml", formatted: bool = True):
        """Load and validate the spec (raises :class:`SpecError` with every diagnostic)."""
        from .pipeline import check_document

        self.yaml_path = yaml_path
        self.formatted = formatted
        document, spec, diagnostics = check_document(yaml_path)
        if spec is None or document is None:
            raise SpecError(diagnostics)
        self.spec: Spec = spec
        self.config: dict[str, Any] = _plain(document.root)
        self.functions: dict[str, Any] = self.config["functions"]
        self.naming_patterns: dict[str, Any] = self.config["naming_patterns"]
        self.config_data: dict[str, Any] = self.config.get("config", {})
        self._headers: dict[str, str] | None = None

    # Names, composed by the model's rules (which are ggml's).

    def generate_enum_name(self, group_name: str, function_name: str) -> str:
        """The ``ApirBackendCommandType`` enumerator of a function."""
        return self.spec.naming.enum_name(group_name, function_name)

    def generate_backend_function_name(self, group_name: str, function_name: str) -> str:
        """The host handler of a function (its override, if any)."""
        return self.spec.naming.handler_name(group_name, function_name)

    def generate_frontend_function_name(self, group_name: str, function_name: str) -> str:
        """The guest function of a function."""
        return self.spec.naming.guest_name(group_name, function_name)

    def get_enabled_functions(self) -> list[dict[str, Any]]:
        """Every command, in number order, with its metadata as the spec writes it.

        Retired commands (an apir-codegen extension) are left out: no guest
        calls them and their host handler only rejects the call.
        """
        return [
            {
                "group_name": cmd.group,
                "function_name": cmd.function.name,
                "enum_name": cmd.enum_name,
                "enum_value": cmd.number,
                "backend_function": cmd.handler_name,
                "frontend_function": cmd.guest_name,
                "frontend_return": cmd.function.return_source or "void",
                "frontend_extra_params": [param.source for param in cmd.params],
                "group_description": cmd.group_description,
                "deprecated": cmd.deprecated,
            }
            for cmd in self.spec.commands
            if not cmd.retired
        ]

    # Headers: formatted as ggml commits them, or the script's text before clang-format.

    def headers(self) -> dict[str, str]:
        """The three headers, ``{path relative to the spec's directory: text}``."""
        if self._headers is None:
            from .pipeline import render

            self._headers = render(self.spec, "ggml" if self.formatted else "unformatted")
        return self._headers

    def generate_apir_backend_header(self) -> str:
        """``backend/shared/apir_backend.gen.h``: the command enum and the name lookup."""
        return self.headers()[APIR_BACKEND_HEADER]

    def generate_backend_dispatched_header(self) -> str:
        """``backend/backend-dispatched.gen.h``: host handler declarations and the dispatch table."""
        return self.headers()[BACKEND_DISPATCHED_HEADER]

    def generate_virtgpu_forward_header(self) -> str:
        """``virtgpu-forward.gen.h``: the guest function declarations."""
        return self.headers()[VIRTGPU_FORWARD_HEADER]

    def regenerate_codebase(self) -> list[FileCheck]:
        """Write the headers beside the spec (only those whose text changes); what each file was before.

        Raises :class:`~apir_codegen.writer.WriteError` when a file cannot be written.
        """
        import logging

        from .writer import write_outputs

        results = write_outputs(self.headers(), os.path.dirname(os.fspath(self.yaml_path)))
        log = logging.getLogger("apir_codegen")
        for line in generation_report(self.spec, results):
            log.info("%s", line)
        return results


def generation_report(spec: Spec, results: list[FileCheck]) -> list[str]:
    """What a generation did: a line per file written, then one summary line with what ggml's script
    reports (commands, groups, header files)."""
    written = [r for r in results if r.status != "unchanged"]
    commands, groups = len(spec.commands), len(spec.groups)
    return [f"wrote {r.path}" for r in written] + [
        f"apir-codegen: {commands} command{'s' if commands != 1 else ''} in {groups} group{'s' if groups != 1 else ''}; "
        f"{len(written)} file{'s' if len(written) != 1 else ''} written, {len(results) - len(written)} unchanged."
    ]
