#!/usr/bin/env python3
"""Differential: apir-codegen against the reference pipeline on random specs.

The reference pipeline is ggml's own ``regenerate_remoting.py`` (imported from
``../shared``, its ``generate_*`` methods) followed by clang-format 23.1.3 in
ggml's style.  Each spec from ``tests/diffgen.py`` ends up:

* identical: apir-codegen writes the reference's bytes;
* rejected: apir-codegen refuses the spec with a located diagnostic;
* silently different: apir-codegen writes something else without a word (a bug).

Specs go through in batches, one clang-format process per batch.  Prints the
three counts (and the most frequent rejection messages); exit 1 if any spec is
silently different.  Usage::

    python tools/differential.py [-n 2000] [--seed 1] [--batch 250] [--show]
"""

from __future__ import annotations

import argparse
import collections
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "src")]

from tests import reference  # noqa: E402
from tests.diffgen import spec_texts  # noqa: E402


def _reason(detail: str) -> str:
    """A rejection's message without its location and the echoed value."""
    message = detail.split(": error: ", 1)[-1].splitlines()[0]
    return re.sub(r"'[^']*'", "'…'", message)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--count", type=int, default=2000, help="number of specs (default 2000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--batch", type=int, default=250, help="specs per clang-format process")
    parser.add_argument("--show", action="store_true", help="print each silently different spec and its diff")
    args = parser.parse_args()
    if not reference.available():
        print("needs ggml's script in ../shared and clang-format 23.1.3 (pip install -e '.[test]')", file=sys.stderr)
        return 2
    texts = spec_texts(args.seed, args.count)
    counts: collections.Counter[str] = collections.Counter()
    reasons: collections.Counter[str] = collections.Counter()
    refused = 0
    start = time.monotonic()
    for first in range(0, len(texts), args.batch):
        for outcome in reference.compare(texts[first : first + args.batch]):
            counts[outcome.kind] += 1
            refused += bool(outcome.refused)
            if outcome.kind == "rejected":
                reasons[_reason(outcome.detail)] += 1
            elif outcome.kind != "identical" and args.show:
                print(f"===== {outcome.kind}\n{outcome.text}\n{outcome.detail}\n")
    elapsed = time.monotonic() - start
    different = counts["different"] + counts["reference-failed"]
    print(f"{len(texts)} specs (seed {args.seed}) in {elapsed:.0f} s")
    print(f"  identical:                    {counts['identical']}")
    print(f"  rejected with a diagnostic:   {counts['rejected']}")
    print(f"  silently different:           {counts['different']}")
    if counts["reference-failed"]:
        print(f"  ggml's script failed, accepted here: {counts['reference-failed']}")
    if refused:
        print(f"  (of which {refused} with a header clang-format refused as Objective-C, compared as C++)")
    print("most frequent rejections:")
    for reason, count in reasons.most_common(12):
        print(f"  {count:5}  {reason}")
    return 1 if different else 0


if __name__ == "__main__":
    sys.exit(main())
