"""apir-codegen: generate ggml-virtgpu's API-remoting headers from a YAML spec.

Both ways of starting the command, its console script and ``python -m
apir_codegen``, run this file before any other of ours (runpy imports a
package before its ``__main__``; the console script imports ``cli`` at its
top level, outside any ``try``).  A KeyboardInterrupt raised while the
command's modules are still importing cannot be caught by the command and
ends in a traceback, so when this process is the command, the first thing
done here is to make Ctrl-C end the run with status 130 and one line.
Files are never half-written either way: the writer holds Ctrl-C back while
it replaces a file.  (The interpreter's own start-up, before this line, is
beyond any Python code.)

The library's names are imported on first use (PEP 562), so that importing
the package costs nothing before the handler is in place and nothing a
command does not need.
"""

import sys

TYPE_CHECKING = False

#: What an interrupted run prints, from the signal handler below or from the CLI.
INTERRUPTED = "apir-codegen: interrupted"
EXIT_INTERRUPTED = 130


def _is_the_command() -> bool:
    """Whether this process is apir-codegen itself (not a program that imports the library)."""
    argv0 = sys.argv[0] if sys.argv else ""
    if argv0 == "-m":  # python -m, while runpy imports the module to run
        options = sys.orig_argv[1:]
        for index, option in enumerate(options):
            if option.startswith("-m"):
                module = option[2:] or (options[index + 1] if index + 1 < len(options) else "")
                return module.partition(".")[0] == __name__
        return False
    name = argv0.replace("\\", "/").rpartition("/")[2]
    return name in ("apir-codegen", "apir-codegen.exe", "apir-codegen-script.py")


def _exit_interrupted(signum: int, frame: object) -> None:
    import os

    try:
        os.write(2, (INTERRUPTED + "\n").encode())
    except OSError:
        pass
    raise SystemExit(EXIT_INTERRUPTED)


if _is_the_command():
    # _signal is the C module behind `signal`, loaded with the interpreter;
    # `signal` itself would first import `enum`, inside the window this closes.
    if TYPE_CHECKING:  # pragma: no cover - the same functions, typed
        import signal as _signal
    else:
        import _signal

    # Not when SIGINT is ignored (nohup, background jobs): that choice stands.
    if _signal.getsignal(_signal.SIGINT) is _signal.default_int_handler:
        _signal.signal(_signal.SIGINT, _exit_interrupted)

__version__ = "0.1.0"

if TYPE_CHECKING:  # pragma: no cover
    from .diagnostics import Diagnostic, Location, SpecError
    from .generator import RemotingCodebaseGenerator
    from .model import OUTPUT_FILES, Command, Function, Group, NamingPatterns, Spec
    from .pipeline import check_spec, load_spec, render

#: Each public name and the module that defines it.
_LAZY = {
    "Diagnostic": "diagnostics",
    "Location": "diagnostics",
    "SpecError": "diagnostics",
    "RemotingCodebaseGenerator": "generator",
    "OUTPUT_FILES": "model",
    "Command": "model",
    "Function": "model",
    "Group": "model",
    "NamingPatterns": "model",
    "Spec": "model",
    "check_spec": "pipeline",
    "load_spec": "pipeline",
    "render": "pipeline",
}

__all__ = sorted([*_LAZY, "__version__"])


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
