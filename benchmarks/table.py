"""The one table every benchmark prints: measure, value, comparison with its target."""

from __future__ import annotations


def print_table(rows: list[tuple[str, str, str]]) -> None:
    width = max(len(row[0]) for row in rows)
    value_width = max(len(row[1]) for row in rows)
    print(f"{'measure':<{width}}  {'value':<{value_width}}  comparison")
    print("-" * (width + value_width + 40))
    for name, value, comparison in rows:
        print(f"{name:<{width}}  {value:<{value_width}}  {comparison}")
