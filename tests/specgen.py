"""Random valid specs, for property tests and bulk comparison with clang-format.

The vocabulary and shapes follow ggml's spec and the conformance sample (group
and function names made of words, ggml's types, irregular pointer spacing,
several naming schemes), with knobs to push lengths further than ggml ever
does.  Driven by a ``random.Random`` so that hypothesis (through
``st.randoms()``) and plain scripts can share it.
"""

from __future__ import annotations

import random
from typing import Any

WORDS = [
    "alpha",
    "beta",
    "gamma",
    "delta",
    "x",
    "very",
    "long",
    "name",
    "host",
    "async",
    "tensor",
    "buffer",
    "context",
    "handle",
    "compute",
    "stream",
    "offload",
    "graph",
]
GROUPS = [
    "device",
    "buffer_type",
    "buffer",
    "backend",
    "stream",
    "context",
    "event",
    "memory",
    "graph",
    "host_buffer",
    "queue",
    "sync",
    "reg",
    "tensor",
]
FUNCTIONS = [
    "get_device_count",
    "get_count",
    "get_name",
    "get_description",
    "get_type",
    "get_memory",
    "supports_op",
    "get_buffer_type",
    "get_props",
    "buffer_from_ptr",
    "get_alignment",
    "get_max_size",
    "is_host",
    "alloc_buffer",
    "get_alloc_size",
    "get_base",
    "set_tensor",
    "get_tensor",
    "cpy_tensor",
    "clear",
    "free_buffer",
    "graph_compute",
    "graph_optimize",
    "reset",
    "synchronize",
    "set_tensor_async",
    "get_tensor_async",
    "init",
    "record",
    "wait",
    "offload_op",
]
RETURNS = [
    "int",
    "char *",
    "const char *",
    "uint32_t",
    "uint64_t",
    "int32_t",
    "size_t",
    "bool",
    "void",
    "void *",
    "ggml_status",
    "enum ggml_status",
    "ggml_cgraph *",
    "const ggml_tensor *",
    "apir_buffer_context_t",
    "apir_buffer_type_host_handle_t",
    "unsigned int",
    "struct ggml_tensor *",
    "const void *",
    "char **",
    "char const *",
    "unsigned long long",
    "const struct ggml_tensor *",
    "uint64_t const *",
    "void**",
]
PARAMS = [
    ("const char", 1, "name"),
    ("apir_buffer_context_t", 1, "buffer_context"),
    ("const ggml_tensor", 1, "op"),
    ("const ggml_tensor", 1, "dst"),
    ("const ggml_tensor", 1, "src"),
    ("unsigned int", 0, "count"),
    ("size_t", 1, "free"),
    ("size_t", 1, "total"),
    ("uint64_t", 1, "out_count"),
    ("size_t", 0, "size"),
    ("size_t", 0, "offset"),
    ("size_t", 0, "max_tensor_size"),
    ("bool", 1, "host_buffer"),
    ("bool", 1, "events"),
    ("bool", 1, "async"),
    ("const uint32_t", 1, "ids"),
    ("uint8_t", 0, "value"),
    ("ggml_cgraph", 1, "cgraph"),
    ("struct ggml_tensor", 1, "t"),
    ("void", 1, "data"),
    ("const void", 1, "data"),
    ("uint32_t", 0, "flags"),
    ("int32_t", 0, "index"),
    ("ggml_tensor", 1, "tensor"),
    ("apir_buffer_type_host_handle_t", 0, "host_handle"),
    ("char", 2, "argv"),
    ("const char", 2, "names"),
    ("uint64_t", 0, "id"),
    ("long long", 0, "stamp"),
    ("uint32_t const", 1, "sizes"),
    ("ggml_tensor const", 1, "node"),
    ("struct ggml_tensor const", 1, "leaf"),
    ("unsigned const int", 0, "slot"),
    ("char const * const", 1, "label"),
    ("volatile int", 1, "flag"),
    ("enum ggml_status", 0, "status"),
    ("unsigned long", 0, "bytes"),
    ("signed char", 0, "sign"),
]
PREFIXES = {
    "enum_prefix": ["APIR_COMMAND_TYPE_", "REMOTE_OP_", "VN_CMD_", "APIR_CMD_"],
    "backend_function_prefix": ["backend_", "apir_backend_", "host_"],
    "frontend_function_prefix": ["apir_", "guest_", "virtgpu_fwd_"],
    "frontend_base_param": ["struct virtgpu *gpu", "struct vn_ring *ring", "void *ctx", "struct virtgpu* gpu"],
}
#: What apir-codegen accepts (longer names cannot fit ggml's 120-column headers).
MAX_NAME = 107
MAX_PARAMETER = 114
STAR_SPELLINGS = ["{t} {s}{n}", "{t} {s}{n}", "{t} {s}{n}", "{t}{s} {n}", "{t} {s} {n}", "{t}{s}{n}", "{t}  {s}{n}"]


def _east(type_text: str) -> bool:
    """Whether a type has a qualifier after its first word, which clang-format would move."""
    words = type_text.replace("*", " ").split()
    return any(w in ("const", "volatile") for w in words[1:]) and not type_text.startswith("volatile const")


class SpecGen:
    """Builds one random valid spec as plain Python data (ready for yaml.safe_dump)."""

    def __init__(self, rng: random.Random, scale: float = 1.0, east_const: bool = True):
        self.rng = rng
        self.scale = scale  # >1 makes names and lists longer
        # Qualifiers written after the type ('char const *'), which clang-format moves.
        self.east_const = east_const

    def words(self, low: int, high: int) -> list[str]:
        return [self.rng.choice(WORDS) for _ in range(self.rng.randint(low, high))]

    def ident(self, base: list[str], extra_low: int, extra_high: int) -> str:
        extra = self.words(extra_low, int(extra_high * self.scale))
        return "_".join([self.rng.choice(base), *extra]) if base else "_".join(extra or ["x"])

    def group_name(self) -> str:
        roll = self.rng.random()
        if roll < 0.75:
            return self.rng.choice(GROUPS)
        return "_".join(self.words(1, max(1, int(3 * self.scale))))

    def description(self, group: str) -> str:
        text = group.replace("_", "-")
        roll = self.rng.random()
        if roll < 0.2:
            return group.upper()
        if roll < 0.4:
            return f"{text} functions"
        if roll < 0.5:
            return f"{text} ops"
        return text

    def function_name(self) -> str:
        roll = self.rng.random()
        if roll < 0.7:
            return self.rng.choice(FUNCTIONS)
        if roll < 0.9:
            return f"{self.rng.choice(FUNCTIONS)}_{'_'.join(self.words(1, max(1, int(3 * self.scale))))}"
        return "_".join(self.words(2, max(2, int(5 * self.scale))))

    def return_type(self) -> str:
        if self.rng.random() < 0.1:
            return f"apir_{'_'.join(self.words(2, max(2, int(5 * self.scale))))}_t"
        return self.rng.choice([r for r in RETURNS if self.east_const or not _east(r)])

    def param(self, used: set[str]) -> str:
        choices = [p for p in PARAMS if self.east_const or not _east(p[0])]
        for _ in range(20):
            base, stars, name = self.rng.choice(choices)
            if self.rng.random() < 0.3:
                name = f"{name}_{'_'.join(self.words(1, max(1, int(5 * self.scale))))}"
            name = name[: MAX_PARAMETER - len(base) - stars - 4].rstrip("_")
            if name not in used:
                break
        else:
            name = f"p{len(used)}"
        used.add(name)
        if stars == 0:
            return f"{base} {name}"
        star = "*" * stars
        return self.rng.choice(STAR_SPELLINGS).format(t=base, s=star, n=name)

    def function(self, base_name: str) -> dict[str, Any] | None:
        roll = self.rng.random()
        if roll < 0.12:
            return None
        if roll < 0.15:
            return {}
        meta: dict[str, Any] = {}
        if self.rng.random() < 0.65:
            meta["frontend_return"] = self.return_type()
        r = self.rng.random()
        if r < 0.1:
            meta["frontend_extra_params"] = []
        elif r < 0.75:
            used = {base_name}
            count = self.rng.randint(1, max(1, int(7 * self.scale)))
            meta["frontend_extra_params"] = [self.param(used) for _ in range(count)]
        if self.rng.random() < 0.08:
            meta["deprecated"] = True
        if self.rng.random() < 0.1:
            meta["enabled"] = False
        elif self.rng.random() < 0.05:
            meta["enabled"] = True
        return meta

    def spec(self) -> dict[str, Any]:
        naming = {key: self.rng.choice(values) for key, values in PREFIXES.items()}
        base_name = naming["frontend_base_param"].replace("*", " ").split()[-1]
        groups: dict[str, Any] = {}
        keys: set[str] = set()
        enums: set[str] = set()
        for _ in range(self.rng.randint(1, max(1, int(5 * self.scale)))):
            gname = self.group_name()
            if gname in groups:
                continue
            funcs: dict[str, Any] = {}
            for _ in range(self.rng.randint(0 if self.rng.random() < 0.05 else 1, max(1, int(12 * self.scale)))):
                fname = self.function_name()
                longest = max(
                    len(naming[k]) for k in ("enum_prefix", "backend_function_prefix", "frontend_function_prefix")
                )
                fname = fname[: MAX_NAME - longest - len(gname) - 1].rstrip("_") or "f"
                key = f"{gname}_{fname}"
                if fname in funcs or key in keys or key.upper() in enums:
                    continue
                keys.add(key)
                enums.add(key.upper())
                funcs[fname] = self.function(base_name)
            groups[gname] = {"group_description": self.description(gname), "functions": funcs}
        spec: dict[str, Any] = {"config": {"base_path": "ggml/src"}, "functions": groups, "naming_patterns": naming}
        if self.rng.random() < 0.3 and keys:
            overrides = {}
            for key in self.rng.sample(sorted(keys), min(len(keys), self.rng.randint(1, 3))):
                overrides[key] = f"custom_{'_'.join(self.words(1, max(1, int(4 * self.scale))))}"
            if len(set(overrides.values())) == len(overrides):
                naming["backend_function_overrides"] = overrides
        return spec


def random_spec(seed: int, scale: float = 1.0) -> dict[str, Any]:
    return SpecGen(random.Random(seed), scale).spec()
