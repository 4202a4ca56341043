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
        choices=("ggml", "unformatted"),
        default="ggml",
        help="ggml: formatted as ggml's clang-format style (built in, the default); "
        "unformatted: the text ggml's script writes before clang-format",
    )


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
    gen.add_argument("-q", "--quiet", action="store_true", help="print nothing but diagnostics")

    chk = sub.add_parser(
        "check",
        help="exit 1 if any header is missing or stale, with a diff; write nothing",
        description="Compare the headers on disk with what SPEC generates. Exit 0 when all are up to "
        "date, 1 when any is missing or stale (a unified diff per stale file is printed).",
    )
    _add_spec_arguments(chk)
    _add_output_arguments(chk)
    chk.add_argument("-q", "--quiet", action="store_true", help="no diffs, only the summary")
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
    from .writer import WriteError

    spec, _ = _load(args)
    if spec is None:
        return None
    outputs = render(spec, args.style)  # type: ignore[arg-type]
    try:
        return action(outputs, _out_dir(args))
    except WriteError as exc:
        report([Diagnostic("error", exc.message)])
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


COMMANDS = {
    "generate": cmd_generate,
    "check": cmd_check,
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
