"""The set of services one process runs, built by ``app.py`` and passed to handlers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from photonix_rt.config import Config
    from photonix_rt.events.bus import Bus
    from photonix_rt.pool_client import PoolClient
    from photonix_rt.services.albums import AlbumService
    from photonix_rt.services.auth import AuthService
    from photonix_rt.services.events import EventService
    from photonix_rt.services.first_run import FirstRun
    from photonix_rt.services.importer import Importer
    from photonix_rt.services.jobs import JobQueue
    from photonix_rt.services.libraries import LibraryService
    from photonix_rt.services.library_members import LibraryMembers
    from photonix_rt.services.library_sync import LibrarySync
    from photonix_rt.services.map_positions import MapService
    from photonix_rt.services.map_tiles import MapTiles
    from photonix_rt.services.people import PeopleService
    from photonix_rt.services.photos import PhotoService
    from photonix_rt.services.rotation import RotationService
    from photonix_rt.services.shares import ShareService
    from photonix_rt.services.stage_settings import StageSettings
    from photonix_rt.services.trash import TrashService
    from photonix_rt.services.uploads import UploadService
    from photonix_rt.services.users import UserService
    from photonix_rt.store.db import Database

__all__ = ["Services"]


@dataclass
class Services:
    """Everything a handler or resolver may call; no module-level singletons."""

    config: Config
    db: Database
    bus: Bus
    pool: PoolClient
    events: EventService
    auth: AuthService
    users: UserService
    libraries: LibraryService
    photos: PhotoService
    importer: Importer
    sync: LibrarySync
    jobs: JobQueue
    people: PeopleService
    first_run: FirstRun
    shares: ShareService
    albums: AlbumService
    trash: TrashService
    rotation: RotationService
    stages: StageSettings
    map: MapService
    map_tiles: MapTiles
    members: LibraryMembers
    uploads: UploadService
