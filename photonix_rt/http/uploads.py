"""``/uploads/<library id>``: photos uploaded from the phone, streamed into the uploads folder.

    # Is this content already in the library? (hex sha256; 200 with the photo, or 404)
    GET  /uploads/<library id>?sha256=<hex>
    # Upload (the raw bytes; ``name`` is only a hint for a readable file name)
    POST /uploads/<library id>?name=IMG_0042.jpg      [X-Content-SHA256: <hex>]

Answers ``{"photoId", "duplicate", "fileName"}``: 201 for a new photo, 200 when the library
had the content already (nothing written). The body is never held in memory: chunks go to a
temporary file in the uploads folder as they arrive. Same auth as GraphQL (``Bearer``).
"""

from __future__ import annotations

import re
from typing import Any
from uuid import UUID

from photonix_rt.errors import Invalid, NotFound
from photonix_rt.http.body import StreamedBodyHandler
from photonix_rt.services.uploads import PartialUpload, UnsupportedUpload, UploadTarget

__all__ = ["UploadHandler"]

_SHA256 = re.compile(r"^[0-9a-fA-F]{64}$")


def _hash_argument(raw: str | None) -> bytes | None:
    if raw is None or not raw.strip():
        return None
    if not _SHA256.match(raw.strip()):
        raise Invalid("the content hash must be 64 hex digits (sha256)")
    return bytes.fromhex(raw.strip())


class UploadHandler(StreamedBodyHandler):
    """POST streams one file; GET asks whether some content is in the library already."""

    SUPPORTED_METHODS = ("GET", "POST")

    def body_limit(self) -> int:
        return self.services.uploads.max_bytes

    async def prepare(self) -> None:
        self._upload: PartialUpload | None = None
        self._target: UploadTarget | None = None
        await super().prepare()  # the size limit, then the viewer from the bearer token
        if self._finished or self.request.method != "POST":
            return
        library_id = _library_id(self.path_args[0])
        target = await self.services.uploads.target(self.viewer, library_id)
        expected = _hash_argument(self.request.headers.get("X-Content-SHA256"))
        if expected is not None:
            # Duplicate before upload: answer now, the body is never read.
            existing = await self.services.uploads.known(target, expected)
            if existing is not None:
                self.set_header("Connection", "close")
                self.write_json({"photoId": existing, "duplicate": True, "fileName": None})
                return
        self._target = target
        self._upload = await self.services.uploads.start(target)

    async def data_received(self, chunk: bytes) -> None:  # type: ignore[override]
        if self._finished or self._upload is None:
            return
        self._received += len(chunk)
        if self._received > self.body_limit():
            self._drop()
            self._refuse_body()
            return
        try:
            await self._upload.write(chunk)
        except UnsupportedUpload as refusal:
            # Refused at the first bytes: nothing kept, the rest is never read.
            self._drop()
            self.set_header("Connection", "close")
            self.client_error(415, str(refusal), "UNSUPPORTED_MEDIA_TYPE")

    async def get(self, library_id: str) -> None:
        target = await self.services.uploads.target(self.viewer, _library_id(library_id))
        wanted = _hash_argument(self.get_query_argument("sha256", None))
        if wanted is None:
            raise Invalid("give the content hash as ?sha256=<hex>")
        existing = await self.services.uploads.known(target, wanted)
        if existing is None:
            raise NotFound("this content is not in the library")
        self.write_json({"photoId": existing, "duplicate": True, "fileName": None})

    async def post(self, _library_id: str) -> None:
        upload, self._upload = self._upload, None
        if upload is None:
            return
        try:
            result = await self.services.uploads.finish(
                upload, self.get_query_argument("name", None),
                _hash_argument(self.request.headers.get("X-Content-SHA256")))
        except UnsupportedUpload as refusal:
            self.client_error(415, str(refusal), "UNSUPPORTED_MEDIA_TYPE")
            return
        self.write_json({"photoId": result.photo_id, "duplicate": result.duplicate,
                         "fileName": result.file_name}, 200 if result.duplicate else 201)

    def _drop(self) -> None:
        upload, self._upload = self._upload, None
        if upload is not None:
            upload.abort()

    def on_connection_close(self) -> None:
        # The phone went away mid-upload: the partial file goes too (a retry starts afresh).
        self._drop()
        super().on_connection_close()

    def on_finish(self) -> None:
        self._drop()

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        self._drop()
        super().write_error(status_code, **kwargs)


def _library_id(raw: str) -> UUID:
    try:
        return UUID(raw)
    except ValueError:
        raise NotFound("no such library") from None
