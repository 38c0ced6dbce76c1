"""``photonix-rt backup`` then ``photonix-rt restore`` into a new data dir, on the embedded
PostgreSQL default, with real processes and the real classifiers (issue 12).

A library is imported and classified (faces group into people), then edited: ratings, an
album, a named person. The server stops, the CLI backs the data dir up, and restores the
archive into a new, empty data dir (a second restore into it is refused). A server on the new
data dir then

- answers with the same photos, ratings, album, people and classification jobs (ids, states,
  attempts, versions and times unchanged: nothing was re-classified);
- accepts a token issued before the backup (the signing key came along);
- re-creates the thumbnails that the backup left out;
- replays an event log in which every old file was added exactly once (nothing re-imported);
- sorts a new photo of a known person into that person (faces restored; the face index is
  rebuilt from them rather than trusted from a data dir it no longer has).

Skipped without the installed models (PHOTONIX_MODELS_DIR), Node or the photo fixtures.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from tornado.simple_httpclient import SimpleAsyncHTTPClient

from tests.e2e.event_follower import EventFollower
from tests.e2e.serve_process import ServerProcess, free_port, photonix_env, run_cli

pytestmark = pytest.mark.slow

START_S = 180  # deadlines to fail instead of hanging, not timings
CLASSIFY_S = 400
PASSWORD = "pw-backup-e2e-admin"
LIBRARY = "Family"
FACES = ("Boris_Becker_0003.jpg", "Boris_Becker_0004.jpg", "David_Beckham_0001.jpg")
NEW_FACE = "David_Beckham_0002.jpg"

SNAPSHOT = """query($l: ID!) {
  photos(libraryId: $l, first: 100) { edges { node {
    id rating files { path status }
    tags { name type source }
    jobs { stage status attempts modelVersion updatedAt }
    faces { id box person { id } }
  } } }
  tags(libraryId: $l, type: ALBUM) { tag { id name } photoCount }
  people(libraryId: $l) { id name faceCount photoCount }
}"""


def embedded_env(data_dir: Path, models: str) -> dict[str, str]:
    """A process on the embedded default: no DATABASE_URL, no Redis."""
    env = photonix_env(database_url="", redis_url=None, data_dir=data_dir,
                       PHOTONIX_MODELS_DIR=models, PHOTONIX_RESCAN_INTERVAL="3600")
    env.pop("DATABASE_URL")
    return env


class Api:
    def __init__(self) -> None:
        self._http = SimpleAsyncHTTPClient(force_instance=True)

    async def gql(self, server: ServerProcess, query: str, variables: dict[str, Any] | None = None,
                  token: str | None = None) -> dict[str, Any]:
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        response = await self._http.fetch(server.url + "/graphql", method="POST",
                                          headers=headers, raise_error=False,
                                          body=json.dumps({"query": query,
                                                           "variables": variables}),
                                          request_timeout=60)
        body = json.loads(response.body)
        assert not body.get("errors"), body
        return body["data"]

    async def status(self, server: ServerProcess, path: str) -> int:
        response = await self._http.fetch(server.url + path, raise_error=False,
                                          request_timeout=60)
        return response.code

    def close(self) -> None:
        self._http.close()


async def until(check: Any, timeout_s: float, what: str) -> Any:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    while True:
        result = await check()
        if result:
            return result
        assert loop.time() < deadline, f"no {what} within {timeout_s}s"
        await asyncio.sleep(1)


def photos_of(snapshot: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {edge["node"]["id"]: edge["node"] for edge in snapshot["photos"]["edges"]}


def main_person(photo: dict[str, Any]) -> str:
    """The person of the photo's largest face (LFW crops centre one person)."""
    return max(photo["faces"], key=lambda f: f["box"][2] * f["box"][3])["person"]["id"]


def classified(snapshot: dict[str, Any]) -> bool:
    jobs = [job for photo in photos_of(snapshot).values() for job in photo["jobs"]]
    return bool(jobs) and all(job["status"] in {"DONE", "FAILED"} for job in jobs)


async def test_backup_then_restore_into_a_new_data_dir_keeps_everything(
        node_scripts: Path, fixtures_dir: Path, tmp_path: Path) -> None:
    models = os.environ.get("PHOTONIX_MODELS_DIR")
    if not models or not Path(models).is_dir():  # noqa: ASYNC240 (set-up, before any server)
        pytest.skip("the classifier models are needed (PHOTONIX_MODELS_DIR)")
    faces = fixtures_dir / "photonix" / "faces"
    sources = [faces / name for name in (*FACES, NEW_FACE)] + [fixtures_dir / "photonix" /
                                                                "snow.jpg"]
    if not all(p.is_file() for p in sources):
        pytest.skip("photo fixtures missing")
    folder = tmp_path / "photos"
    folder.mkdir()
    for src in sources:
        if src.name != NEW_FACE:
            shutil.copyfile(src, folder / src.name)
    # Not under pytest's tmp_path: pytest makes /tmp/pytest-of-<user> 0700 again whenever a
    # session starts, which locks the embedded server's own user ('pgserver', when run as
    # root) out of a cluster below it mid-test.
    data = Path(tempfile.mkdtemp(prefix="photonix-backup-e2e-"))
    old_dir, new_dir = data / "old-data", data / "new-data"
    old_env, new_env = embedded_env(old_dir, models), embedded_env(new_dir, models)
    await run_cli(old_env, "user", "create", "admin", "--admin", "--password-stdin",
                  stdin=PASSWORD + "\n")
    await run_cli(old_env, "import", str(folder), "--library", LIBRARY)

    api = Api()
    servers: list[ServerProcess] = []
    follower: EventFollower | None = None
    try:
        old = ServerProcess.start(old_env, port=free_port(), log_path=tmp_path / "old.log")
        servers.append(old)
        await old.wait_ready(START_S)
        login = await api.gql(old, "mutation($p: String!) { login(username: \"admin\", "
                                   "password: $p) { accessToken } }", {"p": PASSWORD})
        token = login["login"]["accessToken"]
        library = (await api.gql(old, "{ libraries { id } }", token=token))["libraries"][0]["id"]

        async def snapshot(server: ServerProcess) -> dict[str, Any]:
            return await api.gql(server, SNAPSHOT, {"l": library}, token=token)

        async def classified_snapshot(server: ServerProcess) -> dict[str, Any] | None:
            found = await snapshot(server)
            return found if classified(found) else None

        before = await until(lambda: classified_snapshot(old), CLASSIFY_S, "classification")
        by_name = {Path(p["files"][0]["path"]).name: p for p in photos_of(before).values()}
        boris = main_person(by_name["Boris_Becker_0003.jpg"])
        david = main_person(by_name["David_Beckham_0001.jpg"])
        assert main_person(by_name["Boris_Becker_0004.jpg"]) == boris
        await api.gql(old, "mutation($p: ID!) { namePerson(personId: $p, name: \"Boris\") "
                           "{ id } }", {"p": boris}, token=token)
        await api.gql(old, "mutation($p: ID!) { namePerson(personId: $p, name: \"David\") "
                           "{ id } }", {"p": david}, token=token)
        for name, stars in (("snow.jpg", 5), ("Boris_Becker_0004.jpg", 3)):
            await api.gql(old, "mutation($p: ID!, $r: Int!) { ratePhoto(photoId: $p, "
                               "rating: $r) { id } }", {"p": by_name[name]["id"], "r": stars},
                          token=token)
        album = (await api.gql(old, "mutation($l: ID!) { createAlbum(libraryId: $l, "
                                    "name: \"Summer\") { id } }", {"l": library},
                               token=token))["createAlbum"]["id"]
        await api.gql(old, "mutation($a: ID!, $p: [ID!]!) { addToAlbum(albumId: $a, "
                           "photoIds: $p) { id } }",
                      {"a": album, "p": [by_name["snow.jpg"]["id"],
                                         by_name["David_Beckham_0001.jpg"]["id"]]}, token=token)
        before = await snapshot(old)
        assert {p["name"] for p in before["people"]} >= {"Boris", "David"}
        assert await old.stop() == 0, old.output()

        archive = tmp_path / "backup.tar"
        await run_cli(old_env, "backup", "--to", str(archive))
        assert archive.stat().st_mode & 0o077 == 0, "the archive holds the key: owner only"
        await run_cli(new_env, "restore", str(archive))
        with pytest.raises(AssertionError, match="restore into a new"):
            await run_cli(new_env, "restore", str(archive))
        assert not (new_dir / "thumbnails").exists()

        new = ServerProcess.start(new_env, port=free_port(), log_path=tmp_path / "new.log")
        servers.append(new)
        await new.wait_ready(START_S)
        await new.wait_watching(folder, START_S)
        # The old token works: the signing key and the session came back.
        assert await snapshot(new) == before

        # Thumbnails come back (the restore left them out).
        async def thumbnails_back() -> bool:
            page = await api.gql(new, "query($l: ID!) { photos(libraryId: $l, first: 100) "
                                      "{ edges { node { thumbnailUrl } } } }",
                                 {"l": library}, token=token)
            urls = [e["node"]["thumbnailUrl"] for e in page["photos"]["edges"]]
            return all([await api.status(new, url) == 200 for url in urls])

        await until(thumbnails_back, START_S, "re-created thumbnails")
        assert not (new_dir / "rebuild-thumbnails").exists()

        # A new photo of a known person: imported, classified, and sorted into that person.
        await asyncio.to_thread(shutil.copyfile, faces / NEW_FACE, folder / NEW_FACE)

        async def new_photo_classified() -> dict[str, Any] | None:
            found = await classified_snapshot(new)
            names = {Path(p["files"][0]["path"]).name for p in photos_of(found or {
                "photos": {"edges": []}}).values()}
            return found if found and NEW_FACE in names else None

        after = await until(new_photo_classified, CLASSIFY_S, "the new photo's classification")
        new_photos = photos_of(after)
        by_name_after = {Path(p["files"][0]["path"]).name: p for p in new_photos.values()}
        for photo_id, photo in photos_of(before).items():
            assert new_photos[photo_id] == photo, "a known photo changed after the restore"
        assert after["tags"] == before["tags"]
        people = {p["id"]: p for p in after["people"]}
        assert people[boris] == next(p for p in before["people"] if p["id"] == boris)
        assert main_person(by_name_after[NEW_FACE]) == david
        assert people[david]["name"] == "David"

        # The event log: every old file added once, before the backup; the new one once.
        follower = await EventFollower.start(node_scripts / "follow_events.mjs", new.url,
                                             token, library, 0, name="log replay")
        paths = {str(folder / p.name) for p in sources}

        def replayed(events: list[dict[str, Any]]) -> bool:
            return str(folder / NEW_FACE) in {json.loads(e["payload"] or "{}").get("path")
                                              for e in events}

        await follower.wait_for(replayed, 60, "the new photo's PHOTO_ADDED")
        # (edits are PHOTO_UPDATED too, without a path; an import carries the file's path)
        imports = Counter(json.loads(e["payload"] or "{}").get("path") for e in follower.events
                          if e["kind"] in {"PHOTO_ADDED", "PHOTO_UPDATED"})
        imports.pop(None, None)
        assert imports == Counter({path: 1 for path in paths})
        assert await new.stop() == 0, new.output()
    finally:
        if follower is not None:
            await follower.close()
        for server in servers:
            if server.process.poll() is None:
                with contextlib.suppress(AssertionError):
                    await server.stop(60)
            server.kill()
        api.close()
        shutil.rmtree(data, ignore_errors=True)
