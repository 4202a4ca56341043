"""ggml's own spec, annotated for generated marshalling at test time, and builds from generated files.

`annotate()` turns ggml's ``ggmlremoting_functions.yaml`` (48f38694, in
../shared) into the spec a ggml maintainer adopting generated marshalling
would write, along MARSHALLING.md and independently of this repository's
example: a ``marshalling:`` section, one ``marshal:`` block per generatable
command, and the ``mmap_support`` out-parameter that ggml's code has and its
spec lacks.  The transformation only inserts lines, so ggml's text (comments,
``config:``, order) stays as it is; `annotation_problems()` proves it.

`generate()` runs the tool as a user does; `generated_sides()` builds the
harness's sides from what it wrote (ggml's hand-written definitions of the
generated commands removed, hooks compiled beside the hook header).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from .harness import HOST_HELPERS, Side, marshalled_names

GUEST_OUTPUT = "virtgpu-forward.marshal.gen.cpp"
HOST_OUTPUT = "backend/backend-dispatched.marshal.gen.cpp"
HOOK_HEADER = "backend/backend-dispatched-impl.gen.h"

#: The new top-level section, inserted before `functions:`.
MARSHALLING = """\
marshalling:
  types:
    "apir_buffer_type_host_handle_t": {codec: buffer_type_handle, host_name: buft}
    "apir_buffer_context_t *": {codec: buffer_handle, host_name: buffer}
    "ggml_tensor *": tensor_rpc

"""

#: The marshal block of each generatable command, as YAML under the function's key (8 spaces in).
MARSHAL: dict[tuple[str, str], str] = {
    ("device", "get_count"): 'host_call: "reg->iface.get_device_count(reg)"',
    ("device", "get_name"): 'returns: string\nhost_call: "dev->iface.get_name(dev)"',
    ("device", "get_description"): 'returns: string\nhost_call: "dev->iface.get_description(dev)"',
    ("device", "get_type"): 'host_call: "dev->iface.get_type(dev)"',
    ("device", "get_memory"): (
        'params:\n  free: {dir: out}\n  total: {dir: out}\nhost_call: "dev->iface.get_memory(dev, &free, &total)"'
    ),
    ("device", "supports_op"): 'params:\n  op: {as: tensor_inline}\nhost_call: "dev->iface.supports_op(dev, op)"',
    ("device", "get_buffer_type"): 'returns: buffer_type_handle\nhost_call: "dev->iface.get_buffer_type(dev)"',
    # no host_call: the hand-written hook backend_device_get_props_impl fills the five flags
    ("device", "get_props"): "params: {async: out, host_buffer: out, buffer_from_host_ptr: out, events: out, "
    "mmap_support: out}",
    ("buffer_type", "get_name"): 'returns: string\nhost_call: "buft->iface.get_name(buft)"',
    ("buffer_type", "get_alignment"): 'host_call: "buft->iface.get_alignment(buft)"',
    ("buffer_type", "get_max_size"): (
        'host_call: "buft->iface.get_max_size ? buft->iface.get_max_size(buft) : SIZE_MAX"'
    ),
    ("buffer_type", "get_alloc_size"): (
        "params:\n  op: {as: tensor_inline}\n"
        'host_call: "buft->iface.get_alloc_size ? buft->iface.get_alloc_size(buft, op) : ggml_nbytes(op)"'
    ),
    ("buffer", "get_base"): 'returns: address\nhost_call: "buffer->iface.get_base(buffer)"',
    ("buffer", "set_tensor"): (
        "params:\n  data: {as: shmem, dir: in, len: size}\n"
        'checks: ["offset <= SIZE_MAX - size"]\n'
        'host_call: "buffer->iface.set_tensor(buffer, tensor, data, offset, size)"'
    ),
    ("buffer", "get_tensor"): (
        "params:\n  data: {as: shmem, dir: out, len: size}\n"
        'checks: ["offset <= SIZE_MAX - size"]\n'
        'host_call: "buffer->iface.get_tensor(buffer, tensor, data, offset, size)"'
    ),
    ("buffer", "cpy_tensor"): (
        'params:\n  dst: {mutable: true}\nhost_call: "buffer->iface.cpy_tensor(buffer, src, dst)"'
    ),
    ("buffer", "clear"): 'host_call: "buffer->iface.clear(buffer, value)"',
    # ggml_backend_buffer_free, not iface.free_buffer: NULL for the CPU's buffers over host memory
    ("buffer", "free_buffer"): (
        'params:\n  buffer_context: {lifecycle: destroy}\nhost_call: "ggml_backend_buffer_free(buffer)"'
    ),
}

#: Parameters ggml's code has and its spec lacks: (group, function) -> (after this line, the new line).
MISSING_PARAMS = {("device", "get_props"): ('- "bool *events"', '- "bool *mmap_support"')}


class AnnotationError(Exception):
    """ggml's spec no longer has the shape the transformation expects."""


def annotate(text: str) -> str:
    """ggml's spec text with the marshalling annotations inserted (nothing else changes)."""
    lines = text.splitlines(keepends=True)
    out: list[str] = []
    group: str | None = None
    function: str | None = None
    placed: set[tuple[str, str]] = set()

    def close_function() -> None:
        # the marshal block goes after the function's last non-blank line
        if group is None or function is None or (group, function) not in MARSHAL:
            return
        at = len(out)
        while at and not out[at - 1].strip():
            at -= 1
        block = "".join(
            f"        {line}\n" for line in ("marshal:", *("  " + x for x in MARSHAL[group, function].split("\n")))
        )
        out.insert(at, block)
        placed.add((group, function))

    in_functions = False
    for line in lines:
        stripped = line.strip()
        indent = len(line) - len(line.lstrip(" "))
        if stripped and not stripped.startswith("#"):
            if indent == 0:
                close_function()
                function = None
                in_functions = stripped == "functions:"
                if in_functions:  # before the comment that introduces `functions:`
                    at = len(out)
                    while at and out[at - 1].lstrip().startswith("#"):
                        at -= 1
                    out.insert(at, MARSHALLING)
            elif in_functions and indent == 2:
                close_function()
                group, function = stripped.rstrip(":"), None
            elif in_functions and indent == 6:
                close_function()
                function = stripped.split(":")[0]
        out.append(line)
        missing = MISSING_PARAMS.get((group or "", function or ""))
        if missing and stripped == missing[0]:
            out.append(line.replace(missing[0], missing[1]))
            placed.add(("param", f"{group}.{function}"))
    close_function()
    wanted = set(MARSHAL) | {("param", f"{g}.{f}") for g, f in MISSING_PARAMS}
    if placed != wanted:
        raise AnnotationError(f"could not annotate {sorted(wanted - placed)}")
    return "".join(out)


def _without_annotations(data: Any) -> Any:
    data = {k: v for k, v in data.items() if k != "marshalling"}
    functions = {}
    for group, gdata in data["functions"].items():
        members = {}
        for name, meta in (gdata.get("functions") or {}).items():
            members[name] = None if meta is None else {k: v for k, v in meta.items() if k != "marshal"}
        functions[group] = {**gdata, "functions": members}
    return {**data, "functions": functions}


def annotation_problems(original: str, annotated: str) -> list[str]:
    """How ``annotated`` differs from ``original`` beyond the annotations and the missing parameters."""
    before, after = yaml.safe_load(original), yaml.safe_load(annotated)
    problems = []
    for (group, name), (_, line) in MISSING_PARAMS.items():
        before["functions"][group]["functions"][name]["frontend_extra_params"].append(yaml.safe_load(line)[0])
    if _without_annotations(after) != before:
        problems.append("the annotated spec changes more than annotations")
    marshalled = {
        (g, n)
        for g, gd in after["functions"].items()
        for n, m in (gd["functions"] or {}).items()
        if m and "marshal" in m
    }
    if marshalled != set(MARSHAL):
        problems.append(f"marshal blocks on {sorted(marshalled)}")
    if after.get("marshalling", {}).get("types") is None:
        problems.append("no marshalling.types")
    return problems


def generate(spec: Path, out: Path) -> None:
    """``apir-codegen generate SPEC -o OUT``, as a user runs it."""
    run = subprocess.run(
        [sys.executable, "-m", "apir_codegen", "generate", str(spec), "-o", str(out), "-q"],
        capture_output=True,
        text=True,
    )
    if run.returncode != 0:
        raise AssertionError(f"apir-codegen generate {spec} failed ({run.returncode}):\n{run.stderr}")


def generated_sides(spec: Path, out: Path, hooks: tuple[Path, ...] = ()) -> tuple[Side, Side]:
    """The guest and host sides of a build from the files generated for ``spec`` in ``out``.

    ggml's hand-written definitions of the generated commands are removed (with
    ``validate_buffer_operation``, which only their handlers use); each hook
    file is copied beside the generated hook header, where ggml keeps it.
    """
    guest_names, host_names = marshalled_names(spec)
    extra = []
    for hook in hooks:
        target = out / Path(HOOK_HEADER).parent / hook.name
        shutil.copyfile(hook, target)
        extra.append(target)
    guest = Side(generated=(out / GUEST_OUTPUT,), remove=guest_names)
    host = Side(generated=(out / HOST_OUTPUT,), remove=(*HOST_HELPERS, *host_names), extra=tuple(extra))
    return guest, host
