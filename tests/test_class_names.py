"""No two modules of the package define a class of the same name: a reader (and a traceback) can tell them apart."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import apir_codegen

PACKAGE = Path(apir_codegen.__file__).parent


def test_class_names_are_distinct_across_modules() -> None:
    where: defaultdict[str, list[str]] = defaultdict(list)
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                where[node.name].append(str(path.relative_to(PACKAGE)))
    assert len(where) > 50  # the walk saw the package
    assert {name: paths for name, paths in where.items() if len(paths) > 1} == {}
