"""An external clang-format: the unformatted text through a binary and style file the user names.

For projects that do not use ggml's style.  The built-in ggml style needs no
clang-format; this path does, so its output depends on that binary's version.
"""

from __future__ import annotations

import os


class ExternalFormatError(Exception):
    """The external formatter cannot run; the message says why."""


def find_binary(binary: str) -> str | None:
    """The program ``binary`` names: looked up on PATH unless it has a directory part."""
    import shutil

    return shutil.which(binary) if os.sep not in binary else (binary if os.path.isfile(binary) else None)


def clang_format_texts(texts: dict[str, str], binary: str, style_file: str) -> dict[str, str]:
    """Format each text (keyed by its relative path) with ``binary --style=file:STYLE``."""
    import subprocess

    found = find_binary(binary)
    if found is None:
        raise ExternalFormatError(f"clang-format binary '{binary}' not found")
    if not os.path.isfile(style_file):
        raise ExternalFormatError(f"clang-format style file '{style_file}' not found")
    style = os.path.abspath(style_file)
    out: dict[str, str] = {}
    for relpath, text in texts.items():
        try:
            proc = subprocess.run(
                [found, f"--style=file:{style}", f"--assume-filename={relpath}"],
                input=text,
                capture_output=True,
                text=True,
            )
        except OSError as exc:
            raise ExternalFormatError(f"cannot run '{binary}': {exc.strerror or exc}") from None
        if proc.returncode != 0:
            detail = proc.stderr.strip().splitlines()
            raise ExternalFormatError(
                f"'{binary}' failed on {relpath} (exit {proc.returncode})" + (f": {detail[0]}" if detail else "")
            )
        out[relpath] = proc.stdout
    return out
