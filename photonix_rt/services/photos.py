"""Scaffolding: replaced by the photos service implementation (work in progress)."""

from __future__ import annotations

from typing import Any

__all__ = ["PhotoService"]


class PhotoService:
    def __init__(self, *args: Any) -> None:
        self._args = args
