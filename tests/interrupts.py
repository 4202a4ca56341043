"""Ctrl-C at chosen points of a real run, without timing luck.

A run of the command is interrupted where the test says, not wherever a
timer happens to fire: a ``sitecustomize`` module (put on ``PYTHONPATH``, so
the interpreter imports it before the command's first line, for ``python -m``
and the console script alike) watches the run and, at the chosen point, either
sends the process a real SIGINT itself, or tells the test it is there and
waits until the test has sent one.

Points:

* ``import:<module>``: when ``<module>`` is about to be imported (a finder at
  the front of ``sys.meta_path`` is asked for it), i.e. during start-up;
* ``call:<name>:<n>``: just before the ``n``-th call of ``os.<name>`` (for
  instance ``replace``: between writing a header's temporary file and
  renaming it);
* ``record``: interrupt nothing, write the names of the modules the run
  imports, in order, to the file named by ``APIR_TEST_RECORD``.

``APIR_TEST_INTERRUPT_BY=self`` sends the signal from inside the process (at
the exact point); ``parent`` writes a byte to the file descriptor
``APIR_TEST_READY_FD`` and waits for the signal (the test sends it when it has
read that byte).  The wait returns as soon as the signal has arrived, whatever
its handler does, because the signal also wakes a ``signal.set_wakeup_fd``
pipe set up before the byte is written: no race, no timeout in the good case.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from .helpers import ROOT

SITECUSTOMIZE = r"""
import os
import sys

POINT = os.environ.get("APIR_TEST_INTERRUPT", "")
BY = os.environ.get("APIR_TEST_INTERRUPT_BY", "self")


def _wait_for_parent():
    import select
    import signal

    read_end, write_end = os.pipe()
    os.set_blocking(write_end, False)
    previous = signal.set_wakeup_fd(write_end, warn_on_full_buffer=False)
    os.write(int(os.environ["APIR_TEST_READY_FD"]), b"!")
    try:
        while not select.select([read_end], [], [])[0]:  # handlers run (and may raise) here
            pass
    finally:
        signal.set_wakeup_fd(previous)
        os.close(read_end)
        os.close(write_end)


def interrupt():
    if BY == "parent":
        _wait_for_parent()
    else:
        os.kill(os.getpid(), 2)  # SIGINT, without importing signal before the run does


class Watcher:
    def __init__(self, record):
        self.record = record

    def find_spec(self, name, path=None, target=None):
        if self.record is not None:
            self.record.write(name + "\n")
            self.record.flush()
        elif POINT == "import:" + name:
            interrupt()
        return None


if POINT == "record":
    sys.meta_path.insert(0, Watcher(open(os.environ["APIR_TEST_RECORD"], "w")))
elif POINT.startswith("import:"):
    sys.meta_path.insert(0, Watcher(None))
elif POINT.startswith("call:"):
    _, NAME, NTH = POINT.split(":")
    _real = getattr(os, NAME)
    _calls = [0]

    def _watched(*args, **kwargs):
        _calls[0] += 1
        if _calls[0] == int(NTH):
            interrupt()
        return _real(*args, **kwargs)

    setattr(os, NAME, _watched)
"""


@dataclass
class Outcome:
    returncode: int
    stderr: str


class Interrupter:
    """Runs the command (``python -m apir_codegen`` or a console script) with the hook."""

    def __init__(self, hook_dir: Path, command: list[str]) -> None:
        hook_dir.mkdir(parents=True, exist_ok=True)
        (hook_dir / "sitecustomize.py").write_text(SITECUSTOMIZE)
        self.hook_dir = hook_dir
        self.command = command

    def env(self, point: str, by: str) -> dict[str, str]:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join([str(self.hook_dir), str(ROOT / "src")])
        env["APIR_TEST_INTERRUPT"] = point
        env["APIR_TEST_INTERRUPT_BY"] = by
        env.pop("NO_COLOR", None)
        return env

    def imported_modules(self, args: list[str]) -> list[str]:
        """The modules a run imports, in order, from the interpreter's start-up on."""
        record = self.hook_dir / "imports.txt"
        env = self.env("record", "self")
        env["APIR_TEST_RECORD"] = str(record)
        proc = subprocess.run([*self.command, *args], env=env, capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr
        return record.read_text().split()

    def run(self, args: list[str], point: str, by: str = "self") -> Outcome:
        env = self.env(point, by)
        if by == "self":
            proc = subprocess.run([*self.command, *args], env=env, capture_output=True, text=True, timeout=60)
            return Outcome(proc.returncode, proc.stderr)
        read_end, write_end = os.pipe()
        env["APIR_TEST_READY_FD"] = str(write_end)
        child = subprocess.Popen(
            [*self.command, *args], env=env, stderr=subprocess.PIPE, text=True, pass_fds=[write_end]
        )
        os.close(write_end)
        try:
            ready = os.read(read_end, 1)  # b"" if the run ends without reaching the point
        finally:
            os.close(read_end)
        assert ready == b"!", f"the run never reached {point}"
        child.send_signal(signal.SIGINT)
        _, err = child.communicate(timeout=60)
        return Outcome(child.returncode, err)


def python_m() -> list[str]:
    return [sys.executable, "-m", "apir_codegen"]
