"""Scaffolding: replaced by the users service implementation (work in progress)."""

from __future__ import annotations

from typing import Any

__all__ = ["UserService"]


class UserService:
    def __init__(self, *args: Any) -> None:
        self._args = args
