"""Scaffolding: replaced by the auth service implementation (work in progress)."""

from __future__ import annotations

from typing import Any

__all__ = ["AuthService"]


class AuthService:
    def __init__(self, *args: Any) -> None:
        self._args = args
