"""Records: fields declared as annotations, an __init__ made from them, immutable, compared by value."""

from __future__ import annotations

import pytest

from apir_codegen.records import Record


class Point(Record):
    x: int
    y: int
    label: str = ""
    weight: float = 1.0
    _uncompared = ("weight",)


def test_fields_in_order_positional_and_by_name() -> None:
    assert Point._fields == ("x", "y", "label", "weight")
    assert Point.__slots__ == ("x", "y", "label", "weight")
    p = Point(1, 2)
    assert (p.x, p.y, p.label, p.weight) == (1, 2, "", 1.0)
    q = Point(y=2, x=1, weight=3.0, label="q")
    assert (q.x, q.y, q.label, q.weight) == (1, 2, "q", 3.0)
    assert repr(q) == "Point(x=1, y=2, label='q')"


def test_init_checks_its_arguments_as_python_does() -> None:
    with pytest.raises(TypeError, match="missing 1 required positional argument: 'y'"):
        Point(1)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="unexpected keyword argument 'z'"):
        Point(1, 2, z=3)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="takes from 3 to 5 positional arguments but 6 were given"):
        Point(1, 2, "", 1.0, 5)  # type: ignore[call-arg]


def test_immutable_and_compared_by_value() -> None:
    p = Point(1, 2, "a", 1.0)
    with pytest.raises(AttributeError):
        p.x = 3  # type: ignore[misc]
    with pytest.raises(AttributeError):
        p.z = 3  # type: ignore[attr-defined]
    assert p == Point(1, 2, "a", 2.0)  # weight is not compared
    assert hash(p) == hash(Point(1, 2, "a", 2.0))
    assert p != Point(1, 3, "a")


def test_a_field_without_default_after_one_with_is_refused() -> None:
    with pytest.raises(TypeError, match="field 'b' without a default follows one with a default"):

        class Bad(Record):
            a: int = 0
            b: int


def test_explicit_slots_and_init_are_kept() -> None:
    class Manual(Record):
        __slots__ = ("a",)
        a: int

        def __init__(self, a: int) -> None:
            object.__setattr__(self, "a", a * 2)

    assert Manual(2).a == 4
    assert Manual._fields == ("a",)


def test_the_written_templates_are_what_records_makes() -> None:
    import ast
    import inspect

    from apir_codegen import _record_inits
    from apir_codegen.records import WRITTEN_ARITIES, template_source

    tree = ast.parse(inspect.getsource(_record_inits))
    written = {node.name: ast.dump(node) for node in tree.body if isinstance(node, ast.FunctionDef)}
    expected = {f"init{k}": ast.dump(ast.parse(template_source(k)).body[0]) for k in WRITTEN_ARITIES}
    assert written == expected


def test_more_fields_than_the_written_templates() -> None:
    from apir_codegen.records import WRITTEN_ARITIES

    arity = max(WRITTEN_ARITIES) + 2
    Wide = type("Wide", (Record,), {"__annotations__": {f"x{i}": "int" for i in range(arity)}})
    wide = Wide(*range(arity))
    assert [getattr(wide, f"x{i}") for i in range(arity)] == list(range(arity))
