"""Lists of scalars completed by the fast path equal graphql-core's own results and errors."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest
from graphql import ExecutionContext, build_schema, execute, parse

from photonix_rt.graphql.leaf_lists import LeafListExecutionContext

SCHEMA = build_schema("""
    enum Kind { PHOTO VIDEO }
    type Query {
      ids: [ID!]!
      ratios: [Float!]!
      maybeNames: [String]!
      kinds: [Kind!]!
      counts: [Int!]
      nested: [[Int!]!]!
    }
""")
QUERY = parse("{ ids ratios maybeNames kinds counts nested }")
IDS = [UUID(int=1), UUID(int=2)]


async def _awaitable(value: Any) -> Any:
    return value


CASES: list[dict[str, Any]] = [
    {"ids": IDS, "ratios": [1.5, 0.75, 2], "maybeNames": ["a", None, "b"],
     "kinds": ["PHOTO", "VIDEO"], "counts": [1, 2], "nested": [[1], [2, 3]]},
    {"ids": [], "ratios": [], "maybeNames": [], "kinds": [], "counts": None, "nested": []},
    # A null where none may be, a value the scalar refuses, an enum value that does not exist.
    {"ids": [IDS[0], None], "ratios": [1.0], "maybeNames": [], "kinds": ["PHOTO"],
     "counts": [1, "x"], "nested": []},
    {"ids": IDS, "ratios": [float("inf")], "maybeNames": [None], "kinds": ["AUDIO"],
     "counts": [2**40], "nested": [[None]]},
]


async def _run(context_class: type[ExecutionContext], root: dict[str, Any]) -> Any:
    result = execute(SCHEMA, QUERY, root_value=root, execution_context_class=context_class)
    if hasattr(result, "__await__"):
        result = await result  # type: ignore[misc]
    return result.data, sorted((e.message, tuple(e.path or ())) for e in result.errors or [])


@pytest.mark.parametrize("root", CASES)
async def test_results_and_errors_match_graphql_core(root: dict[str, Any]) -> None:
    assert await _run(LeafListExecutionContext, root) == await _run(ExecutionContext, root)


async def test_awaitable_items_take_the_general_path() -> None:
    root = {**CASES[0], "ratios": [_awaitable(1.5), 2.0]}
    data, errors = await _run(LeafListExecutionContext, root)
    assert data["ratios"] == [1.5, 2.0] and not errors


def test_plain_lists_skip_the_per_item_completion(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    original = ExecutionContext.complete_value

    def counting(self: ExecutionContext, *args: Any) -> Any:
        calls.append(1)
        return original(self, *args)

    monkeypatch.setattr(ExecutionContext, "complete_value", counting)
    root = {**CASES[0], "ids": [UUID(int=i) for i in range(1000)]}
    result = execute(SCHEMA, QUERY, root_value=root,
                     execution_context_class=LeafListExecutionContext)
    assert not result.errors  # type: ignore[union-attr]
    assert result.data["ids"][999] == str(UUID(int=999))  # type: ignore[index]
    assert len(calls) < 20, "each list item was completed on its own"
