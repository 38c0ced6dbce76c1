"""Parse, validate (with our limits) and execute one GraphQL operation."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from functools import lru_cache
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
from photonix_rt.graphql.fast_execution import FastExecutionContext
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


@dataclass(frozen=True)
class _Limits:
    """The settings that decide whether a document is acceptable (a cache key); the length
    bound is checked before the cache."""

    max_tokens: int
    max_depth: int
    max_cost: int
    max_fields: int
    max_page_size: int
    introspection: bool

    @classmethod
    def of(cls, config: Config, signed_in: bool) -> _Limits:
        return cls(config.max_query_tokens, config.max_query_depth,
                   config.max_query_cost, config.max_query_fields, config.max_page_size,
                   introspection_allowed(config, signed_in))


def _rules(limits: _Limits) -> list[type[ASTValidationRule]]:
    rules = [*specified_rules, text_input_rule, depth_limit_rule(limits.max_depth),
             cost_limit_rule(QueryLimits(max_cost=limits.max_cost,
                                         max_fields=limits.max_fields,
                                         max_page_size=limits.max_page_size))]
    if not limits.introspection:
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
    outcome = _prepare_cached(schema, source, operation_name, _Limits.of(config, signed_in))
    return list(outcome) if isinstance(outcome, tuple) else outcome


# Clients send the same few documents over and over; parsing and validating one costs a few
# milliseconds, a good part of a fast page's budget. The outcome depends only on the key (a
# document is never mutated by execution), and the length bound keeps each entry small.
@lru_cache(maxsize=512)
def _prepare_cached(schema: GraphQLSchema, source: str, operation_name: str | None,
                    limits: _Limits) -> Prepared | tuple[GraphQLError, ...]:
    try:
        document = parse(source, no_location=False, max_tokens=limits.max_tokens)
    except GraphQLError as error:
        return (error,)
    errors = validate(schema, document, _rules(limits))
    if errors:
        return tuple(errors)
    operation = get_operation_ast(document, operation_name)
    if operation is None:
        return (GraphQLError("the document has no operation of that name"),)
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
                     variable_values=variables, operation_name=operation_name,
                     execution_context_class=FastExecutionContext)
    if is_awaitable(result):
        result = await result  # type: ignore[misc]
    return result  # type: ignore[return-value]


def result_to_json(result: ExecutionResult) -> dict[str, Any]:
    """The response body: data and client-safe errors."""
    body: dict[str, Any] = {"data": result.data}
    if result.errors:
        body["errors"] = [format_error(e) for e in result.errors]
    return body
