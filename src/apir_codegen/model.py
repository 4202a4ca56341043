"""The validated model of a spec: immutable, typed, every part with its source location.

Only :mod:`apir_codegen.validate` builds it, so anything holding a :class:`Spec`
can rely on it being consistent (names are identifiers, nothing collides,
command numbers are dense and unique).
"""

from __future__ import annotations

from .cdecl import CType, Param
from .diagnostics import Location
from .records import Record, set_field

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

    __slots__ = (
        "group",
        "name",
        "location",
        "enabled",
        "deprecated",
        "retired",
        "return_type",
        "return_source",
        "params",
    )
    group: str
    name: str
    location: Location
    enabled: bool
    deprecated: bool
    retired: bool
    return_type: CType
    return_source: str | None
    params: tuple[Param, ...]

    def __init__(
        self,
        group: str,
        name: str,
        location: Location,
        enabled: bool = True,
        deprecated: bool = False,
        retired: bool = False,
        return_type: CType = VOID,
        return_source: str | None = None,
        params: tuple[Param, ...] = (),
    ) -> None:
        set_field(self, "group", group)
        set_field(self, "name", name)
        set_field(self, "location", location)
        set_field(self, "enabled", enabled)
        set_field(self, "deprecated", deprecated)
        set_field(self, "retired", retired)
        set_field(self, "return_type", return_type)
        set_field(self, "return_source", return_source)
        set_field(self, "params", params)

    @property
    def key(self) -> str:
        """``<group>_<function>``: the command's name in lookups and overrides."""
        return f"{self.group}_{self.name}"

    @property
    def qualified_name(self) -> str:
        return f"{self.group}.{self.name}"


class Group(Record):
    __slots__ = ("name", "description", "location", "functions")
    name: str
    description: str
    location: Location
    functions: tuple[Function, ...]

    def __init__(
        self,
        name: str,
        description: str,
        location: Location,
        functions: tuple[Function, ...] = (),
    ) -> None:
        set_field(self, "name", name)
        set_field(self, "description", description)
        set_field(self, "location", location)
        set_field(self, "functions", functions)


class NamingPatterns(Record):
    __slots__ = (
        "enum_prefix",
        "backend_function_prefix",
        "frontend_function_prefix",
        "frontend_base_param",
        "backend_function_overrides",
    )
    enum_prefix: str
    backend_function_prefix: str
    frontend_function_prefix: str
    frontend_base_param: Param
    backend_function_overrides: tuple[tuple[str, str], ...]

    def __init__(
        self,
        enum_prefix: str,
        backend_function_prefix: str,
        frontend_function_prefix: str,
        frontend_base_param: Param,
        backend_function_overrides: tuple[tuple[str, str], ...] = (),
    ) -> None:
        set_field(self, "enum_prefix", enum_prefix)
        set_field(self, "backend_function_prefix", backend_function_prefix)
        set_field(self, "frontend_function_prefix", frontend_function_prefix)
        set_field(self, "frontend_base_param", frontend_base_param)
        set_field(self, "backend_function_overrides", backend_function_overrides)

    def override_for(self, key: str) -> str | None:
        for name, handler in self.backend_function_overrides:
            if name == key:
                return handler
        return None

    # The names of a command, composed as ggml's generator composes them.

    def enum_name(self, group: str, function: str) -> str:
        """``<enum_prefix><GROUP>_<FUNCTION>``."""
        return f"{self.enum_prefix}{group.upper()}_{function.upper()}"

    def handler_name(self, group: str, function: str) -> str:
        """The override for ``<group>_<function>``, else ``<backend_function_prefix><group>_<function>``."""
        key = f"{group}_{function}"
        return self.override_for(key) or f"{self.backend_function_prefix}{key}"

    def guest_name(self, group: str, function: str) -> str:
        """``<frontend_function_prefix><group>_<function>``."""
        return f"{self.frontend_function_prefix}{group}_{function}"


class Command(Record):
    """An entry of the protocol: a number, its names and its guest signature."""

    __slots__ = ("number", "function", "enum_name", "handler_name", "guest_name", "group_description")
    number: int
    function: Function
    enum_name: str
    handler_name: str
    guest_name: str
    group_description: str

    def __init__(
        self,
        number: int,
        function: Function,
        enum_name: str,
        handler_name: str,
        guest_name: str,
        group_description: str,
    ) -> None:
        set_field(self, "number", number)
        set_field(self, "function", function)
        set_field(self, "enum_name", enum_name)
        set_field(self, "handler_name", handler_name)
        set_field(self, "guest_name", guest_name)
        set_field(self, "group_description", group_description)

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
    path: str
    groups: tuple[Group, ...]
    naming: NamingPatterns
    commands: tuple[Command, ...]
    lock_path: str | None  # the lock file the numbers come from, if any
    fingerprint: bool

    def __init__(
        self,
        path: str,
        groups: tuple[Group, ...],
        naming: NamingPatterns,
        commands: tuple[Command, ...],
        lock_path: str | None = None,
        fingerprint: bool = False,
    ) -> None:
        set_field(self, "path", path)
        set_field(self, "groups", groups)
        set_field(self, "naming", naming)
        set_field(self, "commands", commands)
        set_field(self, "lock_path", lock_path)
        set_field(self, "fingerprint", fingerprint)

    @property
    def has_retired(self) -> bool:
        return any(cmd.retired for cmd in self.commands)
