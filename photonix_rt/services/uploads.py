"""Uploads from the phone: files written into a library's uploads folder, then imported.

An upload streams into a hidden temporary file inside the uploads folder (the importer and the
watcher skip dot files), hashed and sniffed as it arrives. Only once it is complete, an image,
and new to the library is it renamed (atomically, same folder) to a name the server chooses
from the content hash, then imported at HIGH priority like a file the watcher saw. Content
the library has already is answered with its photo and nothing is written, so a retried
upload always ends on the same photo.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import os
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from photonix_rt.auth.access import Role, require_role
from photonix_rt.auth.identity import Viewer
from photonix_rt.config import Config
from photonix_rt.errors import Invalid, NotFound, Unavailable
from photonix_rt.services.importer import Importer
from photonix_rt.services.upload_files import SNIFF_BYTES, UnsupportedUpload, sniff, upload_name
from photonix_rt.store import photos as photos_store
from photonix_rt.store import uploads as store
from photonix_rt.store.db import Database
from photonix_rt.store.libraries import LibraryPath

__all__ = ["PartialUpload", "UnsupportedUpload", "UploadResult", "UploadService",
           "UploadTarget"]

log = logging.getLogger(__name__)

_TEMP_PREFIX = ".upload-"


@dataclass(frozen=True)
class UploadTarget:
    """Where an editor's upload to a library goes (its uploads folder, links resolved)."""

    library_id: UUID
    folder: str


@dataclass(frozen=True)
class UploadResult:
    photo_id: UUID
    duplicate: bool          # the library had this content already: nothing was written
    file_name: str | None    # the name written in the uploads folder (None for duplicates)


class PartialUpload:
    """A temporary file in the uploads folder being filled; hashes and sniffs as it goes."""

    def __init__(self, target: UploadTarget) -> None:
        self.target = target
        self.path = os.path.join(target.folder, f"{_TEMP_PREFIX}{uuid.uuid4().hex}.part")
        # O_EXCL|O_NOFOLLOW: a fresh file of our own, never through a planted link.
        self._fd: int | None = os.open(
            self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o640)
        self._hash = hashlib.sha256()
        self._head = b""
        self.size = 0
        self.kind: tuple[str, str] | None = None  # (mime type, extension) once sniffed

    async def write(self, chunk: bytes) -> None:
        """Append a chunk; UnsupportedUpload as soon as the start shows it is no photo."""
        if self._fd is None:
            return
        if self.kind is None:
            self._head += chunk[:SNIFF_BYTES]
            if len(self._head) >= SNIFF_BYTES:
                self.kind = sniff(self._head)
        self._hash.update(chunk)
        self.size += len(chunk)
        fd = self._fd
        await asyncio.to_thread(_write_all, fd, chunk)

    def finish_sniffing(self) -> tuple[str, str]:
        if self.kind is None:
            if not self._head:
                raise Invalid("the file is empty")
            self.kind = sniff(self._head)
        return self.kind

    def digest(self) -> bytes:
        return self._hash.digest()

    async def close(self) -> None:
        """Flush to disk before the rename, so the renamed file is complete after a crash."""
        fd, self._fd = self._fd, None
        if fd is not None:
            await asyncio.to_thread(_sync_and_close, fd)

    def abort(self) -> None:
        """Remove the temporary file (an error, a refusal, a dropped connection)."""
        fd, self._fd = self._fd, None
        if fd is not None:
            os.close(fd)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.path)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _sync_and_close(fd: int) -> None:
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _real_folder(path: str) -> str | None:
    real = os.path.realpath(path)
    return real if os.path.isdir(real) else None


class UploadService:
    """Editors and owners upload into the folder an owner chose; viewers cannot."""

    def __init__(self, db: Database, config: Config, importer: Importer) -> None:
        self._db = db
        self._config = config
        self._importer = importer

    @property
    def max_bytes(self) -> int:
        return self._config.max_upload_bytes

    # -- the uploads folder --------------------------------------------------------------

    async def folders_of_many(self, library_ids: Sequence[UUID]) -> list[LibraryPath | None]:
        """Batch form for resolvers, on libraries already checked for the viewer."""
        return await store.uploads_paths(self._db, library_ids)

    async def set_folder(self, viewer: Viewer | None, library_id: UUID,
                         path_id: UUID | None) -> LibraryPath | None:
        """Owners choose which of the library's folders takes uploads (None: no uploads)."""
        await require_role(self._db, viewer, library_id, Role.OWNER)
        if path_id is None:
            await store.clear_uploads_path(self._db, library_id)
            return None
        if not await store.set_uploads_path(self._db, library_id, path_id):
            raise NotFound("no such folder in this library")
        log.info("library %s: uploads go to folder %s", library_id, path_id)
        return (await store.uploads_paths(self._db, [library_id]))[0]

    async def target(self, viewer: Viewer | None, library_id: UUID) -> UploadTarget:
        """Where the viewer may upload in this library; refused below the editor role."""
        await require_role(self._db, viewer, library_id, Role.EDITOR)
        chosen = (await store.uploads_paths(self._db, [library_id]))[0]
        if chosen is None:
            raise Invalid("this library has no uploads folder: its owner can choose one "
                          "of its folders for uploads")
        folder = await asyncio.to_thread(_real_folder, chosen.path)
        if folder is None or not chosen.online:
            raise Unavailable("the library's uploads folder cannot be reached right now")
        return UploadTarget(library_id, folder)

    # -- one upload ----------------------------------------------------------------------

    async def known(self, target: UploadTarget, content_hash: bytes) -> UUID | None:
        """The photo the library already has with this content (checked before uploading)."""
        return await photos_store.photo_id_by_hash(self._db, target.library_id, content_hash)

    async def start(self, target: UploadTarget) -> PartialUpload:
        return await asyncio.to_thread(PartialUpload, target)

    async def finish(self, upload: PartialUpload, name_hint: str | None,
                     expected_hash: bytes | None = None) -> UploadResult:
        """Complete an upload: refused (and removed) unless it is an importable photo."""
        try:
            _mime, extension = upload.finish_sniffing()
            content_hash = upload.digest()
            if expected_hash is not None and expected_hash != content_hash:
                raise Invalid("the upload does not match the hash it was sent with "
                              "(interrupted?): send it again")
            library_id = upload.target.library_id
            existing = await self.known(upload.target, content_hash)
            if existing is not None:
                upload.abort()
                return UploadResult(existing, True, None)
            await upload.close()
        except BaseException:
            upload.abort()
            raise
        name = upload_name(name_hint, content_hash, extension)
        final = os.path.join(upload.target.folder, name)
        # Same folder: the rename is atomic, and the name holds no separator (upload_name).
        assert os.path.dirname(final) == upload.target.folder
        try:
            await asyncio.to_thread(os.replace, upload.path, final)
        except OSError:
            upload.abort()
            raise
        summary = await self._importer.import_paths(library_id, [final])
        photo_id = await photos_store.photo_id_by_hash(self._db, library_id, content_hash)
        if photo_id is None:
            # Looked like an image but could not be read: do not leave it in the library.
            reason = summary.failures[0][1] if summary.failures else "it could not be read"
            await asyncio.to_thread(_unlink_quietly, final)
            await self._importer.import_paths(library_id, [final])  # recorded as gone
            raise UnsupportedUpload(f"this file could not be read: {reason}")
        log.info("library %s: uploaded %s (%d bytes)", library_id, name, upload.size)
        return UploadResult(photo_id, False, name)


def _unlink_quietly(path: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)
