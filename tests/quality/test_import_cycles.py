"""No import cycle in app/: the module graph, computed from the source, has no loop.

Every import counts, also one inside a function (it is still a dependency both ways), except
those under `if TYPE_CHECKING:`, which never run. Importing `a.b` does load package `a` first,
but that edge is not counted: a package's `__init__` re-exporting its modules is not a cycle.
"""

from __future__ import annotations

from tests.quality.modules import imports, module_name, modules


def module_graph() -> dict[str, set[str]]:
    known = {module_name(parts) for _, parts in modules()}
    graph: dict[str, set[str]] = {}
    for path, parts in modules():
        targets = set()
        for name in imports(path, parts, type_checking=False):
            # `from a.b import c`: c is a module, or a name defined in a.b.
            target = name if name in known else name.rpartition(".")[0]
            if target in known and target != module_name(parts):
                targets.add(target)
        graph[module_name(parts)] = targets
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_cycle_finder_finds_a_cycle():
    # Guards the test itself: a loop of three and a self-contained tail.
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_the_graph_sees_the_imports():
    graph = module_graph()
    assert "app.render.timeline" in graph["app.render.session"]
    assert "app.script.model" in graph["app.script"] or "app.script.parser" in graph["app.script"]


def test_app_has_no_import_cycle():
    assert cycles(module_graph()) == []
