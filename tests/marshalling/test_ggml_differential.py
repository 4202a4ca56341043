"""ggml's guest and host code in one program, and the four-way comparison generated files will face.

The scenario (cpp/scenario.cpp) calls every guest function of ggml-virtgpu
against ggml's real CPU backend; its rendered log holds every request and reply
byte and every result. Generated files must leave that log unchanged, in all
four combinations of hand-written or generated guest and host. Here the
"generated" files are ggml's own hand-written definitions moved out of their
files, which proves the build mechanism (deletion by name, a file beside the
remaining sources) before any generator exists.
"""

from __future__ import annotations

import re
import signal
from pathlib import Path

import pytest

from . import cppsplit
from .harness import (
    GENERATABLE,
    GENERATABLE_GUEST,
    GENERATABLE_HOST,
    HANDWRITTEN,
    HOST_HELPERS,
    Harness,
    HarnessError,
    ScenarioRun,
    Side,
    as_if_generated,
)
from .scenario_log import first_difference

#: Every guest function ggml defines at 48f38694 (get_device_count and is_host have none).
GUEST_FUNCTIONS = (
    *GENERATABLE_GUEST,
    "apir_device_buffer_from_ptr",
    "apir_buffer_type_alloc_buffer",
    "apir_backend_graph_compute",
)


def test_scenario_passes_its_checks(handwritten_run: ScenarioRun) -> None:
    assert handwritten_run.returncode == 0, handwritten_run.stderr + handwritten_run.raw[-3000:]
    checks = [line for line in handwritten_run.log.splitlines() if line.startswith("check ")]
    assert len(checks) >= 12
    assert all(line.endswith(" ok") for line in checks), "\n".join(checks)


def test_scenario_calls_every_guest_function(handwritten_run: ScenarioRun) -> None:
    calls = re.findall(r"^call \d+ (\w+)$", handwritten_run.log, re.M)
    assert set(calls) == {name.removeprefix("apir_") for name in GUEST_FUNCTIONS}
    results = set(re.findall(r"^result (\w+) ", handwritten_run.log, re.M))
    assert results == set(GUEST_FUNCTIONS) - {"apir_buffer_set_tensor", "apir_buffer_clear", "apir_buffer_free_buffer"}


def test_data_goes_through_both_kinds_of_shared_memory(handwritten_run: ScenarioRun) -> None:
    log = handwritten_run.log
    # the large tensor: a temporary object for each call (160000 bytes, rounded up to 16 KiB)
    for command in ("17 buffer_set_tensor", "18 buffer_get_tensor"):
        assert re.search(rf"^shmem\+ (\d+) 163840\ncall {command}\n(?:.*\n)*?shmem- \1$", log, re.M), command
    # small data: through data_shmem, resource 2, whose id sits in the request after the tensor
    small = re.findall(r"^(?:(shmem\+ .*)\n)?call 17 buffer_set_tensor$", log, re.M)
    assert small.count("") == 3  # a, b, and the patch of a: no temporary object
    assert "check a reads back as written ok" in log and "check the large tensor reads back as written ok" in log


def test_log_names_every_address(handwritten_run: ScenarioRun) -> None:
    """Every pointer-like word on the wire is in the address book: the log does not depend on ASLR."""
    assert handwritten_run.rendered.unresolved == []
    assert "@host.buffer#1+0x0" in handwritten_run.log
    assert "<stack>" in handwritten_run.log  # ggml's apir_encode_ggml_buffer_handle sends a stack address


def test_log_is_reproducible(harness: Harness, handwritten_run: ScenarioRun) -> None:
    again = harness.run_scenario(harness.scenario(HANDWRITTEN, HANDWRITTEN))
    assert first_difference(handwritten_run.log, again.log) is None


@pytest.fixture(scope="module")
def moved(harness: Harness, tmp_path_factory: pytest.TempPathFactory) -> tuple[Side, Side]:
    """The 18 generatable commands' hand-written definitions, moved where generated files go."""
    return as_if_generated(
        harness, tmp_path_factory.mktemp("as-if-generated"), GENERATABLE_GUEST, GENERATABLE_HOST, HOST_HELPERS
    )


@pytest.mark.parametrize("guest_moved", [False, True], ids=["guest-handwritten", "guest-moved"])
@pytest.mark.parametrize("host_moved", [False, True], ids=["host-handwritten", "host-moved"])
def test_four_way_logs_are_identical(
    harness: Harness, handwritten_run: ScenarioRun, moved: tuple[Side, Side], guest_moved: bool, host_moved: bool
) -> None:
    guest = moved[0] if guest_moved else HANDWRITTEN
    host = moved[1] if host_moved else HANDWRITTEN
    run = harness.run_scenario(harness.scenario(guest, host))
    assert run.returncode == 0, run.stderr
    assert first_difference(handwritten_run.log, run.log) is None


def test_moved_files_hold_exactly_the_generatable_commands(moved: tuple[Side, Side]) -> None:
    guest, host = moved
    assert cppsplit.defined_functions(guest.generated[0].read_text()) == list(GENERATABLE_GUEST)
    assert cppsplit.defined_functions(host.generated[0].read_text()) == [*HOST_HELPERS, *GENERATABLE_HOST]
    assert len(GENERATABLE) == 18


def test_a_divergent_guest_is_caught(harness: Harness, handwritten_run: ScenarioRun, tmp_path: Path) -> None:
    """The comparison can fail: a guest that decodes get_props' reply out of order is named.

    (async and buffer_from_host_ptr: the CPU answers false and true, so the swap shows.)"""
    guest, _ = as_if_generated(harness, tmp_path, ("apir_device_get_props",), ())
    text = guest.generated[0].read_text()
    swapped = (
        text.replace("apir_decode_bool_t(decoder, async);", "@@")
        .replace("apir_decode_bool_t(decoder, buffer_from_host_ptr);", "apir_decode_bool_t(decoder, async);")
        .replace("@@", "apir_decode_bool_t(decoder, buffer_from_host_ptr);")
    )
    assert swapped != text
    guest.generated[0].write_text(swapped)
    run = harness.run_scenario(harness.scenario(guest, HANDWRITTEN))
    difference = first_difference(handwritten_run.log, run.log)
    assert difference is not None
    assert "call 8 device_get_props" in difference.splitlines()[0]
    assert "-result apir_device_get_props async=0" in difference


def test_a_divergent_host_is_caught(harness: Harness, handwritten_run: ScenarioRun, tmp_path: Path) -> None:
    """A host that replies get_count as 8 bytes changes the reply, and the guest's consumption."""
    _, host = as_if_generated(harness, tmp_path, (), ("backend_device_get_count",))
    text = host.generated[0].read_text()
    wrong = text.replace(
        "int32_t dev_count = reg->iface.get_device_count(reg);\n    apir_encode_int32_t(enc, &dev_count);",
        "uint64_t dev_count = reg->iface.get_device_count(reg);\n    apir_encode_uint64_t(enc, &dev_count);",
    )
    assert wrong != text
    host.generated[0].write_text(wrong)
    run = harness.run_scenario(harness.scenario(HANDWRITTEN, host))
    difference = first_difference(handwritten_run.log, run.log)
    assert difference is not None and "call 1 device_get_count" in difference.splitlines()[0]
    assert "+reply 8" in difference


def test_a_leftover_definition_is_a_duplicate_symbol(harness: Harness, tmp_path: Path) -> None:
    guest, _ = as_if_generated(harness, tmp_path, ("apir_buffer_clear",), ())
    with pytest.raises(HarnessError, match=r"multiple definition of `apir_buffer_clear"):
        harness.scenario(Side(generated=guest.generated), HANDWRITTEN)


def test_a_missing_definition_is_an_undefined_symbol(harness: Harness) -> None:
    with pytest.raises(HarnessError, match=r"undefined reference to `backend_buffer_clear"):
        harness.scenario(HANDWRITTEN, Side(remove=("backend_buffer_clear",)))


def test_removing_an_unknown_name_is_an_error(harness: Harness) -> None:
    with pytest.raises(HarnessError, match=r"'apir_buffer_clearr' is defined in 0 of"):
        harness.scenario(Side(remove=("apir_buffer_clearr",)), HANDWRITTEN)


def test_the_handle_bug_fixed_sends_the_handle(
    harness: Harness, handwritten_run: ScenarioRun, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """With apir_encode_ggml_buffer_handle fixed (one character), the stack address becomes the buffer's
    handle and the host stops rejecting it; nothing else in the log changes."""
    fixed = Harness(harness.ggml, tmp_path_factory.mktemp("handle-fixed"), fix_handle_bug=True)
    run = fixed.run_scenario(fixed.scenario(HANDWRITTEN, HANDWRITTEN))
    assert run.returncode == 0, run.stderr
    warning = "ggml 3 ggml-virtgpu-backend: apir_decode_ggml_buffer: Invalid buffer handle from guest: <stack>"
    assert handwritten_run.log.count(warning) == 2  # supports_op(c) and get_alloc_size(a)
    expected = "".join(line + "\n" for line in handwritten_run.log.splitlines() if line != warning)
    assert first_difference(expected.replace("<stack>", "@host.buffer#1+0x0"), run.log) is None


@pytest.mark.xfail(
    strict=True,
    reason="ggml's host free_buffer calls buffer->iface.free_buffer, NULL for a "
    "buffer_from_host_ptr buffer (CPU_Mapped): the host dies; apir_backend_deinit() too",
)
def test_freeing_a_shared_buffer_keeps_the_host_alive(harness: Harness) -> None:
    run = harness.run_scenario(harness.scenario(HANDWRITTEN, HANDWRITTEN), "--free-shared-buffer")
    assert run.returncode == 0, (
        f"scenario died: {signal.Signals(-run.returncode).name if run.returncode < 0 else run.returncode}"
    )
