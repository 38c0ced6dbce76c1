"""The fast paths (plain leaf fields, lists of scalars) equal graphql-core's own results and
errors, and skip its per-field and per-item work."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

import pytest
from graphql import ExecutionContext, build_schema, execute, parse

from photonix_rt.graphql.fast_execution import FastExecutionContext, plain_resolver

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
    assert await _run(FastExecutionContext, root) == await _run(ExecutionContext, root)


async def test_awaitable_items_take_the_general_path() -> None:
    root = {**CASES[0], "ratios": [_awaitable(1.5), 2.0]}
    data, errors = await _run(FastExecutionContext, root)
    assert data["ratios"] == [1.5, 2.0] and not errors


@pytest.mark.parametrize("sequence", [list, tuple])
def test_plain_lists_skip_the_per_item_completion(monkeypatch: pytest.MonkeyPatch,
                                                  sequence: type) -> None:
    calls: list[int] = []
    original = ExecutionContext.complete_value

    def counting(self: ExecutionContext, *args: Any) -> Any:
        calls.append(1)
        return original(self, *args)

    monkeypatch.setattr(ExecutionContext, "complete_value", counting)
    root = {**CASES[0], "ids": sequence(UUID(int=i) for i in range(1000))}
    result = execute(SCHEMA, QUERY, root_value=root,
                     execution_context_class=FastExecutionContext)
    assert not result.errors  # type: ignore[union-attr]
    assert result.data["ids"][999] == str(UUID(int=999))  # type: ignore[index]
    assert len(calls) < 20, "each list item was completed on its own"


# ---- plain leaf fields ----------------------------------------------------------------------

ITEMS_SCHEMA = build_schema("""
    enum Kind { PHOTO VIDEO }
    type Item {
      id: ID!
      name: String
      ratio: Float!
      kind: Kind
      label: String!
      shout(loud: Boolean = false): String
    }
    type Query { items: [Item!]! }
""")
ITEMS_QUERY = parse("{ items { id name ratio kind label shout __typename } }")


@dataclass
class Item:
    id: Any
    name: Any
    ratio: Any
    kind: Any
    title: Any
    shout: Any = None


def _label(item: Item) -> Any:
    if item.title == "raise":
        raise ValueError("no label")
    return item.title


ITEMS_SCHEMA.type_map["Item"].fields["label"].resolve = plain_resolver(_label)  # type: ignore[union-attr]

ITEM_CASES: list[list[Any]] = [
    [Item(UUID(int=1), "a", 1.5, "PHOTO", "A"), {"id": 2, "name": None, "ratio": 2,
                                                  "kind": "VIDEO", "label": "B"}],
    # A null where none may be, a value the scalar refuses, an enum value that does not
    # exist, a reader that raises, a callable value (the default resolver calls it).
    [Item(None, "a", 1.0, "PHOTO", "A"), Item(UUID(int=3), ["x"], float("inf"), "AUDIO", None)],
    [Item(UUID(int=4), lambda _info: "called", 0.5, None, "raise"),
     {"id": UUID(int=5), "name": 7, "ratio": "x", "kind": "PHOTO", "label": "C"}],
]


async def _run_items(context_class: type[ExecutionContext], items: list[Any],
                     query: Any = ITEMS_QUERY) -> Any:
    result = execute(ITEMS_SCHEMA, query, root_value={"items": items},
                     execution_context_class=context_class)
    if hasattr(result, "__await__"):
        result = await result  # type: ignore[misc]
    return result.data, sorted((e.message, tuple(e.path or ())) for e in result.errors or [])


@pytest.mark.parametrize("items", ITEM_CASES)
async def test_plain_fields_match_graphql_core(items: list[Any]) -> None:
    assert await _run_items(FastExecutionContext, items) == await _run_items(ExecutionContext,
                                                                             items)


async def test_a_plain_field_resolving_to_an_awaitable_takes_the_general_path() -> None:
    data, errors = await _run_items(FastExecutionContext,
                                    [Item(UUID(int=1), _awaitable("late"), 1.0, "PHOTO", "A")])
    assert data["items"][0]["name"] == "late" and not errors


def test_plain_fields_skip_the_resolve_info(monkeypatch: pytest.MonkeyPatch) -> None:
    infos: list[str] = []
    original = ExecutionContext.build_resolve_info

    def counting(self: ExecutionContext, field_def: Any, field_nodes: Any, *args: Any) -> Any:
        infos.append(field_nodes[0].name.value)
        return original(self, field_def, field_nodes, *args)

    monkeypatch.setattr(ExecutionContext, "build_resolve_info", counting)
    items = [Item(UUID(int=i), "n", 1.0, "PHOTO", "L") for i in range(100)]
    result = execute(ITEMS_SCHEMA, ITEMS_QUERY, root_value={"items": items},
                     execution_context_class=FastExecutionContext)
    assert not result.errors  # type: ignore[union-attr]
    assert result.data["items"][99] == {  # type: ignore[index]
        "id": str(UUID(int=99)), "name": "n", "ratio": 1.0, "kind": "PHOTO", "label": "L",
        "shout": None, "__typename": "Item"}
    # Only the root field, the field with arguments and the meta field build one.
    assert sorted(set(infos)) == ["__typename", "items", "shout"]
    assert infos.count("label") == 0 and len(infos) == 1 + 2 * 100


# ---- objects of plain fields only ------------------------------------------------------------

PLAIN_QUERY = parse("""{ items { id n: name ratio kind label __typename
                                 skipped: name @skip(if: true) ...more } }
                       fragment more on Item { name }""")


@pytest.mark.parametrize("items", ITEM_CASES)
async def test_objects_of_plain_fields_match_graphql_core(items: list[Any]) -> None:
    assert (await _run_items(FastExecutionContext, items, PLAIN_QUERY)
            == await _run_items(ExecutionContext, items, PLAIN_QUERY))


def test_objects_of_plain_fields_skip_the_field_execution(
        monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    original = ExecutionContext.execute_fields

    def counting(self: ExecutionContext, *args: Any) -> Any:
        calls.append(1)
        return original(self, *args)

    monkeypatch.setattr(ExecutionContext, "execute_fields", counting)
    items = [Item(UUID(int=i), "n", 1.0, "VIDEO", "L") for i in range(100)]
    result = execute(ITEMS_SCHEMA, PLAIN_QUERY, root_value={"items": items},
                     execution_context_class=FastExecutionContext)
    assert not result.errors  # type: ignore[union-attr]
    assert result.data["items"][99] == {  # type: ignore[index]
        "id": str(UUID(int=99)), "n": "n", "ratio": 1.0, "kind": "VIDEO", "label": "L",
        "__typename": "Item", "name": "n"}
    assert len(calls) == 1, "each object's fields were executed one by one"  # the root's
