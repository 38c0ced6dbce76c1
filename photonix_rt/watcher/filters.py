"""Which file names the watcher ignores: hidden files and the temporaries of copy tools."""

from __future__ import annotations

__all__ = ["is_ignored"]

_TEMP_SUFFIXES = (".tmp", ".part", ".partial", ".crdownload", ".download", ".swp")


def is_ignored(name: str) -> bool:
    """Hidden (``.*``), Office lock (``~$*``) and in-progress download/copy names."""
    return (name.startswith(".") or name.startswith("~$")
            or name.lower().endswith(_TEMP_SUFFIXES))
