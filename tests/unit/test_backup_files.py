"""Backup archives on disk: the daily schedule's bookkeeping and what restore refuses."""

from __future__ import annotations

import io
import json
import os
import tarfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from photonix_rt.config import Config, load_config
from photonix_rt.errors import Conflict, Invalid
from photonix_rt.services.backup import (
    backup_due,
    backup_name,
    prune_backups,
    read_manifest,
    restore_backup,
)

NOW = datetime(2026, 12, 4, 17, 0, tzinfo=UTC)


def _touch(folder: Path, when: datetime) -> Path:
    path = folder / backup_name(when)
    path.write_bytes(b"x")
    os.utime(path, (when.timestamp(), when.timestamp()))
    return path


def test_prune_keeps_the_newest_n_and_leaves_other_files(tmp_path: Path) -> None:
    made = [_touch(tmp_path, NOW - timedelta(days=d)) for d in range(10)]
    (tmp_path / "notes.txt").write_text("mine")
    removed = prune_backups(tmp_path, keep=7)
    assert sorted(removed) == sorted(made[7:])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [p.name for p in made[:7]] + ["notes.txt"])


def test_a_backup_is_due_once_the_newest_is_a_day_old(tmp_path: Path) -> None:
    assert backup_due(tmp_path / "none-yet", NOW)
    _touch(tmp_path, NOW - timedelta(hours=23))
    assert not backup_due(tmp_path, NOW)
    assert backup_due(tmp_path, NOW + timedelta(hours=1))


def test_daily_backups_default_to_the_embedded_database_only(tmp_path: Path) -> None:
    embedded = load_config({"PHOTONIX_DATA_DIR": str(tmp_path)})
    external = load_config({"PHOTONIX_DATA_DIR": str(tmp_path), "DATABASE_URL": "postgresql://x/y"})
    assert (embedded.backup_keep, external.backup_keep) == (7, 0)
    assert embedded.backup_dir == tmp_path.resolve() / "backups"
    chosen = load_config({"PHOTONIX_DATA_DIR": str(tmp_path), "PHOTONIX_BACKUP_KEEP": "3",
                          "PHOTONIX_BACKUP_DIR": str(tmp_path / "elsewhere")})
    assert (chosen.backup_keep, chosen.backup_dir) == (3, (tmp_path / "elsewhere").resolve())


def _archive(path: Path, manifest: dict[str, object]) -> Path:
    with tarfile.open(path, "w") as tar:
        data = json.dumps(manifest).encode()
        info = tarfile.TarInfo("manifest.json")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    return path


def _never_opened(_config: Config) -> object:
    raise AssertionError("the database must not be touched when the archive is refused")


async def test_restore_refuses_what_is_no_backup(tmp_path: Path) -> None:
    junk = tmp_path / "junk.tar"
    junk.write_bytes(b"not a tar file")
    with pytest.raises(Invalid, match="not a photonix-rt backup"):
        read_manifest(junk)
    config = Config(data_dir=tmp_path / "data")
    with pytest.raises(Invalid):
        await restore_backup(config, junk, _never_opened)  # type: ignore[arg-type]


async def test_restore_refuses_a_backup_from_a_newer_version(tmp_path: Path) -> None:
    archive = _archive(tmp_path / "b.tar", {
        "format": 1, "created_at": NOW.isoformat(), "pg_dump_major": 18, "has_secret": True,
        "migrations": ["001_core.sql", "999_from_the_future.sql"]})
    with pytest.raises(Invalid, match="newer photonix-rt"):
        await restore_backup(Config(data_dir=tmp_path / "data"), archive,
                             _never_opened)  # type: ignore[arg-type]


async def test_restore_refuses_a_data_dir_in_use(tmp_path: Path) -> None:
    archive = _archive(tmp_path / "b.tar", {
        "format": 1, "created_at": NOW.isoformat(), "pg_dump_major": 18, "has_secret": True,
        "migrations": ["001_core.sql"]})
    data = tmp_path / "data"
    data.mkdir()
    (data / "secret.key").write_text("00")
    with pytest.raises(Conflict, match="in use"):
        await restore_backup(Config(data_dir=data), archive,
                             _never_opened)  # type: ignore[arg-type]
    assert (data / "secret.key").read_text() == "00"
