"""The ``photonix-rt`` command: serve, import, user, status, backup, restore and more.

Examples::

    photonix-rt serve --photos ~/Pictures
    photonix-rt import ~/Pictures/2019 --library Family
    photonix-rt schema > schema.graphql
    photonix-rt backup --to /mnt/usb/photonix.tar
    photonix-rt restore /mnt/usb/photonix.tar --data-dir /var/lib/photonix-rt
    echo secret | photonix-rt user create alice --admin --password-stdin
"""

from __future__ import annotations

import argparse
import asyncio
import faulthandler
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from photonix_rt.config import DEFAULT_LIBRARY, Config, load_config
from photonix_rt.logs import LOG_FORMATS, setup_logging

__all__ = ["main"]


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data-dir", type=Path, help="data folder (PHOTONIX_DATA_DIR)")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="photonix-rt", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the server")
    _common(serve)
    serve.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port to listen on (default 8080)")
    serve.add_argument("--photos", type=Path, action="append", default=[],
                       help="folder to add to the default library (repeatable)")
    serve.add_argument("--log-format", choices=LOG_FORMATS,
                       help="log lines as text or JSON objects (PHOTONIX_LOG_FORMAT)")

    imp = commands.add_parser("import", help="import a folder of photos")
    _common(imp)
    imp.add_argument("directory", type=Path)
    imp.add_argument("--library", default=DEFAULT_LIBRARY, help="library name (created if new)")

    user = commands.add_parser("user", help="manage users")
    user_commands = user.add_subparsers(dest="user_command", required=True)
    create = user_commands.add_parser("create", help="create a user")
    _common(create)
    create.add_argument("name")
    create.add_argument("--admin", action="store_true", help="make the user an administrator")
    create.add_argument("--password-stdin", action="store_true", required=True,
                        help="read the password from standard input")

    worker = commands.add_parser("worker", help="run classifier workers against DATABASE_URL")
    _common(worker)
    worker.add_argument("--workers", type=int, help="processes (default: cores)")

    commands.add_parser("schema", help="print the GraphQL schema (SDL) for code generators")

    status = commands.add_parser("status", help="a one-screen summary for an operator")
    _common(status)

    backup = commands.add_parser("backup", help="back up what the photos cannot re-create")
    _common(backup)
    backup.add_argument("--to", type=Path,
                        help="archive to write (default: a new file in PHOTONIX_BACKUP_DIR)")

    restore = commands.add_parser("restore", help="restore a backup into an empty data dir")
    _common(restore)
    restore.add_argument("archive", type=Path)

    models = commands.add_parser("models", help="manage classifier models")
    model_commands = models.add_subparsers(dest="models_command", required=True)
    install = model_commands.add_parser("install", help="install every model into the data dir")
    _common(install)
    return parser


def _config(args: argparse.Namespace) -> Config:
    return load_config(
        data_dir=args.data_dir.expanduser().resolve() if args.data_dir else None,
        host=getattr(args, "host", None),
        port=getattr(args, "port", None),
        photo_dirs=tuple(p.expanduser().resolve() for p in getattr(args, "photos", [])) or None,
        workers=getattr(args, "workers", None),
        log_format=getattr(args, "log_format", None),
    )


class _ProgressBar:
    """A one-line progress bar on stderr (only when stderr is a terminal)."""

    def __init__(self) -> None:
        self._tty = sys.stderr.isatty()
        self._start = time.monotonic()
        self._last = 0.0

    def __call__(self, progress: object) -> None:
        done, total = progress.done, progress.total  # type: ignore[attr-defined]
        if getattr(progress, "phase", "") == "counting":
            if self._tty:
                sys.stderr.write("\rcounting files… ")
                sys.stderr.flush()
            return
        now = time.monotonic()
        if not self._tty or (now - self._last < 0.1 and done < total):
            return
        self._last = now
        width = 30
        filled = width * done // max(total, 1)
        rate = done / max(now - self._start, 1e-6)
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}"
                         f"  {rate:.1f} files/s ")
        if done == total:
            sys.stderr.write("\n")
        sys.stderr.flush()


async def _import(config: Config, directory: Path, library_name: str) -> int:
    from photonix_rt.app import open_database, open_services

    async with open_database(config) as db, open_services(config, db) as services:
        admin = await services.users.first_admin()
        library = await services.libraries.ensure_library(
            library_name, admin.id if admin else None)
        await services.libraries.add_path_trusted(library.id, directory)
        started = time.monotonic()
        summary = await services.importer.import_directory(library.id, directory,
                                                           progress=_ProgressBar())
        elapsed = time.monotonic() - started
    print(f"Imported {directory} into library {library_name!r} in {elapsed:.1f} s")
    for outcome, count in sorted(summary.counts.items()):
        print(f"  {outcome:10} {count}")
    if summary.missing:
        print(f"  missing    {len(summary.missing)} (kept; marked missing)")
    if summary.failures:
        print(f"Failed files ({len(summary.failures)}):")
        for path, reason in summary.failures:
            print(f"  {path}: {reason}")
    if admin is None:
        print("note: no admin user exists yet; create one with "
              "'photonix-rt user create NAME --admin --password-stdin' to see this library")
    return 0


async def _create_user(config: Config, name: str, admin: bool, password: str) -> int:
    from photonix_rt.app import open_database, open_services
    from photonix_rt.errors import DomainError

    async with open_database(config) as db, open_services(config, db) as services:
        try:
            user = await services.users.create(name, password, is_admin=admin)
        except DomainError as error:
            print(f"error: {error.message}", file=sys.stderr)
            return 1
    print(f"created {'admin ' if admin else ''}user {user.username}")
    return 0


async def _backup(config: Config, target: Path | None) -> int:
    from photonix_rt.app import database_url
    from photonix_rt.services.backup import backup_name, write_backup

    target = target or config.backup_dir / backup_name()
    async with database_url(config) as url:
        try:
            path = await write_backup(url, config.secret_key_path, target)
        except RuntimeError as error:  # pg_dump missing or failing: its own words
            print(f"error: {error}", file=sys.stderr)
            return 1
    print(f"backup written to {path} ({path.stat().st_size} bytes)")
    return 0


async def _restore(config: Config, archive: Path) -> int:
    from photonix_rt.app import database_url
    from photonix_rt.errors import DomainError
    from photonix_rt.services.backup import restore_backup

    try:
        manifest = await restore_backup(config, archive, database_url)
    except DomainError as error:
        print(f"error: {error.message}", file=sys.stderr)
        return 1
    except RuntimeError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"restored the backup of {manifest.created_at} into {config.data_dir}; "
          "thumbnails are re-created when the server starts")
    return 0


async def _status(config: Config) -> int:
    from photonix_rt.app import open_database
    from photonix_rt.services.status import collect, render

    async with open_database(config) as db:
        report = await collect(config, db)
    print(render(report))
    return 0


def _print_schema() -> int:
    from graphql import print_schema

    from photonix_rt.graphql.bind import build

    print(print_schema(build()))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "schema":
        return _print_schema()  # no settings, database or logging needed
    config = _config(args)
    if args.verbose:
        config = config.with_overrides(log_level="debug")
    setup_logging(verbose=config.log_level == "debug", fmt=config.log_format)
    if args.command == "serve":
        from photonix_rt.app import serve

        asyncio.run(serve(config))
        faulthandler.cancel_dump_traceback_later()  # armed by a shutdown that might hang
        return 0
    if args.command == "import":
        directory = args.directory.expanduser().resolve()
        if not directory.is_dir():
            print(f"error: {directory} is not a folder", file=sys.stderr)
            return 2
        return asyncio.run(_import(config, directory, args.library))
    if args.command == "user":
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            print("error: no password on standard input", file=sys.stderr)
            return 2
        return asyncio.run(_create_user(config, args.name, args.admin, password))
    if args.command == "status":
        return asyncio.run(_status(config))
    if args.command == "backup":
        return asyncio.run(_backup(config, args.to.expanduser().resolve() if args.to else None))
    if args.command == "restore":
        archive = args.archive.expanduser().resolve()
        if not archive.is_file():
            print(f"error: {archive} is not a file", file=sys.stderr)
            return 2
        return asyncio.run(_restore(config, archive))
    if args.command == "models":
        from workers.protocol import run_task

        report = run_task("install_models", config.models_dir)
        for line in report.lines():
            print(line)
        return 0 if report.ok else 1
    if args.command == "worker":
        from photonix_rt.worker_main import run_worker

        return asyncio.run(run_worker(config))
    return 2
