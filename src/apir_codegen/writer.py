"""Write: the only stage that touches the output tree.

Files are written only when their content changes (so unchanged headers keep
their modification time and builds do not recompile), each atomically: the
text goes to a temporary file in the target's directory, which is then renamed
over the target.  A reader, a concurrent run or an interruption therefore sees
either the old file or the new one, never a torn one, and no temporary file is
left behind.  (Files are not fsync'ed: the rename protects against interrupted
and concurrent runs; surviving a power cut mid-build is the file system's job,
and syncing would cost more than the rest of a run.)

Paths are plain strings (``os.path``) here: this module is on every run's
path, and ``pathlib`` and ``tempfile`` cost more to import than a run spends
writing.
"""

from __future__ import annotations

import os

from .files import MAX_FILE_BYTES, FileKindError, read_file

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from typing import Literal

    Status = Literal["unchanged", "changed", "missing"]

#: Temporary files are named ``.<target name>.<random>.tmp`` beside the target.
TEMP_SUFFIX = ".tmp"


class WriteError(Exception):
    """A file could not be written; ``path`` is the file, the message says why."""

    def __init__(self, path: str | os.PathLike[str], message: str):
        super().__init__(message)
        self.path = os.fspath(path)
        self.message = message


class FileCheck:
    """What a generated file is on disk, compared with its text."""

    __slots__ = ("relpath", "path", "status", "diff")

    def __init__(self, relpath: str, path: str, status: Status, diff: str = "") -> None:
        self.relpath = relpath
        self.path = path
        self.status = status
        self.diff = diff


def _current(path: str, size: int) -> bytes | None:
    """The file on disk (None when missing) that ``size`` bytes are to replace.

    A file that is not a regular one, or is far larger than anything generated,
    is not a header apir-codegen wrote: it is an error, never read to the end
    nor replaced.
    """
    try:
        return read_file(path, max(MAX_FILE_BYTES, 2 * size))  # never blocks on a FIFO
    except (FileNotFoundError, NotADirectoryError):
        return None
    except FileKindError as exc:
        raise WriteError(path, f"{path} is {exc.reason}; remove it or choose another output path") from None
    except OSError as exc:
        raise WriteError(path, f"cannot read {path}: {exc.strerror or exc}") from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _make_directory(directory: str, path: str) -> None:
    try:
        os.makedirs(directory, exist_ok=True)
    except FileExistsError:
        raise WriteError(path, f"cannot create directory {directory}: a file of that name exists") from None
    except NotADirectoryError:
        raise WriteError(path, f"cannot create directory {directory}: part of the path is a file") from None
    except OSError as exc:
        raise WriteError(path, f"cannot create directory {directory}: {exc.strerror or exc}") from None


def _open_temporary(directory: str, name: str) -> tuple[int, str]:
    """A new file beside the target, created exclusively (O_EXCL), mode 0600."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    while True:
        tmp = os.path.join(directory, f".{name}.{os.urandom(6).hex()}{TEMP_SUFFIX}")
        try:
            return os.open(tmp, flags, 0o600), tmp
        except FileExistsError:  # pragma: no cover - 48 random bits
            continue


class _DeferInterrupts:
    """Hold back Ctrl-C (SIGINT) while a file is being replaced, then raise it.

    Between creating the temporary file and renaming it over the target, an
    interrupt would leave a stray temporary file behind; deferred, it arrives
    right after, when every file is either old or new and whole.
    """

    def __enter__(self) -> _DeferInterrupts:
        import signal

        self.signal = signal
        self.hit = False
        try:
            self.previous = signal.signal(signal.SIGINT, self._handler)
        except ValueError:  # not the main thread: signals cannot arrive here anyway
            self.previous = None
        return self

    def _handler(self, signum: int, frame: object) -> None:
        self.hit = True

    def __exit__(self, *exc: object) -> None:
        if self.previous is not None:
            self.signal.signal(self.signal.SIGINT, self.previous)
        if self.hit:
            raise KeyboardInterrupt


def atomic_write(path: str | os.PathLike[str], data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically; raise :class:`WriteError` on failure.

    A Ctrl-C during the write is held back until the file is complete.
    """
    with _DeferInterrupts():
        _atomic_write(os.fspath(path), data)


def _atomic_write(path: str, data: bytes) -> None:
    directory = os.path.dirname(path) or "."
    _make_directory(directory, path)
    try:
        mode = os.stat(path).st_mode & 0o7777
    except OSError:
        mode = 0o666 & ~_umask()
    tmp: str | None = None
    try:
        fd, tmp = _open_temporary(directory, os.path.basename(path))
        try:
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fchmod(fd, mode)
        finally:
            os.close(fd)
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


def _diff(path: str, current: bytes, text: str) -> str:
    import difflib  # only when something is stale

    old = current.decode("utf-8", errors="replace").splitlines(keepends=True)
    new = text.splitlines(keepends=True)
    return "".join(difflib.unified_diff(old, new, fromfile=f"{path} (on disk)", tofile=f"{path} (from the spec)"))


def check_outputs(outputs: dict[str, str], out_dir: str | os.PathLike[str]) -> list[FileCheck]:
    """Compare the generated texts with the files on disk; write nothing."""
    results: list[FileCheck] = []
    for relpath, text in outputs.items():
        path = os.path.join(out_dir, relpath)
        data = text.encode("utf-8")
        current = _current(path, len(data))
        if current is None:
            results.append(FileCheck(relpath, path, "missing"))
        elif current == data:
            results.append(FileCheck(relpath, path, "unchanged"))
        else:
            results.append(FileCheck(relpath, path, "changed", _diff(path, current, text)))
    return results


def write_outputs(outputs: dict[str, str], out_dir: str | os.PathLike[str]) -> list[FileCheck]:
    """Write the files whose content changed; return what each file was before."""
    results: list[FileCheck] = []
    for relpath, text in outputs.items():
        path = os.path.join(out_dir, relpath)
        data = text.encode("utf-8")
        current = _current(path, len(data))
        if current == data:
            results.append(FileCheck(relpath, path, "unchanged"))
            continue
        atomic_write(path, data)
        results.append(FileCheck(relpath, path, "missing" if current is None else "changed"))
    return results
