"""Text the database cannot store is refused where it enters: GraphQL literals and variables.

PostgreSQL text holds no NUL character and UTF-8 has no unpaired surrogates, so a string
with either would fail deep inside a resolver as an internal error. Checking every string
literal (a validation rule) and every variable value here answers BAD_USER_INPUT instead,
for every argument of every field at once.
"""

from __future__ import annotations

from typing import Any

from graphql import ASTValidationRule, GraphQLError, StringValueNode

__all__ = ["BAD_TEXT", "bad_text", "check_variables", "text_input_rule"]

BAD_TEXT = "text may not contain NUL characters or unpaired surrogates"


def bad_text(value: str) -> bool:
    """Whether ``value`` cannot be stored as PostgreSQL text."""
    if "\x00" in value:
        return True
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _error(node: Any = None) -> GraphQLError:
    return GraphQLError(BAD_TEXT, node, extensions={"code": "BAD_USER_INPUT"})


class text_input_rule(ASTValidationRule):
    """Reports string literals that cannot be stored."""

    def enter_string_value(self, node: StringValueNode, *_args: Any) -> None:
        if bad_text(node.value):
            self.report_error(_error(node))


def check_variables(variables: Any) -> list[GraphQLError]:
    """One error if any string in the variables (keys included) cannot be stored."""
    pending = [variables]
    while pending:
        value = pending.pop()
        if isinstance(value, str):
            if bad_text(value):
                return [_error()]
        elif isinstance(value, dict):
            pending.extend(value.keys())
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
    return []
