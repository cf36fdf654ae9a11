"""The modules of app/ and their imports, read from the source (nothing is imported)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app"


def modules() -> Iterator[tuple[Path, tuple[str, ...]]]:
    """Every module as (path, parts under app/), `__init__` kept as a part."""
    for path in sorted(APP.rglob("*.py")):
        yield path, path.relative_to(APP).with_suffix("").parts


def module_name(parts: tuple[str, ...]) -> str:
    names = ["app", *parts]
    if names[-1] == "__init__":
        names.pop()
    return ".".join(names)


def imports(path: Path, parts: tuple[str, ...], *, type_checking: bool = True) -> list[str]:
    """The absolute names a module imports: `import a.b` as a.b; `from a.b import c` as a.b and
    a.b.c (c may be a module or a name in a.b); relative imports resolved from the module's place.

    With type_checking=False, imports under `if TYPE_CHECKING:` (which never run) are left out.
    """
    tree = ast.parse(path.read_text("utf-8"))
    skipped: set[int] = set()
    if not type_checking:
        skipped = {
            id(child)
            for node in ast.walk(tree)
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
            for child in ast.walk(node)
        }
    names: list[str] = []
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = ["app", *parts[:-1]]
                package = package[: len(package) - (node.level - 1)]
                base = ".".join([*package, base] if base else package)
            names.append(base)
            names.extend(f"{base}.{alias.name}" for alias in node.names)
    return names
