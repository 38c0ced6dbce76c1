"""Turn execution errors into client-safe GraphQL errors; domain errors keep their code."""

from __future__ import annotations

import logging
from typing import Any

from graphql import GraphQLError

from photonix_rt.errors import DomainError

__all__ = ["format_error"]

log = logging.getLogger(__name__)


def format_error(error: GraphQLError) -> dict[str, Any]:
    """The JSON for one error: domain errors as they are, anything else as 'internal'."""
    original = error.original_error
    if original is None:  # syntax / validation errors are about the query: safe to show
        formatted = error.formatted
        # Our own rules may have said what is wrong (BAD_USER_INPUT); keep their code.
        formatted.setdefault("extensions", {}).setdefault("code", "GRAPHQL_VALIDATION_FAILED")
        return dict(formatted)
    if isinstance(original, DomainError):
        return {"message": original.message, "path": error.path,
                "extensions": {"code": original.code}}
    log.error("resolver failed at %s", error.path, exc_info=original)
    return {"message": "internal server error", "path": error.path,
            "extensions": {"code": "INTERNAL"}}
