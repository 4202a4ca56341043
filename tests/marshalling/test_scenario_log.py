"""Rendering the harness's raw log: addresses become names, everything else stays the exact bytes."""

from __future__ import annotations

import pytest

from .scenario_log import first_difference, render


def le64(value: int) -> str:
    return value.to_bytes(8, "little").hex()


RAW = f"""\
region+ 7ffd00000000 100000 <stack>
region+ 55aa00002000 1000 shmem#3
region+ 55aa00001000 78 host.buffer#1
region+ 55aa00002000 1000 host.buffer#1.data
call 16 buffer_get_base
req 20 020000001000000001000000{le64(0x55AA00001000)}
status 0
reply 8 {le64(0x55AA00002010)}
result apir_buffer_get_base return=ptr:55aa00002010
ggml 3 handle from guest: 0x7ffd00000040
region- 55aa00002000 host.buffer#1.data
reply 8 {le64(0x55AA00002010)}
"""


def test_addresses_are_named_and_other_words_kept() -> None:
    rendered = render(RAW)
    assert rendered.unresolved == []
    lines = rendered.text.splitlines()
    assert "region" not in rendered.text
    assert lines[1:3] == ["req 20", "  0000: 02000000 10000000 01000000 @host.buffer#1+0x0"]
    # the smallest region wins; at equal size the newest
    assert lines[4:6] == ["reply 8", "  0000: @host.buffer#1.data+0x10"]
    assert lines[6] == "result apir_buffer_get_base return=@host.buffer#1.data+0x10"
    assert lines[7] == "ggml 3 handle from guest: <stack>"
    # once the buffer's data region is gone, the shared object beneath names the address
    assert lines[8:] == ["reply 8", "  0000: @shmem#3+0x10"]


def test_unknown_pointers_are_reported() -> None:
    rendered = render(f"call 1 x\nreq 8 {le64(0x7F0012345678)}\nresult f return=ptr:55aa00000000\n")
    assert rendered.unresolved == ["1 x req +0x0: 0x7f0012345678", "1 x: result ptr:55aa00000000"]
    assert "78563412 007f0000" in rendered.text  # left as bytes


def test_long_messages_wrap_with_offsets() -> None:
    rendered = render("req 40 " + "00" * 40 + "\n")
    assert rendered.text.splitlines()[1:] == ["  0000: " + " ".join(["00000000"] * 8), "  0020: 00000000 00000000"]


def test_malformed_lines_are_errors() -> None:
    with pytest.raises(ValueError, match="says 8 bytes but holds 4"):
        render("req 8 00000000\n")
    with pytest.raises(ValueError, match="not live"):
        render("region- 1000 nothing\n")


def test_first_difference_names_the_call() -> None:
    a = "step one\ncall 1 device_get_count\nreply 4\n  0000: 01000000\n"
    b = a.replace("01000000", "02000000")
    assert first_difference(a, a) is None
    diff = first_difference(a, b)
    assert diff is not None
    assert diff.splitlines()[0] == "logs differ first in or after: call 1 device_get_count"
    assert "-  0000: 01000000" in diff and "+  0000: 02000000" in diff
