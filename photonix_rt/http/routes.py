"""The route table: URL patterns to handlers, each handler given the services."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from photonix_rt.services.container import Services

__all__ = ["routes"]


def routes(services: Services) -> list[Any]:
    deps = {"services": services}
    del deps
    return []
