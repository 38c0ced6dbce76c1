"""RAW files and videos import as photos; a RAW beside a JPEG of the same shot joins the
JPEG's photo."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from uuid import UUID

import pillow_heif
import pytest
import pytest_asyncio

from photonix_rt.config import Config
from photonix_rt.events.memory_bus import MemoryBus
from photonix_rt.pool_client import PoolClient
from photonix_rt.services.events import EventService
from photonix_rt.services.importer import Importer, Outcome
from photonix_rt.store.db import Database
from tests.media_samples import (
    make_camera_jpeg,
    make_dng,
    make_iphone_still,
    make_video,
    set_apple_content_id,
)


@pytest_asyncio.fixture(loop_scope="session")
async def pool() -> AsyncIterator[PoolClient]:
    pool = PoolClient(1)
    yield pool
    await pool.close()


async def test_raw_alone_and_raw_jpeg_pairs(db: Database, data_dir: Path, pool: PoolClient,
                                            tmp_path: Path, fixtures_dir: Path) -> None:
    library_id: UUID = await db.fetchval(
        "INSERT INTO libraries (name) VALUES ('raw') RETURNING id")
    folder = tmp_path / "card"
    folder.mkdir()
    make_dng(folder / "alone.dng", (1600, 1200), preview=(1600, 1200), orientation=6)
    # Pairs in both name orders: "b.dng" sorts before "b.jpg", "C.JPG" before "C.ORF" (the
    # ORF holds a DNG: LibRaw goes by content, the pairing by name).
    make_dng(folder / "b.dng", (640, 480))
    shutil.copy(fixtures_dir / "photonix" / "snow.jpg", folder / "b.jpg")
    make_dng(folder / "C.ORF", (640, 480), colour=(20, 20, 200))
    shutil.copy(fixtures_dir / "photonix" / "tree.jpg", folder / "C.JPG")
    importer = Importer(db, Config(data_dir=data_dir, workers=1), pool,
                        EventService(db, MemoryBus()))

    summary = await importer.import_directory(library_id, folder)
    assert not summary.failures
    assert summary.counts.get(Outcome.NEW) == 3
    assert await db.fetchval("SELECT count(*) FROM photos") == 3

    alone = await db.fetchrow(
        "SELECT p.width, p.height, p.thumbnail_key, f.mime_type, f.role, c.make, p.taken_at_local"
        " FROM photos p JOIN photo_files f ON f.photo_id = p.id JOIN cameras c ON c.id ="
        " p.camera_id WHERE f.path = $1", str(folder / "alone.dng"))
    assert (alone["width"], alone["height"]) == (1200, 1600)
    assert (alone["mime_type"], alone["role"], alone["make"]) == (
        "image/x-adobe-dng", "original", "Photonix")
    assert alone["taken_at_local"].isoformat() == "2024-05-06T07:08:09"
    key = alone["thumbnail_key"]
    assert (data_dir / "thumbnails" / key[:2] / key / "grid.webp").is_file()

    for jpeg, raw in (("b.jpg", "b.dng"), ("C.JPG", "C.ORF")):
        files = await db.fetch(
            "SELECT f.path, f.role, f.mime_type, p.width, p.content_hash = f.content_hash AS"
            " face FROM photo_files f JOIN photos p ON p.id = f.photo_id WHERE f.photo_id ="
            " (SELECT photo_id FROM photo_files WHERE path = $1) ORDER BY f.role", str(folder /
                                                                                    jpeg))
        assert [(Path(r["path"]).name, r["role"], r["face"]) for r in files] == [
            (jpeg, "original", True), (raw, "raw", False)]
        assert files[1]["mime_type"].startswith("image/x-")
    # The JPEG is the photo's face: its size, not the RAW's.
    assert await db.fetchval("SELECT width FROM photos p JOIN photo_files f ON f.photo_id ="
                             " p.id WHERE f.path = $1", str(folder / "b.dng")) == 800

    # A rescan opens nothing and changes nothing.
    again = await importer.import_directory(library_id, folder)
    assert again.counts == {Outcome.UNCHANGED: 5}
    # A touched RAW is read again and stays with its JPEG.
    (folder / "b.dng").touch()
    third = await importer.import_directory(library_id, folder)
    assert third.counts == {Outcome.UNCHANGED: 5}
    assert await db.fetchval("SELECT count(*) FROM photos") == 3


async def test_a_jpeg_arriving_after_its_raw_becomes_the_photo_s_face(
        db: Database, data_dir: Path, pool: PoolClient, tmp_path: Path,
        fixtures_dir: Path) -> None:
    library_id: UUID = await db.fetchval(
        "INSERT INTO libraries (name) VALUES ('late') RETURNING id")
    folder = tmp_path / "card"
    folder.mkdir()
    raw = make_dng(folder / "IMG_1.DNG", (640, 480))
    importer = Importer(db, Config(data_dir=data_dir, workers=1), pool,
                        EventService(db, MemoryBus()))
    first = await importer.import_paths(library_id, [str(raw)])
    assert first.counts == {Outcome.NEW: 1}
    photo_id = await db.fetchval("SELECT id FROM photos")
    await db.execute("UPDATE photos SET rating = 3 WHERE id = $1", photo_id)

    jpeg = folder / "IMG_1.jpg"
    shutil.copy(fixtures_dir / "photonix" / "snow.jpg", jpeg)
    await importer.import_paths(library_id, [str(jpeg)])
    assert await db.fetchval("SELECT count(*) FROM photos") == 1
    row = await db.fetchrow("SELECT id, width, rating FROM photos")
    assert (row["id"], row["width"], row["rating"]) == (photo_id, 800, 3)  # kept, re-faced
    roles = await db.fetch("SELECT path, role FROM photo_files ORDER BY role")
    assert [(Path(r["path"]).name, r["role"]) for r in roles] == [
        ("IMG_1.jpg", "original"), ("IMG_1.DNG", "raw")]


async def test_videos_import_with_a_tile_and_their_duration(
        db: Database, data_dir: Path, pool: PoolClient, tmp_path: Path) -> None:
    library_id: UUID = await db.fetchval(
        "INSERT INTO libraries (name) VALUES ('videos') RETURNING id")
    folder = tmp_path / "phone"
    folder.mkdir()
    make_video(folder / "walk.mp4", (320, 240), seconds=2, fps=10, rotation=90,
               metadata={"creation_time": "2024-05-06T07:08:09Z"})
    make_video(folder / "wave.webm", (256, 144), seconds=3, fps=10, codec="libvpx-vp9")
    (folder / "broken.mov").write_text("not a video")
    importer = Importer(db, Config(data_dir=data_dir, workers=1), pool,
                        EventService(db, MemoryBus()))
    summary = await importer.import_directory(library_id, folder)
    assert summary.counts == {Outcome.NEW: 2, Outcome.FAILED: 1}
    rows = await db.fetch(
        "SELECT f.path, f.mime_type, p.media_type, p.duration_ms, p.width, p.height,"
        " p.placeholder IS NOT NULL AS tile, p.thumbnail_key, p.taken_at_local"
        " FROM photos p JOIN photo_files f ON f.photo_id = p.id ORDER BY f.path")
    assert [(Path(r["path"]).name, r["mime_type"], r["media_type"], r["duration_ms"],
             r["width"], r["height"], r["tile"]) for r in rows] == [
        ("walk.mp4", "video/mp4", "video", 2000, 240, 320, True),
        ("wave.webm", "video/webm", "video", 3000, 256, 144, True)]
    assert rows[0]["taken_at_local"].isoformat() == "2024-05-06T07:08:09"
    for row in rows:
        key = row["thumbnail_key"]
        assert (data_dir / "thumbnails" / key[:2] / key / "grid.webp").is_file()
    again = await importer.import_directory(library_id, folder)
    assert again.counts == {Outcome.UNCHANGED: 3}


async def test_a_live_photo_is_one_photo_with_its_motion_clip(
        db: Database, data_dir: Path, pool: PoolClient, tmp_path: Path,
        fixtures_dir: Path) -> None:
    library_id: UUID = await db.fetchval(
        "INSERT INTO libraries (name) VALUES ('live') RETURNING id")
    folder = tmp_path / "iphone"
    folder.mkdir()
    # IMG_1: a still and its 2 s clip (a live photo); IMG_2: a still and a 7 s MOV of the
    # same name, too long for a live photo's clip: a video of its own.
    for name, seconds in (("IMG_1", 2), ("IMG_2", 7)):
        shutil.copy(fixtures_dir / "photonix" / "snow.jpg", folder / f"{name}.JPG")
        make_video(folder / f"{name}.MOV", (320, 240), seconds=seconds, fps=5)
    (folder / "IMG_2.JPG").write_bytes(
        (fixtures_dir / "photonix" / "tree.jpg").read_bytes())  # other content
    importer = Importer(db, Config(data_dir=data_dir, workers=1), pool,
                        EventService(db, MemoryBus()))
    summary = await importer.import_directory(library_id, folder)
    assert not summary.failures
    rows = await db.fetch(
        "SELECT f.path, f.role, p.media_type, p.id FROM photo_files f JOIN photos p ON"
        " p.id = f.photo_id ORDER BY f.path")
    found = {Path(r["path"]).name: (r["role"], r["media_type"], r["id"]) for r in rows}
    assert await db.fetchval("SELECT count(*) FROM photos") == 3
    assert found["IMG_1.MOV"][:2] == ("motion", "photo")
    assert found["IMG_1.MOV"][2] == found["IMG_1.JPG"][2]
    assert found["IMG_2.MOV"][:2] == ("original", "video")
    assert found["IMG_2.MOV"][2] != found["IMG_2.JPG"][2]
    again = await importer.import_directory(library_id, folder)
    assert again.counts == {Outcome.UNCHANGED: 4}


async def test_a_still_arriving_after_its_live_clip_takes_the_clip_in(
        db: Database, data_dir: Path, pool: PoolClient, tmp_path: Path,
        fixtures_dir: Path) -> None:
    """The watcher may see the MOV first: it is a video until its still arrives."""
    library_id: UUID = await db.fetchval(
        "INSERT INTO libraries (name) VALUES ('live-late') RETURNING id")
    folder = tmp_path / "iphone"
    folder.mkdir()
    clip = make_video(folder / "IMG_9.MOV", (320, 240), seconds=2, fps=5)
    importer = Importer(db, Config(data_dir=data_dir, workers=1), pool,
                        EventService(db, MemoryBus()))
    await importer.import_paths(library_id, [str(clip)])
    assert await db.fetchval("SELECT media_type FROM photos") == "video"
    still = folder / "IMG_9.HEIC"
    shutil.copy(fixtures_dir / "photonix" / "snow.jpg", still)  # content decides, not name
    await importer.import_paths(library_id, [str(still)])
    assert await db.fetchval("SELECT count(*) FROM photos") == 1
    row = await db.fetchrow("SELECT media_type, duration_ms, width FROM photos")
    assert (row["media_type"], row["duration_ms"], row["width"]) == ("photo", None, 800)
    roles = await db.fetch("SELECT path, role FROM photo_files ORDER BY role DESC")
    assert [(Path(r["path"]).name, r["role"]) for r in roles] == [
        ("IMG_9.HEIC", "original"), ("IMG_9.MOV", "motion")]


async def _photo_files(db: Database, library_id: UUID) -> dict[str, tuple[UUID, str]]:
    rows = await db.fetch("SELECT path, photo_id, role FROM photo_files WHERE library_id = $1",
                          library_id)
    return {Path(r["path"]).name: (r["photo_id"], r["role"]) for r in rows}


async def test_a_raw_and_a_jpeg_of_other_names_pair_by_capture_time_and_camera(
        db: Database, data_dir: Path, pool: PoolClient, tmp_path: Path) -> None:
    library_id: UUID = await db.fetchval(
        "INSERT INTO libraries (name) VALUES ('renamed') RETURNING id")
    folder = tmp_path / "card"
    folder.mkdir()
    # One shot renamed apart; the RAW sorts first, so it is read first.
    make_dng(folder / "DSC_0001.dng", (640, 480), taken="2024:05:06 07:08:09")
    make_camera_jpeg(folder / "holiday-1.jpg", taken="2024:05:06 07:08:09")
    # Same second, another camera: two photos.
    make_dng(folder / "DSC_0002.dng", (640, 480), taken="2024:05:06 08:00:00")
    make_camera_jpeg(folder / "holiday-2.jpg", model="Other body", taken="2024:05:06 08:00:00")
    # Same second and camera, other sub-seconds (both record them): two shots of a burst.
    make_dng(folder / "DSC_0003.dng", (640, 480), taken="2024:05:06 09:00:00", subsec="25")
    make_camera_jpeg(folder / "holiday-3.jpg", taken="2024:05:06 09:00:00", subsec="75")
    # Same sub-seconds written to other precisions ("5" and "50"): one shot.
    make_dng(folder / "DSC_0004.dng", (640, 480), taken="2024:05:06 10:00:00", subsec="5")
    make_camera_jpeg(folder / "holiday-4.jpg", taken="2024:05:06 10:00:00", subsec="50")
    # Same time and camera, another folder: not the same shot.
    (folder / "sub").mkdir()
    make_camera_jpeg(folder / "sub" / "elsewhere.jpg", taken="2024:05:06 12:00:00")
    make_dng(folder / "DSC_0006.dng", (640, 480), taken="2024:05:06 12:00:00")
    importer = Importer(db, Config(data_dir=data_dir, workers=1), pool,
                        EventService(db, MemoryBus()))

    summary = await importer.import_directory(library_id, folder)
    assert not summary.failures
    found = await _photo_files(db, library_id)
    assert found["DSC_0001.dng"] == (found["holiday-1.jpg"][0], "raw")
    assert found["holiday-1.jpg"][1] == "original"
    assert found["DSC_0004.dng"] == (found["holiday-4.jpg"][0], "raw")
    for raw, jpeg in (("DSC_0002.dng", "holiday-2.jpg"), ("DSC_0003.dng", "holiday-3.jpg"),
                      ("DSC_0006.dng", "elsewhere.jpg")):
        assert found[raw][0] != found[jpeg][0], (raw, jpeg)
        assert found[raw][1] == "original"
    assert await db.fetchval("SELECT count(*) FROM photos WHERE library_id = $1",
                             library_id) == 8
    # The RAW's own thumbnails (made before it was matched) are not left behind.
    raw_hash = await db.fetchval("SELECT content_hash FROM photo_files WHERE path = $1",
                                 str(folder / "DSC_0001.dng"))
    key = raw_hash.hex()
    assert not (data_dir / "thumbnails" / key[:2] / key).exists()
    again = await importer.import_directory(library_id, folder)
    assert again.counts == {Outcome.UNCHANGED: 10}

    # Two JPEGs of one second without sub-seconds: which one is the RAW's is not known, so
    # the RAW stays a photo of its own. (Told apart among the files already imported.)
    make_camera_jpeg(folder / "burst-a.jpg", taken="2024:05:06 11:00:00")
    make_camera_jpeg(folder / "burst-b.jpg", taken="2024:05:06 11:00:00", colour=(1, 2, 3))
    await importer.import_paths(library_id, [str(folder / "burst-a.jpg"),
                                             str(folder / "burst-b.jpg")])
    make_dng(folder / "DSC_0005.dng", (640, 480), taken="2024:05:06 11:00:00")
    await importer.import_paths(library_id, [str(folder / "DSC_0005.dng")])
    found = await _photo_files(db, library_id)
    assert len({found[n][0] for n in ("burst-a.jpg", "burst-b.jpg", "DSC_0005.dng")}) == 3

    # A JPEG with a RAW of its own name on disk (not imported yet) is that RAW's, not a
    # renamed one's.
    make_camera_jpeg(folder / "IMG_7.jpg", taken="2024:05:06 13:00:00")
    make_dng(folder / "IMG_7.dng", (640, 480), taken="2024:05:06 13:00:00")
    make_dng(folder / "A_renamed.dng", (640, 480), taken="2024:05:06 13:00:00",
             colour=(9, 9, 9))
    for name in ("IMG_7.jpg", "A_renamed.dng", "IMG_7.dng"):
        await importer.import_paths(library_id, [str(folder / name)])
    found = await _photo_files(db, library_id)
    assert found["IMG_7.dng"] == (found["IMG_7.jpg"][0], "raw")
    assert found["A_renamed.dng"][0] != found["IMG_7.jpg"][0]


async def test_a_jpeg_of_another_name_arriving_after_its_raw_re_faces_it(
        db: Database, data_dir: Path, pool: PoolClient, tmp_path: Path) -> None:
    library_id: UUID = await db.fetchval(
        "INSERT INTO libraries (name) VALUES ('renamed-late') RETURNING id")
    folder = tmp_path / "card"
    folder.mkdir()
    raw = make_dng(folder / "DSC_0001.dng", (640, 480), subsec="120")
    importer = Importer(db, Config(data_dir=data_dir, workers=1), pool,
                        EventService(db, MemoryBus()))
    assert (await importer.import_paths(library_id, [str(raw)])).counts == {Outcome.NEW: 1}
    photo_id, old_key = await db.fetchrow(
        "SELECT id, thumbnail_key FROM photos WHERE library_id = $1", library_id)
    old_thumbs = data_dir / "thumbnails" / old_key[:2] / old_key
    assert old_thumbs.is_dir()

    jpeg = make_camera_jpeg(folder / "holiday-1.jpg", subsec="12")
    await importer.import_paths(library_id, [str(jpeg)])
    found = await _photo_files(db, library_id)
    assert found == {"DSC_0001.dng": (photo_id, "raw"), "holiday-1.jpg": (photo_id, "original")}
    row = await db.fetchrow("SELECT width, thumbnail_key FROM photos WHERE id = $1", photo_id)
    assert row["width"] == 800  # the JPEG's face
    # The RAW's thumbnails went with its face.
    assert not old_thumbs.exists()
    new_key = row["thumbnail_key"]
    assert (data_dir / "thumbnails" / new_key[:2] / new_key / "grid.webp").is_file()


async def test_a_still_pulled_in_by_its_raw_counts_as_new(
        db: Database, data_dir: Path, pool: PoolClient, tmp_path: Path) -> None:
    """The watcher may report a RAW before its JPEG: the RAW imports the JPEG first, and
    the batch says so (the JPEG's own later turn finds it unchanged)."""
    library_id: UUID = await db.fetchval(
        "INSERT INTO libraries (name) VALUES ('pulled') RETURNING id")
    folder = tmp_path / "card"
    folder.mkdir()
    raw = make_dng(folder / "IMG_1.dng", (64, 48))
    jpeg = make_camera_jpeg(folder / "IMG_1.jpg", (64, 48))
    importer = Importer(db, Config(data_dir=data_dir, workers=1), pool,
                        EventService(db, MemoryBus()))
    first = await importer.import_paths(library_id, [str(raw)])
    assert first.counts == {Outcome.NEW: 1, Outcome.COPY: 1}
    later = await importer.import_paths(library_id, [str(jpeg)])
    assert later.counts == {Outcome.UNCHANGED: 1}
    # In one batch (a scan) each file is counted once, whichever of the two goes first.
    for name in ("IMG_2", "IMG_3"):
        make_dng(folder / f"{name}.dng", (64, 48), colour=(1, 2, len(name)))
        make_camera_jpeg(folder / f"{name}.jpg", (64, 48), colour=(3, 2, len(name) + ord(name[-1])))
    summary = await importer.import_directory(library_id, folder)
    assert summary.counts == {Outcome.UNCHANGED: 2, Outcome.NEW: 2, Outcome.COPY: 2}
    assert await db.fetchval("SELECT count(*) FROM photos WHERE library_id = $1",
                             library_id) == 3


async def test_a_deleted_still_leaves_its_raw_or_clip_as_the_photo_s_file(
        db: Database, data_dir: Path, pool: PoolClient, tmp_path: Path,
        fixtures_dir: Path) -> None:
    library_id: UUID = await db.fetchval(
        "INSERT INTO libraries (name) VALUES ('deleted-still') RETURNING id")
    folder = tmp_path / "card"
    folder.mkdir()
    make_dng(folder / "IMG_1.dng", (640, 480))
    shutil.copy(fixtures_dir / "photonix" / "snow.jpg", folder / "IMG_1.jpg")
    shutil.copy(fixtures_dir / "photonix" / "tree.jpg", folder / "IMG_2.jpg")
    make_video(folder / "IMG_2.MOV", (320, 240), seconds=2, fps=5)
    # Both files of IMG_3 go at once (a card pulled): nothing to keep, nothing re-read.
    make_dng(folder / "IMG_3.dng", (640, 480), colour=(5, 5, 5))
    make_camera_jpeg(folder / "IMG_3.jpg", (64, 48))
    importer = Importer(db, Config(data_dir=data_dir, workers=1), pool,
                        EventService(db, MemoryBus()))
    await importer.import_directory(library_id, folder)
    pair = await db.fetchrow(
        "SELECT p.id, p.thumbnail_key FROM photos p JOIN photo_files f ON f.photo_id = p.id"
        " WHERE f.path = $1", str(folder / "IMG_1.jpg"))
    live = await db.fetchval("SELECT photo_id FROM photo_files WHERE path = $1",
                             str(folder / "IMG_2.MOV"))
    await db.execute("UPDATE photos SET rating = 4 WHERE id = $1", pair["id"])
    old_thumbs = data_dir / "thumbnails" / pair["thumbnail_key"][:2] / pair["thumbnail_key"]
    assert old_thumbs.is_dir()

    for name in ("IMG_1.jpg", "IMG_2.jpg", "IMG_3.jpg", "IMG_3.dng"):
        (folder / name).unlink()
    await importer.import_paths(library_id, [str(folder / "IMG_1.jpg")])  # the watcher
    await importer.import_directory(library_id, folder)  # a scan
    row = await db.fetchrow("SELECT id, width, rating, thumbnail_key, media_type FROM photos"
                            " WHERE id = $1", pair["id"])
    assert (row["width"], row["rating"], row["media_type"]) == (640, 4, "photo")
    files = await db.fetch("SELECT path, role, status FROM photo_files WHERE photo_id = $1",
                           pair["id"])
    assert [(Path(r["path"]).name, r["role"], r["status"]) for r in files] == [
        ("IMG_1.dng", "original", "ok")]
    assert not old_thumbs.exists()  # the gone JPEG's thumbnails, not the RAW's
    key = row["thumbnail_key"]
    assert (data_dir / "thumbnails" / key[:2] / key / "grid.webp").is_file()
    video = await db.fetchrow("SELECT media_type, duration_ms FROM photos WHERE id = $1", live)
    assert video["media_type"] == "video" and 1500 <= video["duration_ms"] <= 2500
    assert await db.fetchval("SELECT role FROM photo_files WHERE path = $1",
                             str(folder / "IMG_2.MOV")) == "original"
    gone = await db.fetch("SELECT role, status FROM photo_files WHERE path LIKE $1",
                          str(folder / "IMG_3.%"))
    assert sorted((r["role"], r["status"]) for r in gone) == [
        ("original", "missing"), ("raw", "missing")]

    # The JPEG comes back: it is the photo's face again, with the RAW beside it.
    shutil.copy(fixtures_dir / "photonix" / "snow.jpg", folder / "IMG_1.jpg")
    await importer.import_paths(library_id, [str(folder / "IMG_1.jpg")])
    files = await db.fetch("SELECT path, role FROM photo_files WHERE photo_id = $1"
                           " ORDER BY role", pair["id"])
    assert [(Path(r["path"]).name, r["role"]) for r in files] == [
        ("IMG_1.jpg", "original"), ("IMG_1.dng", "raw")]
    assert await db.fetchval("SELECT rating FROM photos WHERE id = $1", pair["id"]) == 4


CLIP_ID_KEY = "com.apple.quicktime.content.identifier"
pillow_heif.register_heif_opener()


@pytest.mark.skipif(shutil.which("exiftool") is None,
                    reason="exiftool writes the Apple maker note (apt: libimage-exiftool-perl)")
async def test_a_live_photo_pairs_only_with_the_clip_of_its_content_identifier(
        db: Database, data_dir: Path, pool: PoolClient, tmp_path: Path,
        fixtures_dir: Path) -> None:
    """The still's identifier is in Apple's maker note (which exiv2 leaves undecoded), the
    clip's in the MOV's QuickTime keys: a MOV of the still's name but another identifier
    (a clip copied in from another shot) is a video of its own."""
    library_id: UUID = await db.fetchval(
        "INSERT INTO libraries (name) VALUES ('apple-ids') RETURNING id")
    folder = tmp_path / "iphone"
    folder.mkdir()
    iphone = fixtures_dir / "exif-samples" / "heic" / "IMG_5195.HEIC"
    same, other = "7E1A3B52-0C4D-4E8F-9A61-2B3C4D5E6F70", "0F9E8D7C-6B5A-4938-8271-605F4E3D2C1B"
    # Small stills carrying the iPhone photo's EXIF (its maker note too): quick to import.
    make_iphone_still(folder / "IMG_1.HEIC", iphone)
    make_iphone_still(folder / "IMG_2.JPG", iphone, colour=(200, 200, 20))
    set_apple_content_id(same, folder / "IMG_1.HEIC", folder / "IMG_2.JPG")
    make_video(folder / "IMG_1.MOV", seconds=2, fps=5, metadata={CLIP_ID_KEY: same.lower()})
    make_video(folder / "IMG_2.MOV", seconds=2, fps=5, metadata={CLIP_ID_KEY: other},
               colour=(200, 30, 30))
    importer = Importer(db, Config(data_dir=data_dir, workers=1), pool,
                        EventService(db, MemoryBus()))
    summary = await importer.import_directory(library_id, folder)
    assert not summary.failures
    found = await _photo_files(db, library_id)
    assert found["IMG_1.MOV"] == (found["IMG_1.HEIC"][0], "motion")  # ids agree (any case)
    assert found["IMG_2.MOV"][0] != found["IMG_2.JPG"][0]
    assert found["IMG_2.MOV"][1] == "original"
    assert await db.fetchval("SELECT media_type FROM photos WHERE id = $1",
                             found["IMG_2.MOV"][0]) == "video"
    ids = await db.fetch("SELECT metadata ->> 'Exif.Apple.ContentIdentifier' AS id FROM photos"
                         " WHERE library_id = $1 AND media_type = 'photo' ORDER BY id",
                         library_id)
    assert [r["id"] for r in ids] == [same, same]
