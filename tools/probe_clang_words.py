#!/usr/bin/env python3
"""Probe clang-format for the words it treats specially in our headers.

clang-format does not format every identifier alike: keywords of the
languages it lexes (C, C++, Objective-C, Microsoft and GNU extensions),
context-sensitive words (``final``, ``import``, C#, JavaScript, Java and
Verilog keywords it knows), the macros of its default style (``foreach``,
``Q_FOREACH``, ``Q_UNUSED``, ...) and Foundation names that make it guess
Objective-C.  Used as a type or a name in a spec, such a word can change the
layout in ways apir-codegen does not model.

Candidates are every identifier-shaped string in the pinned clang-format
binary, with its suffixes that start at or after an underscore (the linker
merges string literals that end alike: ``typeof`` is stored inside
``__typeof``); the words clang's TokenKinds.def, clang-format's
AdditionalKeywords and its default style name (SOURCE_WORDS, in case another
merge hides one); and identifiers of every shape (letterless, upper case,
underscores).  ``--all-suffixes`` takes every suffix instead (three times as
many candidates, slow).

Each candidate is used in every role (type, pointer type, qualified type,
struct and enum tag, parameter name, handler name, enumerator and case label)
in a spec, its declarations on one line and broken one parameter per line,
and the headers apir-codegen writes are compared with what clang-format
23.1.3 makes of the unformatted text, as C++.  For a word the formatter does
not know by name, apir-codegen's headers are those of a stand-in of the same
length and shape with the word written in, so a few hundred words go through
one clang-format process; each word whose headers differ is then probed
again on its own, through apir-codegen.

Prints the words that differ (``--out FILE`` appends them as they are found),
those that make clang-format guess Objective-C, and those it could not probe.
Usage::

    python tools/probe_clang_words.py [--out FILE] [--words FILE] [--chunk N] [--part K/N] [--all-suffixes]
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "src")]

from apir_codegen import cdecl, clang_words, render  # noqa: E402
from apir_codegen.cdecl import (  # noqa: E402
    BUILTIN_TYPES,
    KEYWORDS,
    KNOWN_TYPE_NAMES,
    QUALIFIERS,
    TAGS,
    TYPE_NAMES,
    CDeclError,
    is_identifier,
    parse_param,
    parse_type,
)
from apir_codegen.names import HEADER_NAMES as RESERVED_NAMES  # noqa: E402
from apir_codegen.pipeline import check_source  # noqa: E402
from apir_codegen.validate import collisions  # noqa: E402
from tests.clangformat import GGML_STYLE, clang_format_binary  # noqa: E402

IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
LONG = "n" * 60
MAX_WORD = 48  # longer than any keyword; longer words do not fit every role
#: The word as a type: in parameters, and (after the semicolon) as a return type.
TYPE_ROLES = [
    ("{w} p_", "{w}"),
    ("{w} * p_", "{w} *"),
    ("const {w} * p_", "const {w} *"),
    ("{w} const * p_", "{w} const *"),
    ("{w} * const p_", "{w} * const"),
    ("struct {w} * p_", "struct {w} *"),
    ("enum {w} p_", "enum {w}"),
    ("{w} volatile * p_", "{w} volatile *"),
    ("volatile {w} * p_", "volatile {w} *"),
]
#: The word as a parameter name.
NAME_ROLES = ["int {w}", "char * {w}", "const char * {w}", "struct s * {w}"]
FIXED_NAMES = {"p_", "gpu", LONG}  # names the probe spec uses itself
INDEX_WIDTH = 6  # digits of a word's number in the names of its groups
BROKEN_TYPE_ROLES = 2  # clang-format's line breaking is costly: the roles where a name
BROKEN_NAME_ROLES = 2  # follows the word or '*' directly are also tried broken


def _functions(word: str) -> tuple[dict[str, dict], dict[str, dict]]:
    """The word in every role on one line, after a declaration with a wide return type
    (so that each name is aligned further right), and in the commonest roles broken one
    parameter per line (so that parameter names are aligned)."""
    short: dict[str, dict] = {"pad": {"frontend_return": "unsigned long long"}}
    broken: dict[str, dict] = {}
    for index, (param, ret) in enumerate(TYPE_ROLES):
        param, ret = param.format(w=word), ret.format(w=word)
        short[f"s{index}"] = _body(ret, [param])
        if index < BROKEN_TYPE_ROLES:
            broken[f"t{index}"] = _body(ret, [param, f"size_t {LONG}"])
    if word not in FIXED_NAMES:
        for index, param in enumerate(NAME_ROLES):
            short[f"m{index}"] = _body("int", [param.format(w=word)])
            if index < BROKEN_NAME_ROLES:
                broken[f"n{index}"] = _body("int", [param.format(w=word), f"size_t {LONG}"])
    return short, broken


def _body(ret: str, params: list[str]) -> dict:
    body: dict = {}
    if _ok_type(ret):
        body["frontend_return"] = ret
    ok = [p for p in params if _ok_param(p)]
    if ok:
        body["frontend_extra_params"] = ok
    return body


#: Words clang-format's sources name, in case the binary stores one only inside a longer
#: string: clang's keyword table (TokenKinds.def), clang-format's AdditionalKeywords
#: (FormatToken.h) and its default style's macro lists (Format.cpp).
SOURCE_WORDS = """
auto break case char const continue default do double else enum extern float for goto if int _ExtInt
_BitInt long register return short signed static struct switch typedef union unsigned void volatile
while _Alignas _Alignof _Atomic _Bool _Complex _Generic _Imaginary _Noreturn _Static_assert
_Thread_local __func__ __objc_yes __objc_no __ptrauth __ob_wrap __ob_trap asm bool catch class
const_cast delete dynamic_cast explicit export false friend mutable namespace new operator private
protected public reinterpret_cast static_cast template this throw true try typename typeid using
virtual wchar_t and and_eq bitand bitor compl not not_eq or or_eq xor xor_eq restrict inline alignas
char16_t char32_t constexpr decltype noexcept nullptr static_assert thread_local co_await co_return
co_yield module import consteval constinit concept requires char8_t _Float16 typeof typeof_unqual
_Defer _Accum _Fract _Sat _Decimal32 _Decimal64 _Decimal128 __null __attribute __builtin_choose_expr
__builtin_offsetof __builtin_FILE __builtin_FILE_NAME __builtin_FUNCTION __builtin_FUNCSIG
__builtin_LINE __builtin_COLUMN __builtin_source_location __builtin_va_arg __extension__ __float128
__ibm128 __imag __int128 __label__ __real __thread __FUNCTION__ __PRETTY_FUNCTION__ __auto_type
__FUNCDNAME__ __FUNCSIG__ L__FUNCTION__ L__FUNCSIG__ __private_extern__ __module_private__
__declspec __cdecl __stdcall __fastcall __thiscall __regcall __vectorcall __forceinline __unaligned
__super __global __local __constant __private __generic global local constant generic __kernel
kernel __read_only __write_only __read_write read_only write_only read_write __builtin_astype pipe
addrspace_cast __noinline__ cbuffer tbuffer groupshared in inout out row_major column_major __pascal
__vector __pixel __bool __fp16 __bf16 half __bridge __bridge_transfer __bridge_retained
__bridge_retain __covariant __contravariant __kindof __asm __asm__ __attribute__ __complex
__complex__ __const __const__ __decltype __imag__ __inline __inline__ __nullptr __real__ __restrict
__restrict__ __signed __signed__ __typeof __typeof__ __typeof_unqual __typeof_unqual__ __volatile
__volatile__ _Nonnull _Nullable _Nullable_result _Null_unspecified __funcref __ptr64 __ptr32 __sptr
__uptr __w64 __uuidof __try __finally __leave __int64 __if_exists __if_not_exists
__single_inheritance __multiple_inheritance __virtual_inheritance __interface __int8 __int16 __int32
__wchar_t _asm _cdecl _declspec _fastcall _finally _forceinline _inline _int8 _int16 _int32 _int64
_leave _multiple_inheritance _ptr32 _ptr64 _restrict _stdcall _thiscall _try _vectorcall _unaligned
_uptr _uuidof _virtual_inheritance _w64 _pascal __builtin_convertvector __char16_t __char32_t
__builtin_bit_cast __builtin_available __builtin_sycl_unique_stable_name __unknown_anytype final
override of CF_CLOSED_ENUM CF_ENUM CF_OPTIONS NS_CLOSED_ENUM NS_ENUM NS_OPTIONS as async await
declare finally from function get infer is let readonly set type var yield abstract assert extends
implements instanceof interface native package synchronized throws __except __has_include
__has_include_next mark region extend option optional repeated required returns signals Q_SIGNALS
slots Q_SLOTS __CLANG_FORMAT_INTERNAL_IDENT_AFTER_DEFINE__ dollar base byte checked decimal delegate
event fixed foreach init implicit internal lock null object params ref string stackalloc sbyte
sealed uint ulong unchecked unsafe ushort when where always always_comb always_ff always_latch
assign assume automatic before begin begin_keywords bins binsof casex casez celldefine checker
clocking constraint cover covergroup coverpoint default_decay_time default_nettype
default_trireg_strength delay_mode_distributed delay_mode_path delay_mode_unit delay_mode_zero
disable dist elsif end end_keywords endcase endcelldefine endchecker endclass endclocking
endfunction endgenerate endgroup endinterface endmodule endpackage endprimitive endprogram
endproperty endsequence endspecify endtable endtask forever fork generate highz0 highz1 iff ifnone
ignore_bins illegal_bins initial input inside interconnect intersect join join_any join_none large
localparam macromodule matches medium nounconnected_drive output packed parameter primitive priority
program property pull0 pull1 pure rand randc randcase randsequence repeat resetall sample scalared
sequence small soft solve specify specparam strong0 strong1 supply0 supply1 table tagged task
timescale tri tri0 tri1 triand trior trireg unconnected_drive undefineall unique unique0 uwire
vectored wand weak0 weak1 wildcard wire with wor Q_FOREACH BOOST_FOREACH KJ_IF_MAYBE Q_UNUSED
QT_REQUIRE_VERSION __capability STRINGIZE PP_STRINGIZE BOOST_PP_STRINGIZE NS_SWIFT_NAME
CF_SWIFT_NAME Q_EMIT ifdef ifndef elif elifdef elifndef endif defined include __include_macros
define undef line error pragma embed __preprocessed_module __preprocessed_import include_next
warning ident sccs unassert __public_macro __private_macro
""".split()


@contextlib.contextmanager
def every_word_accepted():  # type: ignore[no-untyped-def]
    """Probe every word, those apir-codegen already refuses as special included.

    The check that names compile is off too: a probe spec uses each word in
    every role at once (a type and a handler, say), which could not compile but
    says how clang-format formats the word.
    """
    saved = clang_words.SPECIAL_WORDS
    saved_compile = collisions.names_compile
    clang_words.SPECIAL_WORDS = frozenset()
    collisions.names_compile = lambda *args, **kwargs: None
    cdecl._TYPE_CACHE.clear()
    cdecl._PARAM_CACHE.clear()
    try:
        yield
    finally:
        clang_words.SPECIAL_WORDS = saved
        collisions.names_compile = saved_compile
        cdecl._TYPE_CACHE.clear()
        cdecl._PARAM_CACHE.clear()


def binary_words(binary: str, all_suffixes: bool = False) -> set[str]:
    """Identifier-shaped strings of the binary, with their suffixes after an underscore
    (``__typeof`` holds ``typeof``), or with every suffix (``all_suffixes``)."""
    data = Path(binary).read_bytes()
    words: set[str] = set()
    for match in re.finditer(rb"[A-Za-z_][A-Za-z0-9_]*", data):
        text = match.group().decode()
        for start in range(len(text)):
            if start == 0 or all_suffixes or text[start - 1] == "_" or text[start] == "_":
                if IDENT.fullmatch(text[start:]):
                    words.add(text[start:])
    return words


def shape_words() -> set[str]:
    """Identifiers by shape rather than by spelling: letterless, upper case, underscores."""
    words = {"_", "__", "___", "____"}
    for tail in ("0", "1", "9", "12", "_1", "1_", "00"):
        words |= {"_" + tail, "__" + tail, "_" + tail + "_", "__" + tail + "__"}
    for body in ("A", "AB", "X1", "ABC_D", "Ab", "aB", "T", "U", "K", "V", "FOO", "Foo", "foo"):
        words |= {body, "_" + body, "__" + body, body + "_", "_" + body + "_", body + "_t"}
    return words


def _parses(parser: Callable[[str], object], text: str) -> bool:
    try:
        parser(text)
    except CDeclError:
        return False
    return True


def _ok_type(text: str) -> bool:
    return _parses(parse_type, text)


def _ok_param(text: str) -> bool:
    return _parses(parse_param, text)


def _key(kind: str, index: int) -> str:
    return f"{kind}{index:0{INDEX_WIDTH}d}"


def word_groups(index: int, word: str) -> tuple[dict[str, dict], dict[str, str]]:
    """The groups probing ``word``, and its handler override (if the word may be one)."""
    overrides = {}
    if _ok_param(f"int {word}") and word not in RESERVED_NAMES and not word.startswith(("hb_", "gf_")):
        overrides[f"{_key('w', index)}_s0"] = word
    short, broken = _functions(word)
    groups = {
        _key("w", index): {"group_description": _key("w", index), "functions": short},
        _key("v", index): {"group_description": _key("v", index), "functions": broken},
    }
    return groups, overrides


def _dumper() -> type:
    import yaml

    return getattr(yaml, "CSafeDumper", yaml.SafeDumper)


_DUMPER = _dumper()


def spec_for(words: list[tuple[int, str]]) -> str:
    import yaml

    groups: dict = {}
    overrides: dict[str, str] = {}
    for index, word in words:
        word_groups_, override = word_groups(index, word)
        groups.update(word_groups_)
        overrides.update(override)
    data = {
        "functions": groups,
        "naming_patterns": {
            "enum_prefix": "E_",
            "backend_function_prefix": "hb_",
            "frontend_function_prefix": "gf_",
            "frontend_base_param": "struct virtgpu * gpu",
            "backend_function_overrides": overrides,
        },
    }
    return yaml.dump(data, Dumper=_DUMPER, sort_keys=False)


def enumerator_spec(words: list[tuple[int, str]]) -> str | None:
    """Words of the form X_Y as enumerators, case labels and guest names (empty prefixes)."""
    import yaml

    groups: dict[str, dict] = {}
    seen: set[str] = set()
    for _, word in words:
        left, sep, right = word.partition("_")
        if not (sep and left and right and is_identifier(left) and is_identifier(right)):
            continue
        if word.upper() in seen:  # enumerators are upper-cased: one word per spelling
            continue
        seen.add(word.upper())
        group = groups.setdefault(left, {"group_description": f"g {left}", "functions": {}})
        group["functions"][right] = {}
    if not groups:
        return None
    data = {
        "functions": groups,
        "naming_patterns": {
            "enum_prefix": "",
            "backend_function_prefix": "hb_",
            "frontend_function_prefix": "",
            "frontend_base_param": "struct virtgpu * gpu",
        },
    }
    return yaml.dump(data, Dumper=_DUMPER, sort_keys=False)


@functools.cache
def real_binary() -> str:
    """The clang-format executable itself (the test extra installs a Python wrapper around it)."""
    binary = clang_format_binary()
    assert binary is not None
    try:
        import clang_format as package

        return str(package.get_executable("clang-format"))
    except ImportError:
        return binary


def clang_format(text: str, filename: str) -> str | None:
    proc = subprocess.run(
        [real_binary(), f"--style=file:{GGML_STYLE}", f"--assume-filename={filename}"],
        input=text,
        capture_output=True,
        text=True,
    )
    return proc.stdout if proc.returncode == 0 else None


class Unprobeable(Exception):
    """The probe spec itself was rejected (a word clashes with a name the spec uses)."""


MARK = re.compile(r"/\* ([wv]\d+|g \w+) \*/")


def sections(text: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    current = "<head>"
    for line in text.split("\n"):
        found = MARK.search(line)
        if found:
            current = found.group(1)
        out.setdefault(current, []).append(line)
    return out


def differing(spec_text: str) -> set[str]:
    """The groups whose part of some header differs from clang-format's (as C++)."""
    spec, diagnostics = check_source(spec_text, "probe.yaml")
    if spec is None:
        raise Unprobeable("\n".join(d.format() for d in diagnostics[:5]))
    ours = render(spec)
    raw = render(spec, "unformatted")
    bad: set[str] = set()
    for relpath, text in raw.items():
        reference = clang_format(text, "header.cpp")
        assert reference is not None
        if reference == ours[relpath]:
            continue
        mine, theirs = sections(ours[relpath]), sections(reference)
        for key in set(mine) | set(theirs):
            if mine.get(key) != theirs.get(key):
                bad.add(key)
    return bad


def key_words(keys: set[str], words: list[tuple[int, str]]) -> list[tuple[int, str]]:
    by_key = {_key(kind, i): (i, w) for i, w in words for kind in "wv"}
    lefts = {f"g {w.partition('_')[0]}" for _, w in words}
    out = [by_key[k] for k in keys if k in by_key]
    if any(k in lefts for k in keys):
        out += [(i, w) for i, w in words if f"g {w.partition('_')[0]}" in keys]
    return sorted(set(out))


def objc_words(words: list[str]) -> list[str]:
    """The words that make clang-format refuse a header as guessed Objective-C (by bisection)."""

    def refused(part: list[str]) -> bool:
        return clang_format("".join(f"void f(struct s * s, {w} * p);\n" for w in part), "header.h") is None

    found: list[str] = []
    stack = [words]
    while stack:
        part = stack.pop()
        if not refused(part):
            continue
        if len(part) == 1:
            found.append(part[0])
            continue
        middle = len(part) // 2
        stack += [part[:middle], part[middle:]]
    return found


#: Words the formatter knows by name; every other identifier it formats alike,
#: except by whether clang-format may take it for a macro (see :func:`stand_in`).
KNOWN_WORDS = KEYWORDS | BUILTIN_TYPES | KNOWN_TYPE_NAMES | TYPE_NAMES | set(QUALIFIERS) | set(TAGS) | FIXED_NAMES


def stand_in(word: str) -> str:
    """An ordinary identifier that apir-codegen formats exactly like ``word``: same length,
    and a possible macro for clang-format (isPossibleMacro) exactly when ``word`` is one."""
    if len(word) > 1 and word == word.upper():
        return ("ZQ" + "Q" * len(word))[: len(word)]
    return ("zq" + "x" * len(word))[: len(word)]


@functools.cache
def _template(stand: str) -> tuple[dict[str, str], dict[str, str]]:
    """apir-codegen's headers and the unformatted ones for the probe spec of ``stand``."""
    spec, diagnostics = check_source(spec_for([(0, stand)]), "probe.yaml")
    assert spec is not None, [d.format() for d in diagnostics]
    return render(spec), render(spec, "unformatted")


def _substituted(text: str, stand: str, word: str, index: int) -> str:
    text = text.replace(INDEX_WIDTH * "0", f"{index:0{INDEX_WIDTH}d}")
    return re.sub(rf"(?<![A-Za-z0-9_]){stand}(?![A-Za-z0-9_])", word, text)


def fast_suspects(part: list[tuple[int, str]]) -> set[tuple[int, str]]:
    """Words whose headers differ from clang-format's, found without running apir-codegen on
    each: its output for a word is that for the word's stand-in, with the word written in.
    Only for words it does not know by name."""
    import tempfile

    expected: dict[Path, tuple[int, str, str]] = {}
    with tempfile.TemporaryDirectory(prefix="apir-probe-") as work:
        for index, word in part:
            stand = stand_in(word)
            ours, raw = _template(stand)
            for number, relpath in enumerate(("virtgpu-forward.gen.h", "backend/backend-dispatched.gen.h")):
                path = Path(work) / f"{index}-{number}.cpp"  # C++: never guessed to be Objective-C
                path.write_text(_substituted(raw[relpath], stand, word, index))
                expected[path] = (index, word, _substituted(ours[relpath], stand, word, index))
        subprocess.run([real_binary(), f"--style=file:{GGML_STYLE}", "-i", *map(str, expected)], capture_output=True)
        return {(index, word) for path, (index, word, text) in expected.items() if path.read_text() != text}


def suspects(part: list[tuple[int, str]]) -> tuple[list[tuple[int, str]], list[str]]:
    """The words of ``part`` whose groups differ, and those that cannot be probed."""
    known = [item for item in part if item[1] in KNOWN_WORDS]
    fast = fast_suspects([item for item in part if item[1] not in KNOWN_WORDS])
    try:
        enum_spec = enumerator_spec(part)
        bad = differing(enum_spec) if enum_spec is not None else set()
        slow, skipped = _slow_suspects(known) if known else ([], [])
    except Unprobeable:
        slow, skipped = _slow_suspects(part)
        return sorted(set(slow) | fast), skipped
    return sorted(set(slow) | fast | set(key_words(bad, part))), skipped


def _slow_suspects(part: list[tuple[int, str]]) -> tuple[list[tuple[int, str]], list[str]]:
    """The words of ``part`` whose groups differ, and those that cannot be probed."""
    try:
        bad = differing(spec_for(part))
        enum_spec = enumerator_spec(part)
        bad |= differing(enum_spec) if enum_spec is not None else set()
    except Unprobeable as exc:
        if len(part) == 1:
            return [], [f"{part[0][1]}: {exc}"]
        middle = len(part) // 2
        first, second = _slow_suspects(part[:middle]), _slow_suspects(part[middle:])
        return first[0] + second[0], first[1] + second[1]
    return key_words(bad, part), []


def probe(words: list[str], chunk: int, out: Path | None = None) -> tuple[list[str], list[str], list[str]]:
    """Special words, words that make clang-format guess Objective-C, words not probed."""
    indexed = list(enumerate(words))
    special: list[str] = []
    objc: list[str] = []
    skipped: list[str] = []
    for start in range(0, len(indexed), chunk):
        part = indexed[start : start + chunk]
        found, unprobed = suspects(part)
        skipped += unprobed
        for index, word in found:
            alone = [(index, word)]
            try:
                single_bad = differing(spec_for(alone))
                single_enum = enumerator_spec(alone)
                if single_enum is not None:
                    single_bad |= differing(single_enum)
            except Unprobeable as exc:  # apir-codegen refuses the word for another reason
                skipped.append(f"{word}: {exc}")
                continue
            if single_bad:
                special.append(word)
                if out is not None:
                    with out.open("a") as stream:
                        stream.write(word + "\n")
        objc += objc_words([word for _, word in part])
        done = min(start + chunk, len(indexed))
        print(f"{done}/{len(indexed)}: {len(special)} special, {len(objc)} Objective-C", file=sys.stderr)
    return sorted(special), sorted(objc), skipped


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, help="append the special words here as they are found, one per line")
    parser.add_argument("--part", default="1/1", help="probe only part K of N of the candidates (K/N)")
    parser.add_argument("--words", type=Path, help="probe these words (one per line) instead of the candidates")
    parser.add_argument("--chunk", type=int, default=500)
    parser.add_argument("--all-suffixes", action="store_true", help="every suffix of the binary's strings (slow)")
    args = parser.parse_args()
    binary = clang_format_binary()
    if binary is None or not GGML_STYLE.is_file():
        print("needs clang-format 23.1.3 (pip install -e '.[test]') and ggml's style", file=sys.stderr)
        return 2
    if args.words:
        candidates = set(args.words.read_text().split())
    else:
        candidates = binary_words(real_binary(), args.all_suffixes) | shape_words() | set(SOURCE_WORDS)
    words = sorted(w for w in candidates if is_identifier(w) and len(w) <= MAX_WORD)
    part, parts = map(int, args.part.split("/"))
    words = words[(part - 1) * len(words) // parts : part * len(words) // parts]
    print(f"{len(words)} candidates", file=sys.stderr)
    with every_word_accepted():
        special, objc, skipped = probe(words, args.chunk, args.out)
    print(f"special ({len(special)}): {' '.join(special)}")
    print(f"Objective-C guess ({len(objc)}): {' '.join(objc)}")
    print(f"not probed ({len(skipped)}):", *skipped, sep="\n  ")
    return 0


if __name__ == "__main__":
    sys.exit(main())
