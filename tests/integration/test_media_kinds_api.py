"""Videos and RAW+JPEG pairs through GraphQL and the originals route (what the web app uses)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any
from uuid import UUID

from photonix_rt.services.container import Services
from tests.integration.photo_factory import Gql, data_of, make_library
from tests.media_samples import make_dng, make_motion_photo, make_video

QUERY = """query($p: ID!) { photo(id: $p) { mediaType durationMs videoCodec videoUrl originalUrl
  files { role mimeType path } } }"""


async def test_video_and_raw_pair_fields_and_playback(
        services: Services, gql: Gql, fetch: Any, make_user: Any, tmp_path: Path,
        fixtures_dir: Path) -> None:
    token = await make_user("owner")
    library_id: UUID = await make_library(gql, token, "camera")
    folder = tmp_path / "camera"
    folder.mkdir()
    make_video(folder / "clip.mov", (320, 240), seconds=2, codec="libx265")
    make_dng(folder / "shot.dng", (640, 480))
    shutil.copy(fixtures_dir / "photonix" / "snow.jpg", folder / "shot.jpg")
    shutil.copy(fixtures_dir / "photonix" / "tree.jpg", folder / "IMG_7.JPG")
    make_video(folder / "IMG_7.MOV", (320, 240), seconds=2)  # a live photo's clip
    clip = make_video(tmp_path / "clip.mp4", (160, 120), seconds=1).read_bytes()
    make_motion_photo(folder / "PXL_1.MP.jpg", clip)  # an Android motion photo
    await services.db.execute("INSERT INTO library_paths (library_id, path) VALUES ($1, $2)",
                              library_id, str(folder))
    summary = await services.importer.import_directory(library_id, folder)
    assert not summary.failures

    async def photo_of(name: str) -> dict[str, Any]:
        photo_id = await services.db.fetchval(
            "SELECT photo_id FROM photo_files WHERE path = $1", str(folder / name))
        return data_of(await gql(QUERY, {"p": str(photo_id)}, token=token))["photo"]

    video = await photo_of("clip.mov")
    assert (video["mediaType"], video["durationMs"], video["videoCodec"]) == (
        "video", 2000, "hevc")
    assert video["videoUrl"] == video["originalUrl"]
    # Playback streams the original with Range (what <video> asks for).
    response = await fetch(video["videoUrl"], headers={"Range": "bytes=0-99"})
    assert response.code == 206
    assert response.headers["Content-Type"] == "video/quicktime"
    assert len(response.body) == 100

    still = await photo_of("shot.dng")
    assert (still["mediaType"], still["durationMs"], still["videoUrl"]) == ("photo", None, None)
    assert [(Path(f["path"]).name, f["role"]) for f in still["files"]] == [
        ("shot.jpg", "original"), ("shot.dng", "raw")]
    # The original (download) is the JPEG; the RAW is the pair's second file.
    response = await fetch(still["originalUrl"], headers={"Range": "bytes=0-1"})
    assert response.body == b"\xff\xd8"

    # A live photo: a still whose videoUrl plays its motion clip.
    live = await photo_of("IMG_7.JPG")
    assert live["mediaType"] == "photo"
    assert [(Path(f["path"]).name, f["role"]) for f in live["files"]] == [
        ("IMG_7.JPG", "original"), ("IMG_7.MOV", "motion")]
    assert live["videoUrl"] and live["videoUrl"] != live["originalUrl"]
    response = await fetch(live["videoUrl"], headers={"Range": "bytes=4-11"})
    assert response.code == 206 and response.body == b"ftypqt  "  # a QuickTime file

    # An Android motion photo: its clip, cut out at import, served beside the thumbnails.
    motion = await photo_of("PXL_1.MP.jpg")
    assert motion["mediaType"] == "photo" and "/motion.mp4?token=" in motion["videoUrl"]
    response = await fetch(motion["videoUrl"], headers={"Range": "bytes=0-"})
    assert response.code == 206 and response.body == clip
    assert response.headers["Content-Type"] == "video/mp4"
