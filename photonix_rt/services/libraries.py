"""Scaffolding: replaced by the libraries service implementation (work in progress)."""

from __future__ import annotations

from typing import Any

__all__ = ["LibraryService"]


class LibraryService:
    def __init__(self, *args: Any) -> None:
        self._args = args
