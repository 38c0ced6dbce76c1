"""PHOTO_ADDED carries a complete tile; the preview follows, and its route bridges the gap."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path
from typing import Any

import pytest

from photonix_rt.events.types import EventKind, EventMessage
from photonix_rt.services import photo_media
from photonix_rt.services.container import Services
from photonix_rt.services.photo_media import thumbnail_path
from tests.integration.photo_factory import (
    Gql,
    add_photo,
    data_of,
    make_library,
    write_thumbnail,
)

TILE = """query($id: ID!) { photo(id: $id) {
  width height placeholder takenAt thumbnailUrl(size: GRID) } }"""


async def test_photo_added_only_once_the_tile_is_complete(
        services: Services, gql: Gql, make_user: Any, fetch: Any, fixtures_dir: Path,
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    token = await make_user("owner")
    library_id = await make_library(gql, token, "live")
    folder = tmp_path / "drop"
    folder.mkdir()
    await services.libraries.add_path_trusted(library_id, folder)
    names = ["snow.jpg", "tree.jpg"]
    for name in names:
        shutil.copy(fixtures_dir / "photonix" / name, folder / name)

    seen: list[dict[str, Any]] = []
    publish = services.events.publish

    async def checking_publish(*messages: EventMessage) -> None:
        # What a client could load the moment the event reaches it.
        for message in messages:
            if message.kind == EventKind.PHOTO_ADDED:
                tile = data_of(await gql(TILE, {"id": message.photo_id},
                                         token=token))["photo"]
                grid = await fetch(tile["thumbnailUrl"])
                seen.append({**tile, "grid": grid.code, "type": grid.headers.get(
                    "Content-Type")})
        await publish(*messages)

    monkeypatch.setattr(services.events, "publish", checking_publish)
    await services.importer.import_paths(library_id, [str(folder / n) for n in names])
    assert len(seen) == 2
    for tile in seen:
        assert tile["width"] and tile["height"], tile
        assert tile["placeholder"], tile
        assert tile["takenAt"], tile
        assert (tile["grid"], tile["type"]) == (200, "image/webp"), tile
    # The preview was made right after.
    keys = await services.db.fetch("SELECT thumbnail_key FROM photos")
    for row in keys:
        assert thumbnail_path(services.config.thumbnails_dir, row[0], "preview").is_file()


@pytest.fixture
async def grid_only(services: Services, gql: Gql, make_user: Any) -> tuple[str, str, str]:
    """A photo whose grid thumbnail exists but whose preview does not (yet)."""
    token = await make_user("owner")
    library_id = await make_library(gql, token, "previews")
    key = "ab" * 32
    photo_id = await add_photo(services.db, library_id, thumbnail_key=key)
    write_thumbnail(services.config.thumbnails_dir, key, "grid", "red")
    url = data_of(await gql("query($id: ID!) { photo(id: $id) { thumbnailUrl(size: PREVIEW) } }",
                            {"id": str(photo_id)}, token=token))["photo"]["thumbnailUrl"]
    return key, url, token


async def test_preview_request_waits_for_the_preview(
        services: Services, fetch: Any, grid_only: tuple[str, str, str]) -> None:
    key, url, _token = grid_only

    async def write_later() -> bytes:
        await asyncio.sleep(0.3)
        return write_thumbnail(services.config.thumbnails_dir, key, "preview", "green")

    response, preview = await asyncio.gather(fetch(url), write_later())
    assert response.code == 200 and response.body == preview
    assert response.headers["ETag"] == f'"{key}-preview"'
    assert "immutable" in response.headers["Cache-Control"]


async def test_preview_falls_back_to_the_grid_image_revalidated(
        services: Services, fetch: Any, grid_only: tuple[str, str, str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    key, url, _token = grid_only
    monkeypatch.setattr(photo_media, "PREVIEW_WAIT_S", 0.2)
    grid = thumbnail_path(services.config.thumbnails_dir, key, "grid").read_bytes()
    stand_in = await fetch(url)
    assert stand_in.code == 200 and stand_in.body == grid
    assert "immutable" not in stand_in.headers["Cache-Control"]
    preview = write_thumbnail(services.config.thumbnails_dir, key, "preview", "green")
    again = await fetch(url, headers={"If-None-Match": stand_in.headers["ETag"]})
    assert again.code == 200 and again.body == preview
