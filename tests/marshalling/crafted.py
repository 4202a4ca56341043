"""Crafted requests against ggml-virtgpu's host handlers, and what they must survive.

`cpp/host_driver.cpp` knows how to build one valid request body per command and
where its fields are (`describe`); this module derives the hostile variants
from that layout and runs them (`run`), each in a forked child of the driver, so
that a crash is reported as a result. Mutations are positional and values are
named (`set:<offset>:<size>:freed`), because handles are addresses of the driver
process: Python never sees them.

Families, and what a correct handler does with them:

=============  ==========================================================  =================
family         requests                                                     requirement
=============  ==========================================================  =================
valid          the base request; the same on a buffer_from_ptr buffer       returns 0
               (its tensors in that buffer too)
truncated      the base request cut at every length                         returns 1
extended       the base request with 4 zero / 64 0xff bytes appended        does not crash
bitflip        every byte of the base request inverted, one at a time       does not crash
bad-handle     a buffer / buffer-type handle (or a tensor's buffer) that    returns 1
               is NULL, all ones, odd, an unknown address, a freed buffer,
               a handle of the other kind, or the device object
bad-shmem      a shared-memory id that is 0 or unknown                      returns 1
hostile        sizes, offsets, tensor types, ranges and graphs out of       does not crash
               bounds; a shared object smaller than the request says;
               types ggml removed or whose blocks ne[0] does not fill;
               a copy whose destination overlaps its source;
               inline tensors whose sources have a gap or a bad type
=============  ==========================================================  =================

"does not crash" means the child exited normally: no signal, no sanitizer
report (the driver is built with AddressSanitizer and UndefinedBehaviorSanitizer
when the compiler has them, so out-of-bounds reads and writes, and undefined
behaviour such as loading an enum value out of its range, are crashes too), no
timeout.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

FAMILIES = ("valid", "truncated", "extended", "bitflip", "bad-handle", "bad-shmem", "hostile")

#: Values (named in host_driver.cpp's value_bytes) per field kind.
BAD_HANDLES = {
    "buffer": ("zero", "ones", "odd", "unknown", "freed", "buft", "dev"),
    "buft": ("zero", "ones", "odd", "unknown", "freed", "buffer", "dev"),
    "rpc.buffer": ("ones", "odd", "unknown", "freed", "buft", "dev"),
}
BAD_SHMEM = {
    "res": ("zero", "res_unknown"),
    "graph": ("zero", "res_unknown"),
}
HOSTILE = {
    "res": ("res_tiny",),
    "graph": ("res_tiny", "bad_graph"),
    "size": ("ones", "big"),
    "rpc.buffer": ("zero",),
    "rpc.type": ("invalid_type", "type_block", "type_removed"),
    "rpc.ne": ("ones",),
    "rpc.data": ("ones", "big", "end"),
    "rpc.overlap": ("overlap",),  # cpy_tensor's destination over its source
    "inline.type": ("invalid_type",),
    "inline.buffer": ("unknown", "odd"),
    "inline.src_gap": ("src_gap",),  # src[0] NULL, src[1] set: ggml's decoder stops at the gap
    "inline.src": ("odd",),
    "inline.view_src": ("odd",),
    "inline.src_type": ("invalid_type",),
    "u8": ("ones",),
}
#: Other buffers a valid request may name (valid family), and the fields that name a buffer.
OTHER_VALID_BUFFERS = ("from_ptr",)
BUFFER_FIELDS = ("buffer", "rpc.buffer")


@dataclass(frozen=True)
class Layout:
    cmd: int
    name: str
    size: int
    fields: tuple[tuple[str, int, int], ...]  # (kind, offset, size)


@dataclass(frozen=True)
class Case:
    id: str
    cmd: int
    family: str
    mutations: tuple[str, ...]
    field: str = ""  # the kind of field a bad-handle, bad-shmem or hostile case sets (see Layout.fields)
    value: str = ""  # the value it sets there


@dataclass(frozen=True)
class Outcome:
    case: Case
    outcome: str  # exit:<n> | signal:<name> | timeout
    rc: int | None
    report: str  # what the dying child printed first: the sanitizer's verdict, ggml's assertion, ...
    log: str  # ggml's log (GGML_LOG_*) during the call

    @property
    def crashed(self) -> bool:
        return self.outcome != "exit:0" or "AddressSanitizer" in self.report or ": runtime error: " in self.report

    def describe(self) -> str:
        what = self.outcome + (f" ({self.report})" if self.report else "")
        if not self.crashed:
            what = f"returned {self.rc}"
        first_log = self.log.splitlines()[0] if self.log else ""
        return f"{self.case.id} [{' '.join(self.case.mutations)}]: {what}" + (f" -- {first_log}" if first_log else "")


def describe(driver: Path, env: dict[str, str]) -> dict[str, Layout]:
    run = subprocess.run([str(driver), "describe"], capture_output=True, text=True, env=env, timeout=60)
    if run.returncode != 0:
        raise RuntimeError(f"{driver} describe failed ({run.returncode}):\n{run.stderr}")
    layouts = {}
    for line in run.stdout.splitlines():
        entry = json.loads(line)
        layouts[entry["name"]] = Layout(
            entry["cmd"], entry["name"], entry["size"], tuple((k, o, s) for k, o, s in entry["fields"])
        )
    return layouts


def cases(layout: Layout) -> list[Case]:
    out: list[Case] = []

    def add(family: str, *mutations: str, field: str = "", value: str = "") -> None:
        out.append(Case(f"{layout.name}/{family}/{len(out)}", layout.cmd, family, mutations, field, value))

    add("valid", "none")
    # The same request on another buffer: every handle of that buffer in it (the command's own, and
    # the buffer its tensors live in) is replaced, so the request stays consistent.
    for value in OTHER_VALID_BUFFERS:
        handles = [f"set:{offset}:{size}:{value}" for kind, offset, size in layout.fields if kind in BUFFER_FIELDS]
        if any(kind == "buffer" for kind, _, _ in layout.fields):
            add("valid", *handles)
    for n in range(layout.size):
        add("truncated", f"truncate:{n}")
    add("extended", "extend:4:00")
    add("extended", "extend:64:ff")
    for at in range(layout.size):
        add("bitflip", f"flip:{at}:ff")
    for family, table in (("bad-handle", BAD_HANDLES), ("bad-shmem", BAD_SHMEM), ("hostile", HOSTILE)):
        for kind, offset, size in layout.fields:
            for value in table.get(kind, ()):
                add(family, f"set:{offset}:{size}:{value}", field=kind, value=value)
    return out


def run(driver: Path, env: dict[str, str], todo: list[Case], work: Path, jobs: int = 2) -> list[Outcome]:
    """Run ``todo`` in ``jobs`` driver processes (each forks a child per case); outcomes in ``todo``'s order."""
    work.mkdir(parents=True, exist_ok=True)
    chunks = [todo[k::jobs] for k in range(jobs) if todo[k::jobs]]
    procs = []
    for k, chunk in enumerate(chunks):
        case_file = work / f"cases-{chunk[0].id.split('/')[0]}-{k}.txt"
        case_file.write_text("".join(f"{c.id} {c.cmd} {' '.join(c.mutations)}\n" for c in chunk))
        procs.append(
            subprocess.Popen(
                [str(driver), "run", str(case_file)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
            )
        )
    by_id = {c.id: c for c in todo}
    found: dict[str, Outcome] = {}
    for proc in procs:
        stdout, stderr = proc.communicate(timeout=600)
        if proc.returncode != 0:
            raise RuntimeError(f"{driver} run failed ({proc.returncode}):\n{stderr[-2000:]}")
        for line in stdout.splitlines():
            if not line.startswith("{"):
                continue  # what a handler printed to stdout itself (ggml's printf warnings)
            entry = json.loads(line)
            found[entry["id"]] = Outcome(
                by_id[entry["id"]],
                entry["outcome"],
                None if entry["rc"] is None else int(entry["rc"]),
                entry["report"],
                entry["log"],
            )
    if len(found) != len(todo):
        raise RuntimeError(f"{driver} reported {len(found)} of {len(todo)} cases")
    return [found[c.id] for c in todo]


def problems(family: str, outcomes: list[Outcome]) -> list[str]:
    """Why ``outcomes`` (all of one family) violate the family's requirement; empty when they do not."""
    wanted = {"valid": 0, "truncated": 1, "bad-handle": 1, "bad-shmem": 1}.get(family)
    bad = []
    for o in outcomes:
        if o.case.family != family:
            raise ValueError(f"{o.case.id} is not in family {family}")
        if o.crashed or (wanted is not None and o.rc != wanted):
            bad.append(o.describe())
    return bad


def summary(outcomes: list[Outcome]) -> dict[str, dict[str, int]]:
    """Per family: how many cases returned 0, returned 1, crashed."""
    table: dict[str, dict[str, int]] = {}
    for o in outcomes:
        row = table.setdefault(o.case.family, {"cases": 0, "rc=0": 0, "rc=1": 0, "crashed": 0})
        row["cases"] += 1
        key = "crashed" if o.crashed else f"rc={o.rc}"
        row[key] = row.get(key, 0) + 1
    return table
