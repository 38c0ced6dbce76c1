"""Libraries through the real server: creation, membership roles, folders, and the access
matrix (anonymous, outsider, lower role) over every library query and mutation."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from photonix_rt.config import Config
from photonix_rt.errors import Forbidden, Invalid
from photonix_rt.services.container import Services
from photonix_rt.services.libraries import LibraryService
from photonix_rt.store.db import Database

CREATE = "mutation($n: String!) { createLibrary(name: $n) { id name role } }"
LIBRARIES = "{ libraries { id name role paths { path } photoCount } }"
LIBRARY = "query($id: ID!) { library(id: $id) { id name role paths { id path watch } } }"
ADD_PATH = """mutation($l: ID!, $p: String!, $w: Boolean) {
  addLibraryPath(libraryId: $l, path: $p, watch: $w) { id path watch }
}"""
REMOVE_PATH = "mutation($id: ID!) { removeLibraryPath(id: $id) }"
ADD_MEMBER = """mutation($l: ID!, $u: String!, $r: LibraryRole!) {
  addLibraryMember(libraryId: $l, username: $u, role: $r) { userId username role }
}"""


def code(body: dict[str, Any]) -> str | None:
    errors = body.get("errors")
    return errors[0]["extensions"]["code"] if errors else None


async def create(gql: Any, token: str, name: str) -> str:
    body = await gql(CREATE, {"n": name}, token=token)
    assert "errors" not in body, body
    return body["data"]["createLibrary"]["id"]


async def test_creator_owns_the_library(gql, make_user) -> None:
    alice = await make_user("alice")
    bob = await make_user("bob")
    created = await gql(CREATE, {"n": "  Holidays "}, token=alice)
    assert created["data"]["createLibrary"]["name"] == "Holidays"
    assert created["data"]["createLibrary"]["role"] == "OWNER"
    listed = await gql(LIBRARIES, token=alice)
    assert listed["data"]["libraries"] == [
        {"id": created["data"]["createLibrary"]["id"], "name": "Holidays", "role": "OWNER",
         "paths": [], "photoCount": 0}]
    assert (await gql(LIBRARIES, token=bob))["data"]["libraries"] == []
    assert code(await gql(CREATE, {"n": "Holidays"}, token=bob)) == "CONFLICT"
    assert code(await gql(CREATE, {"n": "   "}, token=bob)) == "BAD_USER_INPUT"
    assert code(await gql(CREATE, {"n": "bad\x00name"}, token=bob)) == "BAD_USER_INPUT"


async def test_members_see_the_library_with_their_role(gql, make_user) -> None:
    alice = await make_user("alice")
    bob = await make_user("bob")
    library_id = await create(gql, alice, "Family")
    added = await gql(ADD_MEMBER, {"l": library_id, "u": "BOB", "r": "VIEWER"}, token=alice)
    assert added["data"]["addLibraryMember"]["username"] == "bob"
    assert added["data"]["addLibraryMember"]["role"] == "VIEWER"
    seen = await gql(LIBRARY, {"id": library_id}, token=bob)
    assert seen["data"]["library"]["role"] == "VIEWER"
    await gql(ADD_MEMBER, {"l": library_id, "u": "bob", "r": "EDITOR"}, token=alice)
    listed = await gql(LIBRARIES, token=bob)
    assert [(lib["name"], lib["role"]) for lib in listed["data"]["libraries"]] == \
        [("Family", "EDITOR")]
    assert code(await gql(ADD_MEMBER, {"l": library_id, "u": "nobody", "r": "VIEWER"},
                          token=alice)) == "NOT_FOUND"
    assert code(await gql(ADD_MEMBER, {"l": library_id, "u": "alice", "r": "VIEWER"},
                          token=alice)) == "BAD_USER_INPUT"


async def test_folders_can_be_added_and_removed(gql, make_user, tmp_path: Path) -> None:
    alice = await make_user("alice", admin=True)
    library_id = await create(gql, alice, "Photos")
    folder = tmp_path / "photos"
    folder.mkdir()
    added = await gql(ADD_PATH, {"l": library_id, "p": str(folder), "w": False}, token=alice)
    assert "errors" not in added, added
    assert added["data"]["addLibraryPath"]["path"] == str(folder.resolve())
    assert added["data"]["addLibraryPath"]["watch"] is False
    again = await gql(ADD_PATH, {"l": library_id, "p": str(folder) + "/"}, token=alice)
    assert code(again) == "CONFLICT"
    # A symlink inside the allowed roots is stored as the folder it points to.
    (tmp_path / "link").symlink_to(tmp_path / "other", target_is_directory=True)
    (tmp_path / "other").mkdir()
    linked = await gql(ADD_PATH, {"l": library_id, "p": str(tmp_path / "link")}, token=alice)
    assert linked["data"]["addLibraryPath"]["path"] == str((tmp_path / "other").resolve())
    assert linked["data"]["addLibraryPath"]["watch"] is True
    paths = (await gql(LIBRARY, {"id": library_id}, token=alice))["data"]["library"]["paths"]
    assert sorted(p["path"] for p in paths) == sorted(
        [str(folder.resolve()), str((tmp_path / "other").resolve())])
    removed = await gql(REMOVE_PATH, {"id": added["data"]["addLibraryPath"]["id"]},
                        token=alice)
    assert removed == {"data": {"removeLibraryPath": True}}
    paths = (await gql(LIBRARY, {"id": library_id}, token=alice))["data"]["library"]["paths"]
    assert [p["path"] for p in paths] == [str((tmp_path / "other").resolve())]


def refused_paths(tmp_path: Path, config: Config) -> dict[str, tuple[str, str]]:
    file = tmp_path / "photo.jpg"
    file.write_bytes(b"not really")
    (tmp_path / "escape").symlink_to("/etc", target_is_directory=True)
    (tmp_path / "data").mkdir(exist_ok=True)
    outside = Path("/usr")
    assert not any(outside.is_relative_to(root) for root in config.allowed_roots)
    return {
        "/": ("/", "BAD_USER_INPUT"),
        "a file": (str(file), "BAD_USER_INPUT"),
        "nonexistent": (str(tmp_path / "missing"), "BAD_USER_INPUT"),
        "outside the allowed roots": (str(outside), "FORBIDDEN"),
        "a symlink pointing outside": (str(tmp_path / "escape"), "FORBIDDEN"),
        "dot-dot out of the roots": (str(tmp_path) + "/.." * 30 + "/usr", "FORBIDDEN"),
        "relative": ("photos", "BAD_USER_INPUT"),
        "the data dir": (str(config.data_dir), "FORBIDDEN"),
        "empty": ("", "BAD_USER_INPUT"),
    }


async def test_add_path_refuses_unsafe_paths(gql, make_user, tmp_path: Path, config: Config,
                                             db: Database) -> None:
    alice = await make_user("alice", admin=True)
    library_id = await create(gql, alice, "Photos")
    for what, (path, expected) in refused_paths(tmp_path, config).items():
        body = await gql(ADD_PATH, {"l": library_id, "p": path}, token=alice)
        assert code(body) == expected, (what, body)
        assert body["data"] is None, what
    assert await db.fetchval("SELECT count(*) FROM library_paths") == 0


async def test_without_allowed_roots_only_the_cli_adds_folders(
        services: Services, make_user, gql, tmp_path: Path, config: Config) -> None:
    alice = await make_user("alice", admin=True)
    library_id = UUID(await create(gql, alice, "Photos"))
    viewer = await services.auth.authenticate(alice)
    closed = LibraryService(services.db, Config(data_dir=config.data_dir, allowed_roots=()),
                            services.events)
    folder = tmp_path / "photos"
    folder.mkdir()
    with pytest.raises(Forbidden):
        await closed.add_path(viewer, library_id, str(folder))
    trusted = await closed.add_path_trusted(library_id, folder)
    assert trusted.path == str(folder.resolve())
    assert (await closed.add_path_trusted(library_id, str(folder))).id == trusted.id
    with pytest.raises(Invalid):
        await closed.add_path_trusted(library_id, tmp_path / "missing")
    with pytest.raises(Invalid):
        await closed.add_path_trusted(library_id, "/")
    assert [p.path for p in await closed.paths(library_id)] == [str(folder.resolve())]

    # Even a server that allows everything never takes the filesystem root.
    wide_open = LibraryService(services.db, Config(data_dir=config.data_dir,
                                                   allowed_roots=(Path("/"),)),
                               services.events)
    with pytest.raises(Invalid, match="root"):
        await wide_open.add_path(viewer, library_id, "/")
    other = tmp_path / "other"
    other.mkdir()
    assert (await wide_open.add_path(viewer, library_id, str(other))).path == \
        str(other.resolve())


async def test_ensure_library_gets_or_creates(services: Services, gql, make_user) -> None:
    alice = await make_user("alice", admin=True)
    admin = await services.users.first_admin()
    assert admin is not None
    first = await services.libraries.ensure_library("Default", admin.id)
    second = await services.libraries.ensure_library("Default", admin.id)
    assert first.id == second.id
    listed = await gql(LIBRARIES, token=alice)
    assert [(lib["name"], lib["role"]) for lib in listed["data"]["libraries"]] == \
        [("Default", "OWNER")]
    orphan = await services.libraries.ensure_library("Imported", None)
    assert (await services.libraries.ensure_library("Imported", admin.id)).id == orphan.id


async def test_photo_count_and_paths_are_batched(gql, make_user, db: Database,
                                                 tmp_path: Path, services: Services) -> None:
    alice = await make_user("alice", admin=True)
    ids = [await create(gql, alice, f"Library {i}") for i in range(5)]
    for i, library_id in enumerate(ids):
        folder = tmp_path / f"f{i}"
        folder.mkdir()
        await gql(ADD_PATH, {"l": library_id, "p": str(folder)}, token=alice)
    await services.sync.settled()  # the scans of the added folders would be counted too
    for n in range(3):
        await db.execute("INSERT INTO photos (library_id, content_hash) VALUES ($1, $2)",
                         UUID(ids[1]), bytes([n]) * 32)
    counts = {}
    db.statement_count = 0
    body = await gql(LIBRARIES, token=alice)
    five = db.statement_count
    for lib in body["data"]["libraries"]:
        counts[lib["id"]] = lib["photoCount"]
        assert len(lib["paths"]) == 1
    assert counts == {i: (3 if i == ids[1] else 0) for i in ids}
    bob = await make_user("bob", admin=True)  # as alice: the same identity checks
    await create(gql, bob, "Single")
    db.statement_count = 0
    await gql(LIBRARIES, token=bob)
    assert db.statement_count == five  # the same statements for one library as for five


# The access matrix: (operation, variables, the least role that may do it).

def operations(library_id: str, path_id: str, tmp_path: Path) -> list[tuple[str, dict, str]]:
    folder = tmp_path / "new"
    folder.mkdir(exist_ok=True)
    return [
        (LIBRARY, {"id": library_id}, "viewer"),
        (ADD_PATH, {"l": library_id, "p": str(folder)}, "owner"),
        (REMOVE_PATH, {"id": path_id}, "owner"),
        (ADD_MEMBER, {"l": library_id, "u": "dave", "r": "OWNER"}, "owner"),
    ]


@pytest.mark.parametrize("who", ["anonymous", "outsider", "viewer", "editor"])
async def test_access_matrix(who: str, gql, make_user, db: Database, tmp_path: Path) -> None:
    owner = await make_user("olivia", admin=True)
    await make_user("dave")
    library_id = await create(gql, owner, "Private")
    folder = tmp_path / "existing"
    folder.mkdir()
    added = await gql(ADD_PATH, {"l": library_id, "p": str(folder)}, token=owner)
    path_id = added["data"]["addLibraryPath"]["id"]

    token: str | None = None
    if who != "anonymous":
        token = await make_user("someone")
        await create(gql, token, "Their own")  # a member of another library
    if who in ("viewer", "editor"):
        await gql(ADD_MEMBER, {"l": library_id, "u": "someone", "r": who.upper()},
                  token=owner)
    expected_refusal = {"anonymous": "UNAUTHENTICATED", "outsider": "NOT_FOUND",
                        "viewer": "FORBIDDEN", "editor": "FORBIDDEN"}[who]
    rank = {"viewer": 1, "editor": 2, "owner": 3}
    for query, variables, needed in operations(library_id, path_id, tmp_path):
        body = await gql(query, variables, token=token)
        if who in rank and rank[who] >= rank[needed]:
            assert code(body) is None, (query, body)
        else:
            assert code(body) == expected_refusal, (query, body)
            assert body["data"] is None or all(v is None for v in body["data"].values())
    listed = await gql(LIBRARIES, token=token)
    if who == "anonymous":
        assert code(listed) == "UNAUTHENTICATED"
        assert code(await gql(CREATE, {"n": "Anon"})) == "UNAUTHENTICATED"
    else:
        names = [lib["name"] for lib in listed["data"]["libraries"]]
        assert ("Private" in names) == (who in ("viewer", "editor"))
    # Nothing changed: one folder, and only the members the owner added.
    assert await db.fetchval("SELECT count(*) FROM library_paths") == 1
    assert await db.fetchval(
        "SELECT count(*) FROM library_members m JOIN users u ON u.id = m.user_id "
        "WHERE u.username = 'dave'") == 0


async def test_malformed_and_unknown_ids_are_not_found(gql, make_user) -> None:
    alice = await make_user("alice")
    for bad in ("nope", "00000000-0000-0000-0000-000000000000"):
        assert code(await gql(LIBRARY, {"id": bad}, token=alice)) == "NOT_FOUND"
        assert code(await gql(REMOVE_PATH, {"id": bad}, token=alice)) == "NOT_FOUND"
        assert code(await gql(ADD_PATH, {"l": bad, "p": "/tmp"}, token=alice)) == "NOT_FOUND"


async def test_only_admins_point_a_library_at_disk_folders(
        gql, make_user, tmp_path: Path, db: Database) -> None:
    """Issue 10, finding 6: a plain user owns their library but cannot add or remove folders
    (else any user could import another user's photos lying under the allowed roots)."""
    admin = await make_user("root", admin=True)
    mallory = await make_user("mallory")
    theirs = await create(gql, mallory, "Mine")
    victim = tmp_path / "someone-elses-photos"
    victim.mkdir()
    body = await gql(ADD_PATH, {"l": theirs, "p": str(victim)}, token=mallory)
    assert code(body) == "FORBIDDEN", body
    assert await db.fetchval("SELECT count(*) FROM library_paths") == 0

    # An admin who owns the library adds the folder; its non-admin co-owner cannot remove it.
    shared = await create(gql, admin, "Shared")
    await gql(ADD_MEMBER, {"l": shared, "u": "mallory", "r": "OWNER"}, token=admin)
    added = await gql(ADD_PATH, {"l": shared, "p": str(victim)}, token=admin)
    path_id = added["data"]["addLibraryPath"]["id"]
    body = await gql(REMOVE_PATH, {"id": path_id}, token=mallory)
    assert code(body) == "FORBIDDEN", body
    # Owning the library still lets them manage its members.
    body = await gql(ADD_MEMBER, {"l": shared, "u": "root", "r": "EDITOR"}, token=mallory)
    assert code(body) is None, body
    assert await db.fetchval("SELECT count(*) FROM library_paths") == 1


async def test_an_offline_folder_shows_in_graphql(gql, make_user, services: Services,
                                                  tmp_path: Path) -> None:
    admin = await make_user("root", admin=True)
    library_id = await create(gql, admin, "Disk")
    folder = tmp_path / "disk"
    folder.mkdir()
    await gql(ADD_PATH, {"l": library_id, "p": str(folder)}, token=admin)
    query = "query($id: ID!) { library(id: $id) { paths { online offlineSince } } }"
    body = await gql(query, {"id": library_id}, token=admin)
    assert body["data"]["library"]["paths"] == [{"online": True, "offlineSince": None}]
    assert await services.importer.set_folder_online(UUID(library_id), str(folder.resolve()),
                                                     False)
    body = await gql(query, {"id": library_id}, token=admin)
    [path] = body["data"]["library"]["paths"]
    assert path["online"] is False
    assert path["offlineSince"].endswith("+00:00")
