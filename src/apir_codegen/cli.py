"""The command line: parse arguments, run the pipeline, map outcomes to exit codes.

Exit status: 0 success; 1 spec error, stale output or failed write; 2 usage
error; 130 interrupted.  As with black, a path argument that names nothing
(a missing spec or style file) is a usage error: the paths an invocation
names are checked before anything runs, as argparse checks the options.

The commands and their options are declared once, below.  ``argparse`` is
built from that declaration for help and usage errors; ordinary command lines
are read by a small parser from the same declaration, because apir-codegen
runs on every build and pre-commit and importing ``argparse`` costs a good
part of a whole run on ggml's spec.  The small parser answers only when it
is sure, and then exactly as argparse would: ``tests/test_arguments.py``
checks that on random command lines drawn from the declaration.
"""

from __future__ import annotations

import os
import sys

from . import EXIT_INTERRUPTED, INTERRUPTED, __version__
from .diagnostics import Diagnostic, printable, report

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    import argparse
    from collections.abc import Callable, Sequence
    from typing import Any, TypeVar

    from .model import Spec

    T = TypeVar("T")

DEFAULT_SPEC = "ggmlremoting_functions.yaml"

EXIT_OK = 0
EXIT_FAIL = 1
EXIT_USAGE = 2


class PathArg:
    """What a path argument names, checked before the command runs (a usage error, exit 2, if wrong).

    ``kind`` is ``read`` (an existing file), ``run`` (a program, on PATH when
    it has no directory part) or ``write`` (any non-empty path); ``what`` names
    it in messages; the check applies only while ``dest`` has the value
    ``value``, when both are given (options used by one style only).
    """

    __slots__ = ("kind", "what", "dest", "value")

    def __init__(self, kind: str, what: str, dest: str | None = None, value: str | None = None) -> None:
        self.kind = kind
        self.what = what
        self.dest = dest
        self.value = value


class Opt:
    """An option: flag (no value) or one taking a value."""

    __slots__ = ("names", "dest", "help", "metavar", "default", "choices", "flag", "path")

    def __init__(
        self,
        names: tuple[str, ...],
        dest: str,
        help: str,
        metavar: str | None = None,
        default: Any = None,
        choices: tuple[str, ...] | None = None,
        path: PathArg | None = None,
    ) -> None:
        self.names = names
        self.dest = dest
        self.help = help
        self.metavar = metavar
        self.default = default
        self.choices = choices
        self.flag = metavar is None and choices is None
        self.path = path


class Pos:
    """A positional argument; ``optional`` ones have a default."""

    __slots__ = ("dest", "metavar", "help", "optional", "default", "path")

    def __init__(
        self,
        dest: str,
        metavar: str,
        help: str,
        optional: bool = False,
        default: Any = None,
        path: PathArg | None = None,
    ) -> None:
        self.dest = dest
        self.metavar = metavar
        self.help = help
        self.optional = optional
        self.default = default
        self.path = path


class Cmd:
    __slots__ = ("name", "help", "description", "positionals", "options")

    def __init__(self, name: str, help: str, description: str, positionals: list[Pos], options: list[Opt]) -> None:
        self.name = name
        self.help = help
        self.description = description
        self.positionals = positionals
        self.options = options


SPEC_FILE = PathArg("read", "spec")
SPEC = Pos(
    "spec",
    "SPEC",
    f"the remoting spec (default: ./{DEFAULT_SPEC})",
    optional=True,
    default=DEFAULT_SPEC,
    path=SPEC_FILE,
)
WERROR = Opt(("--werror",), "werror", "treat warnings about the spec as errors", default=False)
OUTPUT = [
    Opt(
        ("-o", "--output-dir"),
        "output_dir",
        "where the headers go (default: the directory that holds SPEC)",
        metavar="DIR",
        path=PathArg("write", "output directory"),
    ),
    Opt(
        ("--style",),
        "style",
        "ggml: ggml's clang-format style, built in (the default); unformatted: the text ggml's script writes "
        "before clang-format; clang-format: that text through --clang-format with --clang-format-style",
        default="ggml",
        choices=("ggml", "unformatted", "clang-format"),
    ),
    Opt(
        ("--clang-format",),
        "clang_format",
        "clang-format binary for --style clang-format (default: clang-format on PATH)",
        metavar="BINARY",
        default="clang-format",
        path=PathArg("run", "clang-format binary", "style", "clang-format"),
    ),
    Opt(
        ("--clang-format-style",),
        "clang_format_style",
        "style file (.clang-format) for --style clang-format",
        metavar="FILE",
        path=PathArg("read", "clang-format style file", "style", "clang-format"),
    ),
]


def _quiet(help_text: str = "print nothing but diagnostics") -> Opt:
    return Opt(("-q", "--quiet"), "quiet", help_text, default=False)


COMMAND_LINE = [
    Cmd(
        "generate",
        "write the three headers (only those whose content changes)",
        "Write backend/shared/apir_backend.gen.h, backend/backend-dispatched.gen.h and virtgpu-forward.gen.h "
        "for SPEC. Unchanged files are not rewritten; each write is atomic.",
        [SPEC],
        [WERROR, *OUTPUT, _quiet()],
    ),
    Cmd(
        "check",
        "exit 1 if any header is missing or stale, with a diff; write nothing",
        "Compare the headers on disk with what SPEC generates. Exit 0 when all are up to date, 1 when any is "
        "missing or stale (a unified diff per stale file is printed).",
        [SPEC],
        [WERROR, *OUTPUT, _quiet("no diffs, only the summary")],
    ),
    Cmd(
        "outputs",
        "print the paths of the files generate writes, one per line",
        "The files `generate` writes for SPEC with these options, one path per line: the three headers, then, "
        "when SPEC has a marshalling section, the hook header, the guest stubs and the host handlers. Nothing "
        "is rendered or written; for build systems that list generated sources at configure time.",
        [SPEC],
        [WERROR, *OUTPUT],
    ),
    Cmd(
        "lock",
        "record command numbers in the lock file beside the spec",
        "Write <spec stem>.lock beside SPEC: the number of every command. Once it exists, generate and check "
        "keep locked commands on their numbers, give new commands the next free numbers, and refuse to drop a "
        "locked command that is not deprecated or retired.",
        [SPEC],
        [
            WERROR,
            Opt(
                ("--accept-breaking",),
                "accept_breaking",
                "knowingly renumber: rebuild the lock from the spec's order, dropping removed and retired commands",
                default=False,
            ),
            _quiet(),
        ],
    ),
    Cmd(
        "compat",
        "compare two specs: exit 1 if a guest of OLD cannot call a host of NEW correctly",
        "Compare OLD_SPEC and NEW_SPEC (each with its lock file, if any). Exit 1 when a command of OLD is "
        "missing, disabled, renumbered or retired in NEW, or when one that OLD's guests call changed its return "
        "type or its parameters' number or types (arguments are decoded by position), or, for a command both "
        "generate, a slot's codec, direction or length; otherwise exit 0 and list added commands and other "
        "API changes.",
        [
            Pos("old", "OLD_SPEC", "the spec the deployed side was built from", path=SPEC_FILE),
            Pos("new", "NEW_SPEC", "the spec of the new build", path=SPEC_FILE),
        ],
        [],
    ),
    Cmd(
        "docs",
        "write the protocol reference as Markdown",
        "A Markdown table per group: each command's number, name, guest signature, host handler and status, "
        "with totals.",
        [SPEC],
        [
            WERROR,
            Opt(
                ("-o", "--output"),
                "output",
                "write to FILE instead of standard output",
                metavar="FILE",
                path=PathArg("write", "output file"),
            ),
        ],
    ),
    Cmd(
        "dump",
        "print the resolved model as JSON",
        "The resolved model as JSON: commands with numbers, names, parsed types and parameters, status and "
        "source locations.",
        [SPEC],
        [WERROR],
    ),
    Cmd(
        "schema",
        "print the JSON Schema of the spec format",
        "The JSON Schema (draft 2020-12) of the spec format, from the same declaration the validator uses. "
        "Point an editor's YAML support at it.",
        [],
        [],
    ),
]


def build_parser(commands: dict[str, argparse.ArgumentParser] | None = None) -> argparse.ArgumentParser:
    """The full parser (help, usage errors), built from COMMAND_LINE; ``commands`` receives each command's parser."""
    import argparse

    parser = argparse.ArgumentParser(
        prog="apir-codegen",
        description="Generate ggml-virtgpu's API-remoting headers from a YAML spec.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for cmd in COMMAND_LINE:
        p = sub.add_parser(cmd.name, help=cmd.help, description=cmd.description)
        if commands is not None:
            commands[cmd.name] = p
        for pos in cmd.positionals:
            extra: dict[str, Any] = {"nargs": "?", "default": pos.default} if pos.optional else {}
            p.add_argument(pos.dest, metavar=pos.metavar, help=pos.help, **extra)
        for opt in cmd.options:
            if opt.flag:
                p.add_argument(*opt.names, dest=opt.dest, action="store_true", help=opt.help)
            else:
                p.add_argument(
                    *opt.names,
                    dest=opt.dest,
                    metavar=opt.metavar,
                    default=opt.default,
                    choices=opt.choices,
                    help=opt.help,
                )
    return parser


class Args:
    """Parsed arguments (what argparse's Namespace would hold)."""

    def __init__(self, **values: Any) -> None:
        self.__dict__.update(values)

    if TYPE_CHECKING:  # pragma: no cover - attributes come from COMMAND_LINE

        def __getattr__(self, name: str) -> Any: ...


def quick_parse(argv: Sequence[str]) -> Args | None:
    """Parse an ordinary command line from COMMAND_LINE; None means "let argparse do it".

    Anything unusual (help, an unknown option, a missing value, a bad choice,
    an abbreviation) is left to argparse, which then gives its usual messages.
    """
    if not argv:
        return None
    cmd = next((c for c in COMMAND_LINE if c.name == argv[0]), None)
    if cmd is None:
        return None
    values: dict[str, Any] = {"command": cmd.name}
    options: dict[str, Opt] = {}
    for opt in cmd.options:
        values[opt.dest] = opt.default
        for name in opt.names:
            options[name] = opt
    positional: list[str] = []
    args = list(argv[1:])
    index = 0
    while index < len(args):
        arg = args[index]
        index += 1
        if arg == "--":
            if not cmd.positionals:
                return None  # argparse refuses a '--' that separates nothing
            positional.extend(args[index:])
            break
        if not arg.startswith("-") or arg == "-":
            positional.append(arg)
            continue
        name, eq, inline = arg.partition("=")
        found = options.get(name)
        if found is None:
            return None
        opt = found
        if opt.flag:
            if eq:
                return None
            values[opt.dest] = True
            continue
        if eq:
            value = inline
        elif index < len(args) and not args[index].startswith("-"):
            value = args[index]
            index += 1
        else:
            return None
        if opt.choices is not None and value not in opt.choices:
            return None
        values[opt.dest] = value
    required = [p for p in cmd.positionals if not p.optional]
    if len(positional) < len(required) or len(positional) > len(cmd.positionals):
        return None
    for pos, value in zip(cmd.positionals, positional, strict=False):
        values[pos.dest] = value
    for pos in cmd.positionals[len(positional) :]:
        values[pos.dest] = pos.default
    return Args(**values)


def _path_problem(check: PathArg, value: str) -> str | None:
    if check.kind == "run":
        from .format.external import find_binary

        return None if find_binary(value) else f"{check.what} not found: {value}"
    if check.kind == "read":
        if os.path.isdir(value):
            return f"{check.what} is a directory, not a file: {value}"
        if not os.path.exists(value):
            return f"{check.what} not found: {value}"
        from .files import not_a_file

        reason = not_a_file(value)  # a FIFO would block, a device never end
        if reason is not None:
            return f"{check.what} is {reason}: {value}"
    return None


def usage_problems(args: Args) -> list[str]:
    """What is wrong with the command line itself (missing files, empty paths, options that need others)."""
    cmd = next(c for c in COMMAND_LINE if c.name == args.command)
    problems: list[str] = []
    arguments = [(p.metavar, p.path, p.dest) for p in cmd.positionals] + [
        ("/".join(o.names), o.path, o.dest) for o in cmd.options
    ]
    for name, check, dest in arguments:
        value = getattr(args, dest)
        if check is None or value is None or (check.dest is not None and getattr(args, check.dest) != check.value):
            continue
        problem = f"argument {name}: the path is empty" if value == "" else _path_problem(check, value)
        if problem is not None:
            problems.append(problem)
    for opt in cmd.options:
        value = getattr(args, opt.dest)
        if opt.choices is not None and value not in opt.choices:  # argparse checks them, but for '--option=--'
            choices = ", ".join(repr(choice) for choice in opt.choices)
            problems.append(f"argument {'/'.join(opt.names)}: invalid choice: {value!r} (choose from {choices})")
    if getattr(args, "style", None) == "clang-format" and args.clang_format_style is None:
        problems.append("--style clang-format needs --clang-format-style FILE")
    return problems


def _usage_error(command: str, problems: list[str]) -> int:
    """Report usage problems as argparse does (the usage line, then each problem); exit status 2."""
    parsers: dict[str, argparse.ArgumentParser] = {}
    build_parser(parsers)
    parser = parsers[command]
    sys.stderr.write(parser.format_usage())
    for problem in problems:
        print(f"{parser.prog}: error: {printable(problem)}", file=sys.stderr)
    return EXIT_USAGE


def _out_dir(args: Args) -> str:
    if args.output_dir is not None:
        return str(args.output_dir)
    return os.path.dirname(args.spec)  # '' for a spec in the current directory: paths stay relative


def _load(args: Args) -> tuple[Spec | None, list[Diagnostic]]:
    """Load and check the spec; the limits of the style it is rendered in apply (none when nothing is rendered)."""
    from .pipeline import check_spec

    spec, diagnostics = check_spec(args.spec, werror=args.werror, display=args.spec, style=getattr(args, "style", None))
    report(diagnostics)
    return spec, diagnostics


def _overwrites_inputs(args: Args, targets: list[str], others: dict[str | None, str] | None = None) -> bool:
    """Report (and say so) when a file about to be written is the spec or another input."""
    from .pipeline import overwritten_inputs

    inputs = {path: what for path, what in (others or {}).items() if path is not None}
    clashes = overwritten_inputs(args.spec, targets, display=args.spec, others=inputs)
    report(clashes)
    return bool(clashes)


def _run_on_outputs(args: Args, action: Callable[[dict[str, str], str], T]) -> tuple[Spec, T] | None:
    """Load the spec, render it and hand the texts to ``action``; the spec and the result, None (reported) on failure."""
    from .format.external import ExternalFormatError
    from .model import OUTPUT_FILES
    from .pipeline import output_paths, render
    from .writer import WriteError

    inputs = {args.clang_format_style: "the clang-format style file"}
    targets = [os.path.join(_out_dir(args), relpath) for relpath in OUTPUT_FILES]
    if _overwrites_inputs(args, targets, inputs):
        return None
    spec, _ = _load(args)
    if spec is None:
        return None
    # The marshalling code's paths come from the spec itself.
    marshalling = [os.path.join(_out_dir(args), relpath) for relpath in output_paths(spec)[len(OUTPUT_FILES) :]]
    if marshalling and _overwrites_inputs(args, marshalling, inputs):
        return None
    try:
        outputs = render(spec, args.style, clang_format=args.clang_format, clang_format_style=args.clang_format_style)
        return spec, action(outputs, _out_dir(args))
    except (WriteError, ExternalFormatError) as exc:
        report([Diagnostic("error", str(exc))])
        return None


def cmd_generate(args: Args) -> int:
    from .generator import generation_report
    from .writer import write_outputs

    done = _run_on_outputs(args, write_outputs)
    if done is None:
        return EXIT_FAIL
    if not args.quiet:
        for line in generation_report(*done):
            print(line, file=sys.stderr)
    return EXIT_OK


def _generate_command(args: Args) -> str:
    """The ``generate`` command line that writes what ``check`` compared with, for the shell."""
    import shlex

    words = ["apir-codegen", "generate"]
    options: list[str] = []
    for opt in (WERROR, *OUTPUT):
        value = getattr(args, opt.dest)
        if opt.flag:
            options += [opt.names[0]] if value else []
        elif value != opt.default:
            # A value that looks like an option is attached to the option's long name.
            options += [f"{opt.names[-1]}={value}"] if value.startswith("-") else [opt.names[0], value]
    words += [*options, "--", args.spec] if args.spec.startswith("-") else [args.spec, *options]
    return shlex.join(words)


def cmd_check(args: Args) -> int:
    from .writer import check_outputs

    done = _run_on_outputs(args, check_outputs)
    if done is None:
        return EXIT_FAIL
    _, results = done
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
            f"apir-codegen: {len(stale)} of {len(results)} files out of date; "
            f"to update them, run: {_generate_command(args)}",
            file=sys.stderr,
        )
        return EXIT_FAIL
    if not args.quiet:
        print(f"apir-codegen: all {len(results)} files up to date.", file=sys.stderr)
    return EXIT_OK


def cmd_outputs(args: Args) -> int:
    from .pipeline import output_paths

    spec, _ = _load(args)
    if spec is None:
        return EXIT_FAIL
    for relpath in output_paths(spec):
        print(os.path.join(_out_dir(args), relpath))
    return EXIT_OK


def cmd_lock(args: Args) -> int:
    from .pipeline import lock_spec
    from .writer import WriteError, write_outputs

    update, diagnostics = lock_spec(
        args.spec, werror=args.werror, display=args.spec, accept_breaking=args.accept_breaking
    )
    report(diagnostics)
    if update is None:
        return EXIT_FAIL
    try:
        (result,) = write_outputs({os.path.basename(update.path): update.text}, os.path.dirname(update.path))
    except WriteError as exc:
        report([Diagnostic("error", exc.message)])
        return EXIT_FAIL
    if not args.quiet:
        target = update.path
        done = f"{target} is up to date" if result.status == "unchanged" else f"wrote {target}"
        print(f"apir-codegen: {done} ({update.commands} commands).", file=sys.stderr)
        for line in update.renumbered:
            print(line, file=sys.stderr)
    return EXIT_OK


def cmd_compat(args: Args) -> int:
    from .compat import compare, format_report
    from .pipeline import check_spec

    old, old_diags = check_spec(args.old, display=args.old, style=None)
    new, new_diags = check_spec(args.new, display=args.new, style=None)
    report(old_diags + new_diags)
    if old is None or new is None:
        return EXIT_FAIL
    result = compare(old, new)
    for line in format_report(result, args.old, args.new):
        print(line)
    return EXIT_FAIL if result.breaking else EXIT_OK


def cmd_docs(args: Args) -> int:
    from .docs import render_docs
    from .writer import WriteError, atomic_write

    if args.output is not None and _overwrites_inputs(args, [args.output]):
        return EXIT_FAIL
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


def cmd_dump(args: Args) -> int:
    import json

    from .dump import dump

    spec, _ = _load(args)
    if spec is None:
        return EXIT_FAIL
    json.dump(dump(spec), sys.stdout, indent=2)
    sys.stdout.write("\n")
    return EXIT_OK


def cmd_schema(args: Args) -> int:
    from .schema import json_schema_text

    sys.stdout.write(json_schema_text())
    return EXIT_OK


COMMANDS: dict[str, Callable[[Args], int]] = {
    "generate": cmd_generate,
    "check": cmd_check,
    "outputs": cmd_outputs,
    "lock": cmd_lock,
    "compat": cmd_compat,
    "docs": cmd_docs,
    "dump": cmd_dump,
    "schema": cmd_schema,
}


def main(argv: Sequence[str] | None = None) -> int:
    # A run is short and allocates many small objects that form no cycles:
    # the cyclic garbage collector would only add a quarter to the time of a
    # large spec.
    import gc

    gc.disable()
    try:
        return _main(argv)
    finally:
        gc.enable()


def parse_with_argparse(argv: Sequence[str]) -> Args | int:
    """The command line read by argparse: the arguments, or the exit status when argparse ended the run
    (--help, --version, usage errors, reported on standard error)."""
    try:
        args = Args(**vars(build_parser().parse_args(argv)))
    except SystemExit as exc:
        return int(exc.code or 0) if isinstance(exc.code, int) or exc.code is None else EXIT_USAGE
    cmd = next(c for c in COMMAND_LINE if c.name == args.command)
    for opt in cmd.options:
        if not opt.flag and getattr(args, opt.dest) == []:
            # Python 3.11's argparse drops '--' from '--option=--', leaving [] (unchecked
            # against the choices); later versions keep the value '--', as quick_parse does.
            setattr(args, opt.dest, "--")
    return args


def _main(argv: Sequence[str] | None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    args = quick_parse(arguments)
    if args is None:
        parsed = parse_with_argparse(arguments)
        if isinstance(parsed, int):
            return parsed
        args = parsed
    try:
        problems = usage_problems(args)
        if problems:
            return _usage_error(args.command, problems)
        return COMMANDS[args.command](args)
    except KeyboardInterrupt:
        print(INTERRUPTED, file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return EXIT_FAIL


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
