"""Parse, validate (with our limits) and execute one GraphQL operation."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

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
from graphql.validation import NoSchemaIntrospectionCustomRule

from photonix_rt.graphql.errors import format_error
from photonix_rt.graphql.inputs import check_variables, text_input_rule
from photonix_rt.graphql.limits import QueryLimits, cost_limit_rule, depth_limit_rule

if TYPE_CHECKING:
    from graphql import ASTValidationRule

    from photonix_rt.config import Config

__all__ = ["Prepared", "introspection_allowed", "prepare", "result_to_json", "run"]


@dataclass(frozen=True)
class Prepared:
    """A parsed, validated document and the kind of its chosen operation."""

    document: DocumentNode
    operation: OperationType


def introspection_allowed(config: Config, signed_in: bool) -> bool:
    """``PHOTONIX_INTROSPECTION``: ``on`` for everyone, ``signed-in`` only, or ``off``."""
    return config.introspection == "on" or (config.introspection == "signed-in" and signed_in)


def _rules(config: Config, signed_in: bool) -> list[type[ASTValidationRule]]:
    rules = [*specified_rules, text_input_rule, depth_limit_rule(config.max_query_depth),
             cost_limit_rule(QueryLimits(max_cost=config.max_query_cost,
                                         max_fields=config.max_query_fields,
                                         max_page_size=config.max_page_size))]
    if not introspection_allowed(config, signed_in):
        rules.append(NoSchemaIntrospectionCustomRule)
    return rules


def prepare(schema: GraphQLSchema, source: str, operation_name: str | None, config: Config,
            *, signed_in: bool) -> Prepared | list[GraphQLError]:
    """The validated document, or the errors that make it unacceptable.

    The document's length and token count are bounded before parsing finishes, and the
    validation rules bound depth, field count and cost, so no request holds the loop long.
    """
    if len(source) > config.max_query_length:
        return [GraphQLError(f"the document is longer than {config.max_query_length} "
                             "characters")]
    try:
        document = parse(source, no_location=False, max_tokens=config.max_query_tokens)
    except GraphQLError as error:
        return [error]
    errors = validate(schema, document, _rules(config, signed_in))
    if errors:
        return errors
    operation = get_operation_ast(document, operation_name)
    if operation is None:
        return [GraphQLError("the document has no operation of that name")]
    return Prepared(document, operation.operation)


async def run(schema: GraphQLSchema, prepared: Prepared, variables: dict[str, Any] | None,
              operation_name: str | None, context: Any) -> ExecutionResult:
    """Execute a query or mutation (subscriptions go through the WebSocket endpoint)."""
    bad_input = check_variables(variables)
    if bad_input:
        return ExecutionResult(data=None, errors=bad_input)
    # Parsing and validation ran synchronously: let other requests in before executing.
    await asyncio.sleep(0)
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
