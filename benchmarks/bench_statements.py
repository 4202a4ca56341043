#!/usr/bin/env python3
"""Benchmark the function-body formatter on marshalling-like code.

Each command gets a guest stub and a host handler shaped like ggml's
hand-written ones (declarations, encode/decode calls, a checked decode with
an error log, a host call, returns), with names that differ per command, so
that the layout cache sees what generated files would give it.  Prints, per
size, the time to render the functions (in process, after the modules are
imported) and the import time of the formatter's modules.

Usage::

    python benchmarks/bench_statements.py [--sizes 20,1000,10000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from apir_codegen.cdecl import parse_param, parse_type  # noqa: E402
from apir_codegen.format.ggml.bodies import render_definitions  # noqa: E402
from apir_codegen.format.statements import (  # noqa: E402
    Assign,
    Blank,
    Call,
    Declare,
    Function,
    If,
    Return,
    TopLevel,
)

PARAM_TYPES = ["size_t", "uint32_t", "const ggml_tensor *", "ggml_tensor *", "apir_buffer_context_t *", "bool"]


def commands(count: int) -> list[TopLevel]:
    """A guest stub and a host handler for each of ``count`` commands."""
    items: list[TopLevel] = []
    for index in range(count):
        group = f"group{index // 100}"
        name = f"{group}_command_number_{index}"
        params = [f"{PARAM_TYPES[(index + k) % len(PARAM_TYPES)]} param_{k}_of_{name}" for k in range(1 + index % 5)]
        guest_body = [
            Declare(parse_type("apir_encoder *"), "encoder"),
            Declare(parse_type("apir_decoder *"), "decoder"),
            Declare(parse_type("ApirForwardReturnCode"), "ret"),
            Blank(),
            Call(f"REMOTE_CALL_PREPARE(gpu, encoder, APIR_COMMAND_TYPE_{name.upper()})"),
            Blank(),
            *[Call(f"apir_encode_uint32_t(encoder, &param_{k}_of_{name})") for k in range(len(params))],
            Blank(),
            Call("REMOTE_CALL(gpu, encoder, decoder, ret)"),
            Blank(),
            Declare(parse_type("uint32_t"), "ret_val"),
            Call("apir_decode_uint32_t(decoder, &ret_val)"),
            Blank(),
            Call("remote_call_finish(gpu, encoder, decoder)"),
            Blank(),
            Return("ret_val"),
        ]
        items.append(
            Function(
                parse_type("uint32_t"),
                f"apir_{name}",
                [parse_param("virtgpu * gpu")] + [parse_param(p) for p in params],
                guest_body,
            )
        )
        host_body = [
            Call("GGML_UNUSED(ctx)"),
            Blank(),
            *[
                stmt
                for k in range(len(params))
                for stmt in (
                    Declare(parse_type("uint32_t"), f"param_{k}_of_{name}"),
                    Call(f"apir_decode_uint32_t(dec, &param_{k}_of_{name})"),
                )
            ],
            Blank(),
            If(
                [
                    (
                        "apir_decoder_get_fatal(dec)",
                        [
                            Call(
                                f'GGML_LOG_ERROR(GGML_VIRTGPU_BCK "%s: Invalid request for {name} from guest\\n", __func__)'
                            ),
                            Return("1"),
                        ],
                    )
                ]
            ),
            Blank(),
            Declare(
                parse_type("uint32_t"),
                "ret_val",
                f"{group}->iface.command_number_{index}({', '.join(f'param_{k}_of_{name}' for k in range(len(params)))})",
            ),
            Call("apir_encode_uint32_t(enc, &ret_val)"),
            Blank(),
            Assign("ctx->last_status", "0"),
            Return("0"),
        ]
        items.append(
            Function(
                parse_type("uint32_t"),
                f"backend_{name}",
                [parse_param(p) for p in ("apir_encoder * enc", "apir_decoder * dec", "virgl_apir_context * ctx")],
                host_body,
            )
        )
    return items


def import_time() -> float:
    """Seconds to import the formatter's modules in a fresh interpreter, once apir_codegen is imported."""
    code = (
        f"import time, sys; sys.path.insert(0, {str(ROOT / 'src')!r}); import apir_codegen; t = time.perf_counter(); "
        "import apir_codegen.format.ggml.bodies; print(time.perf_counter() - t)"
    )
    # As installed: with bytecode (PYTHONDONTWRITEBYTECODE would recompile every time).
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "src")], check=True, capture_output=True)
    runs = [
        float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)
        for _ in range(5)
    ]
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="20,1000,10000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"import of the formatter's modules: {import_time() * 1000:.1f} ms")
    for size in (int(s) for s in args.sizes.split(",")):
        items = commands(size)
        lines = 0
        runs = []
        for _ in range(args.repeat):
            from apir_codegen.format.ggml import bodies

            bodies._LAYOUTS.clear()  # each run starts cold, as a fresh process would
            start = time.perf_counter()
            text = render_definitions(items)
            runs.append(time.perf_counter() - start)
            lines = text.count("\n")
        median = statistics.median(runs)
        print(
            f"{size} commands ({2 * size} functions, {lines} lines): {median * 1000:.0f} ms, {median / (2 * size) * 1e6:.0f} us/function"
        )


if __name__ == "__main__":
    main()
