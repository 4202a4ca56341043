"""Names a command cannot take: what each would clash with where the headers are compiled.

Every enumerator, guest function and host handler the headers declare sits at
file scope of translation units (C++ for all three headers, C for the two that
are plain C) that also see:

* the keywords and alternative tokens of C and C++ (``static_assert``,
  ``and_eq``, ``wchar_t``), and GNU's ``typeof`` (ggml builds with GNU
  extensions, CMake's default);
* what ``<stddef.h>`` and ``<stdint.h>`` declare, which the headers need for
  ``size_t`` and ``uint32_t``: types, macros (``NULL``, ``SIZE_MAX``,
  ``INT8_C``...), C++'s namespace ``std``, and what GCC predefines in GNU
  mode (``linux``, ``unix``);
* the names the headers define, and the types they use;
* the types of ggml's spec, and every type the spec at hand names: in C++ a
  function or enumerator of a type's name hides the type (and a typedef of
  that name is an error), so the next declaration that uses it breaks;
* each other: an enumerator and a function of the same name.

Names that the C and C++ standards reserve to the implementation (``_`` and
an upper-case letter, or ``__`` anywhere) are refused as a class: compilers
and their libraries define such names (``__FILE__``, ``_Static_assert``,
``__attribute__``) and add new ones in every release.

``tests/test_names.py`` compiles the headers of every name refused here to show
that they fail, and those of near misses to show that they compile.
"""

from __future__ import annotations

from .cdecl import KEYWORDS

#: Names the generated headers define themselves.
HEADER_NAMES = frozenset(
    {
        "APIR_BACKEND_DISPATCH_TABLE_COUNT",
        "ApirBackendCommandType",
        "apir_dispatch_command_name",
        "apir_backend_dispatch_table",
        "backend_dispatch_t",
        "apir_backend_retired_command",
        "APIR_PROTOCOL_FINGERPRINT",
        # Defined by the dispatch header when a command is retired, and by ggml's apir_backend.h.
        "APIR_BACKEND_FORWARD_INDEX_INVALID",
    }
)

#: The macros among them: even a parameter of their name is replaced.
HEADER_MACROS = frozenset({"APIR_PROTOCOL_FINGERPRINT", "APIR_BACKEND_FORWARD_INDEX_INVALID"})

#: Keywords of GNU C and C++ (ggml's default dialects) beyond the standard ones in cdecl.KEYWORDS.
GNU_KEYWORDS = frozenset({"typeof"})

_INT_TYPES = [
    f"{sign}int{kind}{bits}_t" for sign in ("", "u") for kind in ("", "_least", "_fast") for bits in (8, 16, 32, 64)
]
_INT_TYPES += ["intptr_t", "uintptr_t", "intmax_t", "uintmax_t"]

#: Types, by where they come from (words to follow "is a type").
TYPES = {
    **{name: "of <stdint.h>" for name in _INT_TYPES},
    **{name: "of <stddef.h>" for name in ("size_t", "ptrdiff_t", "max_align_t", "nullptr_t")},
    **{name: "the generated headers use" for name in ("apir_encoder", "apir_decoder", "virgl_apir_context")},
    **{
        name: "ggml's spec uses"
        for name in (
            "ggml_tensor",
            "ggml_cgraph",
            "ggml_status",
            "ggml_backend_buffer_type_t",
            "apir_buffer_context_t",
            "apir_buffer_type_host_handle_t",
            "virtgpu",
        )
    },
}


def _limit_macros() -> list[str]:
    """<stdint.h>'s object-like macros: limits and (C23, and glibc in GNU mode) widths."""
    out = []
    for bits in (8, 16, 32, 64):
        for kind in ("", "_LEAST", "_FAST"):
            out += [f"INT{kind}{bits}_MIN", f"INT{kind}{bits}_MAX", f"UINT{kind}{bits}_MAX"]
            out += [f"INT{kind}{bits}_WIDTH", f"UINT{kind}{bits}_WIDTH"]
    for name in ("INTPTR", "INTMAX", "PTRDIFF", "SIG_ATOMIC", "WCHAR", "WINT"):
        out += [f"{name}_MIN", f"{name}_MAX", f"{name}_WIDTH"]
    for name in ("UINTPTR", "UINTMAX", "SIZE"):
        out += [f"{name}_MAX", f"{name}_WIDTH"]
    return out


#: Macros that replace a name wherever it stands, by where they come from.
OBJECT_MACROS = {
    "NULL": "of <stddef.h>",
    **{name: "of <stdint.h>" for name in _limit_macros()},
    **{name: "predefined by GCC in GNU mode" for name in ("linux", "unix")},
}
#: Macros that replace a name followed by '(': they break function declarations only.
FUNCTION_MACROS = {
    "offsetof": "of <stddef.h>",
    **{f"{sign}INT{bits}_C": "of <stdint.h>" for sign in ("", "U") for bits in (8, 16, 32, 64, "MAX")},
}


def reserved(name: str) -> str | None:
    """Why the standards reserve ``name`` to the implementation, or None."""
    if "__" in name:
        return "contains '__'"
    if name[:1] == "_" and name[1:2].isupper():
        return "starts with '_' and an upper-case letter"
    return None


def _fixed_clashes() -> dict[str, str]:
    """What each name of the environment is, in words to follow the name (for one lookup per name)."""
    out = {name: "is the namespace of the C++ standard library" for name in ("std",)}
    out.update((name, f"is a type {where}") for name, where in TYPES.items())
    out.update((name, f"is a macro {where}") for name, where in OBJECT_MACROS.items())
    out.update((name, "is a C/C++ keyword") for name in KEYWORDS)
    out.update((name, "is a keyword of GNU C and C++ (ggml's dialects)") for name in GNU_KEYWORDS)
    return out


_CLASHES = _fixed_clashes()


def param_clash(name: str) -> str | None:
    """What a parameter name clashes with, or None.

    A parameter hides types, functions and namespaces of its name in its own
    scope, so only what the preprocessor replaces, and reserved names, clash.
    """
    why = reserved(name)
    if why is not None:
        return f"is reserved for the compiler and its library (it {why})"
    if name in HEADER_MACROS:
        return "is a macro of the generated headers or ggml's"
    if name in GNU_KEYWORDS:
        return _CLASHES[name]
    where = OBJECT_MACROS.get(name)
    return f"is a macro {where}" if where is not None else None


def reserved_prefix(prefix: str, upper_case_follows: bool) -> str | None:
    """Why every name made with ``prefix`` is reserved, or None.

    Enum names go on with the upper-cased group name, so a prefix of just
    ``_`` makes each of them start with ``_`` and an upper-case letter (or ``__``).
    """
    found = reserved(prefix)
    if found is None and prefix == "_" and upper_case_follows:
        found = "is '_', and the upper-cased group name follows"
    return found


def clash(name: str, function: bool) -> str | None:
    """What ``name`` clashes with where the headers are compiled (words to follow the name), or None.

    ``function``: the name is declared as a function, which a function-like
    macro of that name breaks too.  Types of the spec at hand are the caller's
    to check.
    """
    if name in HEADER_NAMES:
        return "clashes with a name the generated headers define"
    why = reserved(name)
    if why is not None:
        return f"is reserved for the compiler and its library (it {why})"
    found = _CLASHES.get(name)
    if found is None and function and name in FUNCTION_MACROS:
        found = f"is a macro {FUNCTION_MACROS[name]}"
    return found
