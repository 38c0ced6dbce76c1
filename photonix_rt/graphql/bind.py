"""Build the schema from the SDL files and attach every resolver module's functions to it.

Each module in ``photonix_rt.graphql.resolvers`` exports ``RESOLVERS``, a mapping of
``(type name, field name)`` to a resolver ``(obj, info, **args)``; subscription fields map to
a ``(subscribe, resolve)`` pair in ``SUBSCRIPTIONS``. Modules are discovered, so adding a
domain means adding one ``.graphql`` file and one resolver module.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from importlib import resources
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    Undefined,
    build_schema,
    default_field_resolver,
    get_named_type,
)

from photonix_rt import __version__
from photonix_rt.graphql import resolvers as resolvers_package
from photonix_rt.graphql.context import require_viewer

__all__ = ["PUBLIC_ROOT_FIELDS", "build", "load_sdl"]

Resolver = Callable[..., Any]

# Root fields anyone may call. Every other root field checks for a signed-in viewer before
# its resolver runs, so an anonymous caller learns nothing about which ids exist.
PUBLIC_ROOT_FIELDS = frozenset({
    ("Query", "serverVersion"),
    ("Query", "me"),
    ("Mutation", "login"),
    # First run: nobody can sign in before the first admin exists (the set-up token guards it).
    ("Query", "setupRequired"),
    ("Mutation", "createFirstAdmin"),
    ("Mutation", "refreshToken"),
    ("Mutation", "logout"),
})


def _signed_in_only(resolve: Resolver) -> Resolver:
    def checked(obj: Any, info: Any, **args: Any) -> Any:
        require_viewer(info)
        return resolve(obj, info, **args)
    return checked


def _require_sign_in(schema: GraphQLSchema) -> None:
    """Wrap every non-public root field's resolver (and subscribe) in the viewer check."""
    for root in (schema.query_type, schema.mutation_type, schema.subscription_type):
        if root is None:
            continue
        for name, field in root.fields.items():
            if (root.name, name) in PUBLIC_ROOT_FIELDS:
                continue
            _gate(field)


def _gate(field: GraphQLField) -> None:
    field.resolve = _signed_in_only(field.resolve or default_field_resolver)
    if field.subscribe is not None:
        field.subscribe = _signed_in_only(field.subscribe)


def load_sdl() -> str:
    """Every ``schema/*.graphql`` file, in name order (``000_base`` first)."""
    folder = resources.files("photonix_rt.graphql") / "schema"
    files = sorted((e for e in folder.iterdir() if e.name.endswith(".graphql")),
                   key=lambda e: e.name)
    return "\n".join(f.read_text("utf-8") for f in files)


def _field(schema: GraphQLSchema, type_name: str, field_name: str) -> Any:
    graphql_type = schema.type_map.get(type_name)
    if not isinstance(graphql_type, GraphQLObjectType):
        raise LookupError(f"resolver for unknown type {type_name}")
    try:
        return graphql_type.fields[field_name]
    except KeyError:
        raise LookupError(f"resolver for unknown field {type_name}.{field_name}") from None


def _remap_default(holder: Any) -> None:
    """An SDL default of an enum was parsed to the enum's name; give it the bound value."""
    enum_type = get_named_type(holder.type)
    if not isinstance(enum_type, GraphQLEnumType) or holder.default_value is Undefined:
        return

    def value_of(name: Any) -> Any:
        member = enum_type.values.get(name) if isinstance(name, str) else None
        return member.value if member is not None else name

    default = holder.default_value
    holder.default_value = ([value_of(v) for v in default] if isinstance(default, list)
                            else value_of(default))


def _remap_enum_defaults(schema: GraphQLSchema) -> None:
    for named in schema.type_map.values():
        if isinstance(named, GraphQLObjectType | GraphQLInterfaceType):
            for field in named.fields.values():
                for arg in field.args.values():
                    _remap_default(arg)
        elif isinstance(named, GraphQLInputObjectType):
            for input_field in named.fields.values():
                _remap_default(input_field)


def build() -> GraphQLSchema:
    """The executable schema: SDL plus every resolver module's bindings."""
    schema = build_schema(load_sdl())
    _field(schema, "Query", "serverVersion").resolve = lambda _obj, _info: __version__
    for module_info in sorted(pkgutil.iter_modules(resolvers_package.__path__),
                              key=lambda m: m.name):
        module = importlib.import_module(f"{resolvers_package.__name__}.{module_info.name}")
        for (type_name, field_name), resolver in getattr(module, "RESOLVERS", {}).items():
            _field(schema, type_name, field_name).resolve = resolver
        for (type_name, field_name), pair in getattr(module, "SUBSCRIPTIONS", {}).items():
            field = _field(schema, type_name, field_name)
            field.subscribe, field.resolve = pair
        for type_name, values in getattr(module, "ENUM_VALUES", {}).items():
            enum_type = schema.type_map[type_name]
            for name, value in values.items():
                enum_type.values[name].value = value  # type: ignore[attr-defined]
    _remap_enum_defaults(schema)
    _require_sign_in(schema)
    return schema
