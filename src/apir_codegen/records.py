"""Small immutable records: a light stand-in for frozen dataclasses.

apir-codegen runs inside builds and pre-commit, where its start-up time is paid
on every run; importing ``dataclasses`` (and the ``inspect`` machinery it
pulls in) and generating the classes' code costs more than a whole run on
ggml's spec.  Model objects are therefore plain classes with ``__slots__`` on
this base, declared like dataclasses:

    class Location(Record):
        path: str
        line: int
        column: int = 1

The annotated names are the fields, in order (a subclass's after its base's),
and become the ``__slots__``; a value written after one is its default.  The
record gets an ``__init__`` taking the fields in that order (positionally or
by name), ``==``, ``hash`` and ``repr``; fields left out of ``==`` and
``hash`` go in ``_uncompared``.  The ``__init__`` is specialized from one
code object per number of fields (written out in :mod:`._record_inits`, so
loaded from bytecode), so it costs what a hand-written one costs, and
defining a record costs no compilation.

A class that writes ``__slots__`` itself (and then its own ``__init__``,
setting fields with :func:`set_field`) is taken as it is.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing itself is not imported at run time (start-up cost)
if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Callable
    from types import CodeType
    from types import FunctionType as _FunctionType
    from typing import Any, dataclass_transform
else:
    _FunctionType = type(lambda: None)

    def dataclass_transform(**kwargs):  # the type checker's view: a frozen dataclass
        return lambda cls: cls


#: Sets a field of a record (records are otherwise immutable).
set_field = object.__setattr__

_TEMPLATES: dict[int, CodeType] = {}
#: Arities whose template is written out in :mod:`._record_inits` (loaded from its bytecode, not compiled).
WRITTEN_ARITIES = range(13)


def template_source(arity: int) -> str:
    """``__init__(self, f0, f1, ...)`` setting each field ``fN``, as source."""
    params = "".join(f", f{i}" for i in range(arity))
    body = "".join(f'    set_field(self, "f{i}", f{i})\n' for i in range(arity)) or "    pass\n"
    return f"def init{arity}(self{params}) -> None:\n{body}"


def _template(arity: int) -> CodeType:
    """The code of the template of ``arity`` fields: written out for the usual arities, else compiled once."""
    code = _TEMPLATES.get(arity)
    if code is None:
        if arity in WRITTEN_ARITIES:
            from . import _record_inits

            code = getattr(_record_inits, f"init{arity}").__code__
        else:
            namespace: dict[str, Any] = {}
            exec(template_source(arity), {"set_field": set_field}, namespace)
            code = namespace[f"init{arity}"].__code__
        _TEMPLATES[arity] = code
    return code


def _make_init(cls: type, fields: tuple[str, ...], defaults: dict[str, Any]) -> Callable[..., None]:
    """``__init__`` for ``fields``: the template of their number, with their names."""
    template = _template(len(fields))
    names = {f"f{i}": name for i, name in enumerate(fields)}
    code = template.replace(
        co_varnames=("self", *fields),
        co_consts=tuple(names.get(c, c) if type(c) is str else c for c in template.co_consts),
        co_name="__init__",
        co_qualname=f"{cls.__qualname__}.__init__",
    )
    argdefs = tuple(defaults[name] for name in fields if name in defaults)
    init: Callable[..., None] = _FunctionType(code, {"set_field": set_field}, "__init__", argdefs or None)
    return init


def _declared_fields(namespace: dict[str, Any]) -> list[str]:
    """The annotated names of a class body, in order (not ClassVars, not private names)."""
    annotations = namespace.get("__annotations__")
    if annotations is None and "__annotate__" in namespace:  # pragma: no cover - Python 3.14 without the future import
        import annotationlib  # type: ignore[import-not-found]

        annotations = annotationlib.call_annotate_function(namespace["__annotate__"], annotationlib.Format.FORWARDREF)
    return [
        name
        for name, kind in (annotations or {}).items()
        if not name.startswith("_") and not str(kind).startswith(("ClassVar", "typing.ClassVar"))
    ]


class _RecordType(type):
    def __new__(mcs, name: str, bases: tuple[type, ...], namespace: dict[str, Any]) -> _RecordType:
        declared = "__slots__" not in namespace
        defaults: dict[str, Any] = {}
        if declared:
            own = _declared_fields(namespace)
            for field in own:
                if field in namespace:
                    defaults[field] = namespace.pop(field)
                elif defaults:
                    raise TypeError(f"{name}: field '{field}' without a default follows one with a default")
            namespace["__slots__"] = tuple(own)
        cls = super().__new__(mcs, name, bases, namespace)
        fields: list[str] = []
        for klass in reversed(cls.__mro__):
            slots = klass.__dict__.get("__slots__", ())
            fields.extend([slots] if isinstance(slots, str) else slots)
        cls._fields = tuple(fields)  # type: ignore[attr-defined]
        cls._compared = tuple(f for f in fields if f not in cls._uncompared)  # type: ignore[attr-defined]
        if declared and "__init__" not in namespace and fields:
            inherited = {k: v for base in bases for k, v in getattr(base, "_defaults", {}).items()}
            cls._defaults = {**inherited, **defaults}  # type: ignore[attr-defined]
            cls.__init__ = _make_init(cls, cls._fields, cls._defaults)  # type: ignore[attr-defined,misc]
        return cls


@dataclass_transform(frozen_default=True)
class Record(metaclass=_RecordType):
    __slots__ = ()
    _fields: tuple[str, ...] = ()
    _compared: tuple[str, ...] = ()
    _uncompared: tuple[str, ...] = ()
    _defaults: dict[str, Any] = {}

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
