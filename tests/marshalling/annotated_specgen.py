"""Random valid annotated specs: every codec, direction, return and hook, as a hypothesis strategy.

A drawn :class:`ASpec` is both the spec (``yaml_text()``: groups of functions
with ``marshal:`` blocks and a ``marshalling.types`` section) and what the
round-trip program needs to know about each slot (:mod:`.roundtrip_cpp`
writes the C++ from it).  What is drawn, per marshalled function:

* parameters: scalars of every spelling apir-codegen knows (``int``,
  ``enum ggml_status``, ...) and others through ``as:`` (``unsigned int`` as
  ``uint32_t``, ...), by value or through a pointer (``dir: in``), out-parameters
  (``dir: out``, short form ``name: out`` too); buffer-type handles in, through a
  pointer and out; buffer handles (``lifecycle: destroy`` too); tensors as
  ``tensor_rpc`` and ``tensor_inline``, const or not, ``mutable``, by the
  spec's type mapping or ``as:``; ``shmem`` bytes in and out, with ``len`` naming
  an integer parameter (shared by several, ``dir: in`` on a ``void *``,
  ``mutable``);
* a return value of every returnable codec (scalars, ``string``, ``address``,
  ``buffer_type_handle``), implied by its type or given with ``returns:``;
* ``host_call`` (a call of the program's fake) or none (a hook ``<handler>_impl``),
  ``checks``, ``guest: false`` or ``host: false`` (on functions whose slots the
  program's hand-written side covers: scalars, handles, returns);

and functions without ``marshal:`` (active, deprecated, retired, disabled),
whose handlers the program writes by hand.  Every draw is a valid spec
(``assert_valid``): a rejected draw is a bug of this strategy.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import yaml
from hypothesis import strategies as st

from apir_codegen.pipeline import check_source

T = TypeVar("T")


@dataclass(frozen=True)
class Scalar:
    """A C spelling of a scalar and how it crosses the wire."""

    spelling: str  # as the spec writes it
    codec: str  # the wire codec
    implied: bool  # apir-codegen knows the type (no 'as' needed)
    host: str  # the host's local for an in-parameter: the C type (tag dropped), or the wire type

    @property
    def wire(self) -> str:
        return WIRE[self.codec][0]

    @property
    def suffix(self) -> str:
        return WIRE[self.codec][1]


#: codec -> (the runtime's C type, apir_encode_<suffix>): the wire format as MARSHALLING.md gives it.
WIRE = {
    "int32_t": ("int32_t", "int32_t"),
    "uint32_t": ("uint32_t", "uint32_t"),
    "uint64_t": ("uint64_t", "uint64_t"),
    "size_t": ("size_t", "size_t"),
    "bool": ("bool", "bool_t"),
    "uint8_t": ("uint8_t", "uint8_t"),
    "uintptr_t": ("uintptr_t", "uintptr_t"),
    "ggml_status": ("ggml_status", "ggml_status"),
}

SCALARS = [
    Scalar("int32_t", "int32_t", True, "int32_t"),
    Scalar("int", "int32_t", True, "int"),
    Scalar("uint32_t", "uint32_t", True, "uint32_t"),
    Scalar("uint64_t", "uint64_t", True, "uint64_t"),
    Scalar("size_t", "size_t", True, "size_t"),
    Scalar("bool", "bool", True, "bool"),
    Scalar("uint8_t", "uint8_t", True, "uint8_t"),
    Scalar("uintptr_t", "uintptr_t", True, "uintptr_t"),
    Scalar("ggml_status", "ggml_status", True, "ggml_status"),
    Scalar("enum ggml_status", "ggml_status", True, "ggml_status"),
    Scalar("unsigned int", "uint32_t", False, "unsigned int"),
    Scalar("short", "int32_t", False, "short"),
    Scalar("long long", "uint64_t", False, "long long"),
    Scalar("unsigned char", "uint8_t", False, "unsigned char"),
    Scalar("int64_t", "uint64_t", False, "int64_t"),
]
#: Spellings a shmem 'len' may name (an integer type apir-codegen knows, by value).
LENGTHS = [
    s for s in SCALARS if s.implied and s.codec in ("int32_t", "uint32_t", "uint64_t", "size_t", "uint8_t", "uintptr_t")
]

BUFT_TYPE = "apir_buffer_type_host_handle_t"
BUFFER_TYPE = "apir_buffer_context_t"

#: Parameter kinds; "simple" ones are those a hand-written side of the program covers.
SIMPLE = ("scalar", "scalar_out", "buft", "buft_out", "buffer")
KINDS = (*SIMPLE, "tensor", "shmem")
#: Bytes of the guest's request buffer the parameters may take (the transport's is 4096, with the header).
REQUEST_BUDGET = 3800
TENSOR_INLINE_BYTES = 336  # sizeof(ggml_tensor)


@dataclass
class Param:
    name: str
    kind: str  # one of KINDS
    decl: str  # the frontend_extra_params entry
    annotation: Any = None  # its marshal.params entry (None: none)
    scalar: Scalar | None = None
    pointer: bool = False  # a scalar or buffer-type handle reached through a pointer (in)
    codec: str = ""  # tensors: tensor_rpc | tensor_inline
    const: bool = False  # tensors, shmem: const pointee
    mutable: bool = False
    destroy: bool = False
    out: bool = False  # shmem: the host writes the bytes
    length: str = ""  # shmem: the 'len' parameter
    host_name: str = ""  # the host handler's local
    max_src: int = 0  # tensor_inline: sources the program may send (with a view source)

    @property
    def request_bytes(self) -> int:
        if self.kind in ("scalar_out", "buft_out"):
            return 0
        if self.kind == "scalar":
            return 8 if self.scalar is not None and self.scalar.codec in ("uint64_t", "size_t", "uintptr_t") else 4
        if self.kind == "tensor":
            return 304 if self.codec == "tensor_rpc" else TENSOR_INLINE_BYTES * (2 + self.max_src) + 8
        return 4 if self.kind == "shmem" else 8

    @property
    def host_type(self) -> str:
        """The type of the host handler's local (and of the hook's parameter), as MARSHALLING.md implies."""
        if self.kind == "scalar":
            assert self.scalar is not None
            return self.scalar.host
        if self.kind == "scalar_out":
            assert self.scalar is not None
            return self.scalar.wire
        if self.kind in ("buft", "buft_out"):
            return "ggml_backend_buffer_type_t"
        if self.kind == "buffer":
            return "ggml_backend_buffer_t"
        writable = self.mutable or not self.const or self.out
        if self.kind == "tensor":
            return "ggml_tensor *" if writable else "const ggml_tensor *"
        return "void *" if writable else "const void *"

    @property
    def is_out(self) -> bool:
        return self.kind in ("scalar_out", "buft_out")


@dataclass
class Return:
    kind: str  # scalar | string | address | buft
    spelling: str
    scalar: Scalar | None = None
    returns: str | None = None  # an explicit 'returns:'

    @property
    def host_type(self) -> str:
        if self.kind == "scalar":
            assert self.scalar is not None
            return self.scalar.wire
        return {"string": "const char *", "address": "void *", "buft": "ggml_backend_buffer_type_t"}[self.kind]


@dataclass
class Func:
    group: str
    name: str
    index: int
    status: str = "marshal"  # marshal | plain | deprecated | retired | disabled
    params: list[Param] = field(default_factory=list)
    ret: Return | None = None
    host_call: bool = True
    checks: list[str] = field(default_factory=list)
    check_params: list[str] = field(default_factory=list)  # per check: the parameter prop_check() sees, or ""
    guest: bool = True
    host: bool = True

    @property
    def marshalled(self) -> bool:
        return self.status == "marshal"

    @property
    def enum(self) -> str:
        return f"APIR_COMMAND_TYPE_{self.group.upper()}_{self.name.upper()}"

    @property
    def handler(self) -> str:
        return f"backend_{self.group}_{self.name}"

    @property
    def guest_name(self) -> str:
        return f"apir_{self.group}_{self.name}"

    @property
    def fake(self) -> str:
        return f"prop_fake_{self.index}"

    @property
    def has_host_table_entry(self) -> bool:
        return self.status in ("marshal", "plain", "deprecated")

    def host_call_text(self) -> str:
        args = [f"&{p.host_name}" if p.is_out else p.host_name for p in self.params]
        return f"{self.fake}({', '.join(args)})"


@dataclass
class ASpec:
    funcs: list[Func]
    base: str  # frontend_base_param
    buft_host_name: str | None
    buffer_host_name: str | None
    tensor_codec: str | None  # what "ggml_tensor *" maps to in marshalling.types, if anything

    @property
    def base_name(self) -> str:
        return self.base.split("*")[-1].strip()

    @property
    def marshalled(self) -> list[Func]:
        return [f for f in self.funcs if f.marshalled]

    def as_dict(self) -> dict[str, Any]:
        types: dict[str, Any] = {
            BUFT_TYPE: {"codec": "buffer_type_handle", "host_name": self.buft_host_name}
            if self.buft_host_name
            else "buffer_type_handle",
            f"{BUFFER_TYPE} *": {"codec": "buffer_handle", "host_name": self.buffer_host_name}
            if self.buffer_host_name
            else "buffer_handle",
        }
        if self.tensor_codec:
            types["ggml_tensor *"] = self.tensor_codec
        groups: dict[str, Any] = {}
        for f in self.funcs:
            group = groups.setdefault(f.group, {"group_description": f"{f.group} commands", "functions": {}})
            body: dict[str, Any] = {}
            if f.status == "deprecated":
                body["deprecated"] = True
            elif f.status == "retired":
                body["retired"] = True
            elif f.status == "disabled":
                body["enabled"] = False
            if f.ret is not None:
                body["frontend_return"] = f.ret.spelling
            if f.params:
                body["frontend_extra_params"] = [p.decl for p in f.params]
            if f.marshalled:
                marshal: dict[str, Any] = {}
                params = {p.name: p.annotation for p in f.params if p.annotation is not None}
                if params:
                    marshal["params"] = params
                if f.checks:
                    marshal["checks"] = list(f.checks)
                if f.host_call:
                    marshal["host_call"] = f.host_call_text()
                if f.ret is not None and f.ret.returns:
                    marshal["returns"] = f.ret.returns
                if not f.guest:
                    marshal["guest"] = False
                if not f.host:
                    marshal["host"] = False
                body["marshal"] = marshal or None
            group["functions"][f.name] = body or None
        return {
            "marshalling": {"types": types},
            "functions": groups,
            "naming_patterns": {
                "enum_prefix": "APIR_COMMAND_TYPE_",
                "backend_function_prefix": "backend_",
                "frontend_function_prefix": "apir_",
                "frontend_base_param": self.base,
            },
        }

    def yaml_text(self) -> str:
        return "# A random annotated spec (tests/marshalling/annotated_specgen.py).\n" + yaml.safe_dump(
            self.as_dict(), sort_keys=False, width=1000
        )

    def counts(self) -> dict[str, int]:
        """How many slots of each kind the marshalled functions have (for the report)."""
        out: dict[str, int] = {}
        for f in self.marshalled:
            for p in f.params:
                key = p.codec or p.kind
                out[key] = out.get(key, 0) + 1
            if f.ret is not None:
                out[f"return:{f.ret.kind}"] = out.get(f"return:{f.ret.kind}", 0) + 1
            out["hooks"] = out.get("hooks", 0) + (not f.host_call)
        return out


def assert_valid(spec: ASpec) -> None:
    """A drawn spec passes apir-codegen's validation without a diagnostic (else the strategy is wrong)."""
    text = spec.yaml_text()
    model, diagnostics = check_source(text, "annotated.yaml")
    assert model is not None and not diagnostics, (
        "the strategy drew an invalid spec:\n" + "\n".join(str(d) for d in diagnostics) + "\n" + text
    )


class Chooser:
    """The choices a spec is built from: hypothesis's draws (``annotated_specs``) or a seeded ``random.Random``."""

    def __init__(self, draw: st.DrawFn | None = None, rng: random.Random | None = None) -> None:
        self.draw, self.rng = draw, rng

    def pick(self, items: Sequence[T]) -> T:
        if self.draw is not None:
            return self.draw(st.sampled_from(items))
        assert self.rng is not None
        return self.rng.choice(items)

    def number(self, low: int, high: int) -> int:
        if self.draw is not None:
            return self.draw(st.integers(low, high))
        assert self.rng is not None
        return self.rng.randint(low, high)

    def flag(self) -> bool:
        return self.number(0, 1) == 1

    def subset(self, items: Sequence[T], most: int) -> list[T]:
        if self.draw is not None:
            return self.draw(st.lists(st.sampled_from(items), max_size=most, unique=True))
        assert self.rng is not None
        return self.rng.sample(list(items), self.rng.randint(0, min(most, len(items))))


GROUPS = ["device", "buffer", "stream", "graph", "event"]
WORDS = ["get", "set", "put", "query", "copy", "fill", "probe", "sync", "load", "take", "send", "peek"]
PARAM_WORDS = ["a", "n", "count", "size", "value", "flag", "h", "v", "x", "len"]


def _star(c: Chooser) -> str:
    """A pointer's star as people space it ('T *p', 'T* p', 'T * p')."""
    return c.pick([" *", " *", "* ", " * "])


def _param(c: Chooser, j: int, kind: str, spec_types: dict[str, Any]) -> Param:
    name = f"{c.pick(PARAM_WORDS)}{j}"
    if kind in ("scalar", "scalar_out"):
        scalar = c.pick(SCALARS)
        pointer = kind == "scalar_out" or c.flag()
        const = kind == "scalar" and (c.flag() if pointer else c.number(0, 4) == 0)
        decl = f"{'const ' if const else ''}{scalar.spelling}{_star(c) if pointer else ' '}{name}"
        ann: dict[str, Any] = {}
        if not scalar.implied or c.number(0, 3) == 0:
            ann["as"] = scalar.codec
        if kind == "scalar_out":
            ann["dir"] = "out"
        elif pointer and (not const or c.flag()):
            ann["dir"] = "in"
        annotation: Any = ann or None
        if ann == {"dir": "out"} and c.flag():
            annotation = "out"
        return Param(name, kind, decl, annotation, scalar=scalar, pointer=pointer, host_name=name)
    if kind in ("buft", "buft_out"):
        pointer = kind == "buft_out" or c.flag()
        const = kind == "buft" and pointer and c.flag()
        decl = f"{'const ' if const else ''}{BUFT_TYPE}{_star(c) if pointer else ' '}{name}"
        ann = {}
        if kind == "buft_out":
            ann["dir"] = "out"
        elif pointer and (not const or c.flag()):
            ann["dir"] = "in"
        annotation = ann or None
        if ann == {"dir": "out"} and c.flag():
            annotation = "out"
        return Param(name, kind, decl, annotation, pointer=pointer, host_name=spec_types["buft"] or name)
    if kind == "buffer":
        destroy = c.number(0, 3) == 0
        const = c.number(0, 3) == 0
        decl = f"{'const ' if const else ''}{BUFFER_TYPE}{_star(c)}{name}"
        ann = {"lifecycle": "destroy"} if destroy else {}
        return Param(name, kind, decl, ann or None, destroy=destroy, host_name=spec_types["buffer"] or name)
    if kind == "tensor":
        codec = c.pick(["tensor_rpc", "tensor_inline"])
        const = c.flag()
        struct = c.number(0, 4) == 0
        decl = f"{'const ' if const else ''}{'struct ' if struct else ''}ggml_tensor{_star(c)}{name}"
        ann = {}
        if spec_types["tensor"] != codec or c.number(0, 3) == 0:
            ann["as"] = codec
        mutable = const and c.number(0, 2) == 0
        if mutable:
            ann["mutable"] = True
        max_src = c.number(0, 3) if codec == "tensor_inline" else 0
        return Param(
            name, kind, decl, ann or None, codec=codec, const=const, mutable=mutable, host_name=name, max_src=max_src
        )
    assert kind == "shmem"
    shape = c.pick(["const-in", "out", "out-explicit", "void-in", "const-mutable"])
    const = shape in ("const-in", "const-mutable")
    ann = {"as": "shmem"}
    if shape == "out-explicit":
        ann["dir"] = "out"
    elif shape == "void-in":
        ann["dir"] = "in"
    elif shape == "const-in" and c.flag():
        ann["dir"] = "in"
    mutable = shape == "const-mutable"
    if mutable:
        ann["mutable"] = True
    return Param(
        name,
        kind,
        f"{'const ' if const else ''}void{_star(c)}{name}",
        ann,
        const=const,
        mutable=mutable,
        out=shape.startswith("out"),
        host_name=name,
    )


def _return(c: Chooser) -> Return | None:
    kind = c.pick(["void", "void", "scalar", "scalar", "string", "address", "buft"])
    if kind == "void":
        return None
    if kind == "scalar":
        scalar = c.pick(SCALARS)
        explicit = not scalar.implied or c.number(0, 3) == 0
        return Return("scalar", scalar.spelling, scalar, scalar.codec if explicit else None)
    explicit = c.number(0, 2) == 0
    if kind == "string":
        return Return("string", c.pick(["char *", "const char *"]), returns="string" if explicit else None)
    if kind == "address":
        return Return("address", c.pick(["void *", "const void *"]), returns="address" if explicit else None)
    return Return("buft", BUFT_TYPE, returns="buffer_type_handle" if explicit else None)


def _marshalled(c: Chooser, f: Func, spec_types: dict[str, Any]) -> None:
    simple = c.number(0, 4) == 0  # one side hand-written by the program
    kinds = SIMPLE if simple else KINDS
    params: list[Param] = []
    budget = REQUEST_BUDGET
    for _ in range(c.number(0, 6)):
        kind = c.pick(kinds)
        p = _param(c, len(params), kind, spec_types)
        # one local per host_name in a handler: a second parameter of that type would clash
        if p.host_name != p.name and any(q.host_name == p.host_name for q in params):
            continue
        if p.request_bytes > budget:
            continue
        budget -= p.request_bytes
        params.append(p)
        if kind == "shmem":
            lengths = [q for q in params if q.kind == "scalar" and not q.pointer and q.scalar in LENGTHS]
            if lengths and c.flag():
                p.length = c.pick(lengths).name
            else:
                scalar = c.pick(LENGTHS)
                name = f"size{len(params)}"
                const = "const " if c.number(0, 3) == 0 else ""
                length = Param(name, "scalar", f"{const}{scalar.spelling} {name}", None, scalar=scalar, host_name=name)
                budget -= length.request_bytes
                params.insert(c.number(0, len(params)), length)
                p.length = name
            p.annotation["len"] = p.length
    f.params = params
    f.ret = _return(c)
    f.host_call = c.number(0, 2) > 0
    if simple:
        side = c.pick(["guest", "host"])
        f.guest, f.host = side != "guest", side != "host"
    length_names = {p.length for p in params if p.kind == "shmem"}
    candidates: list[tuple[str, str]] = []
    for p in params:
        if p.kind == "scalar":
            candidates.append((f"prop_check(prop_word({p.host_name}))", p.name))
            if p.name in length_names and p.scalar is not None and p.scalar.spelling in ("size_t", "uint64_t"):
                candidates.append((f"{p.host_name} <= (1u << 20)", ""))
        elif p.kind == "tensor":
            candidates.append((f"{p.host_name}->ne[0] > 0", ""))
        elif p.kind == "buffer" and not p.destroy:
            candidates.append((f"ggml_backend_buffer_get_size({p.host_name}) > 0", ""))
    if candidates:
        chosen = c.subset(candidates, 2)
        f.checks = [text for text, _ in chosen]
        f.check_params = [name for _, name in chosen]


def build_spec(c: Chooser, min_functions: int = 6, max_functions: int = 14) -> ASpec:
    spec_types = {
        "buft": c.pick([None, "buft"]),
        "buffer": c.pick([None, "buffer"]),
        "tensor": c.pick([None, "tensor_rpc", "tensor_inline"]),
    }
    base = c.pick(["struct virtgpu *gpu", "virtgpu *vgpu", "struct virtgpu* gpu"])
    groups = c.subset(GROUPS, 3) or [c.pick(GROUPS)]
    total = c.number(min_functions, max_functions)
    funcs: list[Func] = []
    for index in range(total):
        group = groups[min(index * len(groups) // total, len(groups) - 1)]
        name = f"{c.pick(WORDS)}_{index}"
        status = c.pick(["marshal"] * 8 + ["plain", "deprecated", "retired", "disabled"])
        f = Func(group, name, index, status)
        if status == "marshal":
            _marshalled(c, f, spec_types)
        elif status == "plain":
            f.ret = _return(c)
        funcs.append(f)
    if not any(f.marshalled for f in funcs):
        funcs[0].status = "marshal"
        _marshalled(c, funcs[0], spec_types)
    spec = ASpec(funcs, base, spec_types["buft"], spec_types["buffer"], spec_types["tensor"])
    return spec


@st.composite
def annotated_specs(draw: st.DrawFn, min_functions: int = 6, max_functions: int = 14) -> ASpec:
    """The strategy: a random valid annotated spec."""
    return build_spec(Chooser(draw=draw), min_functions, max_functions)


def seeded_spec(seed: int, min_functions: int = 10, max_functions: int = 16) -> ASpec:
    """The same construction from a seeded random.Random: fixed specs for explicit examples."""
    return build_spec(Chooser(rng=random.Random(seed)), min_functions, max_functions)
