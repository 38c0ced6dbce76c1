"""An execution context that completes lists of plain scalar values in one pass.

graphql-core completes every list item on its own: a path object, awaitable checks, a
serialize call and error handling each, about 10 µs per item. A month of 4,000 photos sent
as parallel arrays (``bucketPhotos``) spent 40% of its server time there. A list whose items
are plain values of a scalar or enum type is completed by one loop here; anything else (an
awaitable, a value the type refuses, a null where none may be) goes the general way, so
results and errors are exactly graphql-core's.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from graphql import (
    ExecutionContext,
    GraphQLError,
    GraphQLList,
    GraphQLOutputType,
    Undefined,
    get_nullable_type,
    is_leaf_type,
    is_non_null_type,
)

__all__ = ["LeafListExecutionContext"]

# Values that are never awaitables and that our resolvers hand to scalars and enums.
_PLAIN = frozenset({str, int, float, bool, UUID})


class LeafListExecutionContext(ExecutionContext):
    """``ExecutionContext`` with a fast path for lists of scalars and enums."""

    def complete_list_value(self, return_type: GraphQLList[GraphQLOutputType],
                            field_nodes: Any, info: Any, path: Any, result: Any) -> Any:
        item_type = return_type.of_type
        leaf = get_nullable_type(item_type)
        if isinstance(result, list) and is_leaf_type(leaf):
            completed = _serialize_all(result, leaf.serialize,  # type: ignore[union-attr]
                                       nulls_allowed=not is_non_null_type(item_type))
            if completed is not None:
                return completed
        return super().complete_list_value(return_type, field_nodes, info, path, result)


def _serialize_all(items: list[Any], serialize: Any, *, nulls_allowed: bool) -> list[Any] | None:
    """Every item serialized, or None when one needs graphql-core's own handling."""
    completed: list[Any] = []
    append = completed.append
    try:
        for item in items:
            if item is None:
                if not nulls_allowed:
                    return None
                append(None)
                continue
            if type(item) not in _PLAIN:
                return None
            value = serialize(item)
            if value is None or value is Undefined:
                return None
            append(value)
    except (GraphQLError, TypeError, ValueError):  # raised again, located, the general way
        return None
    return completed
