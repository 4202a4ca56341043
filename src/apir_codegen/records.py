"""Small immutable records: a light stand-in for frozen dataclasses.

apir-codegen runs inside builds and pre-commit, where its start-up time is paid
on every run; importing ``dataclasses`` (and the ``inspect`` machinery it
pulls in) and generating the classes' code costs more than a whole run on
ggml's spec.  Model objects are therefore plain classes with ``__slots__`` on
this base:

    class Location(Record):
        __slots__ = ("path", "line", "column")
        path: str
        line: int
        column: int

Fields are the ``__slots__``, in order (a subclass's after its base's);
defaults go in ``_defaults``, fields left out of ``==`` and ``hash`` in
``_uncompared``.  A class may define its own ``__init__`` (setting fields with
``object.__setattr__``); otherwise one is generated on first use.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing itself is not imported at run time (start-up cost)
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any, TypeVar

    R = TypeVar("R", bound="Record")

#: Sets a field of a record (records are otherwise immutable).
set_field = object.__setattr__


class Record:
    __slots__ = ()
    _fields: tuple[str, ...] = ()
    _compared: tuple[str, ...] = ()
    _defaults: dict[str, Any] = {}
    _uncompared: tuple[str, ...] = ()

    def __init_subclass__(cls) -> None:
        super().__init_subclass__()
        fields: list[str] = []
        for klass in reversed(cls.__mro__):
            slots = klass.__dict__.get("__slots__", ())
            fields.extend([slots] if isinstance(slots, str) else slots)
        cls._fields = tuple(fields)
        cls._compared = tuple(f for f in fields if f not in cls._uncompared)
        # A plain __init__ per class, as fast as a hand-written one, made on
        # the first instantiation (a run only pays for the classes it uses).
        if "__init__" not in cls.__dict__:
            cls.__init__ = _bootstrap_init  # type: ignore[assignment, method-assign]

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def _key(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self._compared)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, Record)
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash((type(self).__name__, self._key()))

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._compared)
        return f"{type(self).__name__}({shown})"

    def replace(self: R, **changes: Any) -> R:
        """A copy with some fields changed."""
        values = {name: getattr(self, name) for name in self._fields}
        values.update(changes)
        return type(self)(**values)


def _bootstrap_init(self: Record, *args: Any, **kwargs: Any) -> None:
    cls = type(self)
    fields = cls._fields
    # Fields are identifiers from the class body, never data.
    params = ", ".join(f"{name}=_defaults[{name!r}]" if name in cls._defaults else name for name in fields)
    body = "".join(f"    set_field(self, {name!r}, {name})\n" for name in fields) or "    pass\n"
    namespace: dict[str, Any] = {"set_field": set_field, "_defaults": cls._defaults}
    exec(f"def __init__(self, {params}):\n{body}", namespace)  # noqa: S102
    cls.__init__ = namespace["__init__"]  # type: ignore[method-assign]
    cls.__init__(self, *args, **kwargs)
