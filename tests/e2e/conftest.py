"""End-to-end tests reuse the integration harness (real services, the real app on a port)."""

from tests.integration.conftest import config, fetch, gql, make_user, server, services

__all__ = ["config", "fetch", "gql", "make_user", "server", "services"]
