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

        def __init__(self, path: str, line: int, column: int) -> None:
            set_field(self, "path", path)
            set_field(self, "line", line)
            set_field(self, "column", column)

Fields are the ``__slots__``, in order (a subclass's after its base's);
fields left out of ``==`` and ``hash`` go in ``_uncompared``.  Each class
writes its ``__init__``, setting fields with :func:`set_field`.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing itself is not imported at run time (start-up cost)
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any

#: Sets a field of a record (records are otherwise immutable).
set_field = object.__setattr__


class Record:
    __slots__ = ()
    _fields: tuple[str, ...] = ()
    _compared: tuple[str, ...] = ()
    _uncompared: tuple[str, ...] = ()

    def __init_subclass__(cls) -> None:
        super().__init_subclass__()
        fields: list[str] = []
        for klass in reversed(cls.__mro__):
            slots = klass.__dict__.get("__slots__", ())
            fields.extend([slots] if isinstance(slots, str) else slots)
        cls._fields = tuple(fields)
        cls._compared = tuple(f for f in fields if f not in cls._uncompared)

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
