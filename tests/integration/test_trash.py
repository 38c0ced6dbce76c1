"""The trash on really imported photos: trashed photos leave every list, count and search
and come back on restore; emptying forgets them, later scans skip their files, and the
originals stay on disk byte for byte."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any
from uuid import UUID

from photonix_rt.services.container import Services
from photonix_rt.services.importer import Outcome
from photonix_rt.store.db import Database
from tests.integration.photo_factory import Gql, add_tag, data_of, make_library

SEEN = """query($l: ID!) {
  library(id: $l) { photoCount }
  photos(libraryId: $l) { totalCount edges { node { id } } }
  filtered: photos(libraryId: $l, filter: {text: "snowman"}) { totalCount edges { node { id } } }
  timeBuckets(libraryId: $l) { count }
  tags(libraryId: $l, type: OBJECT) { tag { name } photoCount }
  cameras(libraryId: $l) { photoCount }
  searchSuggestions(libraryId: $l, text: "snow") { label photoCount }
}"""


def _seen(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "photoCount": data["library"]["photoCount"],
        "ids": sorted(e["node"]["id"] for e in data["photos"]["edges"]),
        "total": data["photos"]["totalCount"],
        "search": [e["node"]["id"] for e in data["filtered"]["edges"]],
        "searchTotal": data["filtered"]["totalCount"],
        "buckets": sum(b["count"] for b in data["timeBuckets"]),
        "tags": {t["tag"]["name"]: t["photoCount"] for t in data["tags"]},
        "cameras": sum(c["photoCount"] for c in data["cameras"]),
        "suggestions": {s["label"]: s["photoCount"] for s in data["searchSuggestions"]},
    }


async def test_trash_restore_and_empty(tmp_path: Path, fixtures_dir: Path, services: Services,
                                       db: Database, gql: Gql, make_user) -> None:
    owner = await make_user("owner")
    editor = await make_user("editor")
    viewer = await make_user("viewer")
    library_id = await make_library(gql, owner, "Trash",
                                    {"editor": "EDITOR", "viewer": "VIEWER"})
    library = str(library_id)
    folder = tmp_path / "photos"
    folder.mkdir()
    for name in ("snow.jpg", "tree.jpg"):
        shutil.copy(fixtures_dir / "photonix" / name, folder / name)
    originals = {p.name: p.read_bytes() for p in folder.iterdir()}
    summary = await services.importer.import_directory(library_id, folder)
    assert summary.counts.get(Outcome.NEW) == 2
    ids = {r["path"].rsplit("/", 1)[-1]: str(r["photo_id"]) for r in await db.fetch(
        "SELECT path, photo_id FROM photo_files WHERE library_id = $1", library_id)}
    snow, tree = ids["snow.jpg"], ids["tree.jpg"]
    await add_tag(db, library_id, snow, "snowman")
    await add_tag(db, library_id, snow, "outdoors")
    await add_tag(db, library_id, tree, "outdoors")

    before = _seen(data_of(await gql(SEEN, {"l": library}, token=viewer)))
    assert before["ids"] == sorted([snow, tree]) and before["search"] == [snow]
    assert before["tags"] == {"snowman": 1, "outdoors": 2}

    trash = "mutation($p: [ID!]!) { trashPhotos(photoIds: $p) }"
    refused = await gql(trash, {"p": [snow]}, token=viewer)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert data_of(await gql(trash, {"p": [snow]}, token=editor))["trashPhotos"] == [snow]
    assert data_of(await gql(trash, {"p": [snow]}, token=editor))["trashPhotos"] == []

    during = _seen(data_of(await gql(SEEN, {"l": library}, token=viewer)))
    assert during == {"photoCount": 1, "ids": [tree], "total": 1, "search": [],
                      "searchTotal": 0, "buckets": 1,
                      "tags": {"snowman": 0, "outdoors": 1},
                      "cameras": before["cameras"] - (before["cameras"] > 1),
                      "suggestions": {}}
    listed = data_of(await gql(
        "query($l: ID!) { trash(libraryId: $l, first: 1) { totalCount "
        "edges { node { id trashedAt } } pageInfo { hasNextPage } } }",
        {"l": library}, token=viewer))["trash"]
    assert listed["totalCount"] == 1 and listed["edges"][0]["node"]["id"] == snow
    assert listed["edges"][0]["node"]["trashedAt"] is not None
    assert listed["pageInfo"]["hasNextPage"] is False
    # The photo itself can still be opened (to restore it from the viewer).
    shown = data_of(await gql("query($p: ID!) { photo(id: $p) { trashedAt } }", {"p": snow},
                              token=viewer))["photo"]
    assert shown["trashedAt"] is not None

    restore = "mutation($p: [ID!]!) { restorePhotos(photoIds: $p) }"
    refused = await gql(restore, {"p": [snow]}, token=viewer)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert data_of(await gql(restore, {"p": [snow]}, token=editor))["restorePhotos"] == [snow]
    assert _seen(data_of(await gql(SEEN, {"l": library}, token=viewer))) == before

    # Emptying forgets (owners only); rescans skip the files; originals untouched.
    data_of(await gql(trash, {"p": [snow, tree]}, token=editor))
    data_of(await gql(restore, {"p": [tree]}, token=editor))
    empty = "mutation($l: ID!) { emptyTrash(libraryId: $l) }"
    refused = await gql(empty, {"l": library}, token=editor)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert data_of(await gql(empty, {"l": library}, token=owner))["emptyTrash"] == 1
    gone = await gql("query($p: ID!) { photo(id: $p) { id } }", {"p": snow}, token=owner)
    assert gone["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    after = _seen(data_of(await gql(SEEN, {"l": library}, token=viewer)))
    assert after["ids"] == [tree] and after["photoCount"] == 1
    assert after["tags"] == {"outdoors": 1, "snowman": 0}  # snowman's photo is forgotten

    summary = await services.importer.import_directory(library_id, folder)
    assert summary.counts.get(Outcome.IGNORED) == 1 and not summary.counts.get(Outcome.NEW)
    shutil.copy(folder / "snow.jpg", folder / "snow copy.jpg")  # the same content elsewhere
    summary = await services.importer.import_directory(library_id, folder)
    assert summary.counts.get(Outcome.IGNORED) == 2 and not summary.counts.get(Outcome.NEW)
    assert _seen(data_of(await gql(SEEN, {"l": library}, token=viewer)))["ids"] == [tree]
    assert {p.name: p.read_bytes() for p in folder.iterdir() if p.name != "snow copy.jpg"} \
        == originals
    kinds = [r["kind"] for r in await db.fetch(
        "SELECT kind FROM events WHERE library_id = $1 AND photo_id = $2 ORDER BY sequence",
        library_id, UUID(snow))]
    assert kinds[-4:] == ["PHOTO_TRASHED", "PHOTO_RESTORED", "PHOTO_TRASHED", "PHOTO_REMOVED"]
