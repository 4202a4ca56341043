"""The command line: parse arguments, run the pipeline, map outcomes to exit codes.

Exit status: 0 success; 1 spec error, stale output or failed write; 2 usage
error; 130 interrupted.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from . import __version__
from .diagnostics import Diagnostic, report
from .lockfile import LockFile
from .model import Spec
from .pipeline import check_spec, render

DEFAULT_SPEC = "ggmlremoting_functions.yaml"
T = TypeVar("T")

EXIT_OK = 0
EXIT_FAIL = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


def _add_spec_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "spec",
        nargs="?",
        default=DEFAULT_SPEC,
        metavar="SPEC",
        help=f"the remoting spec (default: ./{DEFAULT_SPEC})",
    )
    parser.add_argument(
        "--werror",
        action="store_true",
        help="treat warnings about the spec as errors",
    )


def _add_output_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-o",
        "--output-dir",
        metavar="DIR",
        type=Path,
        help="where the headers go (default: the directory that holds SPEC)",
    )
    parser.add_argument(
        "--style",
        choices=("ggml", "unformatted", "clang-format"),
        default="ggml",
        help="ggml: ggml's clang-format style, built in (the default); unformatted: the text ggml's "
        "script writes before clang-format; clang-format: that text through --clang-format with "
        "--clang-format-style",
    )
    parser.add_argument(
        "--clang-format",
        metavar="BINARY",
        default="clang-format",
        help="clang-format binary for --style clang-format (default: clang-format on PATH)",
    )
    parser.add_argument(
        "--clang-format-style",
        metavar="FILE",
        help="style file (.clang-format) for --style clang-format",
    )


def _add_quiet(parser: argparse.ArgumentParser, help_text: str = "print nothing but diagnostics") -> None:
    parser.add_argument("-q", "--quiet", action="store_true", help=help_text)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="apir-codegen",
        description="Generate ggml-virtgpu's API-remoting headers from a YAML spec.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    gen = sub.add_parser(
        "generate",
        help="write the three headers (only those whose content changes)",
        description="Write backend/shared/apir_backend.gen.h, backend/backend-dispatched.gen.h and "
        "virtgpu-forward.gen.h for SPEC. Unchanged files are not rewritten; each write is atomic.",
    )
    _add_spec_arguments(gen)
    _add_output_arguments(gen)
    _add_quiet(gen)

    chk = sub.add_parser(
        "check",
        help="exit 1 if any header is missing or stale, with a diff; write nothing",
        description="Compare the headers on disk with what SPEC generates. Exit 0 when all are up to "
        "date, 1 when any is missing or stale (a unified diff per stale file is printed).",
    )
    _add_spec_arguments(chk)
    _add_output_arguments(chk)
    _add_quiet(chk, "no diffs, only the summary")

    lck = sub.add_parser(
        "lock",
        help="record command numbers in the lock file beside the spec",
        description="Write <spec stem>.lock beside SPEC: the number of every command. Once it exists, "
        "generate and check keep locked commands on their numbers, give new commands the next free "
        "numbers, and refuse to drop a locked command that is not deprecated or retired.",
    )
    _add_spec_arguments(lck)
    lck.add_argument(
        "--accept-breaking",
        action="store_true",
        help="knowingly renumber: rebuild the lock from the spec's order, dropping removed and retired commands",
    )
    _add_quiet(lck)

    cmp = sub.add_parser(
        "compat",
        help="compare two specs: exit 1 if a guest of OLD would misroute calls to a host of NEW",
        description="Compare OLD_SPEC and NEW_SPEC (each with its lock file, if any). Exit 1 when a command "
        "of OLD is missing, disabled or renumbered in NEW; otherwise exit 0 and list added commands and "
        "signature changes.",
    )
    cmp.add_argument("old", metavar="OLD_SPEC", help="the spec the deployed side was built from")
    cmp.add_argument("new", metavar="NEW_SPEC", help="the spec of the new build")

    doc = sub.add_parser(
        "docs",
        help="write the protocol reference as Markdown",
        description="A Markdown table per group: each command's number, name, guest signature, host handler "
        "and status, with totals.",
    )
    _add_spec_arguments(doc)
    doc.add_argument("-o", "--output", metavar="FILE", type=Path, help="write to FILE instead of standard output")

    dmp = sub.add_parser(
        "dump",
        help="print the resolved model as JSON",
        description="The resolved model as JSON: commands with numbers, names, parsed types and parameters, "
        "status and source locations.",
    )
    _add_spec_arguments(dmp)

    sub.add_parser(
        "schema",
        help="print the JSON Schema of the spec format",
        description="The JSON Schema (draft 2020-12) of the spec format, from the same declaration the "
        "validator uses. Point an editor's YAML support at it.",
    )
    return parser


def _out_dir(args: argparse.Namespace) -> Path:
    if args.output_dir is not None:
        return Path(args.output_dir)
    return Path(args.spec).parent


def _load(args: argparse.Namespace) -> tuple[object | None, list[Diagnostic]]:
    spec, diagnostics = check_spec(args.spec, werror=args.werror, display=args.spec)
    report(diagnostics)
    return spec, diagnostics


def _run_on_outputs(args: argparse.Namespace, action: Callable[[dict[str, str], Path], T]) -> T | None:
    """Load the spec, render it and hand the texts to ``action``; None (reported) on failure."""
    if args.style == "clang-format" and args.clang_format_style is None:
        report([Diagnostic("error", "--style clang-format needs --clang-format-style FILE")])
        return None
    from .writer import WriteError

    from .format.external import ExternalFormatError

    spec, _ = _load(args)
    if spec is None:
        return None
    try:
        outputs = render(spec, args.style, clang_format=args.clang_format, clang_format_style=args.clang_format_style)
        return action(outputs, _out_dir(args))
    except (WriteError, ExternalFormatError) as exc:
        report([Diagnostic("error", str(exc))])
        return None


def cmd_generate(args: argparse.Namespace) -> int:
    from .writer import write_outputs

    results = _run_on_outputs(args, write_outputs)
    if results is None:
        return EXIT_FAIL
    if not args.quiet:
        written = [r for r in results if r.status != "unchanged"]
        for r in written:
            print(f"wrote {r.path}", file=sys.stderr)
        unchanged = len(results) - len(written)
        print(f"apir-codegen: {len(written)} written, {unchanged} unchanged.", file=sys.stderr)
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from .writer import check_outputs

    results = _run_on_outputs(args, check_outputs)
    if results is None:
        return EXIT_FAIL
    stale = [r for r in results if r.status != "unchanged"]
    for r in stale:
        if r.status == "missing":
            print(f"missing: {r.path}", file=sys.stderr)
        else:
            print(f"stale: {r.path}", file=sys.stderr)
            if not args.quiet:
                sys.stdout.write(r.diff)
    if stale:
        print(
            f"apir-codegen: {len(stale)} of {len(results)} headers out of date; "
            f"run 'apir-codegen generate {args.spec}' to update them.",
            file=sys.stderr,
        )
        return EXIT_FAIL
    print(f"apir-codegen: all {len(results)} headers up to date.", file=sys.stderr)
    return EXIT_OK


def cmd_lock(args: argparse.Namespace) -> int:
    from .lockfile import LockEntry, lock_path, render_lock
    from .writer import WriteError, atomic_write

    target = lock_path(args.spec)
    spec, diagnostics = check_spec(args.spec, werror=args.werror, display=args.spec, use_lock=not args.accept_breaking)
    report(diagnostics)
    if spec is None:
        return EXIT_FAIL
    previous = None
    if args.accept_breaking and target.is_file():
        from .diagnostics import DiagnosticSink
        from .lockfile import read_lock

        previous = read_lock(target, DiagnosticSink())
    entries = [LockEntry(cmd.number, cmd.group, cmd.function.name, cmd.retired) for cmd in spec.commands]
    text = render_lock(Path(args.spec).name, entries)
    try:
        current = target.read_text(encoding="utf-8") if target.is_file() else None
        if current != text:
            atomic_write(target, text.encode("utf-8"))
    except (OSError, WriteError) as exc:
        message = exc.message if isinstance(exc, WriteError) else f"cannot write {target}: {exc}"
        report([Diagnostic("error", message)])
        return EXIT_FAIL
    if not args.quiet:
        if current == text:
            print(f"apir-codegen: {target} is up to date ({len(entries)} commands).", file=sys.stderr)
        else:
            print(f"apir-codegen: wrote {target} ({len(entries)} commands).", file=sys.stderr)
        if previous is not None:
            for line in _renumbering(previous, spec):
                print(line, file=sys.stderr)
    return EXIT_OK


def _renumbering(previous: LockFile, spec: Spec) -> list[str]:
    """What a rebuilt lock changes for commands of the previous one."""
    now = {f"{cmd.group}.{cmd.function.name}": cmd.number for cmd in spec.commands}
    lines = []
    for entry in previous.entries:
        number = now.get(entry.qualified_name)
        if number is None:
            lines.append(f"  '{entry.qualified_name}' (number {entry.number}) is dropped")
        elif number != entry.number:
            lines.append(f"  '{entry.qualified_name}' is renumbered {entry.number} -> {number}")
    if lines:
        lines.insert(0, "BREAKING: guests and hosts built with the previous lock file are incompatible:")
    return lines


def cmd_compat(args: argparse.Namespace) -> int:
    from .compat import compare, format_report

    old, old_diags = check_spec(args.old, display=args.old)
    new, new_diags = check_spec(args.new, display=args.new)
    report(old_diags + new_diags)
    if old is None or new is None:
        return EXIT_FAIL
    result = compare(old, new)
    for line in format_report(result, args.old, args.new):
        print(line)
    return EXIT_FAIL if result.breaking else EXIT_OK


def cmd_docs(args: argparse.Namespace) -> int:
    from .docs import render_docs
    from .writer import WriteError, atomic_write

    spec, _ = _load(args)
    if spec is None:
        return EXIT_FAIL
    text = render_docs(spec)
    if args.output is None:
        sys.stdout.write(text)
        return EXIT_OK
    try:
        atomic_write(args.output, text.encode("utf-8"))
    except WriteError as exc:
        report([Diagnostic("error", exc.message)])
        return EXIT_FAIL
    return EXIT_OK


def cmd_dump(args: argparse.Namespace) -> int:
    import json

    from .dump import dump

    spec, _ = _load(args)
    if spec is None:
        return EXIT_FAIL
    json.dump(dump(spec), sys.stdout, indent=2)
    sys.stdout.write("\n")
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    from .schema import json_schema_text

    sys.stdout.write(json_schema_text())
    return EXIT_OK


COMMANDS = {
    "docs": cmd_docs,
    "dump": cmd_dump,
    "schema": cmd_schema,
    "generate": cmd_generate,
    "check": cmd_check,
    "lock": cmd_lock,
    "compat": cmd_compat,
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except KeyboardInterrupt:
        print("apir-codegen: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return EXIT_FAIL


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
