"""The validated model of a spec: immutable, typed, every part with its source location.

Only :mod:`apir_codegen.validate` builds it, so anything holding a :class:`Spec`
can rely on it being consistent (names are identifiers, nothing collides,
command numbers are dense and unique).
"""

from __future__ import annotations

from .cdecl import CType, Param
from .diagnostics import Location
from .records import Record

VOID = CType(("void",))

APIR_BACKEND_HEADER = "backend/shared/apir_backend.gen.h"
BACKEND_DISPATCHED_HEADER = "backend/backend-dispatched.gen.h"
VIRTGPU_FORWARD_HEADER = "virtgpu-forward.gen.h"
#: The generated files, relative to the output directory, in a stable order.
OUTPUT_FILES = (APIR_BACKEND_HEADER, BACKEND_DISPATCHED_HEADER, VIRTGPU_FORWARD_HEADER)


class Function(Record):
    """A function as the spec declares it (enabled or not).

    ``return_source`` is the return type exactly as the spec wrote it (None:
    defaulted to void).
    """

    __slots__ = ("group", "name", "location", "enabled", "deprecated", "retired", "return_type", "return_source", "params")
    _defaults = {
        "enabled": True,
        "deprecated": False,
        "retired": False,
        "return_type": VOID,
        "return_source": None,
        "params": (),
    }
    group: str
    name: str
    location: Location
    enabled: bool
    deprecated: bool
    retired: bool
    return_type: CType
    return_source: str | None
    params: tuple[Param, ...]

    @property
    def key(self) -> str:
        """``<group>_<function>``: the command's name in lookups and overrides."""
        return f"{self.group}_{self.name}"

    @property
    def qualified_name(self) -> str:
        return f"{self.group}.{self.name}"


class Group(Record):
    __slots__ = ("name", "description", "location", "functions")
    _defaults = {"functions": ()}
    name: str
    description: str
    location: Location
    functions: tuple[Function, ...]


class NamingPatterns(Record):
    __slots__ = (
        "enum_prefix",
        "backend_function_prefix",
        "frontend_function_prefix",
        "frontend_base_param",
        "backend_function_overrides",
    )
    _defaults = {"backend_function_overrides": ()}
    enum_prefix: str
    backend_function_prefix: str
    frontend_function_prefix: str
    frontend_base_param: Param
    backend_function_overrides: tuple[tuple[str, str], ...]

    def override_for(self, key: str) -> str | None:
        for name, handler in self.backend_function_overrides:
            if name == key:
                return handler
        return None


class Command(Record):
    """An entry of the protocol: a number, its names and its guest signature."""

    __slots__ = ("number", "function", "enum_name", "handler_name", "guest_name", "group_description")
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


class Spec(Record):
    """A validated spec: its groups as written and the commands they define.

    ``commands`` are in number order and numbered densely from 0: entry *i* is
    command number *i*, so the dispatch table is ``commands`` in order.  Without
    a lock file, number order is spec order.
    """

    __slots__ = ("path", "groups", "naming", "commands", "lock_path", "fingerprint")
    _defaults = {"lock_path": None, "fingerprint": False}
    path: str
    groups: tuple[Group, ...]
    naming: NamingPatterns
    commands: tuple[Command, ...]
    lock_path: str | None  # the lock file the numbers come from, if any
    fingerprint: bool

    def command(self, key: str) -> Command | None:
        for cmd in self.commands:
            if cmd.key == key:
                return cmd
        return None

    @property
    def has_retired(self) -> bool:
        return any(cmd.retired for cmd in self.commands)
