"""First run: whether set-up is needed, and creating the first admin with a set-up token."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from photonix_rt.graphql.context import context_of

if TYPE_CHECKING:
    from graphql import GraphQLResolveInfo

__all__ = ["RESOLVERS"]


async def _setup_required(_obj: Any, info: GraphQLResolveInfo) -> bool:
    return await context_of(info).services.first_run.setup_required()


async def _create_first_admin(_obj: Any, info: GraphQLResolveInfo, setupToken: str,
                              username: str, password: str) -> Any:
    return await context_of(info).services.first_run.create_first_admin(
        setupToken, username, password)


RESOLVERS: dict[tuple[str, str], Callable[..., Any]] = {
    ("Query", "setupRequired"): _setup_required,
    ("Mutation", "createFirstAdmin"): _create_first_admin,
}
