"""Never silently different from the reference pipeline.

For every spec, apir-codegen either writes exactly what the reference pipeline
writes (ggml's own ``regenerate_remoting.py``, then clang-format 23.1.3 in
ggml's style) or rejects the spec with a diagnostic.  A fixed sample of
:mod:`tests.diffgen`'s specs, aimed at the edges (qualifier orders, letterless
identifiers, words clang-format treats specially, odd whitespace, long names),
goes through both, one clang-format process for all of them.

``tools/differential.py`` runs the same comparison on as many specs as asked.
"""

from __future__ import annotations

import collections

import pytest

from . import reference
from .diffgen import spec_texts

needs_reference = pytest.mark.skipif(
    not reference.available(), reason="ggml's script (../shared) and clang-format 23.1.3 are needed"
)

SEED = 20240610
COUNT = 300


@needs_reference
def test_no_spec_is_silently_different() -> None:
    outcomes = reference.compare(spec_texts(SEED, COUNT))
    counts = collections.Counter(outcome.kind for outcome in outcomes)
    bad = [outcome for outcome in outcomes if outcome.kind in ("different", "reference-failed")]
    report = "\n\n".join(f"{o.kind}:\n{o.text}\n{o.detail}" for o in bad[:3])
    assert not bad, f"{dict(counts)}\n{report}"
    # The sample must exercise both sides of the rule, not only one.
    assert counts["identical"] >= COUNT // 4 and counts["rejected"] >= COUNT // 4, dict(counts)
    # ... and every class of edge: special words, line breaks, characters that
    # are not C, names hidden by 'volatile', and the Objective-C exception.
    rejections = " ".join(outcome.detail for outcome in outcomes if outcome.kind == "rejected")
    for reason in ("treats specially", "line break inside", "is not C", "ending in 'volatile'"):
        assert reason in rejections, reason
    assert any(outcome.refused for outcome in outcomes)


@needs_reference
def test_a_difference_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    """The comparison can fail: headers unlike the reference's are reported."""
    import apir_codegen

    original = apir_codegen.render

    def off_by_one_space(spec, style="ggml"):  # type: ignore[no-untyped-def]
        return {path: text.replace(" ", "  ", 1) for path, text in original(spec, style).items()}

    monkeypatch.setattr(apir_codegen, "render", off_by_one_space)
    outcomes = reference.compare(spec_texts(SEED, 20))
    kinds = {outcome.kind for outcome in outcomes}
    assert "identical" not in kinds and "different" in kinds


OBJC_SPEC = """\
functions:
  device:
    group_description: device
    functions:
      get_name:
        frontend_extra_params:
        - "NSString *   name"
naming_patterns:
  enum_prefix: APIR_COMMAND_TYPE_
  backend_function_prefix: backend_
  frontend_function_prefix: apir_
  frontend_base_param: "struct virtgpu *gpu"
config:
  base_path: ggml/src
"""


@needs_reference
def test_objective_c_guess_is_the_documented_exception() -> None:
    """clang-format refuses a header it guesses to be Objective-C (ggml's style is C++
    only) and ggml's script leaves it unformatted; apir-codegen formats it as C++."""
    (outcome,) = reference.compare([OBJC_SPEC])
    assert outcome.refused == ("virtgpu-forward.gen.h",)
    assert outcome.kind == "identical", outcome.detail
    script_output = reference.unformatted_headers(OBJC_SPEC)["virtgpu-forward.gen.h"]
    assert "NSString *   name" in script_output


def test_generator_is_deterministic() -> None:
    assert spec_texts(SEED, 20) == spec_texts(SEED, 20)
    assert spec_texts(SEED, 20) != spec_texts(SEED + 1, 20)
