"""Words clang-format does not format as the names they are in our headers.

Used as a type, a parameter name or a function name, each of these words makes
clang-format 23.1.3 (ggml's style) lay the header out otherwise than for an
ordinary name, in ways apir-codegen does not model: keywords of the languages
its lexer knows (C++ with Microsoft, GNU and Objective-C extensions: ``__int64``,
``__attribute__``, ``_Nonnull``), context-sensitive words it recognises in C++
(``import``, ``typeof``, ``as``, ``instanceof``, ...), and the macros of its
default style (``foreach``, ``Q_FOREACH``, ``Q_UNUSED``, ...); also C++'s
operator spellings ``and_eq``, ``not_eq``, ``or_eq`` and ``xor_eq``, keywords
that empty prefixes can compose from a group and a function name.
apir-codegen rejects them with a diagnostic that names the word.

The list is not written by hand: ``tools/probe_clang_words.py`` tried every
candidate (each identifier-shaped string of the pinned clang-format binary,
the word lists of clang's TokenKinds.def, clang-format's AdditionalKeywords and
its default style, identifiers of every shape) in every role in a spec, and
kept those whose headers differ from clang-format's output.  Run it again
when the pinned clang-format changes.  271 words.
"""

#: Why such a word is refused, after the word in a diagnostic.
SPECIAL = "is a word clang-format treats specially, so the headers would not be formatted as ggml's are"

SPECIAL_WORDS = frozenset(
    """
BOOST_FOREACH CF_SWIFT_NAME KJ_IF_MAYBE L__FUNCSIG__ L__FUNCTION__ NS_SWIFT_NAME PP_STRINGIZE
QT_REQUIRE_VERSION Q_EMIT Q_FOREACH Q_UNUSED STRINGIZE _BitInt _Decimal128 _Decimal32 _Decimal64 _ExtInt
_Float16 _Nonnull _Null_unspecified _Nullable _Nullable_result __FUNCDNAME__ __FUNCSIG__ __FUNCTION__
__PRETTY_FUNCTION__ __add_lvalue_reference __add_pointer __add_rvalue_reference __alignof __alignof__
__arm_agnostic __arm_in __arm_inout __arm_locally_streaming __arm_new __arm_out __arm_preserves
__arm_streaming __arm_streaming_compatible __array_extent __array_rank __asm __asm__ __attribute
__attribute__ __auto_type __bf16 __bridge __bridge_retain __bridge_retained __bridge_transfer
__builtin_COLUMN __builtin_FILE __builtin_FILE_NAME __builtin_FUNCSIG __builtin_FUNCTION __builtin_LINE
__builtin_alignof __builtin_available __builtin_bit_cast __builtin_choose_expr __builtin_convertvector
__builtin_ge_synthesizes_from_spaceship __builtin_gt_synthesizes_from_spaceship
__builtin_is_cpp_trivially_relocatable __builtin_is_implicit_lifetime __builtin_is_virtual_base_of
__builtin_le_synthesizes_from_spaceship __builtin_lt_synthesizes_from_spaceship __builtin_offsetof
__builtin_omp_required_simd_align __builtin_ptrauth_type_discriminator __builtin_source_location
__builtin_structured_binding_size __builtin_va_arg __builtin_vectorelements __can_pass_in_regs
__capability __cdecl __char16_t __char32_t __complex __complex__ __const __const__ __contravariant
__covariant __datasizeof __decay __declspec __decltype __extension__ __fastcall __finally __float128
__forceinline __fp16 __func__ __funcref __has_include __has_include_next __has_nothrow_assign
__has_nothrow_constructor __has_nothrow_copy __has_nothrow_move_assign __has_trivial_assign
__has_trivial_constructor __has_trivial_copy __has_trivial_destructor __has_trivial_move_assign
__has_trivial_move_constructor __has_unique_object_representations __has_virtual_destructor __ibm128
__if_exists __if_not_exists __imag __imag__ __inline __inline__ __int128 __int16 __int32 __int64 __int8
__interface __is_abstract __is_aggregate __is_arithmetic __is_array __is_assignable __is_base_of
__is_bitwise_cloneable __is_bounded_array __is_class __is_complete_type __is_compound __is_const
__is_constructible __is_convertible __is_convertible_to __is_destructible __is_empty __is_enum
__is_final __is_floating_point __is_function __is_fundamental __is_integral __is_interface_class
__is_layout_compatible __is_literal __is_literal_type __is_lvalue_expr __is_lvalue_reference
__is_member_function_pointer __is_member_object_pointer __is_member_pointer __is_nothrow_assignable
__is_nothrow_constructible __is_nothrow_convertible __is_nothrow_destructible __is_object __is_pod
__is_pointer __is_pointer_interconvertible_base_of __is_polymorphic __is_reference __is_rvalue_expr
__is_rvalue_reference __is_same __is_same_as __is_scalar __is_scoped_enum __is_sealed __is_signed
__is_standard_layout __is_trivial __is_trivially_assignable __is_trivially_constructible
__is_trivially_copyable __is_trivially_destructible __is_trivially_equality_comparable
__is_trivially_relocatable __is_unbounded_array __is_union __is_unsigned __is_void __is_volatile
__kindof __label__ __leave __make_signed __make_unsigned __module_private__ __multiple_inheritance
__null __nullptr __ob_trap __ob_wrap __objc_no __objc_yes __pascal __private_extern__ __ptr32 __ptr64
__ptrauth __real __real__ __reference_binds_to_temporary __reference_constructs_from_temporary
__reference_converts_from_temporary __regcall __remove_all_extents __remove_const __remove_cv
__remove_cvref __remove_extent __remove_pointer __remove_reference_t __remove_restrict __remove_volatile
__restrict __restrict__ __signed __signed__ __single_inheritance __sptr __stdcall __super __thiscall
__thread __try __typeof __typeof__ __typeof_unqual __typeof_unqual__ __unaligned __underlying_type
__uptr __uuidof __vectorcall __virtual_inheritance __volatile __volatile__ __w64 __wchar_t _alignof _asm
_cdecl _declspec _fastcall _inline _int16 _int32 _int64 _int8 _stdcall _thiscall _uuidof _vectorcall
and_eq as foreach import instanceof not_eq or_eq typeof xor_eq
    """.split()
)


def special_word_hint(word: str) -> str:
    """The hint of a diagnostic about ``word``."""
    return f"rename it: clang-format reads '{word}' as a keyword or a macro"
