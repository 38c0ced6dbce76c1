"""``photonix-rt status``: one screen for an operator, read from the database and data dir.

Libraries and their photos, failed and missing files, folders (watched or not, offline since
when), the classification queue per stage, disk use of thumbnails and the backups. Usage::

    report = await collect(config, db)
    print(render(report))
"""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from photonix_rt.config import Config
from photonix_rt.services.backup import BACKUP_PREFIX
from photonix_rt.store import status as store
from photonix_rt.store.db import Database

__all__ = ["StatusReport", "collect", "render"]

_STATUSES = ("queued", "running", "done", "failed")


@dataclass(frozen=True)
class StatusReport:
    data_dir: Path
    database: str
    libraries: list[store.LibraryCounts]
    paths: list[store.PathState]
    jobs: dict[tuple[str, str], int]
    thumbnails_bytes: int
    thumbnails_files: int
    backups: list[Path]
    backup_dir: Path
    backup_keep: int


def _disk_use(folder: Path) -> tuple[int, int]:
    """Blocking: bytes and files under ``folder``."""
    total = files = 0
    for root, _dirs, names in os.walk(folder):
        for name in names:
            try:
                total += os.stat(os.path.join(root, name)).st_size
                files += 1
            except OSError:
                continue  # removed meanwhile
    return total, files


def _backups(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.name.startswith(BACKUP_PREFIX))


def _database(config: Config) -> str:
    if config.database_url is None:
        return f"embedded ({config.pgdata_dir})"
    parts = urlsplit(config.database_url)
    return f"{parts.hostname or 'local socket'}{parts.path}"  # never the password


async def collect(config: Config, db: Database) -> StatusReport:
    libraries = await store.libraries_overview(db)
    paths = await store.paths_overview(db)
    jobs = await store.jobs_by_stage(db)
    used, files = await asyncio.to_thread(_disk_use, config.thumbnails_dir)
    backups = await asyncio.to_thread(_backups, config.backup_dir)
    return StatusReport(config.data_dir, _database(config), libraries, paths, jobs, used, files,
                        backups, config.backup_dir, config.backup_keep)


def _size(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024:
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} TB"


def render(report: StatusReport) -> str:
    lines = [f"photonix-rt status: data dir {report.data_dir}, database {report.database}", "",
             "Libraries"]
    lines += [f"  {lib.name:24} {lib.photos:8} photos  {lib.files_failed:5} failed files"
              f"  {lib.files_missing:5} missing" for lib in report.libraries] or ["  (none)"]
    lines += ["", "Folders"]
    for p in report.paths:
        state = (f"OFFLINE since {p.offline_since:%Y-%m-%d %H:%M}" if p.offline_since
                 else "online")
        lines.append(f"  {p.library:16} {p.path}  {'watched' if p.watch else 'not watched'},"
                     f" {state}")
    if not report.paths:
        lines.append("  (none)")
    lines += ["", f"Classification queue  {'  '.join(f'{s:>8}' for s in _STATUSES)}"]
    for stage in sorted({stage for stage, _ in report.jobs}):
        counts = "  ".join(f"{report.jobs.get((stage, s), 0):8}" for s in _STATUSES)
        lines.append(f"  {stage:20}{counts}")
    if not report.jobs:
        lines.append("  (no jobs)")
    failed_files = sum(lib.files_failed for lib in report.libraries)
    failed_jobs = sum(n for (_stage, s), n in report.jobs.items() if s == "failed")
    lines += ["", f"Failures: {failed_files} file(s) could not be read, "
                  f"{failed_jobs} classification job(s) failed",
              f"Thumbnails: {_size(report.thumbnails_bytes)} in {report.thumbnails_files} "
              f"file(s)"]
    if report.backups:
        newest = datetime.fromtimestamp(report.backups[-1].stat().st_mtime, UTC)
        lines.append(f"Backups: {len(report.backups)} in {report.backup_dir}, newest "
                     f"{newest:%Y-%m-%d %H:%M} UTC")
    else:
        lines.append(f"Backups: none in {report.backup_dir}")
    lines.append(f"  daily backups by serve: keep {report.backup_keep}" if report.backup_keep
                 else "  daily backups by serve: off (PHOTONIX_BACKUP_KEEP)")
    return "\n".join(lines)
