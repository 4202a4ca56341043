"""`apir-codegen compat OLD NEW` on ggml's history and on edited copies."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .conftest import EXAMPLE_SPEC, PLAIN_EXAMPLE_SPEC, UPSTREAM, needs_shared
from .helpers import copy_spec, edit_file, run_cli


def _copy(tmp_path: Path, name: str = "new") -> Path:
    return copy_spec(PLAIN_EXAMPLE_SPEC, tmp_path / name)


@needs_shared
def test_ggml_2e2ec9cc_to_7cfc6a52_renumbers_nothing_but_changes_signatures_on_the_wire() -> None:
    old = UPSTREAM / "ggml-2e2ec9cc" / "ggmlremoting_functions.yaml"
    new = UPSTREAM / "ggml-7cfc6a52" / "ggmlremoting_functions.yaml"
    result = run_cli("compat", old, new)
    assert result.returncode == 1, result.stdout + result.stderr
    out = result.stdout
    assert "was number" not in out, "nothing is renumbered"
    assert (
        "  'buffer_type_alloc_buffer' (number 14): parameter 2 changed: "
        "ggml_backend_buffer_type_t buffer_buft -> apir_buffer_type_host_handle_t host_handle"
    ) in out
    assert "  'device_get_name' (number 2): return type changed: const char * -> char *" in out
    assert "API change: 'buffer_type_is_host' (number 13): now deprecated (was active)" in out
    assert "parameter removed: ggml_backend_buffer_type_t buft" in out


@needs_shared
@pytest.mark.parametrize("old_rev,new_rev", [("ggml-7cfc6a52", "ggml-48f38694"), ("ggml-b0e0d352", "ggml-7cfc6a52")])
def test_ggml_revisions_with_the_same_spec_are_compatible(old_rev: str, new_rev: str) -> None:
    result = run_cli(
        "compat", UPSTREAM / old_rev / "ggmlremoting_functions.yaml", UPSTREAM / new_rev / "ggmlremoting_functions.yaml"
    )
    assert result.returncode == 0
    assert result.stdout.strip() == "no changes to the protocol"


def test_removal_breaks_and_names_the_shifted_commands(tmp_path: Path) -> None:
    new = _copy(tmp_path)
    edit_file(
        new,
        """      clear:
        frontend_extra_params:
          - "apir_buffer_context_t *buffer_context"
          - "uint8_t value"
""",
        "",
    )
    result = run_cli("compat", PLAIN_EXAMPLE_SPEC, new)
    assert result.returncode == 1
    assert "'buffer_clear' (number 20) is removed in the new spec" in result.stdout
    assert "later commands shift: buffer_free_buffer, backend_graph_compute" in result.stdout
    assert "'buffer_free_buffer' was number 21, is now 20" in result.stdout


def test_disable_breaks(tmp_path: Path) -> None:
    new = _copy(tmp_path)
    edit_file(new, "      get_count:\n", "      get_count:\n        enabled: false\n")
    result = run_cli("compat", PLAIN_EXAMPLE_SPEC, new)
    assert result.returncode == 1
    assert "'device_get_count' (number 1) is disabled in the new spec" in result.stdout


def test_reorder_breaks(tmp_path: Path) -> None:
    new = _copy(tmp_path)
    text = new.read_text()
    a = text.index('      get_name:\n        frontend_return: "char *"\n      get_description:')
    b = text.index("      get_description:")
    block = text[a:b]
    text = text[:a] + text[b:]
    anchor = text.index("      get_type:")
    text = text[:anchor] + block + text[anchor:]
    new.write_text(text)
    result = run_cli("compat", PLAIN_EXAMPLE_SPEC, new)
    assert result.returncode == 1
    assert "'device_get_name' was number 2, is now 3" in result.stdout
    assert "'device_get_description' was number 3, is now 2" in result.stdout


def test_insertion_in_the_middle_breaks(tmp_path: Path) -> None:
    new = _copy(tmp_path)
    edit_file(new, "      get_memory:\n", '      get_limits:\n        frontend_return: "size_t"\n      get_memory:\n')
    result = run_cli("compat", PLAIN_EXAMPLE_SPEC, new)
    assert result.returncode == 1
    assert "'device_get_memory' was number 5, is now 6" in result.stdout
    assert "added: 'device_get_limits' as number 5" in result.stdout


def test_append_is_compatible(tmp_path: Path) -> None:
    new = _copy(tmp_path)
    edit_file(
        new, "      graph_optimize:\n", '      graph_reserve:\n        frontend_return: "bool"\n      graph_optimize:\n'
    )
    result = run_cli("compat", PLAIN_EXAMPLE_SPEC, new)
    assert result.returncode == 0, result.stdout
    assert result.stdout.strip() == "added: 'backend_graph_reserve' as number 23"


GET_MEMORY = """      get_memory:
        frontend_extra_params:
          - "size_t *free"
          - "size_t *total"
"""

CLEAR = """      clear:
        frontend_extra_params:
          - "apir_buffer_context_t *buffer_context"
          - "uint8_t value"
"""


@pytest.mark.parametrize(
    ("new_text", "why"),
    [
        (
            GET_MEMORY.replace("      get_memory:\n", '      get_memory:\n        frontend_return: "bool"\n'),
            "return type changed: void -> bool",
        ),
        (GET_MEMORY + '          - "bool *mmap_support"\n', "parameter added: bool * mmap_support"),
        (GET_MEMORY.replace('          - "size_t *total"\n', ""), "parameter removed: size_t * total"),
        (
            GET_MEMORY.replace("size_t *total", "uint64_t *total"),
            "parameter 3 changed: size_t * total -> uint64_t * total",
        ),
        (GET_MEMORY.replace("size_t *free", "size_t free"), "parameter 2 changed: size_t * free -> size_t free"),
    ],
    ids=["return-type", "parameter-added", "parameter-removed", "parameter-type", "pointer-dropped"],
)
def test_signature_change_breaks_the_wire(tmp_path: Path, new_text: str, why: str) -> None:
    """Arguments are decoded by position: a guest of the old spec sends what the old signature says."""
    new = _copy(tmp_path)
    edit_file(new, GET_MEMORY, new_text)
    result = run_cli("compat", PLAIN_EXAMPLE_SPEC, new)
    assert result.returncode == 1, result.stdout
    assert result.stdout.startswith("BREAKING: ")
    assert f"  'device_get_memory' (number 5): {why}\n" in result.stdout
    assert "decoded by position" in result.stdout


def test_ggml_48f38694_hand_edit_breaks_the_wire(tmp_path: Path) -> None:
    """ggml's 48f38694 added 'bool * mmap_support' to apir_device_get_props (by hand, in the header)."""
    old = _copy(tmp_path)
    edit_file(old, '          - "bool *mmap_support"\n', "")
    result = run_cli("compat", old, PLAIN_EXAMPLE_SPEC)
    assert result.returncode == 1, result.stdout
    assert "  'device_get_props' (number 8): parameter added: bool * mmap_support\n" in result.stdout


def test_renaming_a_parameter_is_an_api_change_only(tmp_path: Path) -> None:
    new = _copy(tmp_path)
    edit_file(new, '"size_t *total"', '"size_t *total_memory"')
    result = run_cli("compat", PLAIN_EXAMPLE_SPEC, new)
    assert result.returncode == 0, result.stdout
    assert result.stdout == (
        "API change: 'device_get_memory' (number 5): parameter 3 renamed: size_t * total -> size_t * total_memory\n"
    )


def test_retiring_a_command_breaks(tmp_path: Path) -> None:
    old = _copy(tmp_path, "old")
    assert run_cli("lock", old).returncode == 0
    new = _copy(tmp_path, "new")
    shutil.copy(old.with_suffix(".lock"), new.with_suffix(".lock"))
    edit_file(new, CLEAR, "      clear:\n        retired: true\n")
    result = run_cli("compat", old, new)
    assert result.returncode == 1, result.stdout
    assert "  'buffer_clear' (number 20) is retired in the new spec: its host rejects the call\n" in result.stdout
    assert "was number" not in result.stdout


def test_changes_to_a_deprecated_command_do_not_break_its_old_guests(tmp_path: Path) -> None:
    """A deprecated command has no guest declaration: guests of the old spec cannot call it."""
    old = _copy(tmp_path, "old")
    edit_file(old, GET_MEMORY, GET_MEMORY + "        deprecated: true\n")
    new = _copy(tmp_path, "new")
    edit_file(new, GET_MEMORY, GET_MEMORY.replace('          - "size_t *total"\n', "") + "        deprecated: true\n")
    result = run_cli("compat", old, new)
    assert result.returncode == 0, result.stdout
    assert "API change: 'device_get_memory' (number 5): parameter removed: size_t * total" in result.stdout


def test_same_type_spelled_differently_is_no_change(tmp_path: Path) -> None:
    new = _copy(tmp_path)
    edit_file(new, '"const ggml_tensor *op"', '"ggml_tensor const* op"')
    result = run_cli("compat", PLAIN_EXAMPLE_SPEC, new)
    assert result.returncode == 0
    assert result.stdout.strip() == "no changes to the protocol"


def test_locked_specs_compare_by_their_locked_numbers(tmp_path: Path) -> None:
    old = _copy(tmp_path, "old")
    assert run_cli("lock", old).returncode == 0
    new = _copy(tmp_path, "new")
    shutil.copy(old.with_suffix(".lock"), new.with_suffix(".lock"))
    edit_file(new, "      get_memory:\n", '      get_limits:\n        frontend_return: "size_t"\n      get_memory:\n')
    result = run_cli("compat", old, new)
    assert result.returncode == 0, result.stdout
    assert "added: 'device_get_limits' as number 23" in result.stdout


def test_invalid_spec_is_a_diagnostic(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("functions: 5\n")
    result = run_cli("compat", PLAIN_EXAMPLE_SPEC, bad)
    assert result.returncode == 1
    assert "bad.yaml:1:" in result.stderr


# Generated marshalling: the slots of a command generated in both specs fix its bytes.

GENERATED = [
    "device_get_count",
    "device_get_name",
    "device_get_description",
    "device_get_type",
    "device_get_memory",
    "device_supports_op",
    "device_get_buffer_type",
    "device_get_props",
    "buffer_type_get_name",
    "buffer_type_get_alignment",
    "buffer_type_get_max_size",
    "buffer_type_get_alloc_size",
    "buffer_get_base",
    "buffer_set_tensor",
    "buffer_get_tensor",
    "buffer_cpy_tensor",
    "buffer_clear",
    "buffer_free_buffer",
]


def _annotated(tmp_path: Path, name: str = "new") -> Path:
    return copy_spec(EXAMPLE_SPEC, tmp_path / name)


@pytest.mark.parametrize(
    ("old", "new", "now", "was"),
    [
        (PLAIN_EXAMPLE_SPEC, EXAMPLE_SPEC, "generated", "hand-written"),
        (EXAMPLE_SPEC, PLAIN_EXAMPLE_SPEC, "hand-written", "generated"),
    ],
    ids=["annotating", "dropping-annotations"],
)
def test_generating_a_command_or_no_longer_is_no_wire_change(old: Path, new: Path, now: str, was: str) -> None:
    """Generated code makes the calls ggml's hand-written code makes: either side of a migration talks to the other."""
    result = run_cli("compat", old, new)
    assert result.returncode == 0, result.stdout
    numbers = {
        cmd: index
        for index, cmd in enumerate(
            [
                "device_get_device_count",
                "device_get_count",
                "device_get_name",
                "device_get_description",
                "device_get_type",
                "device_get_memory",
                "device_supports_op",
                "device_get_buffer_type",
                "device_get_props",
                "device_buffer_from_ptr",
                "buffer_type_get_name",
                "buffer_type_get_alignment",
                "buffer_type_get_max_size",
                "buffer_type_is_host",
                "buffer_type_alloc_buffer",
                "buffer_type_get_alloc_size",
                "buffer_get_base",
                "buffer_set_tensor",
                "buffer_get_tensor",
                "buffer_cpy_tensor",
                "buffer_clear",
                "buffer_free_buffer",
            ]
        )
    }
    assert result.stdout == "".join(
        f"API change: '{cmd}' (number {numbers[cmd]}): marshalling {now} (was {was}), no change on the wire\n"
        for cmd in GENERATED
    )


def test_keeping_one_side_hand_written_is_no_wire_change(tmp_path: Path) -> None:
    new = _annotated(tmp_path)
    edit_file(
        new,
        'host_call: "buffer->iface.clear(buffer, value)"',
        'host_call: "buffer->iface.clear(buffer, value)"\n          host: false',
    )
    result = run_cli("compat", EXAMPLE_SPEC, new)
    assert result.returncode == 0, result.stdout
    assert result.stdout == (
        "API change: 'buffer_clear' (number 20): marshalling guest generated, host hand-written (was generated), "
        "no change on the wire\n"
    )


def test_checks_host_calls_and_host_names_are_not_on_the_wire(tmp_path: Path) -> None:
    new = _annotated(tmp_path)
    edit_file(new, '            - "offset + size <= ggml_nbytes(tensor)"\n', "")
    edit_file(new, "get_memory(dev, &free, &total)", "get_memory(dev, &total, &free)")
    edit_file(new, "{codec: buffer_handle, host_name: buffer}", "{codec: buffer_handle, host_name: buf}")
    text = new.read_text().replace("buffer->iface", "buf->iface").replace("(buffer)", "(buf)")
    new.write_text(text.replace("== buffer", "== buf").replace("(buffer,", "(buf,"))
    edit_file(new, "params: {dst: {mutable: true}}", "params: {dst: {mutable: false}}")
    result = run_cli("compat", EXAMPLE_SPEC, new)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "no changes to the protocol"


@pytest.mark.parametrize(
    ("old_text", "new_text", "why"),
    [
        (
            'params: {op: {as: tensor_inline}}\n          host_call: "dev->iface.supports_op',
            'host_call: "dev->iface.supports_op',
            "'device_supports_op' (number 6): parameter 2 (const ggml_tensor * op): codec changed: "
            "tensor_inline -> tensor_rpc",
        ),
        (
            "params: {free: out, total: out}",
            "params: {free: out, total: in}",
            "'device_get_memory' (number 5): parameter 3 (size_t * total): direction changed: out -> in",
        ),
        (
            "params: {data: {as: shmem, dir: in, len: size}}",
            "params: {data: {as: shmem, dir: in, len: offset}}",
            "'buffer_set_tensor' (number 17): parameter 4 (const void * data): length changed: "
            "parameter 6 (size) -> parameter 5 (offset)",
        ),
        (
            "params: {data: {as: shmem, dir: out, len: size}}",
            "params: {data: {as: shmem, dir: in, len: size}}",
            "'buffer_get_tensor' (number 18): parameter 4 (void * data): direction changed: out -> in",
        ),
    ],
    ids=["codec", "direction", "length", "shmem-direction"],
)
def test_a_slot_change_of_a_generated_command_breaks_the_wire(
    tmp_path: Path, old_text: str, new_text: str, why: str
) -> None:
    new = _annotated(tmp_path)
    edit_file(new, old_text, new_text)
    result = run_cli("compat", EXAMPLE_SPEC, new)
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stdout.startswith("BREAKING: ")
    assert f"\n  {why}\n" in result.stdout
    assert "each slot's codec, direction and length" in result.stdout
    assert sum(line.startswith("  '") for line in result.stdout.splitlines()) == 1, "one change, reported once"


def test_a_codec_change_in_types_breaks_every_command_with_that_type(tmp_path: Path) -> None:
    new = _annotated(tmp_path)
    edit_file(new, '"ggml_tensor *": tensor_rpc', '"ggml_tensor *": tensor_inline')
    result = run_cli("compat", EXAMPLE_SPEC, new)
    assert result.returncode == 1, result.stdout + result.stderr
    changed = [
        line.split("'")[1]
        for line in result.stdout.splitlines()
        if "codec changed: tensor_rpc -> tensor_inline" in line
    ]
    assert changed == ["buffer_set_tensor", "buffer_get_tensor", "buffer_cpy_tensor", "buffer_cpy_tensor"]


def test_a_type_change_is_reported_once_not_also_as_a_slot_change(tmp_path: Path) -> None:
    new = _annotated(tmp_path)
    edit_file(new, '"size_t *total"', '"uint64_t *total"')
    result = run_cli("compat", EXAMPLE_SPEC, new)
    assert result.returncode == 1, result.stdout + result.stderr
    assert (
        "  'device_get_memory' (number 5): parameter 3 changed: size_t * total -> uint64_t * total\n" in result.stdout
    )
    assert "direction changed" not in result.stdout and "codec changed" not in result.stdout
    assert "each slot's codec" not in result.stdout


def test_types_are_reported_in_their_canonical_spelling(tmp_path: Path) -> None:
    """compat prints the model's canonical types (qualifiers first), not as a style would spell them."""
    old = _copy(tmp_path, "old")
    edit_file(old, '"const ggml_tensor *op"', '"struct ggml_tensor const* op"')  # ggml's style keeps this order
    new = _copy(tmp_path, "new")
    edit_file(new, '"const ggml_tensor *op"', '"struct ggml_tensor const* operation"')
    result = run_cli("compat", old, new)
    assert "renamed: const struct ggml_tensor * op -> const struct ggml_tensor * operation" in result.stdout, (
        result.stdout
    )
