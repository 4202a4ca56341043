# ApirCodegen.cmake: generate ggml-virtgpu's API-remoting headers (and marshalling code) at build time.
#
#   include(path/to/apir-codegen/cmake/ApirCodegen.cmake)
#
#   apir_codegen_generate(
#       SPEC        <spec.yaml>        # required; relative to CMAKE_CURRENT_SOURCE_DIR
#       [OUTPUT_DIR <dir>]             # default: CMAKE_CURRENT_BINARY_DIR; relative to it
#       [OUTPUTS_VAR <var>]            # set <var> to every generated file (absolute paths)
#       [GUEST_SOURCES_VAR <var>]      # set <var> to the generated guest stubs (.cpp), if any
#       [HOST_SOURCES_VAR <var>]       # set <var> to the generated host handlers (.cpp) and hook header, if any
#       [TARGET     <name>]            # create an INTERFACE library <name> (see below)
#       [STYLE      ggml|unformatted]  # apir-codegen's --style (default: ggml)
#   )
#
# The headers, at the paths apir-codegen uses under OUTPUT_DIR:
#
#   backend/shared/apir_backend.gen.h
#   backend/backend-dispatched.gen.h
#   virtgpu-forward.gen.h
#
# and, for a spec with a `marshalling:` section, the generated marshalling
# code at the paths the spec gives (by default the hook header
# backend/backend-dispatched-impl.gen.h, the guest stubs
# virtgpu-forward.marshal.gen.cpp and the host handlers
# backend/backend-dispatched.marshal.gen.cpp), are produced by a custom
# command that runs `apir-codegen generate` whenever the spec, its lock file
# (<spec stem>.lock beside the spec) or the apir-codegen executable changes,
# and at no other time.
#
# Which files a spec generates is learnt at configure time (`apir-codegen
# outputs`), so the spec is a configure dependency: editing it re-runs CMake
# at the next build, which then knows about marshalling code added, moved or
# dropped.  A spec that does not load stops the configure step with its
# diagnostics.
#
# Using the generated files:
#
# * TARGET <name> is the simplest: <name> is an INTERFACE library whose usage
#   requirement is OUTPUT_DIR as an include directory and which owns the
#   generation step, so `target_link_libraries(mine PRIVATE <name>)` both makes
#   `#include "virtgpu-forward.gen.h"` work and generates the headers before
#   `mine` compiles, from any directory of the project.
# * Without TARGET, add the OUTPUTS_VAR list to the sources of one target
#   defined in the same directory (add_executable / add_library /
#   target_sources) and add OUTPUT_DIR to its include directories.  Other
#   custom commands may list the headers in their DEPENDS.  For several
#   targets, or targets in other directories, use TARGET.
# * Marshalling code: the guest stubs belong to the guest's target, the host
#   handlers to the host's, each compiled with its side's include directories
#   (ggml's guest and host headers differ).  Add GUEST_SOURCES_VAR's list to
#   the sources of the first and HOST_SOURCES_VAR's to the second (beside the
#   hand-written hooks), in any directory, and link both to TARGET: it
#   generates them before either compiles (a generated file in two targets
#   that do not depend on one target could be generated twice at once).
#   Both lists are empty for a spec without marshalling.
#
# Output directory.  The default is the build tree (CMAKE_CURRENT_BINARY_DIR):
# a build never writes into the source tree, and several build trees do not
# fight over the same files.  ggml's convention of committed headers beside the
# spec is `OUTPUT_DIR ${CMAKE_CURRENT_SOURCE_DIR}` (with the spec in that
# directory); then pair the build with `apir-codegen check` in CI or pre-commit.
# The headers are outputs of the build either way, so the `clean` target
# deletes them (the next build writes them again, byte for byte).  Each call
# needs its own OUTPUT_DIR.
#
# No needless work, no endless work.  apir-codegen rewrites only the headers
# whose content changes, so after a run the headers can still be older than
# the spec, and a rule whose only outputs were the headers would run at every
# build.  The step's first OUTPUT is therefore a stamp file in the build tree,
# touched after every successful run; the headers are its other outputs.  A
# second build does nothing.  With Ninja a header whose text did not change
# keeps its timestamp (custom commands are `restat`), so nothing that includes
# it recompiles; Makefile generators touch the other outputs of a step that
# ran, so there includers recompile after any change of the spec, and only
# then.  A header deleted by hand is generated again by the next build.
#
# The lock file.  When <stem>.lock exists at configure time it is a
# dependency of the step (and a configure dependency, so deleting it
# re-runs CMake and the step).  When it does not exist yet, the spec's
# directory is a configure dependency: creating the lock file (or any other
# file) in that directory re-runs CMake at the next build, which then adds the
# lock file as a dependency and regenerates.  The price, while a spec has no
# lock file, is an occasional extra CMake run when that directory's entries
# change (an editor saving by rename, or apir-codegen itself writing a header
# there when OUTPUT_DIR is the spec's directory); `apir-codegen lock` ends it.
# Whether the lock exists, the executable and the options are recorded in a
# small file that the step depends on, so changing any of them regenerates
# with every generator.
#
# The executable is found with find_program(), first in the .venv of the
# apir-codegen checkout this file belongs to (where the README's install puts
# it: <checkout>/.venv/bin/apir-codegen), then on PATH, and cached in
# APIR_CODEGEN_EXECUTABLE; set that variable (-DAPIR_CODEGEN_EXECUTABLE=...)
# to use another one, for instance another virtualenv's bin/apir-codegen.
#
# Requires CMake 3.20 or newer.

if(CMAKE_VERSION VERSION_LESS "3.20")
    message(FATAL_ERROR "ApirCodegen.cmake requires CMake 3.20 or newer (this is ${CMAKE_VERSION}).")
endif()

include_guard(GLOBAL)

# The checkout this file is part of (a function sees its caller's list dir).
cmake_path(GET CMAKE_CURRENT_LIST_DIR PARENT_PATH _APIR_CODEGEN_CHECKOUT)

# Find apir-codegen (once; the cache variable wins when the user set it).
function(_apir_codegen_find_executable)
    set(venv "${_APIR_CODEGEN_CHECKOUT}/.venv")
    find_program(APIR_CODEGEN_EXECUTABLE
        NAMES apir-codegen
        HINTS "${venv}/bin" "${venv}/Scripts"
        DOC "The apir-codegen command that generates ggml-virtgpu's API-remoting headers"
    )
    if(NOT APIR_CODEGEN_EXECUTABLE)
        message(FATAL_ERROR
            "apir-codegen was found neither in ${venv} nor on PATH.\n"
            "Install it there (`python3 -m venv .venv && .venv/bin/pip install .` in apir-codegen's "
            "repository) or elsewhere with its bin directory on PATH, or point CMake at it with "
            "-DAPIR_CODEGEN_EXECUTABLE=/path/to/apir-codegen.")
    endif()
    if(NOT EXISTS "${APIR_CODEGEN_EXECUTABLE}" OR IS_DIRECTORY "${APIR_CODEGEN_EXECUTABLE}")
        message(FATAL_ERROR
            "APIR_CODEGEN_EXECUTABLE is '${APIR_CODEGEN_EXECUTABLE}', which is not a file.\n"
            "Set it to the apir-codegen executable, or clear it to search PATH again.")
    endif()
endfunction()

# Write CONTENT to PATH unless PATH already holds exactly that (keeps its mtime).
function(_apir_codegen_write_if_different path content)
    if(EXISTS "${path}")
        file(READ "${path}" old)
        if(old STREQUAL content)
            return()
        endif()
    endif()
    file(WRITE "${path}" "${content}")
endfunction()

function(apir_codegen_generate)
    cmake_parse_arguments(PARSE_ARGV 0 arg ""
                          "SPEC;OUTPUT_DIR;OUTPUTS_VAR;GUEST_SOURCES_VAR;HOST_SOURCES_VAR;TARGET;STYLE" "")
    if(arg_UNPARSED_ARGUMENTS)
        message(FATAL_ERROR "apir_codegen_generate: unexpected arguments: ${arg_UNPARSED_ARGUMENTS}")
    endif()
    if(arg_KEYWORDS_MISSING_VALUES)
        message(FATAL_ERROR "apir_codegen_generate: no value given for ${arg_KEYWORDS_MISSING_VALUES}")
    endif()
    if(NOT arg_SPEC)
        message(FATAL_ERROR "apir_codegen_generate: SPEC <path to the .yaml spec> is required")
    endif()
    if(arg_STYLE AND NOT arg_STYLE MATCHES "^(ggml|unformatted)$")
        message(FATAL_ERROR "apir_codegen_generate: STYLE must be ggml or unformatted, not '${arg_STYLE}'")
    endif()

    _apir_codegen_find_executable()

    # Absolute, normalized paths: the spec from the source dir, outputs from the build dir.
    cmake_path(ABSOLUTE_PATH arg_SPEC BASE_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}" NORMALIZE
               OUTPUT_VARIABLE spec)
    if(NOT EXISTS "${spec}" OR IS_DIRECTORY "${spec}")
        message(FATAL_ERROR "apir_codegen_generate: spec '${spec}' does not exist")
    endif()
    if(NOT arg_OUTPUT_DIR)
        set(arg_OUTPUT_DIR "${CMAKE_CURRENT_BINARY_DIR}")
    endif()
    cmake_path(ABSOLUTE_PATH arg_OUTPUT_DIR BASE_DIRECTORY "${CMAKE_CURRENT_BINARY_DIR}" NORMALIZE
               OUTPUT_VARIABLE output_dir)
    string(REGEX REPLACE "(.)/+$" "\\1" output_dir "${output_dir}")  # no trailing slash

    # Two generations into one directory would overwrite each other's headers.
    get_property(claimed GLOBAL PROPERTY _APIR_CODEGEN_OUTPUT_DIRS)
    if(output_dir IN_LIST claimed)
        message(FATAL_ERROR
            "apir_codegen_generate: '${output_dir}' already receives the headers of another spec; "
            "give each apir_codegen_generate() call its own OUTPUT_DIR")
    endif()
    set_property(GLOBAL APPEND PROPERTY _APIR_CODEGEN_OUTPUT_DIRS "${output_dir}")

    set(style_args "")
    if(arg_STYLE)
        set(style_args --style "${arg_STYLE}")
    endif()

    # The files apir-codegen writes: the three headers, then, with marshalling,
    # the hook header, the guest stubs and the host handlers (in that order).
    # They depend on the spec's text, so editing the spec re-runs CMake.
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${spec}")
    execute_process(
        COMMAND "${APIR_CODEGEN_EXECUTABLE}" outputs "${spec}" --output-dir "${output_dir}" ${style_args}
        OUTPUT_VARIABLE listed
        ERROR_VARIABLE diagnostics
        RESULT_VARIABLE status
    )
    if(NOT status EQUAL 0)
        # The diagnostics as apir-codegen prints them (a FATAL_ERROR message would reflow them).
        string(STRIP "${diagnostics}" diagnostics)
        message(NOTICE "${diagnostics}")
        message(FATAL_ERROR "apir_codegen_generate: apir-codegen cannot generate from ${spec} (above)")
    endif()
    string(STRIP "${listed}" listed)
    string(REPLACE "\n" ";" outputs "${listed}")
    list(LENGTH outputs count)
    set(guest_sources "")
    set(host_sources "")
    # A 7th file is the fuzz harness (marshalling: fuzz_output): in OUTPUTS_VAR only, never a backend source
    # (it is a fuzz target's, with its own entry point).
    if(count EQUAL 6 OR count EQUAL 7)
        list(GET outputs 3 hook_header)
        list(GET outputs 4 guest_sources)
        list(GET outputs 5 host_handlers)
        set(host_sources "${host_handlers}" "${hook_header}")
    elseif(NOT count EQUAL 3)
        message(FATAL_ERROR "apir_codegen_generate: unexpected output of `apir-codegen outputs`: ${listed}")
    endif()

    cmake_path(GET spec PARENT_PATH spec_dir)
    cmake_path(GET spec STEM LAST_ONLY spec_stem)
    set(lock "${spec_dir}/${spec_stem}.lock")

    # Bookkeeping files, private to this build tree.
    string(MD5 key "${output_dir}")
    string(SUBSTRING "${key}" 0 12 key)
    set(state_dir "${CMAKE_CURRENT_BINARY_DIR}/CMakeFiles/apir_codegen")
    set(stamp "${state_dir}/${spec_stem}-${key}.stamp")
    set(inputs "${state_dir}/${spec_stem}-${key}.inputs")

    set(depends "${spec}" "${inputs}" "${APIR_CODEGEN_EXECUTABLE}")
    if(EXISTS "${lock}")
        set(lock_state "present")
        list(APPEND depends "${lock}")
        # Deleting the lock file re-runs CMake, which drops the dependency and
        # (through the inputs file) regenerates.
        set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${lock}")
    else()
        set(lock_state "absent")
        # Creating the lock file changes the directory: re-run CMake then.
        set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${spec_dir}")
    endif()

    # Everything about the step that is not a file it reads: a change of any of
    # these rewrites the inputs file, and so re-runs the step.
    _apir_codegen_write_if_different("${inputs}"
        "executable: ${APIR_CODEGEN_EXECUTABLE}\nspec: ${spec}\nlock file: ${lock} (${lock_state})\n"
        "output dir: ${output_dir}\noptions: ${style_args}\n")

    set(spec_shown "${spec}")
    cmake_path(IS_PREFIX CMAKE_SOURCE_DIR "${spec}" NORMALIZE spec_in_project)
    if(spec_in_project)
        cmake_path(RELATIVE_PATH spec BASE_DIRECTORY "${CMAKE_SOURCE_DIR}" OUTPUT_VARIABLE spec_shown)
    endif()
    # The stamp comes first: Makefile generators give the rule to the first
    # output and make the others depend on it.
    add_custom_command(
        OUTPUT "${stamp}"
        ${outputs}
        COMMAND "${APIR_CODEGEN_EXECUTABLE}" generate "${spec}" --output-dir "${output_dir}" ${style_args} --quiet
        COMMAND "${CMAKE_COMMAND}" -E touch "${stamp}"
        DEPENDS ${depends}
        COMMENT "Generating API-remoting code from ${spec_shown}"
        VERBATIM
    )
    if(arg_TARGET)
        # An INTERFACE library with sources (CMake >= 3.19) is a build target
        # that owns the custom command; linking to it orders the generation
        # before the dependent's compilation and adds the include directory.
        add_library(${arg_TARGET} INTERFACE ${outputs})
        target_include_directories(${arg_TARGET} INTERFACE "${output_dir}")
    endif()
    if(arg_OUTPUTS_VAR)
        set(${arg_OUTPUTS_VAR} ${outputs} PARENT_SCOPE)
    endif()
    if(arg_GUEST_SOURCES_VAR)
        set(${arg_GUEST_SOURCES_VAR} ${guest_sources} PARENT_SCOPE)
    endif()
    if(arg_HOST_SOURCES_VAR)
        set(${arg_HOST_SOURCES_VAR} ${host_sources} PARENT_SCOPE)
    endif()
endfunction()
