"""Resolvers that read a field straight off their source object, shared by every resolver
module. They are ``plain_resolver``s, so the executor's fast path reads them without
building resolve info (``fast_execution``).

    ("Photo", "libraryId"): attr("library_id"),
    ("Photo", "createdAt"): iso("created_at"),
"""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter
from typing import Any

from photonix_rt.graphql.fast_execution import plain_resolver

__all__ = ["attr", "iso"]


def attr(name: str) -> Callable[..., Any]:
    """The source's attribute ``name`` (a snake_case field of a camelCase schema field)."""
    return plain_resolver(attrgetter(name))


def iso(name: str) -> Callable[..., Any]:
    """The source's datetime attribute ``name`` in ISO 8601, or null."""
    def read(source: Any) -> str | None:
        value = getattr(source, name)
        return value.isoformat() if value is not None else None
    return plain_resolver(read)
