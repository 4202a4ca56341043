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

    codec: str
    direction: str
    param: Param | None
    host_name: str
    location: Location
    length: str | None = None
    mutable: bool = False
    destroy: bool = False

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

    params: tuple[Slot, ...]
    returns: Slot | None
    location: Location
    checks: tuple[str, ...] = ()
    host_call: str | None = None
    guest: bool = True
    host: bool = True

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

    guest_output: str = GUEST_MARSHAL_OUTPUT
    host_output: str = HOST_MARSHAL_OUTPUT
    host_impl_header: str = HOST_IMPL_HEADER
    fuzz_output: str | None = None  # the fuzz harness, only when asked for

    @property
    def outputs(self) -> tuple[str, ...]:
        paths = (self.guest_output, self.host_output, self.host_impl_header)
        return paths if self.fuzz_output is None else (*paths, self.fuzz_output)


class Function(Record):
    """A function as the spec declares it (enabled or not).

    ``return_source`` is the return type exactly as the spec wrote it (None:
    defaulted to void).
    """

    group: str
    name: str
    location: Location
    enabled: bool = True
    deprecated: bool = False
    retired: bool = False
    return_type: CType = VOID
    return_source: str | None = None
    params: tuple[Param, ...] = ()
    marshal: Marshal | None = None

    @property
    def key(self) -> str:
        """``<group>_<function>``: the command's name in lookups and overrides."""
        return f"{self.group}_{self.name}"

    @property
    def qualified_name(self) -> str:
        return f"{self.group}.{self.name}"


class Group(Record):
    name: str
    description: str
    location: Location
    functions: tuple[Function, ...] = ()


class NamingPatterns(Record):
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

    path: str
    groups: tuple[Group, ...]
    naming: NamingPatterns
    commands: tuple[Command, ...]
    lock_path: str | None = None  # the lock file the numbers come from, if any
    fingerprint: bool = False
    marshalling: Marshalling | None = None  # None: no marshalling code is generated

    @property
    def has_retired(self) -> bool:
        return any(cmd.retired for cmd in self.commands)
