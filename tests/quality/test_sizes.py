"""Sizes a newcomer can read: modules and functions within the architecture's limits."""

from __future__ import annotations

import ast

import pytest

from tests.quality.modules import APP, modules

MAX_MODULE_LINES = 500
MAX_UI_MODULE_LINES = 400
MAX_FUNCTION_LINES = 80


def _module_limit(parts: tuple[str, ...]) -> int:
    return MAX_UI_MODULE_LINES if parts[0] == "ui" else MAX_MODULE_LINES


def long_functions(source: str, limit: int) -> list[tuple[str, int]]:
    """(qualified name, lines) of every function or method longer than `limit`, decorators not counted."""
    found: list[tuple[str, int]] = []

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                name = f"{prefix}{child.name}"
                lines = (child.end_lineno or child.lineno) - child.lineno + 1
                if lines > limit:
                    found.append((name, lines))
                visit(child, name + ".")
            elif isinstance(child, ast.ClassDef):
                visit(child, f"{prefix}{child.name}.")
            else:
                visit(child, prefix)

    visit(ast.parse(source), "")
    return found


def test_the_function_measure_counts_methods_and_nested_functions():
    body = "        x = 1\n" * 5 + "        def inner():\n            pass\n"
    source = "class A:\n    def m(self):\n" + body
    assert long_functions(source, 3) == [("A.m", 8)]
    assert long_functions(source, 1) == [("A.m", 8), ("A.m.inner", 2)]


def test_no_module_over_its_limit():
    offenders = []
    for path, parts in modules():
        lines = len(path.read_text("utf-8").splitlines())
        if lines > _module_limit(parts):
            offenders.append(f"{path.relative_to(APP)}: {lines} lines (at most {_module_limit(parts)})")
    assert offenders == []


@pytest.mark.parametrize("package", sorted({parts[0] for _, parts in modules() if len(parts) > 1}))
def test_no_function_over_80_lines(package):
    offenders = []
    for path, parts in modules():
        if parts[0] != package:
            continue
        for name, lines in long_functions(path.read_text("utf-8"), MAX_FUNCTION_LINES):
            offenders.append(f"{path.relative_to(APP)}: {name} is {lines} lines")
    assert offenders == []


def test_no_function_over_80_lines_in_the_top_level_modules():
    offenders = []
    for path, parts in modules():
        if len(parts) == 1:
            for name, lines in long_functions(path.read_text("utf-8"), MAX_FUNCTION_LINES):
                offenders.append(f"{path.relative_to(APP)}: {name} is {lines} lines")
    assert offenders == []
