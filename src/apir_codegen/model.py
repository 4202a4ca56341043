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


GUEST_MARSHAL_OUTPUT = "virtgpu-forward.marshal.gen.cpp"
HOST_MARSHAL_OUTPUT = "backend/backend-dispatched.marshal.gen.cpp"
HOST_IMPL_HEADER = "backend/backend-dispatched-impl.gen.h"


class Slot(Record):
    """How one value of a generated command crosses the wire.

    ``direction`` is ``in`` (in the request), ``out`` (an out-parameter, in the
    reply) or ``return`` (the return value, first in the reply).  ``param`` is
    the guest parameter (None for the return value); ``length`` names the
    parameter that gives a ``shmem`` slot's size; ``host_name`` is the name of
    the host handler's local; ``mutable`` gives the host a non-const pointer;
    ``destroy`` untracks a buffer before the call.
    """

    __slots__ = ("codec", "direction", "param", "length", "host_name", "mutable", "destroy", "location")
    codec: str
    direction: str
    param: Param | None
    length: str | None
    host_name: str
    mutable: bool
    destroy: bool
    location: Location

    def __init__(
        self,
        codec: str,
        direction: str,
        param: Param | None,
        host_name: str,
        location: Location,
        length: str | None = None,
        mutable: bool = False,
        destroy: bool = False,
    ) -> None:
        set_field(self, "codec", codec)
        set_field(self, "direction", direction)
        set_field(self, "param", param)
        set_field(self, "length", length)
        set_field(self, "host_name", host_name)
        set_field(self, "mutable", mutable)
        set_field(self, "destroy", destroy)
        set_field(self, "location", location)

    @property
    def name(self) -> str:
        """The guest parameter's name ('' for the return value)."""
        return self.param.name if self.param is not None else ""


class Marshal(Record):
    """A generated command: its slots and what the host does.

    ``params`` has one slot per guest parameter after the base one, in
    declaration order; ``returns`` is None for void.  ``host_call`` is the C
    expression the host evaluates (None: the hand-written ``<handler>_impl``
    hook); ``checks`` are C conditions the host requires first.  ``guest`` and
    ``host`` say which sides are generated.
    """

    __slots__ = ("params", "returns", "checks", "host_call", "guest", "host", "location")
    params: tuple[Slot, ...]
    returns: Slot | None
    checks: tuple[str, ...]
    host_call: str | None
    guest: bool
    host: bool
    location: Location

    def __init__(
        self,
        params: tuple[Slot, ...],
        returns: Slot | None,
        location: Location,
        checks: tuple[str, ...] = (),
        host_call: str | None = None,
        guest: bool = True,
        host: bool = True,
    ) -> None:
        set_field(self, "params", params)
        set_field(self, "returns", returns)
        set_field(self, "checks", checks)
        set_field(self, "host_call", host_call)
        set_field(self, "guest", guest)
        set_field(self, "host", host)
        set_field(self, "location", location)

    @property
    def hooked(self) -> bool:
        """The host handler calls a hand-written hook."""
        return self.host and self.host_call is None

    @property
    def sides(self) -> str:
        """Which sides are generated, in words."""
        if self.guest and self.host:
            return "generated"
        return "guest generated, host hand-written" if self.guest else "host generated, guest hand-written"


class Marshalling(Record):
    """Where the generated marshalling code goes (paths relative to the output directory)."""

    __slots__ = ("guest_output", "host_output", "host_impl_header")
    guest_output: str
    host_output: str
    host_impl_header: str

    def __init__(
        self,
        guest_output: str = GUEST_MARSHAL_OUTPUT,
        host_output: str = HOST_MARSHAL_OUTPUT,
        host_impl_header: str = HOST_IMPL_HEADER,
    ) -> None:
        set_field(self, "guest_output", guest_output)
        set_field(self, "host_output", host_output)
        set_field(self, "host_impl_header", host_impl_header)

    @property
    def outputs(self) -> tuple[str, str, str]:
        return (self.guest_output, self.host_output, self.host_impl_header)


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
        "marshal",
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
    marshal: Marshal | None

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
        marshal: Marshal | None = None,
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
        set_field(self, "marshal", marshal)

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

    @property
    def marshal(self) -> Marshal | None:
        """How the command is generated (None: hand-written)."""
        return self.function.marshal if self.status == "active" else None


class Spec(Record):
    """A validated spec: its groups as written and the commands they define.

    ``commands`` are in number order and numbered densely from 0: entry *i* is
    command number *i*, so the dispatch table is ``commands`` in order.  Without
    a lock file, number order is spec order.
    """

    __slots__ = ("path", "groups", "naming", "commands", "lock_path", "fingerprint", "marshalling")
    path: str
    groups: tuple[Group, ...]
    naming: NamingPatterns
    commands: tuple[Command, ...]
    lock_path: str | None  # the lock file the numbers come from, if any
    fingerprint: bool
    marshalling: Marshalling | None  # None: no marshalling code is generated

    def __init__(
        self,
        path: str,
        groups: tuple[Group, ...],
        naming: NamingPatterns,
        commands: tuple[Command, ...],
        lock_path: str | None = None,
        fingerprint: bool = False,
        marshalling: Marshalling | None = None,
    ) -> None:
        set_field(self, "path", path)
        set_field(self, "groups", groups)
        set_field(self, "naming", naming)
        set_field(self, "commands", commands)
        set_field(self, "lock_path", lock_path)
        set_field(self, "fingerprint", fingerprint)
        set_field(self, "marshalling", marshalling)

    @property
    def has_retired(self) -> bool:
        return any(cmd.retired for cmd in self.commands)
