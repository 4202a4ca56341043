"""Fuzzing the front end: no input may make apir-codegen raise anything but a diagnostic.

Arbitrary text, arbitrary YAML data, and mutations of a valid spec (as data and
as text) must each give either valid output or error diagnostics.
"""

from __future__ import annotations

import copy
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apir_codegen import render
from apir_codegen.pipeline import check_source

from .conftest import EXAMPLE_SPEC

EXAMPLE_TEXT = EXAMPLE_SPEC.read_text()
EXAMPLE_DATA = yaml.safe_load(EXAMPLE_TEXT)
FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def run_front_end(data: bytes | str) -> None:
    spec, diagnostics = check_source(data, "fuzz.yaml")
    for diag in diagnostics:
        assert diag.message
        assert diag.location is None or diag.location.line >= 1
    if spec is None:
        assert any(d.severity == "error" for d in diagnostics)
        return
    for style in ("ggml", "unformatted"):
        outputs = render(spec, style)
        assert all(text.endswith("\n") for text in outputs.values())


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=30),
    st.sampled_from(["int", "char *", "size_t size", "const ggml_tensor *op", "*/", "a b c", "", "struct", "void"]),
)
yaml_data = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=5),
        st.dictionaries(st.one_of(st.text(max_size=12), st.integers(), st.booleans()), children, max_size=5),
    ),
    max_leaves=30,
)
KEYS = [
    "functions",
    "naming_patterns",
    "config",
    "group_description",
    "frontend_return",
    "frontend_extra_params",
    "enabled",
    "deprecated",
    "enum_prefix",
    "backend_function_prefix",
    "frontend_function_prefix",
    "frontend_base_param",
    "backend_function_overrides",
    "device",
    "get_count",
]


@FUZZ
@given(st.binary(max_size=300))
def test_arbitrary_bytes(data: bytes) -> None:
    run_front_end(data)


@FUZZ
@given(st.text(max_size=300))
def test_arbitrary_text(text: str) -> None:
    run_front_end(text)


@FUZZ
@given(yaml_data)
def test_arbitrary_yaml_documents(data: Any) -> None:
    run_front_end(yaml.safe_dump(data, allow_unicode=True))


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            out += _paths(value, prefix + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            out += _paths(value, prefix + (index,))
    return out


def _get(node: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        node = node[key]
    return node


@st.composite
def mutated_specs(draw: st.DrawFn) -> Any:
    data = copy.deepcopy(EXAMPLE_DATA)
    for _ in range(draw(st.integers(1, 4))):
        paths = _paths(data)[1:]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = _get(data, path[:-1])
        action = draw(st.sampled_from(["delete", "replace", "rename", "insert"]))
        if action == "delete":
            del parent[path[-1]]
        elif action == "replace":
            parent[path[-1]] = draw(yaml_data)
        elif action == "rename" and isinstance(parent, dict):
            value = parent.pop(path[-1])
            parent[draw(st.one_of(st.sampled_from(KEYS), st.text(max_size=10), st.integers()))] = value
        elif action == "insert" and isinstance(parent, dict):
            parent[draw(st.sampled_from(KEYS))] = draw(yaml_data)
        elif isinstance(parent, list):
            parent.insert(0, draw(yaml_data))
    return data


@FUZZ
@given(mutated_specs())
def test_mutated_spec_data(data: Any) -> None:
    run_front_end(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


@FUZZ
@given(st.lists(st.tuples(st.integers(0, len(EXAMPLE_TEXT)), st.integers(0, 8), st.text(max_size=8)), max_size=5))
def test_mutated_spec_text(edits: list[tuple[int, int, str]]) -> None:
    text = EXAMPLE_TEXT
    for pos, length, insert in edits:
        text = text[:pos] + insert + text[pos + length :]
    run_front_end(text)
