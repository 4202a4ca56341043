"""Helpers shared by the emitters."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from ..model import Command


def group_runs(commands: Sequence[Command]) -> Iterator[tuple[str, list[Command]]]:
    """Consecutive commands of the same group, with the group's description.

    Groups without enabled commands do not appear, as in ggml's headers.
    """
    run: list[Command] = []
    for cmd in commands:
        if run and cmd.group != run[0].group:
            yield run[0].group_description, run
            run = []
        run.append(cmd)
    if run:
        yield run[0].group_description, run
