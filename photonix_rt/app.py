"""Wire the process together: database, bus, pool, services, HTTP routes; start and stop.

Start-up order: database (embedded or DATABASE_URL) -> migrations -> bus -> worker pool ->
services -> HTTP listener -> library scan / watchers. Shutdown runs in reverse.
"""

from __future__ import annotations

import asyncio
import faulthandler
import gc
import io
import logging
import signal
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path

import tornado.httpserver
import tornado.web

from photonix_rt.auth.secret_key import load_or_create_secret
from photonix_rt.config import DEFAULT_LIBRARY, Config
from photonix_rt.events.bus import Bus
from photonix_rt.events.memory_bus import MemoryBus
from photonix_rt.http.access_log import log_request
from photonix_rt.http.routes import routes
from photonix_rt.metrics import MeteredPool, run_queue_gauges, watch_database_pool
from photonix_rt.services.albums import AlbumService
from photonix_rt.services.auth import AuthService
from photonix_rt.services.backup import run_backup_schedule
from photonix_rt.services.container import Services
from photonix_rt.services.count_folding import run_count_folding
from photonix_rt.services.events import EventService
from photonix_rt.services.first_run import FirstRun
from photonix_rt.services.importer import Importer
from photonix_rt.services.job_runner import JobRunner, RunnerOptions
from photonix_rt.services.jobs import JobQueue
from photonix_rt.services.libraries import LibraryService
from photonix_rt.services.library_members import LibraryMembers
from photonix_rt.services.library_sync import LibrarySync
from photonix_rt.services.map_positions import MapService
from photonix_rt.services.map_tiles import MapTiles
from photonix_rt.services.people import PeopleService
from photonix_rt.services.photos import PhotoService
from photonix_rt.services.rotation import RotationService
from photonix_rt.services.sessions import Sessions
from photonix_rt.services.share_live import ShareLive
from photonix_rt.services.shares import ShareService
from photonix_rt.services.stage_settings import StageSettings
from photonix_rt.services.thumbnail_rebuild import rebuild_thumbnails_if_marked
from photonix_rt.services.trash import TrashService
from photonix_rt.services.uploads import UploadService
from photonix_rt.services.users import UserService
from photonix_rt.store.db import Database
from photonix_rt.store.embedded import EmbeddedPostgres
from photonix_rt.store.migrate import migrate
from photonix_rt.watcher.watch import Watcher
from workers.protocol import run_task

__all__ = ["add_photo_dirs", "database_url", "make_app", "make_server", "open_bus", "open_database",
           "open_services", "public_url", "serve"]

log = logging.getLogger(__name__)


@asynccontextmanager
async def database_url(config: Config) -> AsyncIterator[str]:
    """DATABASE_URL, or the URL of the data dir's embedded PostgreSQL (started, then released)."""
    if config.database_url is not None:
        yield config.database_url
        return
    embedded = EmbeddedPostgres(config.pgdata_dir)
    url = await asyncio.to_thread(embedded.start)
    try:
        yield url
    finally:
        await asyncio.to_thread(embedded.stop)


@asynccontextmanager
async def open_database(config: Config) -> AsyncIterator[Database]:
    """A migrated database: DATABASE_URL's, or the embedded one in the data dir."""
    async with database_url(config) as url:
        db = await Database.connect(url, statement_timeout_s=config.statement_timeout_s)
        try:
            async with db.connection() as conn:
                applied = await migrate(conn)
            if applied:
                log.info("database migrated: %s", ", ".join(applied))
            yield db
        finally:
            await db.close()


async def open_bus(config: Config) -> Bus:
    if config.redis_url:
        from photonix_rt.events.redis_bus import RedisBus  # only needed when configured

        bus: Bus = RedisBus(config.redis_url)
    else:
        bus = MemoryBus()
    await bus.start()
    return bus


@asynccontextmanager
async def open_services(config: Config, db: Database) -> AsyncIterator[Services]:
    """Every service, on an open database; closed in reverse order."""
    async with AsyncExitStack() as stack:
        config.data_dir.mkdir(parents=True, exist_ok=True)
        watch_database_pool(db)
        secret = await asyncio.to_thread(load_or_create_secret, config.secret_key_path)
        bus = await open_bus(config)
        stack.push_async_callback(bus.close)
        pool = MeteredPool("import", config.workers, run_task,
                           ("setup_logging", config.log_format, config.log_level == "debug"))
        stack.push_async_callback(pool.close)
        sessions = Sessions(db, bus)
        await sessions.start()
        stack.push_async_callback(sessions.close)
        events = EventService(db, bus, retention_days=config.event_retention_days)
        await events.start()
        stack.push_async_callback(events.close)
        jobs = JobQueue(db)
        importer = Importer(db, config, pool, events, jobs)
        sync = LibrarySync(db, importer, events)
        stack.push_async_callback(sync.close)
        auth = AuthService(db, config, secret, sessions=sessions)
        photos = PhotoService(db, config, events)
        share_live = ShareLive(db, bus, events)
        await share_live.start()
        stack.push_async_callback(share_live.close)
        services = Services(
            config=config,
            db=db,
            bus=bus,
            pool=pool,
            events=events,
            auth=auth,
            users=UserService(db, sessions),
            libraries=LibraryService(db, config, events, sync),
            photos=photos,
            importer=importer,
            sync=sync,
            jobs=jobs,
            people=PeopleService(db, events, config=config, pool=pool),
            first_run=FirstRun(db, auth),
            shares=ShareService(db, config, photos, share_live),
            albums=AlbumService(db, events),
            trash=TrashService(db, config, events),
            rotation=RotationService(db, config, pool, events),
            stages=StageSettings(db, events),
            map=MapService(db),
            map_tiles=MapTiles(db),
            members=LibraryMembers(db, sync),
            uploads=UploadService(db, config, importer),
        )
        yield services


def make_app(services: Services) -> tornado.web.Application:
    """The Tornado application for these services."""
    return tornado.web.Application(
        routes(services),
        log_function=log_request,  # the access log, media tokens redacted
        websocket_ping_interval=20,
        websocket_max_message_size=64 * 1024,
        compress_response=True,
    )


def make_server(services: Services) -> tornado.httpserver.HTTPServer:
    """The HTTP server for ``make_app(services)``, not yet listening.

    Bodies over ``max_body_bytes`` are refused before they are read; streamed routes
    (``http/body.py``) set their own limit per request, larger ones included.
    """
    config = services.config
    # X-Forwarded-For / X-Real-IP only count behind a proxy we trust: otherwise any
    # client could pick its own address and dodge the per-address login limit.
    return tornado.httpserver.HTTPServer(make_app(services), xheaders=config.trust_proxy,
                                         max_body_size=config.max_body_bytes)


async def add_photo_dirs(services: Services, photo_dirs: tuple[Path, ...]) -> None:
    """``serve --photos``: the folders join the default library, owned by the first admin."""
    admin = await services.users.first_admin()
    if admin is None:
        log.warning("no admin user yet: the photos are imported, but nobody can see them until "
                    "one is created with 'photonix-rt user create NAME --admin --password-stdin'")
    library = await services.libraries.ensure_library(DEFAULT_LIBRARY,
                                                      admin.id if admin else None)
    for folder in photo_dirs:
        await services.libraries.add_path_trusted(library.id, folder)


def public_url(config: Config) -> str:
    """The address to open in a browser (a wildcard listen address becomes localhost)."""
    host = config.host
    if host in {"", "0.0.0.0", "::"}:
        host = "127.0.0.1"
    elif ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{config.port}/"


def _say(line: str) -> None:
    """A start-up line for the person at the console (not a log record)."""
    print(line, flush=True)  # noqa: T201


async def _announce_setup(services: Services, url: str) -> None:
    """While no admin exists: print a one-time link that creates one from the web app."""
    token = await services.first_run.start()
    if token is None:
        return
    _say(f"  no admin yet: open {url}setup#token={token} to create one\n"
         "  (or run 'photonix-rt user create NAME --admin --password-stdin')")


async def _start_watching(services: Services, watcher: Watcher,
                          photo_dirs: tuple[Path, ...]) -> None:
    """Add the --photos folders, then watch every folder and reconcile them once."""
    try:
        if photo_dirs:
            await add_photo_dirs(services, photo_dirs)
        folders = sorted({path for _library, path in await services.sync.watched_folders()})
        _say(f"  watching {len(folders)} folder(s)" + "".join(f"\n    {f}" for f in folders))
        services.sync.watcher = watcher
        await watcher.start(initial_scan=True)
    except Exception:  # a task boundary: log, keep serving
        log.exception("starting the folder watcher failed")


async def _after_restore(services: Services) -> None:
    try:
        await rebuild_thumbnails_if_marked(services)
    except Exception:  # a task boundary: log, keep serving (the next start tries again)
        log.exception("re-creating thumbnails after a restore failed")


# A clean shutdown takes a few seconds (the pool's grace period is 15 s); past this, where it
# is stuck gets reported, as a hang that only shows on a busy machine cannot be re-run.
SLOW_SHUTDOWN_S = 40.0


def _report_a_slow_shutdown(loop: asyncio.AbstractEventLoop) -> None:
    """Past ``SLOW_SHUTDOWN_S``: every pending task's stack in the log and every thread's on
    stderr (the thread dump comes even when the event loop itself is blocked)."""
    faulthandler.dump_traceback_later(SLOW_SHUTDOWN_S, exit=False)

    def log_pending_tasks() -> None:
        for task in asyncio.all_tasks(loop):
            stack = io.StringIO()
            task.print_stack(file=stack)
            log.warning("shutdown still waiting after %.0f s on %s", SLOW_SHUTDOWN_S,
                        stack.getvalue().rstrip())

    loop.call_later(SLOW_SHUTDOWN_S, log_pending_tasks)


async def serve(config: Config) -> None:
    """Run until SIGINT/SIGTERM, then shut down cleanly (embedded PostgreSQL included)."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with (open_database(config) as db, open_services(config, db) as services,
                JobRunner.running(db, config, services.events, RunnerOptions.from_config(config),
                                  wait=False)):
        server = make_server(services)
        if config.trust_proxy and config.host not in {"127.0.0.1", "::1", "localhost"}:
            log.warning("PHOTONIX_TRUST_PROXY is on while listening on %s: clients that reach "
                        "this port directly can choose the address they are throttled by",
                        config.host)
        server.listen(config.port, config.host)
        # What start-up made (modules, the schema, settings) lives as long as the process:
        # out of the collector's full passes, which walked all of it every few hundred
        # requests (22-27 ms each, the slowest answers of a month of 4,000 tiles).
        gc.freeze()
        url = public_url(config)
        _say(f"photonix-rt listening on http://{config.host}:{config.port}/ : open {url}")
        await _announce_setup(services, url)
        watcher = Watcher(services.importer, services.sync.watched_folders,
                          rescan_interval_s=config.rescan_interval_s)
        background = [
            asyncio.create_task(_start_watching(services, watcher, config.photo_dirs)),
            asyncio.create_task(services.events.run_pruning()),
            asyncio.create_task(run_count_folding(db)),
            asyncio.create_task(_after_restore(services)),
            asyncio.create_task(run_queue_gauges(db)),
        ]
        if config.backup_keep > 0:
            background.append(asyncio.create_task(run_backup_schedule(db.url, config)))
        try:
            await stop.wait()
        finally:
            log.info("shutting down")
            _report_a_slow_shutdown(loop)
            server.stop()
            for task in background:
                task.cancel()
            await asyncio.gather(*background, return_exceptions=True)
            services.sync.watcher = None
            await watcher.close()
            await server.close_all_connections()
