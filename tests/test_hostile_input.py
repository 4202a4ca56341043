"""Hostile and broken input: a clear error, exit 1, nothing lost, never a hang or a traceback.

Inputs run in a subprocess with a time limit and a memory limit, so that a
regression (a FIFO that blocks, ``/dev/zero`` read to the end) fails the test
instead of hanging or exhausting the machine.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from apir_codegen import OUTPUT_FILES
from apir_codegen.diagnostics import BIDI_CONTROLS, MAX_ECHO, MAX_MESSAGE, Diagnostic, Location, printable
from apir_codegen.files import MAX_FILE_BYTES
from apir_codegen.pipeline import check_source

from .conftest import EXAMPLE_SPEC, ROOT
from .cxx import GXX, needs_gxx
from .helpers import Result, copy_spec, edit_file, run_cli, snapshot

SPEC_NAME = "ggmlremoting_functions.yaml"
LOCK_NAME = "ggmlremoting_functions.lock"


def run_guarded(*args: str | os.PathLike[str], cwd: Path | None = None, timeout: float = 30) -> Result:
    """``python -m apir_codegen`` with 1 GiB of address space and a time limit."""
    try:
        return run_cli(*args, cwd=cwd, env={"NO_COLOR": "1"}, timeout=timeout, memory_limit=1 << 30)
    except subprocess.TimeoutExpired:
        pytest.fail(f"apir-codegen {' '.join(map(str, args))} did not finish in {timeout} s")


def assert_refused(result: Result, *needles: str, status: int = 1) -> None:
    assert result.returncode == status, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    for needle in needles:
        assert needle in result.stderr, result.stderr


needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")


# --- the spec: regular files of a sane size only ---------------------------------------------------


@needs_fifo
@pytest.mark.parametrize("command", ["generate", "check", "lock", "dump", "docs", "compat"])
def test_a_fifo_as_the_spec_is_a_usage_error_without_waiting_for_a_writer(tmp_path: Path, command: str) -> None:
    fifo = tmp_path / "spec.yaml"
    os.mkfifo(fifo)
    result = run_guarded(command, fifo, *([EXAMPLE_SPEC] if command == "compat" else []))
    assert_refused(result, f"{command}: error: spec is a FIFO (named pipe), not a regular file: {fifo}", status=2)


def test_dev_zero_as_the_spec_is_a_usage_error(tmp_path: Path) -> None:
    result = run_guarded("check", "/dev/zero", "-o", tmp_path)
    assert_refused(result, "check: error: spec is a character device, not a regular file: /dev/zero", status=2)


def test_a_directory_as_the_spec_is_a_usage_error(tmp_path: Path) -> None:
    assert_refused(
        run_guarded("check", tmp_path), f"check: error: spec is a directory, not a file: {tmp_path}", status=2
    )


@needs_fifo
def test_a_fifo_as_the_style_file_is_a_usage_error(tmp_path: Path) -> None:
    fifo = tmp_path / "style"
    os.mkfifo(fifo)
    result = run_guarded(
        "check", EXAMPLE_SPEC, "-o", tmp_path, "--style", "clang-format", "--clang-format", sys.executable,
        "--clang-format-style", fifo,
    )  # fmt: skip
    assert_refused(
        result, f"error: clang-format style file is a FIFO (named pipe), not a regular file: {fifo}", status=2
    )


def _check_spec_in_a_child(spec: str | Path) -> Result:
    """The library's check_spec, which reads the spec itself, in a guarded child process."""
    code = (
        "import sys\n"
        "from apir_codegen import check_spec\n"
        "spec, diagnostics = check_spec(sys.argv[1])\n"
        "print(spec, *(d.format() for d in diagnostics), sep='\\n')\n"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    try:
        proc = subprocess.run(
            [sys.executable, "-c", code, str(spec)], env=env, capture_output=True, text=True, timeout=30
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"check_spec({spec!r}) did not finish in 30 s")
    return Result(proc.returncode, proc.stdout, proc.stderr)


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "directory"])
def test_the_library_refuses_what_is_not_a_regular_file(tmp_path: Path, kind: str) -> None:
    """Past the command line (a file replaced meanwhile, or a library caller), reading refuses it too."""
    if kind == "fifo":
        if not hasattr(os, "mkfifo"):
            pytest.skip("no FIFOs on this system")
        spec, words = tmp_path / "spec.yaml", "a FIFO (named pipe)"
        os.mkfifo(spec)
    elif kind == "dev-zero":
        spec, words = Path("/dev/zero"), "a character device"
    else:
        spec, words = tmp_path, "a directory"
    result = _check_spec_in_a_child(spec)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"None\napir-codegen: error: spec is {words}, not a regular file: {spec}\n"


def test_a_spec_over_the_size_limit_is_refused_before_reading(tmp_path: Path) -> None:
    spec = tmp_path / SPEC_NAME
    with open(spec, "wb") as handle:  # sparse: no disk space, and reading it would show NUL bytes
        handle.truncate(MAX_FILE_BYTES + 1)
    result = run_guarded("generate", spec)
    assert_refused(result, f"error: spec is too large ({MAX_FILE_BYTES + 1:,} bytes; files over 64 MiB are not read)")
    assert "U+0000" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [SPEC_NAME]


def test_a_spec_at_the_size_limit_is_read(tmp_path: Path) -> None:
    """The limit refuses only what is over it: a spec padded with a comment up to the limit works."""
    spec = tmp_path / SPEC_NAME
    text = EXAMPLE_SPEC.read_bytes()
    spec.write_bytes(text + b"#" + b"x" * (MAX_FILE_BYTES - len(text) - 2) + b"\n")
    assert spec.stat().st_size == MAX_FILE_BYTES
    result = run_guarded("generate", "-q", spec, timeout=120)
    assert result.returncode == 0, result.stderr


# --- the lock file, and headers in the way ---------------------------------------------------------


@pytest.mark.parametrize("kind", ["directory", "fifo"])
@pytest.mark.parametrize("command", ["generate", "check", "lock"])
def test_a_lock_file_that_is_not_a_file_is_an_error(tmp_path: Path, kind: str, command: str) -> None:
    if kind == "fifo" and not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this system")
    spec = copy_spec(EXAMPLE_SPEC, tmp_path)
    lock = tmp_path / LOCK_NAME
    lock.mkdir() if kind == "directory" else os.mkfifo(lock)
    result = run_guarded(command, spec)
    words = "a directory" if kind == "directory" else "a FIFO (named pipe)"
    assert_refused(result, f"error: lock file is {words}, not a regular file: {lock}")
    assert not (tmp_path / "virtgpu-forward.gen.h").exists()


@needs_fifo
def test_accept_breaking_does_not_read_a_fifo_in_place_of_the_lock_file(tmp_path: Path) -> None:
    spec = copy_spec(EXAMPLE_SPEC, tmp_path)
    os.mkfifo(tmp_path / LOCK_NAME)
    result = run_guarded("lock", "--accept-breaking", spec)
    assert_refused(result, f"{tmp_path / LOCK_NAME} is a FIFO (named pipe), not a regular file")


@needs_fifo
@pytest.mark.parametrize("command", ["generate", "check"])
def test_a_fifo_in_place_of_a_header_is_an_error(tmp_path: Path, command: str) -> None:
    out = tmp_path / "out"
    out.mkdir()
    os.mkfifo(out / "virtgpu-forward.gen.h")
    result = run_guarded(command, EXAMPLE_SPEC, "-o", out)
    assert_refused(result, f"{out / 'virtgpu-forward.gen.h'} is a FIFO (named pipe), not a regular file")
    assert (out / "virtgpu-forward.gen.h").is_fifo()


# --- outputs that are inputs ------------------------------------------------------------------------


def _spec_in_place_of_a_header(tmp_path: Path) -> Path:
    out = tmp_path / "out"
    return copy_spec(EXAMPLE_SPEC, out, "virtgpu-forward.gen.h")


@pytest.mark.parametrize("command", ["generate", "check"])
def test_a_spec_named_as_an_output_is_not_overwritten(tmp_path: Path, command: str) -> None:
    spec = _spec_in_place_of_a_header(tmp_path)
    before = snapshot(tmp_path)
    result = run_guarded(command, "out/virtgpu-forward.gen.h", "-o", "out", cwd=tmp_path)
    assert_refused(
        result,
        "out/virtgpu-forward.gen.h:1:1: error: the output out/virtgpu-forward.gen.h is the spec\n"
        "  hint: generating would overwrite it",
    )
    assert snapshot(tmp_path) == before
    assert spec.read_bytes() == EXAMPLE_SPEC.read_bytes()


@pytest.mark.parametrize(
    "layout",
    ["dotdot", "spec-symlink", "output-dir-symlink", "hard-link"],
)
def test_an_output_that_is_the_spec_through_links_or_dotdot(tmp_path: Path, layout: str) -> None:
    out = tmp_path / "out"
    out.mkdir()
    if layout == "dotdot":
        spec = copy_spec(EXAMPLE_SPEC, out, "virtgpu-forward.gen.h")
        args = [spec, "-o", tmp_path / "out" / ".." / "out"]
    elif layout == "spec-symlink":  # the spec is a link to what will be written
        target = copy_spec(EXAMPLE_SPEC, out, "virtgpu-forward.gen.h")
        spec = tmp_path / SPEC_NAME
        spec.symlink_to(target)
        args = [spec, "-o", out]
    elif layout == "output-dir-symlink":  # the output directory is the spec's, under another name
        spec = copy_spec(EXAMPLE_SPEC, tmp_path / "spec", "virtgpu-forward.gen.h")
        out.rmdir()
        out.symlink_to(spec.parent)
        args = [spec, "-o", out]
    else:
        spec = copy_spec(EXAMPLE_SPEC, tmp_path, SPEC_NAME)
        os.link(spec, out / "virtgpu-forward.gen.h")
        args = [spec, "-o", out]
    before = snapshot(tmp_path)
    for command in ("generate", "check"):
        result = run_guarded(command, *args)
        assert_refused(result, ":1:1: error: the output ", "virtgpu-forward.gen.h is the spec")
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize(
    ("key", "path", "what"),
    [
        ("guest_output", SPEC_NAME, "the spec"),
        ("host_output", "backend/../" + SPEC_NAME, "the spec"),
        ("host_impl_header", LOCK_NAME, "the spec's lock file"),
    ],
)
def test_marshalling_outputs_never_overwrite_the_spec_or_its_lock_file(
    tmp_path: Path, key: str, path: str, what: str
) -> None:
    spec = copy_spec(EXAMPLE_SPEC, tmp_path)
    assert run_guarded("lock", "-q", spec).returncode == 0
    edit_file(spec, "marshalling:\n", f'marshalling:\n  {key}: "{path}"\n')
    before = snapshot(tmp_path)
    for command in ("generate", "check"):
        result = run_guarded(command, spec)
        assert_refused(result, f"{spec}:1:1: error: the output {tmp_path / os.path.normpath(path)} is {what}")
    assert snapshot(tmp_path) == before


def test_a_lock_file_that_is_an_output_is_not_overwritten(tmp_path: Path) -> None:
    spec = copy_spec(EXAMPLE_SPEC, tmp_path)
    assert run_guarded("lock", "-q", spec).returncode == 0
    out = tmp_path / "out"
    out.mkdir()
    (tmp_path / LOCK_NAME).rename(out / "virtgpu-forward.gen.h")
    (tmp_path / LOCK_NAME).symlink_to(Path("out") / "virtgpu-forward.gen.h")
    before = snapshot(tmp_path)
    for command in ("generate", "check"):
        result = run_guarded(command, spec, "-o", out)
        assert_refused(
            result, f"the output {out / 'virtgpu-forward.gen.h'} is the spec's lock file ({tmp_path / LOCK_NAME})"
        )
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("how", ["named", "symlink"])
def test_lock_never_writes_its_lock_file_over_the_spec(tmp_path: Path, how: str) -> None:
    if how == "named":  # a spec named '<stem>.lock' is its own lock file
        spec = copy_spec(EXAMPLE_SPEC, tmp_path, "remoting.lock")
    else:
        spec = copy_spec(EXAMPLE_SPEC, tmp_path, "remoting.yaml")
        (tmp_path / "remoting.lock").symlink_to("remoting.yaml")
    before = snapshot(tmp_path)
    for command in ("lock", "generate", "check"):
        result = run_guarded(command, spec)
        assert_refused(result, f"{spec}:1:1: error: the spec's lock file would be the spec itself")
    assert snapshot(tmp_path) == before


def test_docs_output_that_is_the_spec(tmp_path: Path) -> None:
    spec = copy_spec(EXAMPLE_SPEC, tmp_path)
    result = run_guarded("docs", spec, "-o", tmp_path / "." / SPEC_NAME)
    assert_refused(result, "is the spec")
    assert spec.read_bytes() == EXAMPLE_SPEC.read_bytes()


def test_a_style_file_that_is_an_output_is_not_overwritten(tmp_path: Path) -> None:
    out = tmp_path / "out"
    style = out / "virtgpu-forward.gen.h"
    out.mkdir()
    style.write_text("BasedOnStyle: LLVM\n")
    result = run_guarded(
        "generate", EXAMPLE_SPEC, "-o", out, "--style", "clang-format", "--clang-format-style", style,
        "--clang-format", sys.executable,  # any program: the clash is found before it would run
    )  # fmt: skip
    assert_refused(result, "is the clang-format style file")
    assert style.read_text() == "BasedOnStyle: LLVM\n"


def test_outputs_beside_the_spec_are_fine(tmp_path: Path) -> None:
    """The default (headers beside the spec) touches no input."""
    spec = copy_spec(EXAMPLE_SPEC, tmp_path)
    result = run_guarded("generate", "-q", spec)
    assert result.returncode == 0, result.stderr
    assert all((tmp_path / rel).is_file() for rel in OUTPUT_FILES)
    assert spec.read_bytes() == EXAMPLE_SPEC.read_bytes()


# --- depth: merge chains and nesting never reach Python's recursion limit --------------------------


def test_a_chain_of_979_merge_keys_in_a_valid_spec(tmp_path: Path) -> None:
    """Each function merges the previous one's metadata: the last is 979 merges deep."""
    depth = 979
    lines = ["functions:", "  device:", "    group_description: device", "    functions:"]
    lines.append('      f0: &m0 {frontend_return: "char *", frontend_extra_params: ["size_t size"]}')
    lines.append('      f1: &m1 {<<: *m0, frontend_return: "int64_t"}')  # its own key wins over the merged one
    lines += [f"      f{i}: &m{i} {{<<: *m{i - 1}}}" for i in range(2, depth + 1)]
    spec = tmp_path / SPEC_NAME
    spec.write_text("\n".join(lines) + "\n" + NAMING)
    result = run_guarded("generate", "-q", spec)
    assert result.returncode == 0, result.stderr[-3000:]
    forward = (tmp_path / "virtgpu-forward.gen.h").read_text()
    assert f"int64_t apir_device_f{depth}(struct virtgpu * gpu, size_t size);" in forward
    assert "char *  apir_device_f0(struct virtgpu * gpu, size_t size);" in forward


def test_a_chain_of_5940_merge_keys(tmp_path: Path) -> None:
    """naming_patterns comes through 5,940 nested merges (6 anchors, each 990 merges deep, each merging
    the previous one), under a key the spec does not know."""
    naming = (
        "{enum_prefix: A_, backend_function_prefix: b_, frontend_function_prefix: f_, frontend_base_param: void *p}"
    )
    lines = ["chain:"]
    for k in range(6):
        bottom = naming if k == 0 else f"{{<<: *s{k - 1}}}"
        lines.append(f"  s{k}: &s{k} " + "{<<: " * 990 + bottom + "}" * 990)
    lines += ["naming_patterns: *s5", "functions: {g: {group_description: g, functions: {f: }}}"]
    spec = tmp_path / SPEC_NAME
    spec.write_text("\n".join(lines) + "\n")
    result = run_guarded("check", spec)
    assert_refused(result, f"{spec}:1:1: error: unknown key 'chain' at top level\n")
    assert result.stderr.count("error:") == 1, result.stderr  # naming_patterns resolved: nothing missing


NAMING = """naming_patterns:
  enum_prefix: APIR_COMMAND_TYPE_
  backend_function_prefix: backend_
  frontend_function_prefix: apir_
  frontend_base_param: "struct virtgpu *gpu"
"""

DEEP = 10_000


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[" * DEEP + "]" * DEEP, ":1:1001: error: invalid YAML: exceeded maximum nesting depth"),
        ("{a: " * DEEP + "1" + "}" * DEEP, ":1:4001: error: invalid YAML: exceeded maximum nesting depth"),
        ("- " * DEEP + "x", ":1:1999: error: invalid YAML: exceeded maximum nesting depth"),
        ("functions:\n  g:\n    <<: " + "[" * DEEP + "]" * DEEP, "error: invalid YAML: exceeded maximum nesting depth"),
    ],
    ids=["sequences", "mappings", "block-sequences", "in-a-merge"],
)
def test_deep_nesting_is_a_diagnostic(tmp_path: Path, text: str, message: str) -> None:
    spec = tmp_path / SPEC_NAME
    spec.write_text(text + "\n" + NAMING)
    assert_refused(run_guarded("check", spec), message)


def test_deep_nesting_after_a_quoted_string_is_a_quick_diagnostic(tmp_path: Path) -> None:
    """Looking for an unclosed quote before the error scans no further than the error's line."""
    spec = tmp_path / SPEC_NAME
    spec.write_text('a: "a quoted string\n  on two lines"\nb: ' + "[" * 200_000 + "\n")
    assert_refused(
        run_guarded("check", spec, timeout=20), ":3:1003: error: invalid YAML: exceeded maximum nesting depth"
    )


def test_deep_nesting_through_aliases_is_a_diagnostic(tmp_path: Path) -> None:
    """Aliases nest values deeper than the parser's limit: 20 levels of 990 and more make over 19,800."""
    lines = ["x:", "  - &l0 " + "[" * 990 + "]" * 990]
    lines += [f"  - &l{i} " + "[" * 990 + f"*l{i - 1}" + "]" * 990 for i in range(1, 20)]
    lines += ["functions: *l19", NAMING]
    spec = tmp_path / SPEC_NAME
    spec.write_text("\n".join(lines))
    result = run_guarded("check", spec)
    assert_refused(result, "error: 'functions' at top level must be a mapping of group names, not a list")


def test_deep_nesting_with_the_pure_python_parser() -> None:
    """Without libyaml (PyYAML's own parser has no nesting limit) composing and validating stay iterative."""
    from apir_codegen import loader
    from apir_codegen.pipeline import check_source

    deep = 1500  # past Python's recursion limit; PyYAML's own scanner is slow on deep nesting
    text = "functions: " + "[" * deep + "]" * deep + "\nnaming_patterns: " + "{a: " * deep + "1" + "}" * deep + "\n"
    saved = loader.HAVE_LIBYAML
    loader.HAVE_LIBYAML = False
    try:
        spec, diagnostics = check_source(text, "deep.yaml")
    finally:
        loader.HAVE_LIBYAML = saved
    assert spec is None
    messages = [d.format() for d in diagnostics]
    assert "deep.yaml:1:12: error: 'functions' at top level must be a mapping of group names, not a list" in messages
    assert any("unknown key 'a' in 'naming_patterns'" in m for m in messages), messages


# --- lock files: ASCII numbers only ----------------------------------------------------------------


def _locked_spec(tmp_path: Path) -> tuple[Path, Path]:
    spec = copy_spec(EXAMPLE_SPEC, tmp_path)
    assert run_guarded("lock", "-q", spec).returncode == 0
    return spec, tmp_path / LOCK_NAME


@pytest.mark.parametrize(
    "number",
    ["²", "\u0660", "\uff10", "0\u00a0"],
    ids=["superscript-two", "arabic-indic-zero", "full-width-zero", "no-break-space"],
)
def test_lock_numbers_are_ascii_digits(tmp_path: Path, number: str) -> None:
    spec, lock = _locked_spec(tmp_path)
    text = lock.read_text()
    assert "\n0 device.get_device_count\n" in text
    lock.write_text(text.replace("\n0 device.get_device_count\n", f"\n{number} device.get_device_count\n"))
    line = text.split("\n").index("0 device.get_device_count") + 1
    result = run_guarded("generate", spec)
    assert_refused(result, f"{lock}:{line}:1: error: malformed lock file line: '{printable(number)}", "digits 0 to 9")
    assert not (tmp_path / "virtgpu-forward.gen.h").exists()


def test_a_lock_number_with_thousands_of_digits(tmp_path: Path) -> None:
    spec, lock = _locked_spec(tmp_path)
    lock.write_text(
        lock.read_text().replace("\n0 device.get_device_count\n", "\n" + "9" * 5000 + " device.get_device_count\n")
    )
    assert_refused(run_guarded("check", spec), "error: number 999", "is out of range")


def test_lock_lines_are_counted_as_editors_count_them(tmp_path: Path) -> None:
    """A line separator or CRLF in the lock file neither breaks it nor shifts line numbers."""
    spec, lock = _locked_spec(tmp_path)
    lines = lock.read_text().split("\n")
    lines[0] += " \u2028 \x1c"
    lock.write_bytes("\r\n".join(lines).encode())
    accepted = run_guarded("generate", "-q", spec)
    assert accepted.returncode == 0, accepted.stderr
    lines[-2] = "x" + lines[-2]
    lock.write_bytes("\r\n".join(lines).encode())
    assert_refused(run_guarded("check", spec), f"{lock}:{len(lines) - 1}:1: error: malformed lock file line: 'x")


# --- text that reaches the headers -----------------------------------------------------------------


def _description_spec(description: str) -> str:
    escaped = description.encode("ascii", "backslashreplace").decode().replace("\\x", "\\u00")
    return (
        f'functions:\n  device:\n    group_description: "dev{escaped}ice"\n    functions:\n      get_count:\n' + NAMING
    )


@pytest.mark.parametrize("char", sorted(BIDI_CONTROLS), ids=lambda c: f"U+{ord(c):04X}")
def test_bidirectional_controls_never_reach_the_headers(char: str) -> None:
    spec, diagnostics = check_source(_description_spec(char), "s.yaml")
    assert spec is None
    assert [d.format() for d in diagnostics][0].startswith(
        f"s.yaml:3:28: error: group_description of group 'device' contains a bidirectional control character "
        f"(U+{ord(char):04X})"
    )


@pytest.mark.parametrize(
    ("char", "what"),
    [("\x85", "a line break"), ("\u2028", "a line break"), ("\u2029", "a line break"), ("\x9b", "a control character")],
    ids=["NEL", "LS", "PS", "CSI"],
)
def test_unicode_line_breaks_and_c1_controls_never_reach_the_headers(char: str, what: str) -> None:
    spec, diagnostics = check_source(_description_spec(char), "s.yaml")
    assert spec is None
    assert f"group_description of group 'device' contains {what}" in diagnostics[0].message


@needs_gxx
def test_every_character_gcc_warns_about_is_rejected(tmp_path: Path) -> None:
    """gcc's -Wbidi-chars=any, probed over the blocks that hold formatting characters, warns only about
    characters apir-codegen rejects (it leaves out U+061C ARABIC LETTER MARK, which Unicode counts too)."""
    probes = [chr(c) for c in [*range(0x0600, 0x0700), *range(0x2000, 0x2070), 0xFEFF]]
    source = tmp_path / "probe.cpp"
    source.write_text("".join(f"/* a{char}b */\n" for char in probes) + "int x;\n", encoding="utf-8")
    assert GXX is not None
    run = subprocess.run(
        [GXX, "-fsyntax-only", "-Wbidi-chars=any", str(source)], capture_output=True, text=True, encoding="utf-8"
    )
    lines = {int(m) for m in re.findall(r"probe\.cpp:(\d+):\d+: warning", run.stderr)}
    warned = {probes[line - 1] for line in lines}
    assert len(warned) >= 11, run.stderr
    assert warned <= BIDI_CONTROLS


# --- diagnostics stay readable lines ---------------------------------------------------------------


def test_a_one_megabyte_parameter_is_not_echoed_whole(tmp_path: Path) -> None:
    spec = copy_spec(EXAMPLE_SPEC, tmp_path)
    text = spec.read_text()
    spec.write_text(text.replace('"size_t *free"', '"size_t *free' + ")" * 1_000_000 + '"'))
    result = run_guarded("check", spec)
    assert_refused(result, "error: invalid parameter 'size_t *free)))", ")))...' (1,000,012 characters) in function")
    assert len(result.stderr) < 1000


def test_a_long_message_with_quotes_inside_values_is_cut_in_the_middle() -> None:
    value = "a'b " * 100_000
    shown = Diagnostic("error", f"bad parameter '{value}' here", Location("s.yaml", 1, 2)).format()
    assert len(shown) < MAX_MESSAGE + 100
    assert shown.startswith("s.yaml:1:2: error: bad parameter 'a'b a'b")
    assert shown.endswith("a'b ' here")
    assert " characters cut]..." in shown


def test_short_values_are_shown_whole() -> None:
    value = "x" * MAX_ECHO
    assert Diagnostic("error", f"name '{value}' is bad").format() == f"apir-codegen: error: name '{value}' is bad"


@pytest.mark.parametrize(
    ("name", "shown"),
    [("a\nb", "a\\nb"), ("a\rb", "a\\rb"), ("a\x1bb", "a\\x1bb"), ("a\u202eb", "a\\u202eb"), ("a\u2028b", "a\\u2028b")],
    ids=["newline", "carriage-return", "escape", "bidi", "line-separator"],
)
def test_control_characters_in_the_spec_path_are_escaped(tmp_path: Path, name: str, shown: str) -> None:
    spec = copy_spec(EXAMPLE_SPEC, tmp_path / name)
    edit_file(spec, 'frontend_return: "int"', 'frontend_return: "in t"')
    result = run_guarded("check", Path(name) / SPEC_NAME, cwd=tmp_path)
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"{shown}/{SPEC_NAME}:"), result.stderr
    assert ": error: invalid return type 'in t'" in first
    assert result.stderr.count("\n") == 2  # the diagnostic and the count, nothing split


@pytest.mark.parametrize(
    ("char", "shown"),
    [("\x1b", "\\x1b"), ("\u202e", "\\u202e"), ("\x7f", "\\x7f"), ("\t", "\\t")],
    ids=["escape", "bidi", "delete", "tab"],
)
def test_control_characters_in_echoed_values_are_escaped(char: str, shown: str) -> None:
    escaped = char.encode("unicode_escape").decode()  # YAML's double-quoted escapes are Python's
    text = _description_spec("").replace(
        "      get_count:\n", f'      get_count:\n        frontend_return: "int{escaped}[x"\n'
    )
    spec, diagnostics = check_source(text, "s.yaml")
    assert spec is None
    formatted = diagnostics[0].format()
    assert f"invalid return type 'int{shown}[x'" in formatted
    assert char not in formatted


def test_a_key_over_yamls_limit_is_named_as_such(tmp_path: Path) -> None:
    key = "get_" + "x" * 1100
    spec = tmp_path / SPEC_NAME
    spec.write_text(f"functions:\n  device:\n    group_description: device\n    functions:\n      {key}:\n{NAMING}")
    assert_refused(
        run_guarded("check", spec),
        f"{spec}:5:7: error: this key is 1,104 characters long; YAML allows at most 1,024 in a key written without '?'",
        "hint: shorten it, or write it as an explicit key",
    )
    # The hint's way out works: the name is then too long for the headers, which is the next thing to say.
    spec.write_text(spec.read_text().replace(f"      {key}:", f"      ? {key}\n      :"))
    assert_refused(run_guarded("check", spec), f"{spec}:5:9: error: names made for function 'device.get_xxx")


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\n{key}: 2\n",
        "a:\n  - {key}: 1\n",
        "a: [{key}: 1]\n",
        "{{{key}: 1}}\n",
        "'{quoted}': 1\n",
        'a:\n  "x: y, {key}": 1\n',
    ],
    ids=["block", "in-a-list", "flow-sequence", "flow-mapping", "single-quoted-with-commas", "double-quoted"],
)
def test_long_keys_in_every_position(text: str) -> None:
    key = "k" * 1100
    spec, diagnostics = check_source(text.format(key=key, quoted="a, b: " * 200), "s.yaml")
    assert "YAML allows at most 1,024 in a key written without '?'" in diagnostics[0].message, diagnostics[0].format()


@pytest.mark.parametrize(
    "text",
    ["k: {key}: 2\n", "a: 1\n{exact}: 2\n"],
    ids=["a-value-with-a-colon-is-another-error", "1024-characters-is-a-key"],
)
def test_long_keys_are_not_blamed_for_other_errors(text: str) -> None:
    spec, diagnostics = check_source(text.format(key="k" * 1100, exact="k" * 1024), "s.yaml")
    assert all("YAML allows" not in d.message for d in diagnostics), diagnostics


def test_a_usage_error_about_a_path_with_a_newline_stays_one_line(tmp_path: Path) -> None:
    result = run_guarded("check", "no\nsuch.yaml", cwd=tmp_path)
    assert_refused(result, "check: error: spec not found: no\\nsuch.yaml\n", status=2)
