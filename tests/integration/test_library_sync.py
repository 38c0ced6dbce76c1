"""Folders added over the API are imported at once; rescans run on request, access-checked."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from photonix_rt.services.container import Services

ADD = """mutation($l: ID!, $p: String!) { addLibraryPath(libraryId: $l, path: $p) { id } }"""
RESCAN = """mutation($l: ID!, $p: String) { rescanLibrary(libraryId: $l, path: $p) }"""
COUNT = """query($l: ID!) { library(id: $l) { photoCount } }"""
CREATE = """mutation { createLibrary(name: "Trips") { id } }"""


async def _photo_folder(tmp_path: Path, fixtures_dir: Path, name: str) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    shutil.copy(fixtures_dir / "photonix" / "snow.jpg", folder / "snow.jpg")
    return folder


async def test_added_folder_is_imported_and_rescan_finds_new_files(
        services: Services, gql, make_user, tmp_path: Path, fixtures_dir: Path) -> None:
    owner = await make_user("owner", admin=True)  # admins add folders
    library_id = (await gql(CREATE, token=owner))["data"]["createLibrary"]["id"]
    folder = await _photo_folder(tmp_path, fixtures_dir, "trip")

    body = await gql(ADD, {"l": library_id, "p": str(folder)}, token=owner)
    assert "errors" not in body, body
    await services.sync.settled()
    assert (await gql(COUNT, {"l": library_id}, token=owner))["data"]["library"][
        "photoCount"] == 1

    shutil.copy(fixtures_dir / "photonix" / "tree.jpg", folder / "tree.jpg")
    body = await gql(RESCAN, {"l": library_id, "p": str(folder)}, token=owner)
    assert body["data"]["rescanLibrary"] is True
    await services.sync.settled()
    assert (await gql(COUNT, {"l": library_id}, token=owner))["data"]["library"][
        "photoCount"] == 2


async def test_rescan_is_refused_to_outsiders_viewers_and_foreign_paths(
        services: Services, gql, make_user, tmp_path: Path, fixtures_dir: Path) -> None:
    owner = await make_user("owner", admin=True)  # admins add folders
    stranger = await make_user("stranger")
    viewer = await make_user("viewer")
    library_id = (await gql(CREATE, token=owner))["data"]["createLibrary"]["id"]
    await gql("""mutation($l: ID!) { addLibraryMember(libraryId: $l, username: "viewer",
                 role: VIEWER) { role } }""", {"l": library_id}, token=owner)
    folder = await _photo_folder(tmp_path, fixtures_dir, "trip")
    await gql(ADD, {"l": library_id, "p": str(folder)}, token=owner)
    elsewhere = await _photo_folder(tmp_path, fixtures_dir, "elsewhere")

    cases = [(None, None, "UNAUTHENTICATED"), (stranger, None, "NOT_FOUND"),
             (viewer, None, "FORBIDDEN"), (owner, str(elsewhere), "BAD_USER_INPUT"),
             (owner, "/", "BAD_USER_INPUT")]
    for token, path, code in cases:
        body = await gql(RESCAN, {"l": library_id, "p": path}, token=token)
        assert body["errors"][0]["extensions"]["code"] == code, (token, path, body)
    await services.sync.settled()
    paths = await services.db.fetch("SELECT path FROM photo_files")
    assert all(str(elsewhere) not in r["path"] for r in paths)


async def test_a_rescan_reports_its_progress_and_what_it_found(
        services: Services, gql, make_user, tmp_path: Path, fixtures_dir: Path) -> None:
    owner = await make_user("owner", admin=True)
    library_id = (await gql(CREATE, token=owner))["data"]["createLibrary"]["id"]
    folder = await _photo_folder(tmp_path, fixtures_dir, "trip")
    await gql(ADD, {"l": library_id, "p": str(folder)}, token=owner)
    await services.sync.settled()
    shutil.copy(fixtures_dir / "photonix" / "tree.jpg", folder / "tree.jpg")
    (folder / "snow.jpg").unlink()
    start = await services.events.cursor()

    body = await gql(RESCAN, {"l": library_id}, token=owner)
    assert body["data"]["rescanLibrary"] is True
    await services.sync.settled()

    rows = await services.db.fetch(
        "SELECT payload FROM events WHERE kind = 'RESCAN_PROGRESS' AND library_id = $1"
        " AND sequence > $2 ORDER BY sequence", library_id, start)
    payloads = [json.loads(r["payload"]) if isinstance(r["payload"], str) else r["payload"]
                for r in rows]
    assert payloads, "no RESCAN_PROGRESS event"
    assert payloads[0]["phase"] == "counting" and payloads[0]["path"] == str(folder.resolve())
    last = payloads[-1]
    assert last["phase"] == "done" and last["path"] is None  # the whole library
    assert last["counts"].get("new") == 1, last
    assert last["missing"] == 1
