"""Rotation stored with the photo (thumbnails redrawn, boxes turned, face and object stages
queued again, the file untouched) and per-library classifier settings (off: new photos skip
the stage; on: the existing photos get it)."""

from __future__ import annotations

import io
from pathlib import Path
from uuid import UUID

from PIL import Image

from photonix_rt.config import Config
from photonix_rt.services.photo_media import thumbnail_path
from photonix_rt.store import classifiers, faces
from photonix_rt.store.db import Database
from tests.integration.photo_factory import Gql, add_photo, data_of, make_library

ROTATE = """mutation($p: ID!, $r: Int!) { rotatePhoto(photoId: $p, rotation: $r) {
  rotation width height thumbnailUrl(size: PREVIEW) placeholder faces { box } jobs { stage status }
} }"""


def _landscape(config: Config, key: str) -> None:
    """A 40x20 grid and 80x40 preview, left half red and right half blue."""
    for size, (w, h) in (("grid", (40, 20)), ("preview", (80, 40))):
        image = Image.new("RGB", (w, h), "blue")
        image.paste(Image.new("RGB", (w // 2, h), "red"), (0, 0))
        path = thumbnail_path(config.thumbnails_dir, key, size)
        path.parent.mkdir(parents=True, exist_ok=True)
        image.save(path, "WEBP", lossless=True)


async def _stages(db: Database) -> None:
    for name in ("face", "object", "colour"):
        await classifiers.record_classifier(db, name, f"{name}-1", True, None)


async def test_rotate_photo(config: Config, db: Database, gql: Gql, fetch, make_user,
                            tmp_path: Path) -> None:
    owner = await make_user("owner")
    viewer = await make_user("viewer")
    library_id = await make_library(gql, owner, "Rotate", {"viewer": "VIEWER"})
    await _stages(db)
    original = tmp_path / "photo.jpg"
    original.write_bytes(b"the original bytes")
    _landscape(config, "landscape01")
    photo = await add_photo(db, library_id, thumbnail_key="landscape01", width=4000,
                            height=2000, file_path=str(original))
    await faces.insert_face(db, library_id, photo, None, [0.1, 0.2, 0.3, 0.4], 0.99,
                            [0.0] * 128, "face-1")

    refused = await gql(ROTATE, {"p": str(photo), "r": 90}, token=viewer)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    bad = await gql(ROTATE, {"p": str(photo), "r": 45}, token=owner)
    assert bad["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"

    turned = data_of(await gql(ROTATE, {"p": str(photo), "r": 90}, token=owner))["rotatePhoto"]
    assert (turned["rotation"], turned["width"], turned["height"]) == (90, 2000, 4000)
    # A quarter turn clockwise: (x, y, w, h) -> (1 - y - h, x, h, w).
    assert [round(v, 4) for v in turned["faces"][0]["box"]] == [0.4, 0.1, 0.4, 0.3]
    assert {(j["stage"], j["status"]) for j in turned["jobs"]} == {("face", "QUEUED"),
                                                                  ("object", "QUEUED")}
    assert "landscape01-r90" in turned["thumbnailUrl"]
    response = await fetch(turned["thumbnailUrl"])
    image = Image.open(io.BytesIO(response.body)).convert("RGB")
    assert image.size == (40, 80)
    # Turned clockwise, the left (red) half is now on top.
    assert image.getpixel((20, 10))[0] > 200 and image.getpixel((20, 70))[2] > 200
    assert original.read_bytes() == b"the original bytes"

    # Back to 0: the unrotated set, the box as it was; 180 keeps the sides.
    back = data_of(await gql(ROTATE, {"p": str(photo), "r": 0}, token=owner))["rotatePhoto"]
    assert (back["width"], back["height"]) == (4000, 2000)
    assert "v=landscape01&" in back["thumbnailUrl"]
    assert [round(v, 4) for v in back["faces"][0]["box"]] == [0.1, 0.2, 0.3, 0.4]
    upside = data_of(await gql(ROTATE, {"p": str(photo), "r": 180},
                               token=owner))["rotatePhoto"]
    assert (upside["width"], upside["height"]) == (4000, 2000)
    assert [round(v, 4) for v in upside["faces"][0]["box"]] == [0.6, 0.4, 0.3, 0.4]
    kinds = [r["payload"] for r in await db.fetch(
        "SELECT payload FROM events WHERE photo_id = $1 AND kind = 'PHOTO_UPDATED'", photo)]
    assert kinds.count({"change": "rotation"}) == 3


SETTINGS = "query($l: ID!) { classifierSettings(libraryId: $l) { stage enabled available } }"
SET = """mutation($l: ID!, $s: String!, $e: Boolean!) {
  setClassifierEnabled(libraryId: $l, stage: $s, enabled: $e) { stage enabled queued } }"""


async def test_classifier_settings_per_library(services, db: Database, gql: Gql,
                                               make_user) -> None:
    owner = await make_user("owner")
    editor = await make_user("editor")
    library_id = await make_library(gql, owner, "Stages", {"editor": "EDITOR"})
    other_id = await make_library(gql, owner, "Other")
    await _stages(db)
    settings = data_of(await gql(SETTINGS, {"l": str(library_id)}, token=editor))
    assert {s["stage"]: (s["enabled"], s["available"])
            for s in settings["classifierSettings"]}["face"] == (True, True)

    async def stages_of(photo: UUID) -> set[str]:
        rows = await db.fetch("SELECT stage FROM jobs WHERE photo_id = $1", photo)
        return {r["stage"] for r in rows}

    earlier = await add_photo(db, library_id)
    async with db.transaction() as conn:
        await services.jobs.enqueue_photo(conn, library_id, earlier)
    assert await stages_of(earlier) == {"face", "object", "colour"}

    refused = await gql(SET, {"l": str(library_id), "s": "face", "e": False}, token=editor)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    unknown = await gql(SET, {"l": str(library_id), "s": "nope", "e": False}, token=owner)
    assert unknown["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    off = data_of(await gql(SET, {"l": str(library_id), "s": "face", "e": False},
                            token=owner))["setClassifierEnabled"]
    assert off == {"stage": "face", "enabled": False, "queued": 0}
    assert await stages_of(earlier) == {"object", "colour"}  # its waiting face job dropped

    photos = []
    for library in (library_id, other_id):
        photo = await add_photo(db, library)
        async with db.transaction() as conn:
            await services.jobs.enqueue_photo(conn, library, photo)
        photos.append(photo)
    assert await stages_of(photos[0]) == {"object", "colour"}  # face is off here
    assert await stages_of(photos[1]) == {"face", "object", "colour"}  # not elsewhere

    on = data_of(await gql(SET, {"l": str(library_id), "s": "face", "e": True},
                           token=owner))["setClassifierEnabled"]
    assert on == {"stage": "face", "enabled": True, "queued": 2}
    assert await stages_of(photos[0]) == {"face", "object", "colour"}
    again = data_of(await gql(SET, {"l": str(library_id), "s": "face", "e": True},
                              token=owner))["setClassifierEnabled"]
    assert again["queued"] == 0
    payloads = [r["payload"] for r in await db.fetch(
        "SELECT payload FROM events WHERE library_id = $1 AND kind = 'LIBRARY_SETTINGS'"
        " ORDER BY sequence", library_id)]
    assert payloads == [{"stage": "face", "enabled": False}, {"stage": "face", "enabled": True}]
