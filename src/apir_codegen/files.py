"""Reading files whose path the user gives: regular files of a sane size, never blocking.

A path on the command line may name anything.  ``open()`` on a FIFO waits for
a writer forever, ``/dev/zero`` or ``/dev/urandom`` never reach the end of
file, and a directory or a socket is no spec either.  Every file apir-codegen
reads (the spec, its lock file, the headers it compares with) is therefore
opened without blocking (``O_NONBLOCK``, which regular files ignore), checked
with ``fstat`` to be a regular file, and refused above :data:`MAX_FILE_BYTES`
before anything is read.
"""

from __future__ import annotations

import os
import stat

#: Far above any spec (ggml's is 5 KB; a 10,000-function one is about 2 MB).
MAX_FILE_BYTES = 64 * 1024 * 1024

_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


class FileKindError(OSError):
    """The path exists but is not a file to read; ``reason`` completes "<the file> is ..."."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _kind(mode: int) -> str:
    kind = next((words for test, words in _KINDS if test(mode)), None)
    return f"{kind}, not a regular file" if kind else "not a regular file"


def _too_large(size: str, limit: int) -> str:
    return f"too large ({size} bytes; files over {limit // (1024 * 1024)} MiB are not read)"


def not_a_file(path: str | os.PathLike[str]) -> str | None:
    """Why ``path`` is not a regular file to read (words that complete "<the file> is ..."), or None.

    None as well when it cannot be looked at: reading it will say why.
    """
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None
    return None if stat.S_ISREG(mode) else _kind(mode)


def read_file(path: str | os.PathLike[str], limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes.

    Raises :class:`FileKindError` for anything else (a directory, a FIFO, a
    device, a file too large), and ``OSError`` (``FileNotFoundError``, ...)
    when the file cannot be opened at all.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except IsADirectoryError:  # where directories cannot be opened at all
        raise FileKindError("a directory, not a regular file") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise FileKindError(_kind(info.st_mode))
        if info.st_size > limit:
            raise FileKindError(_too_large(f"{info.st_size:,}", limit))
        chunks = []
        total = 0
        request = info.st_size + 1  # one read, and one more to see the end (a file may grow meanwhile)
        while True:
            chunk = os.read(fd, request)
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise FileKindError(_too_large(f"over {limit:,}", limit))
            request = 1 << 20
        return b"".join(chunks)
    finally:
        os.close(fd)


def same_file(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> bool:
    """Whether two paths name one file: the same real path (through symbolic links and
    ``..``), or, when both exist, the same file (hard links)."""
    if os.path.realpath(a) == os.path.realpath(b):
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist (yet)
        return False
