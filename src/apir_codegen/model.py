"""The validated model of a spec: immutable, typed, every part with its source location.

Only :mod:`apir_codegen.validate` builds it, so anything holding a :class:`Spec`
can rely on it being consistent (names are identifiers, nothing collides,
command numbers are dense and unique).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .cdecl import CType, Param
from .diagnostics import Location

APIR_BACKEND_HEADER = "backend/shared/apir_backend.gen.h"
BACKEND_DISPATCHED_HEADER = "backend/backend-dispatched.gen.h"
VIRTGPU_FORWARD_HEADER = "virtgpu-forward.gen.h"
#: The generated files, relative to the output directory, in a stable order.
OUTPUT_FILES = (APIR_BACKEND_HEADER, BACKEND_DISPATCHED_HEADER, VIRTGPU_FORWARD_HEADER)


@dataclass(frozen=True)
class Function:
    """A function as the spec declares it (enabled or not)."""

    group: str
    name: str
    location: Location
    enabled: bool = True
    deprecated: bool = False
    retired: bool = False
    return_type: CType = field(default_factory=lambda: CType(("void",)))
    #: The return type exactly as the spec wrote it (None: defaulted to void).
    return_source: str | None = None
    params: tuple[Param, ...] = ()

    @property
    def key(self) -> str:
        """``<group>_<function>``: the command's name in lookups and overrides."""
        return f"{self.group}_{self.name}"

    @property
    def qualified_name(self) -> str:
        return f"{self.group}.{self.name}"


@dataclass(frozen=True)
class Group:
    name: str
    description: str
    location: Location
    functions: tuple[Function, ...] = ()


@dataclass(frozen=True)
class NamingPatterns:
    enum_prefix: str
    backend_function_prefix: str
    frontend_function_prefix: str
    frontend_base_param: Param
    backend_function_overrides: tuple[tuple[str, str], ...] = ()

    def override_for(self, key: str) -> str | None:
        for name, handler in self.backend_function_overrides:
            if name == key:
                return handler
        return None


@dataclass(frozen=True)
class Command:
    """An entry of the protocol: a number, its names and its guest signature."""

    number: int
    function: Function
    enum_name: str
    handler_name: str
    guest_name: str
    group_description: str

    @property
    def key(self) -> str:
        return self.function.key

    @property
    def group(self) -> str:
        return self.function.group

    @property
    def deprecated(self) -> bool:
        return self.function.deprecated and not self.function.retired

    @property
    def retired(self) -> bool:
        return self.function.retired

    @property
    def status(self) -> str:
        """``active``, ``deprecated`` or ``retired``."""
        if self.retired:
            return "retired"
        return "deprecated" if self.deprecated else "active"

    @property
    def return_type(self) -> CType:
        return self.function.return_type

    @property
    def params(self) -> tuple[Param, ...]:
        return self.function.params


@dataclass(frozen=True)
class Spec:
    """A validated spec: its groups as written and the commands they define.

    ``commands`` are in number order and numbered densely from 0: entry *i* is
    command number *i*, so the dispatch table is ``commands`` in order.  Without
    a lock file, number order is spec order.
    """

    path: str
    groups: tuple[Group, ...]
    naming: NamingPatterns
    commands: tuple[Command, ...]
    #: The lock file the numbers come from, if any.
    lock_path: str | None = None
    fingerprint: bool = False

    def command(self, key: str) -> Command | None:
        for cmd in self.commands:
            if cmd.key == key:
                return cmd
        return None

    @property
    def has_retired(self) -> bool:
        return any(cmd.retired for cmd in self.commands)
