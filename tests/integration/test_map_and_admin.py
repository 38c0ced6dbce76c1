"""The map's compact positions query, and the admin screens' server side: signing out of
other sessions, per-stage job counts and retrying failed jobs, with their role checks."""

from __future__ import annotations

from photonix_rt.store.db import Database
from tests.integration.photo_factory import Gql, add_photo, data_of, make_library

POSITIONS = """query($l: ID!, $b: BoundingBox!, $n: Int) {
  mapPositions(libraryId: $l, bbox: $b, limit: $n) { ids latitudes longitudes truncated } }"""


async def test_map_positions(db: Database, gql: Gql, make_user) -> None:
    owner = await make_user("owner")
    viewer = await make_user("viewer")
    outsider = await make_user("outsider")
    library_id = await make_library(gql, owner, "Map", {"viewer": "VIEWER"})
    paris = await add_photo(db, library_id, latitude=48.85, longitude=2.35)
    fiji = await add_photo(db, library_id, latitude=-17.7, longitude=178.0)
    samoa = await add_photo(db, library_id, latitude=-13.8, longitude=-172.0)
    await add_photo(db, library_id)  # no position
    trashed = await add_photo(db, library_id, latitude=48.86, longitude=2.34)
    data_of(await gql("mutation($p: [ID!]!) { trashPhotos(photoIds: $p) }",
                      {"p": [str(trashed)]}, token=owner))
    library = str(library_id)

    world = {"south": -90, "west": -180, "north": 90, "east": 180}
    found = data_of(await gql(POSITIONS, {"l": library, "b": world},
                              token=viewer))["mapPositions"]
    assert sorted(found["ids"]) == sorted(str(p) for p in (paris, fiji, samoa))
    at = dict(zip(found["ids"], zip(found["latitudes"], found["longitudes"], strict=True),
                  strict=True))
    assert at[str(paris)] == (48.85, 2.35) and not found["truncated"]
    # Across the antimeridian: Fiji and Samoa, not Paris.
    pacific = {"south": -30, "west": 170, "north": 0, "east": -170}
    found = data_of(await gql(POSITIONS, {"l": library, "b": pacific},
                              token=viewer))["mapPositions"]
    assert sorted(found["ids"]) == sorted([str(fiji), str(samoa)])
    # A cluster's photos for the bottom sheet: the photos connection filtered by ids.
    sheet = data_of(await gql(
        "query($l: ID!, $i: [ID!]) { photos(libraryId: $l, filter: {ids: $i}) "
        "{ totalCount edges { node { id thumbnailUrl } } } }",
        {"l": library, "i": found["ids"] + [str(trashed)]}, token=viewer))["photos"]
    assert sheet["totalCount"] == 2  # the photo in the trash is left out
    assert sorted(e["node"]["id"] for e in sheet["edges"]) == sorted(found["ids"])
    capped = data_of(await gql(POSITIONS, {"l": library, "b": world, "n": 2},
                               token=viewer))["mapPositions"]
    assert len(capped["ids"]) == 2 and capped["truncated"] is True
    bad = await gql(POSITIONS, {"l": library, "b": {**world, "south": 95}}, token=viewer)
    assert bad["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    refused = await gql(POSITIONS, {"l": library, "b": world}, token=outsider)
    assert refused["errors"][0]["extensions"]["code"] in ("NOT_FOUND", "FORBIDDEN")


async def test_sign_out_other_sessions(gql: Gql, make_user) -> None:
    await make_user("walker")
    login = ("mutation { login(username: \"walker\", password: \"walker-pass-phrase\") "
             "{ accessToken refreshToken } }")
    here = data_of(await gql(login))["login"]
    there = data_of(await gql(login))["login"]
    me = "query { me { username } }"
    assert data_of(await gql(me, token=there["accessToken"]))["me"] == {"username": "walker"}
    anonymous = await gql("mutation { signOutOtherSessions }")
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert data_of(await gql("mutation { signOutOtherSessions }",
                             token=here["accessToken"]))["signOutOtherSessions"] is True
    ended = await gql(me, token=there["accessToken"])
    assert ended.get("errors") or ended["data"]["me"] is None
    refresh = await gql("mutation($t: String!) { refreshToken(refreshToken: $t) "
                        "{ accessToken } }", {"t": there["refreshToken"]})
    assert refresh["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert data_of(await gql(me, token=here["accessToken"]))["me"] == {"username": "walker"}


async def test_stage_progress_and_retry_failed(db: Database, gql: Gql, make_user) -> None:
    owner = await make_user("owner")
    viewer = await make_user("viewer")
    library_id = await make_library(gql, owner, "Jobs", {"viewer": "VIEWER"})
    photos = [await add_photo(db, library_id) for _ in range(3)]
    for photo, stage, status in [(photos[0], "face", "failed"), (photos[1], "face", "failed"),
                                 (photos[2], "face", "done"), (photos[0], "object", "failed"),
                                 (photos[1], "object", "queued")]:
        await db.execute(
            "INSERT INTO jobs (photo_id, library_id, stage, status, attempts, last_error)"
            " VALUES ($1, $2, $3, $4, 3, CASE WHEN $4 = 'failed' THEN 'boom' END)",
            photo, library_id, stage, status)
    progress = ("query($l: ID!) { stageProgress(libraryId: $l) "
                "{ stage queued running done failed } }")
    assert data_of(await gql(progress, {"l": str(library_id)}, token=viewer))["stageProgress"] \
        == [{"stage": "face", "queued": 0, "running": 0, "done": 1, "failed": 2},
            {"stage": "object", "queued": 1, "running": 0, "done": 0, "failed": 1}]
    retry = "mutation($l: ID!, $s: String) { retryFailedJobs(libraryId: $l, stage: $s) }"
    refused = await gql(retry, {"l": str(library_id), "s": "face"}, token=viewer)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert data_of(await gql(retry, {"l": str(library_id), "s": "face"},
                             token=owner))["retryFailedJobs"] == 2
    after = data_of(await gql(progress, {"l": str(library_id)}, token=viewer))["stageProgress"]
    assert after[0] == {"stage": "face", "queued": 2, "running": 0, "done": 1, "failed": 0}
    assert after[1]["failed"] == 1  # the other stage was left alone
    assert data_of(await gql(retry, {"l": str(library_id), "s": None},
                             token=owner))["retryFailedJobs"] == 1
    assert await db.fetchval("SELECT count(*) FROM jobs WHERE last_error IS NOT NULL") == 0


async def test_outsiders_read_nothing_of_a_library(gql: Gql, make_user) -> None:
    owner = await make_user("owner")
    outsider = await make_user("outsider")
    library = str(await make_library(gql, owner, "Private"))
    reads = [
        "query($l: ID!) { peoplePage(libraryId: $l) { totalCount } }",
        "query($l: ID!) { faceReview(libraryId: $l) { edges { cursor } } }",
        "query($l: ID!) { albums(libraryId: $l) { id } }",
        "query($l: ID!) { trash(libraryId: $l) { totalCount } }",
        "query($l: ID!) { classifierSettings(libraryId: $l) { stage } }",
        "query($l: ID!) { stageProgress(libraryId: $l) { stage } }",
        "mutation($l: ID!) { emptyTrash(libraryId: $l) }",
        "mutation($l: ID!) { retryFailedJobs(libraryId: $l) }",
        'mutation($l: ID!) { setClassifierEnabled(libraryId: $l, stage: "face", '
        "enabled: false) { stage } }",
    ]
    for query in reads:
        assert data_of(await gql(query, {"l": library}, token=owner)) is not None
        refused = await gql(query, {"l": library}, token=outsider)
        assert refused["errors"][0]["extensions"]["code"] in ("NOT_FOUND", "FORBIDDEN"), query
        anonymous = await gql(query, {"l": library})
        assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED", query


async def test_library_members_for_owners(gql: Gql, make_user) -> None:
    owner = await make_user("owner")
    editor = await make_user("editor")
    viewer = await make_user("viewer")
    library = str(await make_library(gql, owner, "Shared",
                                     {"viewer": "VIEWER", "editor": "EDITOR"}))
    listed = "query($l: ID!) { library(id: $l) { members { userId username role } } }"
    members = data_of(await gql(listed, {"l": library}, token=owner))["library"]["members"]
    assert [(m["username"], m["role"]) for m in members] == [
        ("owner", "OWNER"), ("editor", "EDITOR"), ("viewer", "VIEWER")]
    refused = await gql(listed, {"l": library}, token=editor)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"

    ids = {m["username"]: m["userId"] for m in members}
    remove = "mutation($l: ID!, $u: ID!) { removeLibraryMember(libraryId: $l, userId: $u) }"
    refused = await gql(remove, {"l": library, "u": ids["viewer"]}, token=editor)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    itself = await gql(remove, {"l": library, "u": ids["owner"]}, token=owner)
    assert itself["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert data_of(await gql(remove, {"l": library, "u": ids["viewer"]},
                             token=owner))["removeLibraryMember"] is True
    assert data_of(await gql(remove, {"l": library, "u": ids["viewer"]},
                             token=owner))["removeLibraryMember"] is False
    gone = await gql("query($l: ID!) { library(id: $l) { id } }", {"l": library}, token=viewer)
    assert gone["errors"][0]["extensions"]["code"] in ("NOT_FOUND", "FORBIDDEN")


async def test_watch_a_folder_or_not(gql: Gql, services, make_user, tmp_path) -> None:
    owner = await make_user("admin", admin=True)
    editor = await make_user("editor")
    library = str(await make_library(gql, owner, "Folders", {"editor": "EDITOR"}))
    folder = tmp_path / "photos"
    folder.mkdir()
    path = data_of(await gql(
        "mutation($l: ID!, $p: String!) { addLibraryPath(libraryId: $l, path: $p, "
        "watch: false) { id watch } }", {"l": library, "p": str(folder)},
        token=owner))["addLibraryPath"]
    assert str(folder.resolve()) not in [f for _, f in await services.sync.watched_folders()]
    toggle = ("mutation($id: ID!, $w: Boolean!) { setLibraryPathWatch(id: $id, watch: $w) "
              "{ id watch } }")
    refused = await gql(toggle, {"id": path["id"], "w": True}, token=editor)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert data_of(await gql(toggle, {"id": path["id"], "w": True},
                             token=owner))["setLibraryPathWatch"] == {"id": path["id"],
                                                                      "watch": True}
    assert str(folder.resolve()) in [f for _, f in await services.sync.watched_folders()]
    unknown = await gql(toggle, {"id": library, "w": True}, token=owner)
    assert unknown["errors"][0]["extensions"]["code"] == "NOT_FOUND"
