"""The run's table for a terminal: consequences under their cause, titles told apart."""

from __future__ import annotations

from collections import Counter
from typing import Any


def ordered_rows(views: list[dict[str, Any]], actions: list[Any]) -> list[tuple[int, dict[str, Any], Any, str]]:
    """(depth, view, action, title) per problem: every root in the views' order (priority first),
    each followed by its consequences, depth first; problems with the same title say where they
    differ (their innermost in-app frame, else their id)."""
    by_id = {v["id"]: (v, a) for v, a in zip(views, actions, strict=False)}
    same = Counter(v["title"] for v in views)
    rows: list[tuple[int, dict[str, Any], Any, str]] = []
    placed: set[str] = set()

    def place(pid: str, depth: int) -> None:
        if pid in placed or pid not in by_id:
            return
        placed.add(pid)
        view, action = by_id[pid]
        title = view["title"]
        if same[title] > 1:
            title = f"{title} ({view['components'][0] if view['components'] else view['id']})"
        rows.append((depth, view, action, title))
        for child in view["consequences"]:
            place(child, depth + 1)

    for view in views:
        if not view["caused_by"] or view["caused_by"] not in by_id:
            place(view["id"], 0)
    for view in views:  # a cycle or a cause not shown: nothing is left out
        place(view["id"], 0)
    return rows
