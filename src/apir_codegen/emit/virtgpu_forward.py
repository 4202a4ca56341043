"""``virtgpu-forward.gen.h``: the guest-side function declarations."""

from __future__ import annotations

from ..format.outline import Blank, Comment, Declaration, Directive, Item, Outline
from ..model import Spec
from .common import group_runs


def emit(spec: Spec) -> Outline:
    items: list[Item] = [Directive("pragma once")]
    for description, commands in group_runs(spec.commands):
        items.append(Blank())
        items.append(Comment(f"/* {description} */"))
        for cmd in commands:
            if cmd.retired:
                items.append(Comment(f"/* {cmd.guest_name} is retired. */"))
                continue
            if cmd.deprecated:
                items.append(Comment(f"/* {cmd.guest_name} is deprecated. */"))
                continue
            params = (spec.naming.frontend_base_param, *cmd.params)
            raw_return = cmd.function.return_source or "void"
            items.append(Declaration(cmd.return_type, cmd.guest_name, params, raw_return=raw_return))
    if not spec.commands:
        items.append(Blank())
    return Outline(tuple(items))
