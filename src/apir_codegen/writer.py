"""Write: the only stage that touches the output tree.

Files are written only when their content changes (so unchanged headers keep
their modification time and builds do not recompile), each atomically: the
text goes to a temporary file in the target's directory, which is then renamed
over the target.  A reader, a concurrent run or an interruption therefore sees
either the old file or the new one, never a torn one, and no temporary file is
left behind.
"""

from __future__ import annotations

import difflib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Status = Literal["unchanged", "changed", "missing"]


class WriteError(Exception):
    """A file could not be written; ``path`` is the file, the message says why."""

    def __init__(self, path: Path, message: str):
        super().__init__(message)
        self.path = path
        self.message = message


@dataclass(frozen=True)
class FileCheck:
    relpath: str
    path: Path
    status: Status
    diff: str = ""


def _current(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        return None
    except IsADirectoryError:
        raise WriteError(path, f"{path} is a directory, not a file") from None
    except OSError as exc:
        raise WriteError(path, f"cannot read {path}: {exc.strerror or exc}") from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically; raise :class:`WriteError` on failure."""
    directory = path.parent
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise WriteError(path, f"cannot create directory {directory}: a file of that name exists") from None
    except NotADirectoryError:
        raise WriteError(path, f"cannot create directory {directory}: part of the path is a file") from None
    except OSError as exc:
        raise WriteError(path, f"cannot create directory {directory}: {exc.strerror or exc}") from None
    try:
        mode = path.stat().st_mode & 0o7777
    except OSError:
        mode = 0o666 & ~_umask()
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        raise WriteError(path, f"cannot write {path}: {exc.strerror or exc}") from None
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def check_outputs(outputs: dict[str, str], out_dir: Path) -> list[FileCheck]:
    """Compare the generated texts with the files on disk; write nothing."""
    results: list[FileCheck] = []
    for relpath, text in outputs.items():
        path = out_dir / relpath
        current = _current(path)
        if current is None:
            results.append(FileCheck(relpath, path, "missing"))
            continue
        if current == text.encode("utf-8"):
            results.append(FileCheck(relpath, path, "unchanged"))
            continue
        old = current.decode("utf-8", errors="replace").splitlines(keepends=True)
        new = text.splitlines(keepends=True)
        diff = "".join(
            difflib.unified_diff(old, new, fromfile=f"{path} (on disk)", tofile=f"{path} (from the spec)")
        )
        results.append(FileCheck(relpath, path, "changed", diff))
    return results


def write_outputs(outputs: dict[str, str], out_dir: Path) -> list[FileCheck]:
    """Write the files whose content changed; return what each file was before."""
    results: list[FileCheck] = []
    for relpath, text in outputs.items():
        path = out_dir / relpath
        data = text.encode("utf-8")
        current = _current(path)
        if current == data:
            results.append(FileCheck(relpath, path, "unchanged"))
            continue
        atomic_write(path, data)
        results.append(FileCheck(relpath, path, "missing" if current is None else "changed"))
    return results
