"""Thumbnail and original routes: access, media tokens, ETag/304, Range requests."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from PIL import Image

from photonix_rt.auth.media_tokens import PERIOD_S, issue_media_token
from photonix_rt.auth.secret_key import load_or_create_secret
from photonix_rt.auth.tokens import decode_access_token
from photonix_rt.services.container import Services
from tests.integration.photo_factory import (
    Gql,
    add_photo,
    data_of,
    make_library,
    write_thumbnail,
)

KEY = "a1b2c3d4e5f6"
URLS = "query($p: ID!) { photo(id: $p) { thumbnailUrl originalUrl files { id } } }"


class Media:
    def __init__(self) -> None:
        self.tokens: dict[str, str | None] = {"anonymous": None}
        self.photo_id: UUID
        self.file_id: str
        self.original: bytes
        self.grid: bytes


@pytest.fixture
async def media(services: Services, gql: Gql, make_user: Any, tmp_path: Path) -> Media:
    m = Media()
    for name in ("owner", "viewer", "outsider"):
        m.tokens[name] = await make_user(name)
    library_id = await make_library(gql, m.tokens["owner"], "media", {"viewer": "VIEWER"})
    await make_library(gql, m.tokens["outsider"], "theirs")
    original = tmp_path / "originals" / "holiday snap.jpg"
    original.parent.mkdir()
    Image.new("RGB", (300, 200), "blue").save(original, "JPEG", quality=95)
    m.original = original.read_bytes()
    await services.db.execute("INSERT INTO library_paths (library_id, path) VALUES ($1, $2)",
                              library_id, str(original.parent))
    m.photo_id = await add_photo(services.db, library_id, thumbnail_key=KEY,
                                 file_path=str(original))
    m.grid = write_thumbnail(services.config.thumbnails_dir, KEY, "grid", "red")
    write_thumbnail(services.config.thumbnails_dir, KEY, "preview", "green")
    data = data_of(await gql(URLS, {"p": str(m.photo_id)}, token=m.tokens["owner"]))
    m.file_id = data["photo"]["files"][0]["id"]
    return m


def _thumb(m: Media, size: str = "grid") -> str:
    return f"/thumbnails/{m.photo_id}/{size}.webp"


def _orig(m: Media) -> str:
    return f"/originals/{m.file_id}"


@pytest.mark.parametrize(("actor", "status"), [
    ("anonymous", 401), ("outsider", 404), ("viewer", 200), ("owner", 200)])
async def test_access_matrix(fetch: Any, media: Media, actor: str, status: int) -> None:
    for path in (_thumb(media), _thumb(media, "preview"), _orig(media)):
        for method in ("GET", "HEAD"):
            response = await fetch(path, method=method, token=media.tokens[actor])
            assert response.code == status, (path, method)
            if status != 200:
                assert method == "HEAD" or b"holiday" not in response.body


async def test_bodies_and_headers(fetch: Any, media: Media) -> None:
    thumb = await fetch(_thumb(media), token=media.tokens["viewer"])
    assert thumb.body == media.grid
    assert thumb.headers["Content-Type"] == "image/webp"
    assert thumb.headers["ETag"] == f'"{KEY}-grid"'
    assert thumb.headers["Cache-Control"] == "private, max-age=31536000, immutable"
    preview = await fetch(_thumb(media, "preview"), token=media.tokens["viewer"])
    assert preview.body != media.grid and preview.headers["ETag"] == f'"{KEY}-preview"'

    original = await fetch(_orig(media), token=media.tokens["viewer"])
    assert original.body == media.original
    assert original.headers["Content-Type"] == "image/jpeg"
    assert original.headers["Content-Length"] == str(len(media.original))
    assert original.headers["Accept-Ranges"] == "bytes"
    assert "holiday%20snap.jpg" in original.headers["Content-Disposition"]
    assert original.headers["ETag"].startswith('"')


async def test_unknown_ids_and_sizes(fetch: Any, media: Media) -> None:
    token = media.tokens["owner"]
    zero = "00000000-0000-0000-0000-000000000000"
    assert (await fetch(f"/thumbnails/{zero}/grid.webp", token=token)).code == 404
    assert (await fetch(f"/thumbnails/{media.photo_id}/huge.webp", token=token)).code == 404
    assert (await fetch(f"/originals/{zero}", token=token)).code == 404
    # a photo id is not a file id, and paths are never taken from the URL
    assert (await fetch(f"/originals/{media.photo_id}", token=token)).code == 404
    assert (await fetch("/originals/..%2F..%2Fetc%2Fpasswd", token=token)).code == 404


async def test_thumbnail_etag_gives_304(fetch: Any, media: Media) -> None:
    token = media.tokens["viewer"]
    etag = (await fetch(_thumb(media), token=token)).headers["ETag"]
    for header in (etag, f"W/{etag}", f'"other", {etag}', "*"):
        response = await fetch(_thumb(media), token=token, headers={"If-None-Match": header})
        assert response.code == 304, header
        assert response.body == b""
        assert response.headers["ETag"] == etag
    response = await fetch(_thumb(media), token=token, headers={"If-None-Match": '"stale"'})
    assert response.code == 200 and response.body == media.grid
    # access is checked before the cache validators
    response = await fetch(_thumb(media), token=media.tokens["outsider"],
                           headers={"If-None-Match": etag})
    assert response.code == 404


async def test_original_etag_follows_the_file(fetch: Any, media: Media,
                                              services: Services) -> None:
    token = media.tokens["viewer"]
    etag = (await fetch(_orig(media), token=token)).headers["ETag"]
    assert (await fetch(_orig(media), token=token,
                        headers={"If-None-Match": etag})).code == 304
    path = await services.db.fetchval("SELECT path FROM photo_files WHERE id = $1",
                                      UUID(media.file_id))
    stat = os.stat(path)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    response = await fetch(_orig(media), token=token, headers={"If-None-Match": etag})
    assert response.code == 200 and response.headers["ETag"] != etag


@pytest.mark.parametrize(("header", "start", "end"), [
    ("bytes=0-99", 0, 99),
    ("bytes=100-", 100, None),
    ("bytes=-50", None, None),
    ("bytes=10-10", 10, 10),
    ("bytes=5-999999999", 5, None),
])
async def test_range_requests(fetch: Any, media: Media, header: str, start: int | None,
                              end: int | None) -> None:
    size = len(media.original)
    if start is None:  # suffix range: the last 50 bytes
        start = size - 50
    end = size - 1 if end is None else end
    response = await fetch(_orig(media), token=media.tokens["viewer"],
                           headers={"Range": header})
    assert response.code == 206
    assert response.body == media.original[start:end + 1]
    assert response.headers["Content-Range"] == f"bytes {start}-{end}/{size}"
    assert response.headers["Content-Length"] == str(end - start + 1)


@pytest.mark.parametrize("header", ["bytes=999999999-", "bytes=-0"])
async def test_unsatisfiable_range_is_416(fetch: Any, media: Media, header: str) -> None:
    response = await fetch(_orig(media), token=media.tokens["viewer"],
                           headers={"Range": header})
    assert response.code == 416
    assert response.headers["Content-Range"] == f"bytes */{len(media.original)}"


@pytest.mark.parametrize("header", ["bytes=0-1,5-6", "items=0-5", "bytes=9-3", "bytes=x-"])
async def test_unusable_range_sends_whole_file(fetch: Any, media: Media, header: str) -> None:
    response = await fetch(_orig(media), token=media.tokens["viewer"],
                           headers={"Range": header})
    assert response.code == 200 and response.body == media.original


async def test_if_range_with_stale_etag_sends_whole_file(fetch: Any, media: Media) -> None:
    token = media.tokens["viewer"]
    etag = (await fetch(_orig(media), token=token)).headers["ETag"]
    fresh = await fetch(_orig(media), token=token,
                        headers={"Range": "bytes=0-9", "If-Range": etag})
    assert fresh.code == 206 and fresh.body == media.original[:10]
    stale = await fetch(_orig(media), token=token,
                        headers={"Range": "bytes=0-9", "If-Range": '"old"'})
    assert stale.code == 200 and stale.body == media.original


async def test_media_token_in_urls_works_without_header(fetch: Any, gql: Gql,
                                                        media: Media) -> None:
    for actor in ("viewer", "owner"):
        urls = data_of(await gql(URLS, {"p": str(media.photo_id)},
                                 token=media.tokens[actor]))["photo"]
        thumb = await fetch(urls["thumbnailUrl"])
        assert thumb.code == 200 and thumb.body == media.grid
        original = await fetch(urls["originalUrl"])
        assert original.code == 200 and original.body == media.original


async def test_media_token_of_an_outsider_or_forged_is_refused(
        fetch: Any, gql: Gql, media: Media, services: Services) -> None:
    secret = load_or_create_secret(services.config.secret_key_path)

    def session_of(actor: str) -> UUID:
        token = media.tokens[actor]
        assert token is not None
        session = decode_access_token(secret, token).session_id
        assert session is not None
        return session

    outsider_id = UUID(data_of(await gql("query { me { id } }",
                                         token=media.tokens["outsider"]))["me"]["id"])
    outsider_token = issue_media_token(secret, outsider_id, session_of("outsider"))
    response = await fetch(f"{_thumb(media)}?token={outsider_token}")
    assert response.code == 404

    viewer_id = UUID(data_of(await gql("query { me { id } }",
                                       token=media.tokens["viewer"]))["me"]["id"])
    session = session_of("viewer")
    good = issue_media_token(secret, viewer_id, session)
    assert (await fetch(f"{_thumb(media)}?token={good}")).code == 200
    forged = issue_media_token(b"x" * 32, viewer_id, session)
    expired = issue_media_token(secret, viewer_id, session, now=0)
    tampered = good.replace(viewer_id.hex, outsider_id.hex)
    # Genuine, but for a session that never existed (or was deleted).
    sessionless = issue_media_token(secret, viewer_id, outsider_id)
    for bad in (forged, expired, tampered, sessionless, "junk", ""):
        response = await fetch(f"{_thumb(media)}?token={bad}")
        assert response.code == 401, bad
    assert PERIOD_S >= 600  # tokens outlive a page view


async def test_missing_file_on_disk_is_404(fetch: Any, media: Media,
                                           services: Services) -> None:
    path = await services.db.fetchval("SELECT path FROM photo_files WHERE id = $1",
                                      UUID(media.file_id))
    os.unlink(path)
    assert (await fetch(_orig(media), token=media.tokens["owner"])).code == 404
    await services.db.execute("UPDATE photo_files SET status = 'missing'")
    assert (await fetch(_orig(media), token=media.tokens["owner"])).code == 404


async def test_original_swapped_for_a_link_out_of_the_library_is_refused(
        fetch: Any, media: Media, services: Services, tmp_path: Path) -> None:
    """Issue 10, finding 4: the route checks where the file really is when it opens it."""
    path = Path(await services.db.fetchval("SELECT path FROM photo_files WHERE id = $1",
                                           UUID(media.file_id)))
    secret = tmp_path / "secret.txt"
    secret.write_text("not a photo of this library")
    link = path.with_name(".swap")
    link.symlink_to(secret)
    os.rename(link, path)  # replaced atomically, as an attacker with the folder would
    response = await fetch(_orig(media), token=media.tokens["owner"])
    assert response.code == 404
    assert b"not a photo" not in (response.body or b"")

    # A sub-folder swapped for a link to elsewhere is refused the same way.
    album = path.parent / "album"
    album.mkdir()
    (album / "a.jpg").write_bytes(media.original)
    await services.db.execute("UPDATE photo_files SET path = $1", str(album / "a.jpg"))
    assert (await fetch(_orig(media), token=media.tokens["owner"])).code == 200
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "a.jpg").write_text("private")
    os.rename(album, tmp_path / "moved-away")
    album.symlink_to(elsewhere, target_is_directory=True)
    response = await fetch(_orig(media), token=media.tokens["owner"])
    assert response.code == 404
    assert b"private" not in (response.body or b"")

    # A link that stays inside the library's folder is still served.
    await services.db.execute("UPDATE photo_files SET path = $1", str(path))
    os.unlink(path)
    inner = path.with_name("inner.jpg")
    inner.write_bytes(media.original)
    os.symlink(inner, path)
    response = await fetch(_orig(media), token=media.tokens["owner"])
    assert response.code == 200
    assert response.body == media.original
