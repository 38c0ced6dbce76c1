"""Validation rules that bound the work one query can ask for: depth, field count and cost.

Each rule walks the operation with fragments expanded, but computes a fragment's figures once
(memoised per fragment name), so a document whose fragments each spread the next one twice
costs linear time to check, not exponential. Usage::

    validate(schema, document, [*specified_rules, depth_limit_rule(12),
                                cost_limit_rule(QueryLimits(...))])
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graphql import (
    ASTValidationRule,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    get_named_type,
)

__all__ = ["QueryLimits", "cost_limit_rule", "depth_limit_rule"]


def _fragments(context: ValidationContext) -> dict[str, FragmentDefinitionNode]:
    return {d.name.value: d for d in context.document.definitions
            if isinstance(d, FragmentDefinitionNode)}


class _DepthWalker:
    """Depth of selection sets; a fragment's depth is computed once."""

    def __init__(self, fragments: dict[str, FragmentDefinitionNode]) -> None:
        self._fragments = fragments
        self._memo: dict[str, int] = {}
        self._active: set[str] = set()  # fragment cycles are another rule's error

    def depth(self, node: SelectionSetNode | None) -> int:
        if node is None:
            return 0
        deepest = 0
        for selection in node.selections:
            if isinstance(selection, FieldNode):
                if selection.name.value.startswith("__"):
                    continue  # introspection is bounded by the schema itself
                deepest = max(deepest, 1 + self.depth(selection.selection_set))
            elif isinstance(selection, InlineFragmentNode):
                deepest = max(deepest, self.depth(selection.selection_set))
            elif isinstance(selection, FragmentSpreadNode):
                deepest = max(deepest, self._fragment_depth(selection.name.value))
        return deepest

    def _fragment_depth(self, name: str) -> int:
        if name in self._memo:
            return self._memo[name]
        fragment = self._fragments.get(name)
        if fragment is None or name in self._active:
            return 0
        self._active.add(name)
        try:
            found = self.depth(fragment.selection_set)
        finally:
            self._active.discard(name)
        self._memo[name] = found
        return found


def depth_limit_rule(max_depth: int) -> type[ASTValidationRule]:
    """A rule refusing operations nested deeper than ``max_depth`` fields."""

    class DepthLimitRule(ASTValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            self._walker = _DepthWalker(_fragments(context))

        def enter_operation_definition(self, node: OperationDefinitionNode,
                                       *_args: Any) -> None:
            depth = self._walker.depth(node.selection_set)
            if depth > max_depth:
                self.report_error(GraphQLError(
                    f"query is {depth} levels deep; the limit is {max_depth}", node))

    return DepthLimitRule


@dataclass(frozen=True)
class QueryLimits:
    """What one operation may ask for (``config.py`` holds the configured values)."""

    max_cost: int
    max_fields: int
    max_page_size: int
    introspection_cost: int = 1000


@dataclass(frozen=True)
class _Tally:
    cost: int
    fields: int

    def __add__(self, other: _Tally) -> _Tally:
        return _Tally(self.cost + other.cost, self.fields + other.fields)


_NOTHING = _Tally(0, 0)


class _CostWalker:
    """Cost and field count of selection sets, typed by the schema.

    Every field costs 1 (``__schema``/``__type`` cost ``introspection_cost``); a field with a
    ``first`` argument multiplies its children by that page size (a variable counts as the
    largest page). Aliases are separate fields, so they count separately.
    """

    def __init__(self, schema: GraphQLSchema, fragments: dict[str, FragmentDefinitionNode],
                 limits: QueryLimits) -> None:
        self._schema = schema
        self._fragments = fragments
        self._limits = limits
        self._memo: dict[str, _Tally] = {}
        self._active: set[str] = set()

    def tally(self, node: SelectionSetNode | None, parent: Any) -> _Tally:
        if node is None:
            return _NOTHING
        total = _NOTHING
        for selection in node.selections:
            if isinstance(selection, FieldNode):
                total = total + self._field(selection, parent)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                inner = (self._schema.get_type(condition.name.value) if condition is not None
                         else parent)
                total = total + self.tally(selection.selection_set, inner)
            elif isinstance(selection, FragmentSpreadNode):
                total = total + self._fragment(selection.name.value)
        return total

    def _field(self, node: FieldNode, parent: Any) -> _Tally:
        name = node.name.value
        if name in ("__schema", "__type"):
            own = self._limits.introspection_cost
        else:
            own = 0 if name == "__typename" else 1
        definition = None
        if isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
            definition = parent.fields.get(name)
        if name == "__schema":
            child_type: Any = self._schema.get_type("__Schema")
        elif name == "__type":
            child_type = self._schema.get_type("__Type")
        else:
            child_type = get_named_type(definition.type) if definition is not None else None
        children = self.tally(node.selection_set, child_type)
        page = self._page_size(node, definition)
        return _Tally(own + page * children.cost, 1 + children.fields)

    def _page_size(self, node: FieldNode, definition: Any) -> int:
        """The ``first`` argument, capped by the server's page size (1 without one)."""
        if definition is None or "first" not in definition.args:
            return 1
        cap = self._limits.max_page_size
        for argument in node.arguments or ():
            if argument.name.value == "first":
                if isinstance(argument.value, IntValueNode):
                    return max(1, min(int(argument.value.value), cap))
                return cap  # a variable (or anything else): assume the largest page
        default = definition.args["first"].default_value
        return max(1, min(default, cap)) if isinstance(default, int) else cap

    def _fragment(self, name: str) -> _Tally:
        if name in self._memo:
            return self._memo[name]
        fragment = self._fragments.get(name)
        if fragment is None or name in self._active:
            return _NOTHING
        self._active.add(name)
        try:
            found = self.tally(fragment.selection_set,
                               self._schema.get_type(fragment.type_condition.name.value))
        finally:
            self._active.discard(name)
        self._memo[name] = found
        return found


def cost_limit_rule(limits: QueryLimits) -> type[ASTValidationRule]:
    """A rule refusing operations that select too many fields or cost too much."""

    class CostLimitRule(ASTValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            self._walker = _CostWalker(context.schema, _fragments(context), limits)

        def enter_operation_definition(self, node: OperationDefinitionNode,
                                       *_args: Any) -> None:
            root = self.context.schema.get_root_type(node.operation)
            tally = self._walker.tally(node.selection_set, root)
            if tally.fields > limits.max_fields:
                self.report_error(GraphQLError(
                    f"query selects {tally.fields} fields; the limit is {limits.max_fields}",
                    node))
            if tally.cost > limits.max_cost:
                self.report_error(GraphQLError(
                    f"query costs {tally.cost}; the limit is {limits.max_cost}", node))

    return CostLimitRule
