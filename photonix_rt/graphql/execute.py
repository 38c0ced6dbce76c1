"""Parse, validate (with our limits) and execute one GraphQL operation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    ExecutionResult,
    GraphQLError,
    GraphQLSchema,
    OperationType,
    execute,
    get_operation_ast,
    parse,
    specified_rules,
    validate,
)
from graphql.pyutils import is_awaitable

from photonix_rt.graphql.errors import format_error
from photonix_rt.graphql.limits import depth_limit_rule

__all__ = ["Prepared", "prepare", "result_to_json", "run"]


@dataclass(frozen=True)
class Prepared:
    """A parsed, validated document and the kind of its chosen operation."""

    document: DocumentNode
    operation: OperationType


def prepare(schema: GraphQLSchema, source: str, operation_name: str | None,
            max_depth: int) -> Prepared | list[GraphQLError]:
    """The validated document, or the errors that make it unacceptable."""
    try:
        document = parse(source)
    except GraphQLError as error:
        return [error]
    errors = validate(schema, document, [*specified_rules, depth_limit_rule(max_depth)])
    if errors:
        return errors
    operation = get_operation_ast(document, operation_name)
    if operation is None:
        return [GraphQLError("the document has no operation of that name")]
    return Prepared(document, operation.operation)


async def run(schema: GraphQLSchema, prepared: Prepared, variables: dict[str, Any] | None,
              operation_name: str | None, context: Any) -> ExecutionResult:
    """Execute a query or mutation (subscriptions go through the WebSocket endpoint)."""
    result = execute(schema, prepared.document, context_value=context,
                     variable_values=variables, operation_name=operation_name)
    if is_awaitable(result):
        result = await result  # type: ignore[misc]
    return result  # type: ignore[return-value]


def result_to_json(result: ExecutionResult) -> dict[str, Any]:
    """The response body: data and client-safe errors."""
    body: dict[str, Any] = {"data": result.data}
    if result.errors:
        body["errors"] = [format_error(e) for e in result.errors]
    return body
