"""The library API: the pipeline's stages as plain functions.

    load_spec(path) -> Spec            load + validate (raises SpecError)
    render(spec, style) -> {path: text}  emit + format
    lock_spec(path) -> LockUpdate        load + validate + the lock file's new text

The command line is a thin layer over these.
"""

from __future__ import annotations

import os

from .diagnostics import Diagnostic, DiagnosticSink, Location, SpecError
from .emit import definitions, outlines
from .files import same_file
from .format import render_ggml, render_raw
from .format.ggml import GGML, Style
from .loader import Document, compose_text, load_document
from .lockfile import LockFile, LockUpdate, lock_path, read_lock, read_previous_lock, update_lock
from .model import Spec
from .validate import validate_document

STYLES = ("ggml", "unformatted", "clang-format")


def layout_style(style: str | None) -> Style | None:
    """The style record whose limits a spec to be rendered in ``style`` must respect.

    ggml's for ``"ggml"``; None (no limits) for ``"unformatted"``,
    ``"clang-format"`` (whose output we do not lay out) and None (nothing rendered).
    """
    if style == "ggml":
        return GGML
    if style is None or style in STYLES:
        return None
    raise ValueError(f"unknown style {style!r}; expected one of {', '.join(STYLES)}")


def check_spec(
    path: str | os.PathLike[str],
    *,
    werror: bool = False,
    display: str | None = None,
    use_lock: bool = True,
    style: str | None = "ggml",
) -> tuple[Spec | None, list[Diagnostic]]:
    """Load and validate a spec; return the model (None on errors) and all diagnostics.

    The lock file beside the spec (``<stem>.lock``), when there is one, fixes the
    command numbers; ``use_lock=False`` ignores it.  ``style`` is the style the
    spec is to be rendered in (see :func:`render`): names and declarations must
    fit its limits (ggml's 120 columns; none for the other styles, or None).
    """
    _, spec, diagnostics = check_document(path, werror=werror, display=display, use_lock=use_lock, style=style)
    return spec, diagnostics


def check_document(
    path: str | os.PathLike[str],
    *,
    werror: bool = False,
    display: str | None = None,
    use_lock: bool = True,
    style: str | None = "ggml",
) -> tuple[Document | None, Spec | None, list[Diagnostic]]:
    """Like :func:`check_spec`, also returning the YAML document the model was validated from.

    For callers that need the spec's values as written (the document is None
    when the spec could not be read or parsed).
    """
    sink = DiagnosticSink(werror=werror)
    shown = display if display is not None else str(path)
    lock_file = lock_path(path)
    if same_file(lock_file, path):
        sink.error(
            f"the spec's lock file would be the spec itself ({lock_path(shown)})",
            Location(shown, 1, 1),
            hint="a spec's lock file is '<spec stem>.lock' beside it: rename the spec, e.g. to a '.yaml' name",
        )
        return None, None, sink.sorted()
    doc = load_document(path, sink, shown)
    lock = None
    if use_lock and doc is not None and os.path.lexists(lock_file):  # a directory or FIFO there is an error
        lock = read_lock(lock_file, sink, lock_path(shown))
        if lock is None:
            return doc, None, sink.sorted()
    return (doc, *_validated(doc, sink, lock, style))


def lock_spec(
    path: str | os.PathLike[str], *, werror: bool = False, display: str | None = None, accept_breaking: bool = False
) -> tuple[LockUpdate | None, list[Diagnostic]]:
    """The lock file a spec gets (None on errors) and all diagnostics.

    Numbers come from the current lock file, as for generating; with
    ``accept_breaking`` from the spec's order, and the previous lock file is
    read only to list what the rebuild renumbers (its problems are warnings).
    No style applies: a lock file holds numbers and names, no layout.
    """
    shown = display if display is not None else os.fspath(path)
    spec, diagnostics = check_spec(path, werror=werror, display=shown, use_lock=not accept_breaking, style=None)
    if spec is None:
        return None, diagnostics
    target = lock_path(path)
    previous = None
    if accept_breaking and os.path.isfile(target):  # anything else there is refused when writing
        sink = DiagnosticSink(werror=werror)
        previous = read_previous_lock(target, sink, lock_path(shown))
        diagnostics = sorted(diagnostics + sink.diagnostics, key=Diagnostic.sort_key)
        if sink.has_errors:
            return None, diagnostics
    return update_lock(spec, os.fspath(path), previous), diagnostics


def overwritten_inputs(
    spec_path: str | os.PathLike[str],
    targets: list[str],
    *,
    display: str | None = None,
    others: dict[str, str] | None = None,
) -> list[Diagnostic]:
    """Errors for the ``targets`` (files about to be written) that are one of the inputs.

    ``generate out/virtgpu-forward.gen.h -o out`` would replace the spec with a
    header.  The inputs are the spec, its lock file and ``others`` (``{path:
    what it is}``), compared as real paths, so that symbolic links and ``..``
    do not hide a clash.
    """
    shown = display if display is not None else os.fspath(spec_path)
    inputs = {os.fspath(spec_path): "the spec", lock_path(spec_path): f"the spec's lock file ({lock_path(shown)})"}
    inputs.update(others or {})
    out: list[Diagnostic] = []
    for target in targets:
        for path, what in inputs.items():
            if same_file(target, path):
                out.append(
                    Diagnostic(
                        "error",
                        f"the output {target} is {what}",
                        Location(shown, 1, 1),
                        "generating would overwrite it: choose another output path, or move the input",
                    )
                )
                break
    return out


def check_source(
    data: bytes | str, display: str = "<spec>", *, werror: bool = False, style: str | None = "ggml"
) -> tuple[Spec | None, list[Diagnostic]]:
    """Like :func:`check_spec`, for spec text already in memory."""
    sink = DiagnosticSink(werror=werror)
    return _validated(compose_text(data, display, sink), sink, None, style)


def _validated(
    doc: Document | None, sink: DiagnosticSink, lock: LockFile | None = None, style: str | None = "ggml"
) -> tuple[Spec | None, list[Diagnostic]]:
    spec = validate_document(doc, sink, lock, layout_style(style)) if doc is not None else None
    return (None if sink.has_errors else spec), sink.sorted()


def load_spec(
    path: str | os.PathLike[str], *, werror: bool = False, use_lock: bool = True, style: str | None = "ggml"
) -> Spec:
    """Load and validate a spec (honouring its lock file) for rendering in ``style`` (see :func:`check_spec`).

    Raises :class:`SpecError` with every diagnostic when it has errors.
    """
    spec, diagnostics = check_spec(path, werror=werror, use_lock=use_lock, style=style)
    if spec is None:
        raise SpecError(diagnostics)
    return spec


def output_paths(spec: Spec) -> list[str]:
    """The files :func:`render` gives for ``spec``, relative to the output directory, in its order.

    The three headers; with marshalling, then the hook header, the guest stubs
    and the host handlers, and last the fuzz harness when the spec asks for it.
    Known without rendering (for build systems).
    """
    from .model import OUTPUT_FILES

    paths = list(OUTPUT_FILES)
    if spec.marshalling is not None:
        m = spec.marshalling
        paths += [m.host_impl_header, m.guest_output, m.host_output]
        if m.fuzz_output is not None:
            paths.append(m.fuzz_output)
    return paths


def render(
    spec: Spec, style: str = "ggml", *, clang_format: str = "clang-format", clang_format_style: str | None = None
) -> dict[str, str]:
    """The generated headers: ``{path relative to the output directory: text}``.

    ``style`` is ``"ggml"`` (ggml's clang-format style, built in, the default),
    ``"unformatted"`` (the text ggml's reference script writes before
    formatting), or ``"clang-format"``: the unformatted text through the
    ``clang_format`` binary with the style file ``clang_format_style``
    (raises :class:`ExternalFormatError` when that cannot run).
    """
    if style == "clang-format":
        from .format.external import ExternalFormatError, clang_format_texts

        if clang_format_style is None:
            raise ExternalFormatError("the clang-format style needs a style file")
        return clang_format_texts(render(spec, "unformatted"), clang_format, clang_format_style)
    if style == "ggml":
        formatter = render_ggml
    elif style == "unformatted":
        formatter = render_raw
    else:
        raise ValueError(f"unknown style {style!r}; expected one of {', '.join(STYLES)}")
    texts = {path: formatter(outline) for path, outline in outlines(spec).items()}
    sources = definitions(spec)
    if sources:
        from .format.ggml.bodies import render_definitions, render_unformatted

        render_source = render_definitions if style == "ggml" else render_unformatted
        texts.update((path, render_source(items)) for path, items in sources.items())
    return texts
