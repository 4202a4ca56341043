"""The fuzz harness (``marshalling.fuzz_output``, opt-in): the generated host handlers under a fuzzer.

One C++ file that ggml compiles, with its host sources, into a libFuzzer
target (``clang -fsanitize=fuzzer,address,undefined``) or links with a driver
of its own.  ``LLVMFuzzerTestOneInput`` reads the input as a command number
(4 bytes, little-endian) and a request body; commands whose host handler is
not generated are ignored.  The request runs through
``apir_backend_dispatcher`` (the real dispatch table) with a virgl context
whose ``get_shmem_ptr`` looks up an in-memory table (resource ids 1 to
:data:`SHMEMS`).  Per input the harness checks what a host needs from a
hostile guest, beyond "no crash, no sanitizer report, no leak":

* a rejected request (non-zero) leaves the host's state as it was: the
  tracked buffers, their bytes, the shared memory;
* an accepted request gives the same reply when unrelated bytes are appended
  to it (both run on the same state, restored in between).

A valid request needs real host addresses: an 8-byte word
``TOKEN + i`` of the body stands for host object ``i`` (the tracked buffers
of the pool, then the device's buffer type), so that seeds recorded from the
guest stubs stay meaningful.  The embedding program provides two functions,
declared here: ``apir_fuzz_initialize`` (load the backend, as virglrenderer
does) and ``apir_fuzz_new_buffer`` (a tracked host buffer); it may provide a
third, ``apir_fuzz_known_defect`` (weak), to skip inputs that reach a defect
outside the generated code (counted in ``apir_fuzz_skipped``).
"""

from __future__ import annotations

from ..codecs import BUFFER_TYPE_HANDLE, CODECS
from ..format.statements import (
    Assign,
    Blank,
    Call,
    Declare,
    FunctionDefinition,
    If,
    LineComment,
    Raw,
    Return,
    Statement,
    TopLevel,
)
from ..model import Spec
from . import marshalling as M

#: Tracked buffers in the pool, and their size.
BUFFERS = 2
BUFFER_SIZE = 4096
#: Shared-memory objects (resource ids 1..SHMEMS), each as large as a buffer: a request the
#: handlers accept moves at most a buffer's bytes.
SHMEMS = 4
SHMEM_SIZE = BUFFER_SIZE
#: The byte every buffer and shared-memory object holds between inputs.
FILL = "0xA5"
#: What a token is: TOKEN + i stands for host object i ('Fuzz' in the high bytes).
TOKEN = "0x7A7A754600000000"
#: The bytes appended for the second run of an accepted request, and the largest body run.
TRAILING = 16
MAX_BODY = 65536
#: ggml's reply page, after its notification word.
REPLY_SIZE = 0x4000 - 4
#: The virgl context id the harness uses.
CTX_ID = 1

ENTRY = "LLVMFuzzerTestOneInput"


def _uses_buffer_types(spec: Spec) -> bool:
    for cmd in M.generated(spec, "host"):
        assert cmd.marshal is not None
        if any(CODECS[s.codec].kind == BUFFER_TYPE_HANDLE and s.direction == "in" for s in cmd.marshal.params):
            return True
    return False


def handles(spec: Spec) -> list[str]:
    """What each token stands for, in token order (a C expression of the host object)."""
    out = [f"apir_fuzz_buffers[{i}]" for i in range(BUFFERS)]
    if _uses_buffer_types(spec):
        out.append("ggml_backend_dev_buffer_type(dev)")
    return out


def _globals() -> list[TopLevel]:
    items: list[TopLevel] = [
        LineComment("The host objects of the tokens: tracked buffers made by apir_fuzz_new_buffer."),
        Raw(f"static ggml_backend_buffer_t apir_fuzz_buffers[{BUFFERS}];"),
        Blank(),
        LineComment(f"The shared-memory objects, resource ids 1 to {SHMEMS}, and what they and the buffers hold."),
    ]
    items += [Raw(f"static uint8_t apir_fuzz_shmem_{i}[{SHMEM_SIZE}];") for i in range(1, SHMEMS + 1)]
    items.append(Raw(f"static uint8_t apir_fuzz_canonical[{SHMEM_SIZE}];"))
    items += [
        Blank(),
        LineComment("The replies of the two runs of an accepted request."),
        Raw(f"static char apir_fuzz_reply[{REPLY_SIZE}];"),
        Raw(f"static char apir_fuzz_extended[{REPLY_SIZE}];"),
        Blank(),
        Raw("static virgl_apir_callbacks apir_fuzz_callbacks;"),
        Blank(),
        Raw("static bool apir_fuzz_ready;"),
        Blank(),
        LineComment("How many inputs were accepted, and skipped as known defects, for a driver's report."),
        Raw("uint64_t apir_fuzz_accepted = 0;"),
        Blank(),
        Raw("uint64_t apir_fuzz_skipped = 0;"),
    ]
    return items


def _hooks() -> list[TopLevel]:
    return [
        LineComment("Provided by the program that links this file: loads the backend with these callbacks, as"),
        LineComment("virglrenderer does (get_shmem_ptr is this file's table; set get_config if the backend reads it)."),
        LineComment("Returns 0 on success."),
        Raw("uint32_t apir_fuzz_initialize(uint32_t ctx_id, virgl_apir_callbacks * callbacks);"),
        Blank(),
        LineComment(
            "Provided too: a new host buffer of 'size' bytes, tracked as the backend tracks those it allocates."
        ),
        Raw("ggml_backend_buffer_t apir_fuzz_new_buffer(size_t size);"),
        Blank(),
        LineComment(
            "Optional: requests (tokens replaced) that reach a known defect outside the generated code, skipped"
        ),
        LineComment("while it is fixed."),
        Raw(
            'extern "C" bool apir_fuzz_known_defect(uint32_t cmd, const char * request, size_t size) __attribute__((weak));'
        ),
        Blank(),
        Raw(f'extern "C" int {ENTRY}(const uint8_t * data, size_t size);'),
    ]


def _shmem_lookup() -> FunctionDefinition:
    body: list[Statement] = [If([(f"ctx_id != {CTX_ID}", [Return("NULL")])])]
    body += [If([(f"res_id == {i}", [Return(f"apir_fuzz_shmem_{i}")])]) for i in range(1, SHMEMS + 1)]
    body.append(Return("NULL"))
    return FunctionDefinition(
        M.ctype("void *"),
        "apir_fuzz_get_shmem_ptr",
        [M.param("uint32_t ctx_id"), M.param("uint32_t res_id")],
        body,
        static=True,
    )


def _base(buffer: str) -> str:
    return f"{buffer}->iface.get_base({buffer})"


def _state() -> list[TopLevel]:
    buffer = "apir_fuzz_buffers[i]"
    intact = " && ".join(
        [f"apir_get_track_backend_buffers().size() == {BUFFERS}"]
        + [f"apir_fuzz_buffer_intact({i})" for i in range(BUFFERS)]
        + [f"memcmp(apir_fuzz_shmem_{i}, apir_fuzz_canonical, {SHMEM_SIZE}) == 0" for i in range(1, SHMEMS + 1)]
    )
    restore: list[Statement] = [Call(f"apir_fuzz_restore_buffer({i})") for i in range(BUFFERS)]
    restore += [Call(f"memset(apir_fuzz_shmem_{i}, {FILL}, {SHMEM_SIZE})") for i in range(1, SHMEMS + 1)]
    return [
        LineComment(
            "Buffer i of the pool, tracked and holding its canonical bytes (made again if a request freed it)."
        ),
        FunctionDefinition(
            M.ctype("void"),
            "apir_fuzz_restore_buffer",
            [M.param("int i")],
            [
                If(
                    [
                        (
                            f"apir_get_track_backend_buffers().count({buffer}) == 0",
                            [Assign(buffer, f"apir_fuzz_new_buffer({BUFFER_SIZE})")],
                        )
                    ]
                ),
                Call(f"memset({_base(buffer)}, {FILL}, {BUFFER_SIZE})"),
            ],
            static=True,
        ),
        Blank(),
        LineComment("The state every input starts from."),
        FunctionDefinition(M.ctype("void"), "apir_fuzz_restore", [], restore, static=True),
        Blank(),
        FunctionDefinition(
            M.ctype("bool"),
            "apir_fuzz_buffer_intact",
            [M.param("int i")],
            [
                Declare(M.ctype("ggml_backend_buffer_t"), "buffer", buffer),
                Return(
                    "apir_get_track_backend_buffers().count(buffer) == 1 && "
                    f"memcmp({_base('buffer')}, apir_fuzz_canonical, {BUFFER_SIZE}) == 0"
                ),
            ],
            static=True,
        ),
        Blank(),
        LineComment("Whether the host's state is the one the input started from: no buffer freed, untracked or"),
        LineComment("written, no shared memory written."),
        FunctionDefinition(M.ctype("bool"), "apir_fuzz_intact", [], [Return(intact)], static=True),
    ]


def _tokens(spec: Spec) -> list[TopLevel]:
    objects = handles(spec)
    body: list[Statement] = [
        If([(f"index == {i}", [Return(f"(uint64_t) (uintptr_t) {obj}")])]) for i, obj in enumerate(objects[:-1])
    ]
    body.append(Return(f"(uint64_t) (uintptr_t) {objects[-1]}"))
    return [
        LineComment("The host object a token stands for."),
        FunctionDefinition(M.ctype("uint64_t"), "apir_fuzz_handle", [M.param("uint64_t index")], body, static=True),
        Blank(),
        LineComment(
            f"Replaces each token among the words of a body starting at first..last-1 ({TOKEN} + i, i < {len(objects)})."
        ),
        LineComment(
            "Tokens are looked for in the input, never in what a replacement wrote (the high byte of an address"
        ),
        LineComment("and the bytes after it may look like one); two tokens cannot overlap."),
        FunctionDefinition(
            M.ctype("void"),
            "apir_fuzz_substitute",
            [
                M.param("const uint8_t * input"),
                M.param("char * body"),
                M.param("size_t size"),
                M.param("size_t first"),
                M.param("size_t last"),
            ],
            [
                If(
                    [
                        (
                            "last - first > 1",
                            [
                                Declare(M.ctype("const size_t"), "middle", "first + (last - first) / 2"),
                                Call("apir_fuzz_substitute(input, body, size, first, middle)"),
                                Call("apir_fuzz_substitute(input, body, size, middle, last)"),
                                Return(),
                            ],
                        )
                    ]
                ),
                Declare(M.ctype("uint64_t"), "word", "0"),
                If([("last == first || size < first + sizeof(word)", [Return()])]),
                Call("memcpy(&word, input + first, sizeof(word))"),
                If(
                    [
                        (
                            f"word - {TOKEN} < {len(objects)}",
                            [
                                Assign("word", f"apir_fuzz_handle(word - {TOKEN})"),
                                Call("memcpy(body + first, &word, sizeof(word))"),
                            ],
                        )
                    ]
                ),
            ],
            static=True,
        ),
    ]


def _run() -> list[TopLevel]:
    return [
        LineComment("A request: the body, tokens replaced, then 'extra' unrelated bytes, in an allocation of exactly"),
        LineComment("that size (freed by the caller)."),
        FunctionDefinition(
            M.ctype("char *"),
            "apir_fuzz_request",
            [M.param("const uint8_t * body"), M.param("size_t size"), M.param("size_t extra")],
            [
                Declare(M.ctype("char *"), "request", "(char *) malloc(size + extra)"),
                If([("!request && size + extra > 0", [Call('GGML_ABORT("apir_fuzz: out of memory")')])]),
                If([("size > 0", [Call("memcpy(request, body, size)")])]),
                If([("extra > 0", [Call(f"memset(request + size, {FILL}, extra)")])]),
                Call("apir_fuzz_substitute(body, request, size, 0, size)"),
                Return("request"),
            ],
            static=True,
        ),
        Blank(),
        LineComment(
            "Runs one request (see apir_fuzz_request); the reply goes to 'reply'. Returns the handler's status."
        ),
        FunctionDefinition(
            M.ctype("uint32_t"),
            "apir_fuzz_run",
            [
                M.param("uint32_t cmd"),
                M.param("const uint8_t * body"),
                M.param("size_t size"),
                M.param("size_t extra"),
                M.param("char * reply"),
                M.param("size_t * reply_size"),
            ],
            [
                Declare(M.ctype("char *"), "request", "apir_fuzz_request(body, size, extra)"),
                Declare(M.ctype("char *"), "after", "reply"),
                Declare(
                    M.ctype("const uint32_t"),
                    "ret",
                    f"apir_backend_dispatcher({CTX_ID}, &apir_fuzz_callbacks, cmd, request, request + size + extra, "
                    f"reply, reply + {REPLY_SIZE}, &after)",
                ),
                Assign("*reply_size", "(size_t) (after - reply)"),
                Call("free(request)"),
                Return("ret"),
            ],
            static=True,
        ),
    ]


def _commands(spec: Spec) -> FunctionDefinition:
    commands = M.generated(spec, "host")
    test = " || ".join(f"cmd == {cmd.enum_name}" for cmd in commands) or "false"
    body: list[Statement] = [] if commands else [Call("GGML_UNUSED(cmd)")]
    body.append(Return(test))
    return FunctionDefinition(M.ctype("bool"), "apir_fuzz_generated", [M.param("uint32_t cmd")], body, static=True)


def _known_defect() -> list[TopLevel]:
    return [
        LineComment("Whether the program's apir_fuzz_known_defect skips this input (counted)."),
        FunctionDefinition(
            M.ctype("bool"),
            "apir_fuzz_known_defective",
            [M.param("uint32_t cmd"), M.param("const uint8_t * data"), M.param("size_t size")],
            [
                Declare(M.ctype("char *"), "request", "apir_fuzz_request(data + sizeof(cmd), size - sizeof(cmd), 0)"),
                Declare(M.ctype("const bool"), "known", "apir_fuzz_known_defect(cmd, request, size - sizeof(cmd))"),
                Call("free(request)"),
                If([("known", [Assign("apir_fuzz_skipped", "apir_fuzz_skipped + 1")])]),
                Return("known"),
            ],
            static=True,
        ),
    ]


def _setup() -> FunctionDefinition:
    return FunctionDefinition(
        M.ctype("void"),
        "apir_fuzz_setup",
        [],
        [
            If([("apir_fuzz_ready", [Return()])]),
            Assign("apir_fuzz_ready", "true"),
            Assign("apir_fuzz_callbacks.get_shmem_ptr", "apir_fuzz_get_shmem_ptr"),
            If(
                [
                    (
                        f"apir_fuzz_initialize({CTX_ID}, &apir_fuzz_callbacks) != 0",
                        [Call('GGML_ABORT("apir_fuzz: the backend could not be initialized")')],
                    )
                ]
            ),
            Call(f"memset(apir_fuzz_canonical, {FILL}, sizeof(apir_fuzz_canonical))"),
            Call("apir_fuzz_restore()"),
        ],
        static=True,
    )


def _entry() -> FunctionDefinition:
    run = "apir_fuzz_run(cmd, data + sizeof(cmd), size - sizeof(cmd)"
    return FunctionDefinition(
        M.ctype("int"),
        ENTRY,
        [M.param("const uint8_t * data"), M.param("size_t size")],
        [
            Declare(M.ctype("uint32_t"), "cmd", "0"),
            If([(f"size < sizeof(cmd) || {MAX_BODY} < size - sizeof(cmd)", [Return("0")])]),
            Call("memcpy(&cmd, data, sizeof(cmd))"),
            If([("!apir_fuzz_generated(cmd)", [Return("0")])]),
            Call("apir_fuzz_setup()"),
            If([("apir_fuzz_known_defect && apir_fuzz_known_defective(cmd, data, size)", [Return("0")])]),
            Blank(),
            Declare(M.ctype("size_t"), "reply_size", "0"),
            Declare(M.ctype("const uint32_t"), "ret", f"{run}, 0, apir_fuzz_reply, &reply_size)"),
            If(
                [
                    (
                        "ret != 0",
                        [
                            If(
                                [
                                    (
                                        "!apir_fuzz_intact()",
                                        [
                                            Call(
                                                'GGML_ABORT("apir_fuzz: command %u was rejected but changed the host", cmd)'
                                            )
                                        ],
                                    )
                                ]
                            ),
                            Return("0"),
                        ],
                    )
                ]
            ),
            Blank(),
            LineComment(
                "Accepted: the same request with unrelated bytes after it, on the same state, gives the same reply."
            ),
            Call("apir_fuzz_restore()"),
            Declare(M.ctype("size_t"), "extended_size", "0"),
            Declare(M.ctype("const uint32_t"), "extended", f"{run}, {TRAILING}, apir_fuzz_extended, &extended_size)"),
            Call("apir_fuzz_restore()"),
            Assign("apir_fuzz_accepted", "apir_fuzz_accepted + 1"),
            If(
                [
                    (
                        "extended != 0 || extended_size != reply_size || "
                        "memcmp(apir_fuzz_reply, apir_fuzz_extended, reply_size) != 0",
                        [
                            Call(
                                'GGML_ABORT("apir_fuzz: command %u replies differently to trailing bytes: %u, %zu bytes; '
                                'then %u, %zu bytes", cmd, ret, reply_size, extended, extended_size)'
                            )
                        ],
                    )
                ]
            ),
            Return("0"),
        ],
    )


def emit(spec: Spec) -> list[TopLevel]:
    assert spec.marshalling is not None and spec.marshalling.fuzz_output is not None
    output = spec.marshalling.fuzz_output
    items: list[TopLevel] = [
        LineComment(M.notice(spec)),
        LineComment("A fuzz target for the generated host handlers (libFuzzer's entry point, or a driver's)."),
        Blank(),
    ]
    items += M.include_lines(output, [M.HOST_DISPATCH_HEADER, M.HOST_VIRGL_HEADER], Raw, Blank)
    items += [Blank(), *_hooks(), Blank(), *_globals()]
    items += [Blank(), _shmem_lookup(), Blank(), *_state(), Blank(), *_tokens(spec), Blank(), *_run()]
    items += [Blank(), _commands(spec), Blank(), _setup(), Blank(), *_known_defect(), Blank()]
    items += [
        LineComment(f"The input: a command number (4 bytes, little-endian), then its request body, where {TOKEN} + i"),
        LineComment("stands for host object i (see apir_fuzz_handle)."),
        _entry(),
    ]
    return items
