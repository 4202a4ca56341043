"""The hook header (``backend/backend-dispatched-impl.gen.h``): what generated handlers leave to ggml.

A generated command without ``host_call`` decodes and checks the request,
then calls ``uint32_t <handler>_impl(virgl_apir_context * ctx, <in parameters
by value>, <out parameters as pointers>, <return value as a pointer>)``,
written by hand (non-zero means failure), and encodes the reply.  The
declarations are here, so that a hook whose signature drifts from the spec
does not compile, and one that is missing does not link.
"""

from __future__ import annotations

from ..format.outline import Blank, Comment, Declaration, Directive, Item, Outline
from ..model import Spec
from . import marshalling as M
from .common import group_runs


def emit(spec: Spec) -> Outline:
    assert spec.marshalling is not None
    header = spec.marshalling.host_impl_header
    items: list[Item] = [
        Comment(f"// {M.notice(spec)}"),
        Comment("// The hand-written hooks of generated host handlers: each returns 0 on success."),
        Blank(),
        Directive("pragma once"),
        Blank(),
        Directive(f'include "{M.include_path(header, M.HOST_DISPATCH_HEADER)}"'),
    ]
    hooked = [cmd for cmd in M.generated(spec, "host") if cmd.marshal is not None and cmd.marshal.hooked]
    for _, run in group_runs(hooked):
        items += [Blank(), Comment(f"// {run[0].group}")]
        for cmd in run:
            items.append(Declaration(M.ctype("uint32_t"), M.hook_name(cmd), tuple(M.hook_params(cmd)), "uint32_t"))
    return Outline(tuple(items))
