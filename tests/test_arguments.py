"""One argument parser: the fast path (cli.quick_parse) always agrees with argparse.

apir-codegen reads ordinary command lines with a small parser built from the
same declaration as its argparse parser (importing argparse costs a good part
of a run).  Whenever the small parser gives an answer, it must be exactly the
namespace argparse gives; anything else it leaves to argparse (None).  The
command lines are drawn from the real declaration: its commands, options,
choices, and values that look like options, ``--``, ``=`` forms and abbreviations.
"""

from __future__ import annotations

import contextlib
import io

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from apir_codegen.cli import COMMAND_LINE, main, parse_with_argparse, quick_parse

COMMANDS = [cmd.name for cmd in COMMAND_LINE]
OPTION_NAMES = sorted({name for cmd in COMMAND_LINE for opt in cmd.options for name in opt.names})
CHOICES = sorted({choice for cmd in COMMAND_LINE for opt in cmd.options for choice in opt.choices or ()})
WORDS = ["spec.yaml", "out", "", "-", "--", "-x", "-1", "--wer", "--output", "a b", "-q", "=", "x=y", "-o=z", *CHOICES]


def _argparse(argv: list[str]) -> dict[str, object] | None:
    """What the CLI's argparse path makes of ``argv``, None when it ends the run (help, version, usage error)."""
    with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):
        parsed = parse_with_argparse(argv)
    return None if isinstance(parsed, int) else vars(parsed)


@st.composite
def command_lines(draw: st.DrawFn) -> list[str]:
    command = draw(st.sampled_from(COMMANDS + ["--werror", "-h", "--version", "genera"]))
    token = st.one_of(
        st.sampled_from(OPTION_NAMES),
        st.sampled_from(WORDS),
        st.builds(lambda name, value: f"{name}={value}", st.sampled_from(OPTION_NAMES), st.sampled_from(WORDS)),
        st.builds(lambda name: name[:-2], st.sampled_from([n for n in OPTION_NAMES if len(n) > 4])),
        st.text(alphabet="-=ab.", max_size=4),
    )
    return [command, *draw(st.lists(token, max_size=7))]


@given(command_lines())
@example(["schema", "--"])  # argparse refuses a '--' before no positional; the fast path once accepted it
@example(["compat", "--", "a", "--", "b"])
@example(["generate", "--clang-format=--"])  # Python 3.11's argparse makes that value []
def test_the_fast_path_agrees_with_argparse(argv: list[str]) -> None:
    quick = quick_parse(argv)
    if quick is not None:
        assert vars(quick) == _argparse(argv)


def test_ordinary_command_lines_take_the_fast_path() -> None:
    """The agreement above is not vacuous: what builds and pre-commit run never needs argparse."""
    ordinary = [
        ["generate"],
        ["generate", "spec.yaml", "-o", "out", "--werror", "-q"],
        ["check", "--style", "unformatted", "spec.yaml"],
        ["check", "--style=clang-format", "--clang-format-style", "s", "--", "-spec.yaml"],
        ["lock", "--accept-breaking", "spec.yaml"],
        ["compat", "old.yaml", "new.yaml"],
        ["docs", "spec.yaml", "--output", "protocol.md"],
        ["dump"],
        ["schema"],
    ]
    for argv in ordinary:
        quick = quick_parse(argv)
        assert quick is not None, argv
        assert vars(quick) == _argparse(argv), argv


def test_an_option_value_of_two_dashes_is_that_value(capsys: pytest.CaptureFixture[str]) -> None:
    """'--option=--' means the value '--' on both paths (Python 3.11's argparse alone made it [], which crashed)."""
    for argv in (["generate", "--output-dir=--"], ["generate", "--output-dir=--", "--werror", "x"]):
        quick = quick_parse(argv)
        assert quick is not None and quick.output_dir == "--"
        assert _argparse(argv) == vars(quick)
    defaults = quick_parse(["generate"])
    assert defaults is not None
    assert _argparse(["generate", "--style=--"]) == {**vars(defaults), "style": "--"}
    assert main(["generate", "--style=--"]) == 2
    err = capsys.readouterr().err
    assert "argument --style: invalid choice: '--' (choose from 'ggml', 'unformatted', 'clang-format')" in err
    assert "Traceback" not in err
