"""A stock graphql-ws client in Node (``follow_events.mjs``) following ``events`` for a test.

Usage::

    follower = await EventFollower.start(script, "http://127.0.0.1:8080", token, library, since)
    await follower.wait_for(lambda events: len(events) >= 3, timeout_s=120)
    follower.kill()          # SIGKILL: the socket is cut, as when a phone drops off Wi-Fi
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["EventFollower"]

Events = list[dict[str, Any]]


class EventFollower:
    """Collects every ``events`` result the Node client prints, in arrival order."""

    def __init__(self, name: str, process: asyncio.subprocess.Process) -> None:
        self.name = name
        self.process = process
        self.events: Events = []
        self.problems: list[str] = []   # errors in results, unparsable lines
        self._changed = asyncio.Event()
        self._reader: asyncio.Task[None] | None = None

    @classmethod
    async def start(cls, script: Path, server: str, token: str, library: str,
                    since: int | None, *, name: str, timeout_s: float = 60,
                    env: dict[str, str] | None = None) -> EventFollower:
        """``server`` is http(s)://host:port; ``env`` replaces Node's environment if given."""
        url = server.replace("http", "ws", 1) + "/graphql"
        args = [str(script), url, token, library] + ([str(since)] if since is not None else [])
        process = await asyncio.create_subprocess_exec(
            "node", *args, cwd=script.parent, env=env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        follower = cls(name, process)
        assert process.stdout is not None
        first = await asyncio.wait_for(process.stdout.readline(), timeout_s)
        if json.loads(first or b"null") != {"connected": True}:
            follower.kill()
            raise AssertionError(f"{name}: no connection_ack, got {first!r}: "
                                 f"{await follower.stderr()}")
        follower._reader = asyncio.create_task(follower._read())
        return follower

    async def _read(self) -> None:
        assert self.process.stdout is not None
        while line := await self.process.stdout.readline():
            try:
                result = json.loads(line)
            except ValueError:
                self.problems.append(f"not JSON: {line!r}")
                continue
            if result.get("errors") or not (result.get("data") or {}).get("events"):
                self.problems.append(f"error result: {result}")
            else:
                self.events.append(result["data"]["events"])
            self._changed.set()
        self._changed.set()  # the process ended: wake waiters so they can fail fast

    async def stderr(self) -> str:
        assert self.process.stderr is not None
        if self.process.returncode is None:
            return "(still running)"
        return (await self.process.stderr.read()).decode(errors="replace")

    async def wait_for(self, done: Callable[[Events], bool], timeout_s: float,
                       what: str) -> None:
        """Until ``done(events)``; fails if the client exits or errs, or on the deadline."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout_s
        while not done(self.events):
            if self.problems:
                raise AssertionError(f"{self.name}: {self.problems}")
            if self._reader is not None and self._reader.done():
                code = await self.process.wait()
                raise AssertionError(f"{self.name}: node exited {code} before {what}: "
                                     f"{await self.stderr()}")
            self._changed.clear()
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(f"{self.name}: no {what} within {timeout_s}s; "
                                     f"got {self.events}")
            with contextlib.suppress(TimeoutError):  # re-check at least every second
                await asyncio.wait_for(self._changed.wait(), min(remaining, 1.0))
        if self.problems:
            raise AssertionError(f"{self.name}: {self.problems}")

    def kill(self) -> None:
        """SIGKILL: the kernel closes the socket, no graphql-ws ``complete`` is sent."""
        if self.process.returncode is None:
            self.process.kill()

    async def close(self) -> None:
        self.kill()
        await self.process.wait()
        if self._reader is not None:
            await asyncio.gather(self._reader, return_exceptions=True)
