"""Uploads from the phone: POST /uploads/<library id> into the owner's chosen uploads folder."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from PIL import Image

from photonix_rt.config import Config
from tests.integration.photo_factory import data_of, make_library
from tests.media_samples import make_video

LIMIT = 2 * 1024 * 1024

CAN_UPLOAD = "query($l: ID!) { library(id: $l) { canUpload uploadsFolder { path } } }"
SET_FOLDER = ("mutation($l: ID!, $p: ID) { setUploadsFolder(libraryId: $l, pathId: $p) "
              "{ path } }")
ADD_PATH = ("mutation($l: ID!, $p: String!) { addLibraryPath(libraryId: $l, path: $p, "
            "watch: false) { id } }")


@pytest.fixture
def config(config: Config) -> Config:
    return config.with_overrides(max_upload_bytes=LIMIT)


def _all_files(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def _outside(tmp_path: Path, s: Setup) -> set[Path]:
    """Files in this run's temporary area outside the uploads folder and the data dir."""
    return {p for p in tmp_path.parent.rglob("*") if p.is_file()
            and not p.is_relative_to(s.uploads) and not p.is_relative_to(tmp_path / "data")}


class Setup:
    tokens: dict[str, str | None]
    library: str
    uploads: Path
    originals: Path
    root: Path


@pytest.fixture
async def setup(gql: Any, make_user: Any, tmp_path: Path, fixtures_dir: Path) -> Setup:
    s = Setup()
    s.root = tmp_path / "disk"
    s.uploads = s.root / "library" / "Uploads"
    s.originals = s.root / "library" / "Originals"
    s.uploads.mkdir(parents=True)
    s.originals.mkdir(parents=True)
    s.tokens = {"anonymous": None, "owner": await make_user("owner", admin=True)}
    for name in ("editor", "viewer", "outsider"):
        s.tokens[name] = await make_user(name)
    s.library = str(await make_library(gql, s.tokens["owner"], "phone",
                                       {"editor": "EDITOR", "viewer": "VIEWER"}))
    ids = {}
    for folder in (s.uploads, s.originals):
        ids[folder] = data_of(await gql(ADD_PATH, {"l": s.library, "p": str(folder)},
                                        token=s.tokens["owner"]))["addLibraryPath"]["id"]
    # Only owners choose the folder; editors may not.
    refused = await gql(SET_FOLDER, {"l": s.library, "p": ids[s.uploads]},
                        token=s.tokens["editor"])
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    chosen = data_of(await gql(SET_FOLDER, {"l": s.library, "p": ids[s.uploads]},
                               token=s.tokens["owner"]))
    assert chosen["setUploadsFolder"]["path"] == str(s.uploads.resolve())
    return s


async def _upload(fetch: Any, s: Setup, body: bytes, name: str | None = "IMG_0001.jpg",
                  token: str = "editor", headers: dict[str, str] | None = None) -> Any:
    query = "" if name is None else "?name=" + quote(name)
    return await fetch(f"/uploads/{s.library}{query}", method="POST", body=body,
                       headers=headers or {}, token=s.tokens[token])


async def test_upload_imports_into_the_uploads_folder_idempotently(
        fetch: Any, gql: Any, setup: Setup, fixtures_dir: Path) -> None:
    s = setup
    jpeg = (fixtures_dir / "photonix" / "snow.jpg").read_bytes()
    digest = hashlib.sha256(jpeg).hexdigest()
    # Not there yet.
    absent = await fetch(f"/uploads/{s.library}?sha256={digest}", token=s.tokens["editor"])
    assert absent.code == 404

    first = await _upload(fetch, s, jpeg, name="../../x.jpg")
    assert first.code == 201, first.body
    answer = json.loads(first.body)
    assert answer["duplicate"] is False
    # A name chosen by the server, inside the uploads folder only.
    assert _all_files(s.root) == {f"library/Uploads/{answer['fileName']}"}
    assert answer["fileName"].startswith("x-") and answer["fileName"].endswith(".jpg")
    assert (s.uploads / answer["fileName"]).read_bytes() == jpeg
    assert not (s.root.parent / "x.jpg").exists()
    photo = data_of(await gql("query($p: ID!) { photo(id: $p) { id files { path } } }",
                              {"p": answer["photoId"]}, token=s.tokens["viewer"]))["photo"]
    assert photo["files"] == [{"path": str(s.uploads.resolve() / answer["fileName"])}]
    uploads = data_of(await gql(CAN_UPLOAD, {"l": s.library}, token=s.tokens["editor"]))
    assert uploads["library"]["canUpload"] is True

    # A retry after a lost answer: same photo, nothing more written.
    again = await _upload(fetch, s, jpeg, name="IMG_9999.jpg")
    assert again.code == 200
    assert json.loads(again.body) == {"photoId": answer["photoId"], "duplicate": True,
                                      "fileName": None}
    # Known before upload: by query, and by header (the body is never read).
    known = await fetch(f"/uploads/{s.library}?sha256={digest}", token=s.tokens["editor"])
    assert json.loads(known.body)["photoId"] == answer["photoId"]
    early = await _upload(fetch, s, jpeg, headers={"X-Content-SHA256": digest})
    assert json.loads(early.body)["photoId"] == answer["photoId"]
    assert _all_files(s.root) == {f"library/Uploads/{answer['fileName']}"}


HOSTILE_NAMES = ["../../x.jpg", "..\\..\\evil.png", "/etc/passwd", ".hidden.jpg",
                 "a/../../../b.jpg", "", None, "ünïcødé фото.jpeg", "x" * 400 + ".jpg"]

NOT_PHOTOS = [
    (b"just some text, certainly not a photo\n" * 20, "not one the library can read"),
    (b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 4000, "could not be read"),  # MP4 magic only
    (b"%PDF-1.7\n" + b"x" * 100, "not one the library can read"),
    (b"\xff\xd8\xff\xe0" + b"\x00" * 5000, "could not be read"),  # JPEG magic, no picture
    (b"", "empty"),
]


async def test_hostile_names_and_non_images_write_nothing_outside(
        fetch: Any, setup: Setup, tmp_path: Path) -> None:
    s = setup
    # Refused first: a clear error, and nothing kept anywhere (no partial file either).
    for body, message in NOT_PHOTOS:
        response = await _upload(fetch, s, body, name="../../x.jpg")
        assert response.code in (400, 415), response.body
        assert message in json.loads(response.body)["error"]
        assert _all_files(s.root) == set(), message
    before = _outside(tmp_path, s)
    written_names = set()
    for i, name in enumerate(HOSTILE_NAMES):
        image = s.root / "made.png"
        Image.new("RGB", (64, 48), (i * 20, 80, 160)).save(image, "PNG")
        body = image.read_bytes()
        image.unlink()
        response = await _upload(fetch, s, body, name=name)
        assert response.code == 201, (name, response.body)
        written = json.loads(response.body)["fileName"]
        assert "/" not in written and "\\" not in written and not written.startswith(".")
        assert written.endswith(".png") and len(written) < 100, written
        written_names.add(f"library/Uploads/{written}")
        assert _all_files(s.root) == written_names, name
    assert _outside(tmp_path, s) == before  # nothing anywhere else (data dir aside)


async def test_too_large_and_mismatched_uploads_leave_nothing(
        fetch: Any, setup: Setup, fixtures_dir: Path, config: Config) -> None:
    # Larger than the server-wide body limit, within the upload limit: accepted.
    noisy = setup.root / "noise.png"
    Image.frombytes("RGB", (700, 700), os.urandom(700 * 700 * 3)).save(noisy, "PNG")
    body = noisy.read_bytes()
    noisy.unlink()
    assert config.max_body_bytes < len(body) < LIMIT
    assert (await _upload(fetch, setup, body, name="noise.png")).code == 201
    for written in _all_files(setup.root):
        (setup.root / written).unlink()
    jpeg = (fixtures_dir / "photonix" / "snow.jpg").read_bytes()
    big = jpeg + b"\x00" * (LIMIT + 1 - len(jpeg))
    assert (await _upload(fetch, setup, big)).code == 413
    wrong = await _upload(fetch, setup, jpeg, headers={"X-Content-SHA256": "ab" * 32})
    assert wrong.code == 400
    assert _all_files(setup.root) == set()


async def test_only_editors_and_owners_upload(
        fetch: Any, gql: Any, setup: Setup, fixtures_dir: Path) -> None:
    jpeg = (fixtures_dir / "photonix" / "tree.jpg").read_bytes()
    for actor, status in (("anonymous", 401), ("outsider", 404), ("viewer", 403)):
        response = await _upload(fetch, setup, jpeg, token=actor)
        assert response.code == status, actor
        check = await fetch(f"/uploads/{setup.library}?sha256={'ab' * 32}",
                            token=setup.tokens[actor])
        assert check.code == status, actor
    assert _all_files(setup.root) == set()
    data = data_of(await gql(CAN_UPLOAD, {"l": setup.library}, token=setup.tokens["viewer"]))
    assert data["library"]["canUpload"] is False
    response = await _upload(fetch, setup, jpeg, token="owner")
    assert response.code == 201


async def test_no_uploads_folder_is_a_clear_error(fetch: Any, gql: Any, setup: Setup,
                                                   fixtures_dir: Path) -> None:
    data_of(await gql(SET_FOLDER, {"l": setup.library, "p": None},
                      token=setup.tokens["owner"]))
    jpeg = (fixtures_dir / "photonix" / "tree.jpg").read_bytes()
    response = await _upload(fetch, setup, jpeg, token="owner")
    assert response.code == 400
    assert b"no uploads folder" in response.body
    assert _all_files(setup.root) == set()
    assert not os.listdir(setup.uploads)


async def test_a_dropped_connection_leaves_no_partial_file(
        server: str, setup: Setup, fixtures_dir: Path) -> None:
    import asyncio
    from urllib.parse import urlsplit

    jpeg = (fixtures_dir / "photonix" / "snow.jpg").read_bytes()
    host = urlsplit(server)
    reader, writer = await asyncio.open_connection(host.hostname, host.port)
    writer.write((f"POST /uploads/{setup.library}?name=cut.jpg HTTP/1.1\r\n"
                  f"Host: {host.netloc}\r\nAuthorization: Bearer {setup.tokens['editor']}\r\n"
                  f"Content-Length: {len(jpeg)}\r\n\r\n").encode() + jpeg[:len(jpeg) // 2])
    await writer.drain()
    # The partial file exists while the upload is under way...
    for _ in range(200):
        if any(p.name.startswith(".upload-") for p in setup.uploads.iterdir()):
            break
        await asyncio.sleep(0.02)
    assert [p.name[:8] for p in setup.uploads.iterdir()] == [".upload-"]
    writer.close()  # ...and goes with the connection (the phone lost its signal).
    await writer.wait_closed()
    for _ in range(200):
        if not any(setup.uploads.iterdir()):
            break
        await asyncio.sleep(0.02)
    assert _all_files(setup.root) == set()
    del reader


async def test_a_video_from_the_phone_becomes_a_video_photo(
        fetch: Any, gql: Any, setup: Setup, tmp_path: Path) -> None:
    s = setup
    clip = make_video(tmp_path / "clip.mp4", seconds=1.0)
    response = await _upload(fetch, s, clip.read_bytes(), name="VID_0001.mp4")
    assert response.code == 201, response.body
    answer = json.loads(response.body)
    assert answer["fileName"].startswith("VID_0001-") and answer["fileName"].endswith(".mp4")
    photo = data_of(await gql("query($p: ID!) { photo(id: $p) { mediaType durationMs } }",
                              {"p": answer["photoId"]}, token=s.tokens["viewer"]))["photo"]
    assert photo["mediaType"] == "video" and photo["durationMs"] > 500
