"""Test helpers: running the command line, snapshotting trees."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str


def run_cli(
    *args: str | os.PathLike[str],
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    timeout: float | None = None,
    memory_limit: int | None = None,
) -> Result:
    """Run ``python -m apir_codegen`` in a subprocess, as a user would.

    ``timeout`` (seconds) and ``memory_limit`` (bytes of address space) keep
    a run that hangs or grows without bound from taking the test run with it;
    a run over its time raises ``subprocess.TimeoutExpired``.
    """
    full_env = dict(os.environ)
    full_env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + full_env.get("PYTHONPATH", "")
    full_env.pop("NO_COLOR", None)
    if env:
        full_env.update(env)

    def limit() -> None:  # pragma: no cover - runs in the child
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))

    proc = subprocess.run(
        [sys.executable, "-m", "apir_codegen", *map(str, args)],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=limit if memory_limit is not None else None,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


def snapshot(root: Path) -> dict[str, tuple[str, int]]:
    """Every file below ``root``: content hash and modification time."""
    out: dict[str, tuple[str, int]] = {}
    for path in sorted(root.rglob("*")):
        if path.is_file():
            out[str(path.relative_to(root))] = (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns)
    return out


def copy_spec(source: Path, directory: Path, name: str = "ggmlremoting_functions.yaml") -> Path:
    """A private copy of a spec, in ``directory`` (created)."""
    directory.mkdir(parents=True, exist_ok=True)
    spec = directory / name
    spec.write_bytes(source.read_bytes())
    return spec


def edit_file(path: Path, old: str, new: str) -> None:
    """Replace the first ``old`` in a file; fail when it is not there."""
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def read_tree(root: Path, relpaths: list[str] | tuple[str, ...]) -> dict[str, str]:
    return {rel: (root / rel).read_text() for rel in relpaths}
