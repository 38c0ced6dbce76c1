"""Sign-in, sessions and user management: arguments in, auth and user services, values out."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from uuid import UUID

from photonix_rt.graphql.context import context_of, require_viewer
from photonix_rt.graphql.plain import attr
from photonix_rt.ids import parse_uuid

if TYPE_CHECKING:
    from graphql import GraphQLResolveInfo

    from photonix_rt.services.auth import AuthPayload
    from photonix_rt.services.users import User

__all__ = ["RESOLVERS", "parse_id"]


def parse_id(value: str, what: str = "thing") -> UUID:
    """A UUID from a GraphQL ID; a malformed id is simply not found."""
    return parse_uuid(value, what)


# Queries.

async def _me(_obj: Any, info: GraphQLResolveInfo) -> User | None:
    context = context_of(info)
    if context.viewer is None:
        return None
    return await context.services.users.get(context.viewer.user_id)


async def _users(_obj: Any, info: GraphQLResolveInfo) -> list[User]:
    context = context_of(info)
    return await context.services.users.list_by(context.viewer)


# Mutations.

async def _login(_obj: Any, info: GraphQLResolveInfo, username: str,
                 password: str) -> AuthPayload:
    context = context_of(info)
    return await context.services.auth.login(username, password, context.client_ip)


async def _refresh(_obj: Any, info: GraphQLResolveInfo, refreshToken: str) -> AuthPayload:
    return await context_of(info).services.auth.refresh(refreshToken)


async def _logout(_obj: Any, info: GraphQLResolveInfo, refreshToken: str) -> bool:
    return await context_of(info).services.auth.logout(refreshToken)


async def _change_password(_obj: Any, info: GraphQLResolveInfo, oldPassword: str,
                           newPassword: str) -> bool:
    context = context_of(info)
    viewer = require_viewer(info)
    return await context.services.auth.change_password(viewer, oldPassword, newPassword,
                                                       context.session_id)


async def _create_user(_obj: Any, info: GraphQLResolveInfo, username: str, password: str,
                       isAdmin: bool = False) -> User:
    context = context_of(info)
    return await context.services.users.create_by(context.viewer, username, password,
                                                  bool(isAdmin))


async def _set_user_active(_obj: Any, info: GraphQLResolveInfo, id: str,
                           active: bool) -> User:
    context = context_of(info)
    require_viewer(info)
    return await context.services.users.set_active_by(context.viewer, parse_id(id, "user"),
                                                      active)


RESOLVERS: dict[tuple[str, str], Callable[..., Any]] = {
    ("Query", "me"): _me,
    ("Query", "users"): _users,
    ("Mutation", "login"): _login,
    ("Mutation", "refreshToken"): _refresh,
    ("Mutation", "logout"): _logout,
    ("Mutation", "changePassword"): _change_password,
    ("Mutation", "createUser"): _create_user,
    ("Mutation", "setUserActive"): _set_user_active,
    ("User", "isAdmin"): attr("is_admin"),
    ("User", "isActive"): attr("is_active"),
    ("User", "createdAt"): lambda user, _info: user.created_at.isoformat(),
    ("AuthPayload", "accessToken"): attr("access_token"),
    ("AuthPayload", "refreshToken"): attr("refresh_token"),
    ("AuthPayload", "expiresIn"): attr("expires_in"),
}
