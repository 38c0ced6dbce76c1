"""Validation rules that bound the work one query can ask for."""

from __future__ import annotations

from typing import Any

from graphql import (
    ASTValidationRule,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
)

__all__ = ["depth_limit_rule"]


def _depth(node: SelectionSetNode | None, fragments: dict[str, FragmentDefinitionNode],
           seen: frozenset[str]) -> int:
    if node is None:
        return 0
    deepest = 0
    for selection in node.selections:
        if isinstance(selection, FieldNode):
            if selection.name.value.startswith("__"):
                continue  # introspection is bounded by the schema itself
            deepest = max(deepest, 1 + _depth(selection.selection_set, fragments, seen))
        elif isinstance(selection, InlineFragmentNode):
            deepest = max(deepest, _depth(selection.selection_set, fragments, seen))
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            fragment = fragments.get(name)
            if fragment is not None and name not in seen:
                deepest = max(deepest, _depth(fragment.selection_set, fragments, seen | {name}))
    return deepest


def depth_limit_rule(max_depth: int) -> type[ASTValidationRule]:
    """A rule refusing operations nested deeper than ``max_depth`` fields."""

    class DepthLimitRule(ASTValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            self._fragments = {
                d.name.value: d for d in context.document.definitions
                if isinstance(d, FragmentDefinitionNode)
            }

        def enter_operation_definition(self, node: OperationDefinitionNode,
                                       *_args: Any) -> None:
            depth = _depth(node.selection_set, self._fragments, frozenset())
            if depth > max_depth:
                self.report_error(GraphQLError(
                    f"query is {depth} levels deep; the limit is {max_depth}", node))

    return DepthLimitRule
