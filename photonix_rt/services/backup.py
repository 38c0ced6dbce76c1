"""Backups of what cannot be re-created from the photos, and restoring them into a new data dir.

One archive (a tar file, mode 0600: it holds the signing key) with

- ``manifest.json``: format, when, the migrations the database had, pg_dump's version;
- ``database.dump``: ``pg_dump`` custom format of the whole database (ratings, albums, people
  and their names, share links, users, libraries, files, classification results, events);
- ``secret.key``: the signing key, so sessions and links stay valid after a restore.

Thumbnails, models and face indexes are left out: the server re-creates thumbnails after a
restore (``thumbnail_rebuild.py``), models are installed again, face indexes are rebuilt from
the faces in the database. Usage::

    path = await write_backup(url, config.secret_key_path, config.backup_dir / backup_name())
    await restore_backup(config, path)   # the data dir (and database) must be empty
    await run_backup_schedule(url, config)  # in `serve`: daily, keeps the newest N
"""

from __future__ import annotations

import asyncio
import io
import json
import logging
import os
import tarfile
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from photonix_rt.errors import Conflict, Invalid
from photonix_rt.store import dump as dump_store
from photonix_rt.store.db import Database
from photonix_rt.store.migrate import available_migrations

if TYPE_CHECKING:
    from collections.abc import Callable
    from contextlib import AbstractAsyncContextManager

    from photonix_rt.config import Config

    UrlOpener = Callable[[Config], AbstractAsyncContextManager[str]]

__all__ = ["BACKUP_PREFIX", "REBUILD_THUMBNAILS_MARKER", "Manifest", "backup_due", "backup_name",
           "prune_backups", "read_manifest", "restore_backup", "run_backup_schedule",
           "write_backup"]

log = logging.getLogger(__name__)

FORMAT = 1
BACKUP_PREFIX = "photonix-rt-backup-"
_MANIFEST, _DUMP, _SECRET = "manifest.json", "database.dump", "secret.key"
# Written into a restored data dir: the server re-creates every missing thumbnail, then
# removes it.
REBUILD_THUMBNAILS_MARKER = "rebuild-thumbnails"
DAY = timedelta(days=1)


@dataclass(frozen=True)
class Manifest:
    format: int
    created_at: str
    migrations: list[str]
    pg_dump_major: int
    has_secret: bool

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Manifest:
        try:
            return cls(int(data["format"]), str(data["created_at"]),
                       [str(m) for m in data["migrations"]], int(data["pg_dump_major"]),
                       bool(data["has_secret"]))
        except (KeyError, TypeError, ValueError) as error:
            raise Invalid(f"not a photonix-rt backup: bad manifest ({error})") from None


def backup_name(now: datetime | None = None) -> str:
    """``photonix-rt-backup-20261204T170000Z.tar``: sorts by time."""
    now = now or datetime.now(UTC)
    return f"{BACKUP_PREFIX}{now:%Y%m%dT%H%M%SZ}.tar"


def _private(info: tarfile.TarInfo) -> tarfile.TarInfo:
    info.mode, info.uid, info.gid, info.uname, info.gname = 0o600, 0, 0, "", ""
    return info


def _write_archive(target: Path, manifest: Manifest, dump: Path, secret: bytes | None) -> None:
    """Blocking: the archive, written beside ``target`` and renamed into place (0600)."""
    partial = target.with_name(f".{target.name}.partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as out, tarfile.open(fileobj=out, mode="w") as tar:
            members = [(_MANIFEST, json.dumps(manifest.__dict__, indent=2).encode())]
            if secret is not None:
                members.append((_SECRET, secret))
            for name, data in members:
                info = tarfile.TarInfo(name)
                info.size, info.mode, info.mtime = len(data), 0o600, int(time.time())
                tar.addfile(info, io.BytesIO(data))
            tar.add(dump, arcname=_DUMP, filter=_private)
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


async def write_backup(url: str, secret_path: Path, target: Path) -> Path:
    """Dump the database at ``url`` and add the signing key; returns ``target``."""
    db = await Database.connect(url)
    try:
        major = await dump_store.server_major(db)
        migrations = await dump_store.applied_migrations(db)
    finally:
        await db.close()
    tools = await asyncio.to_thread(dump_store.find_tools, major)
    try:
        secret: bytes | None = await asyncio.to_thread(secret_path.read_bytes)
    except FileNotFoundError:
        secret = None  # never served yet: sessions would be new anyway
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".backup-") as tmp:
        dump = Path(tmp) / _DUMP
        await asyncio.to_thread(dump_store.dump_database, url, tools, dump)
        manifest = Manifest(FORMAT, datetime.now(UTC).isoformat(), migrations, tools.major,
                            secret is not None)
        await asyncio.to_thread(_write_archive, target, manifest, dump, secret)
    log.info("backup written to %s", target)
    return target


def read_manifest(source: Path) -> Manifest:
    """Blocking: the archive's manifest; Invalid if it is no backup of ours."""
    try:
        with tarfile.open(source, mode="r:") as tar:
            member = tar.extractfile(_MANIFEST)
            if member is None:
                raise KeyError(_MANIFEST)
            return Manifest.from_json(json.loads(member.read()))
    except (OSError, tarfile.TarError, KeyError, ValueError) as error:
        raise Invalid(f"{source} is not a photonix-rt backup: {error}") from None


def _extract(source: Path, folder: Path) -> tuple[Path, bytes | None]:
    """Blocking: the dump (into ``folder``) and the key. Only our own member names are read,
    never paths from the archive."""
    with tarfile.open(source, mode="r:") as tar:
        dump = tar.extractfile(_DUMP)
        if dump is None:
            raise Invalid(f"{source} holds no database dump")
        target = folder / _DUMP
        with target.open("wb") as out:
            while chunk := dump.read(1024 * 1024):
                out.write(chunk)
        try:
            secret_member = tar.extractfile(_SECRET)
        except KeyError:
            secret_member = None
        secret = secret_member.read() if secret_member is not None else None
    return target, secret


def _check_empty_data_dir(config: Config) -> None:
    if config.secret_key_path.exists():
        raise Conflict(f"{config.data_dir} is in use (it has a secret.key); "
                       "restore into a new, empty data dir")
    pgdata = config.pgdata_dir
    if config.database_url is None and pgdata.is_dir() and any(pgdata.iterdir()):
        raise Conflict(f"{pgdata} already holds a database; restore into a new data dir")


def _write_secret(path: Path, secret: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(secret)


async def restore_backup(config: Config, source: Path, database_url: UrlOpener) -> Manifest:
    """Bring a backup back into ``config``'s empty data dir and (empty) database.

    ``database_url(config)`` yields the database's URL (``app.database_url``: starting the
    embedded server in the data dir when there is no DATABASE_URL).
    """
    manifest = await asyncio.to_thread(read_manifest, source)
    if manifest.format != FORMAT:
        raise Invalid(f"backup format {manifest.format} is not supported (expected {FORMAT})")
    known = {m.name for m in available_migrations()}
    newer = [m for m in manifest.migrations if m not in known]
    if newer:
        raise Invalid("the backup was made by a newer photonix-rt (migrations "
                      f"{', '.join(newer)}); upgrade before restoring")
    await asyncio.to_thread(_check_empty_data_dir, config)
    config.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=config.data_dir, prefix=".restore-") as tmp:
        dump, secret = await asyncio.to_thread(_extract, source, Path(tmp))
        async with database_url(config) as url:
            db = await Database.connect(url)
            try:
                if not await dump_store.is_empty(db):
                    raise Conflict("the database is not empty; restore into a new database")
                major = await dump_store.server_major(db)
                tools = await asyncio.to_thread(dump_store.find_tools,
                                                max(major, manifest.pg_dump_major))
                await asyncio.to_thread(dump_store.restore_database, url, tools, dump)
                await dump_store.forget_face_indexes(db)
            finally:
                await db.close()
    if secret is not None:
        await asyncio.to_thread(_write_secret, config.secret_key_path, secret)
    await asyncio.to_thread((config.data_dir / REBUILD_THUMBNAILS_MARKER).touch)
    log.info("restored %s (%d migrations) into %s", source, len(manifest.migrations),
             config.data_dir)
    return manifest


# ---- the schedule ----------------------------------------------------------------------

def _backups(folder: Path) -> list[Path]:
    """Our backups in ``folder``, oldest first (their names sort by time)."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir()
                  if p.name.startswith(BACKUP_PREFIX) and p.name.endswith(".tar"))


def backup_due(folder: Path, now: datetime, every: timedelta = DAY) -> bool:
    """Blocking: no backup in ``folder`` is younger than ``every``."""
    backups = _backups(folder)
    if not backups:
        return True
    newest = datetime.fromtimestamp(backups[-1].stat().st_mtime, UTC)
    return now - newest >= every


def prune_backups(folder: Path, keep: int) -> list[Path]:
    """Blocking: delete all but the newest ``keep`` backups; returns those deleted."""
    backups = _backups(folder)
    doomed = backups[:max(0, len(backups) - keep)]
    for path in doomed:
        path.unlink(missing_ok=True)
    return doomed


async def run_backup_schedule(url: str, config: Config, check_every_s: float = 3600,
                              first_check_s: float = 600) -> None:
    """Forever: a backup when the newest is a day old, keeping ``config.backup_keep``.

    The first check waits ``first_check_s``: a server that is started and stopped again at
    once (tests, a bad configuration) does not dump its database each time.
    """
    folder = config.backup_dir
    await asyncio.sleep(first_check_s)
    while True:
        try:
            if await asyncio.to_thread(backup_due, folder, datetime.now(UTC)):
                await write_backup(url, config.secret_key_path, folder / backup_name())
                removed = await asyncio.to_thread(prune_backups, folder, config.backup_keep)
                if removed:
                    log.info("removed %d old backup(s)", len(removed))
        except Exception:  # a task boundary: log, try again at the next check
            log.exception("scheduled backup into %s failed", folder)
        await asyncio.sleep(check_every_s)
