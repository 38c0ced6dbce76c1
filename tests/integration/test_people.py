"""Faces into people with the real face stage (MTCNN + dlib) on the LFW fixtures, and the
corrections people make through GraphQL surviving a re-run of the stage."""

from __future__ import annotations

import pytest

from photonix_rt.config import Config
from photonix_rt.services.container import Services
from photonix_rt.services.job_runner import JobRunner, RunnerOptions
from photonix_rt.store.db import Database
from tests.integration.photo_factory import Gql, add_photo, data_of, make_library
from tests.integration.test_jobs_runner import wait_until, write_preview

FACES = ("Barbara_Becker_0001", "Boris_Becker_0003", "Boris_Becker_0004", "Boris_Becker_0005",
         "David_Beckham_0001", "David_Beckham_0002", "David_Beckham_0010")

# A small rebuild threshold, so that matching goes through a built Annoy index plus the delta.
OPTIONS = RunnerOptions(stages=frozenset({"face"}), lease_s=120, heartbeat_s=5, poll_s=0.5,
                        backoff_s=0.1, backoff_max_s=1, face_index_rebuild_after=3)

PHOTO_FACES = """query($id: ID!) { photo(id: $id) {
  faces { id box confidence status person { id name } }
  tags { name type }
} }"""


@pytest.fixture(scope="module")
def face_stage() -> None:
    from workers.classifiers.face import FaceClassifier

    reason = FaceClassifier().unavailable_reason()
    if reason is not None:
        pytest.skip(f"face models not installed ({reason}); run `photonix-rt models install`")


async def _all_done(db: Database) -> bool:
    return not await db.fetchval(
        "SELECT EXISTS (SELECT 1 FROM jobs WHERE status IN ('queued', 'running'))")


async def _main_faces(gql: Gql, token: str, photos: dict[str, str]) -> dict[str, dict]:
    """Each photo's largest face (LFW crops centre one person), by fixture name."""
    found = {}
    for name, photo_id in photos.items():
        faces = data_of(await gql(PHOTO_FACES, {"id": photo_id}, token=token))["photo"]["faces"]
        assert faces, f"no face found on {name}"
        found[name] = max(faces, key=lambda f: f["box"][2] * f["box"][3])
    return found


async def _photo(gql: Gql, token: str, photo_id: str) -> dict:
    return data_of(await gql(PHOTO_FACES, {"id": photo_id}, token=token))["photo"]


async def test_faces_group_into_people_and_edits_survive_a_rerun(
        face_stage: None, config: Config, services: Services, db: Database, gql: Gql,
        make_user, fixtures_dir) -> None:
    token = await make_user("owner")
    viewer = await make_user("viewer")
    library_id = await make_library(gql, token, "Faces", {"viewer": "VIEWER"})
    photos = {}
    for name in FACES:
        key = write_preview(config, fixtures_dir / "photonix" / "faces" / f"{name}.jpg")
        photos[name] = str(await add_photo(db, library_id, thumbnail_key=key))

    async with JobRunner.running(db, config, services.events, OPTIONS):
        await wait_until(lambda: _all_done(db), 600)
    assert await db.fetchval("SELECT count(*) FROM jobs WHERE status = 'done'") == len(FACES)

    main = await _main_faces(gql, token, photos)
    person = {name: face["person"]["id"] for name, face in main.items()}
    boris = {person[n] for n in FACES if n.startswith("Boris")}
    david = {person[n] for n in FACES if n.startswith("David")}
    assert len(boris) == 1 and len(david) == 1 and boris != david
    assert person["Barbara_Becker_0001"] not in boris | david
    assert all(face["status"] == "AUTO" and face["person"]["name"] is None
               for face in main.values())
    # Matching went through a built index for part of the run.
    index = await db.fetchrow("SELECT generation, face_count FROM face_indexes")
    assert index is not None and index["generation"] >= 1 and index["face_count"] >= 3
    assert (config.data_dir / "faces" / str(library_id) / "current").is_file()

    [boris_id], [david_id] = boris, david
    # Viewers read people but may not edit them.
    people = data_of(await gql(
        "query($l: ID!) { people(libraryId: $l) { id name faceCount photoCount } }",
        {"l": str(library_id)}, token=viewer))["people"]
    assert {p["id"]: p["faceCount"] for p in people}[boris_id] == 3
    denied = await gql('mutation($p: ID!) { namePerson(personId: $p, name: "X") { id } }',
                       {"p": boris_id}, token=viewer)
    assert denied["errors"][0]["extensions"]["code"] == "FORBIDDEN"

    # Name, split-and-merge, confirm, move, reject.
    named = data_of(await gql(
        'mutation($p: ID!) { namePerson(personId: $p, name: " Boris  Becker ") '
        "{ name faceCount } }", {"p": boris_id}, token=token))["namePerson"]
    assert named == {"name": "Boris Becker", "faceCount": 3}
    data_of(await gql('mutation($p: ID!) { namePerson(personId: $p, name: "David Beckham") '
                      "{ id } }", {"p": david_id}, token=token))
    split = data_of(await gql(
        "mutation($f: ID!) { moveFace(faceId: $f, personId: null) { status person { id } } }",
        {"f": main["David_Beckham_0002"]["id"]}, token=token))["moveFace"]
    assert split["status"] == "CONFIRMED" and split["person"]["id"] != david_id
    merged = data_of(await gql(
        "mutation($t: ID!, $s: [ID!]!) { mergePeople(targetId: $t, sourceIds: $s) "
        "{ id name faceCount } }",
        {"t": david_id, "s": [split["person"]["id"]]}, token=token))["mergePeople"]
    assert merged == {"id": david_id, "name": "David Beckham", "faceCount": 3}
    data_of(await gql("mutation($f: ID!) { confirmFace(faceId: $f) { id } }",
                      {"f": main["Boris_Becker_0003"]["id"]}, token=token))
    moved = data_of(await gql(  # a person's call, even against the model's
        "mutation($f: ID!, $p: ID) { moveFace(faceId: $f, personId: $p) "
        "{ person { id name } } }",
        {"f": main["Boris_Becker_0004"]["id"], "p": david_id}, token=token))["moveFace"]
    assert moved["person"] == {"id": david_id, "name": "David Beckham"}
    rejected = data_of(await gql(
        "mutation($f: ID!) { rejectFace(faceId: $f) { status person { id } } }",
        {"f": main["Barbara_Becker_0001"]["id"]}, token=token))["rejectFace"]
    assert rejected == {"status": "REJECTED", "person": None}

    before = await _photo(gql, token, photos["Boris_Becker_0003"])
    assert {"name": "Boris Becker", "type": "PERSON"} in before["tags"]

    # Re-run the face stage on every photo.
    async with JobRunner.running(db, config, services.events, OPTIONS):
        for photo_id in photos.values():
            await services.jobs.enqueue_stages(library_id, photo_id, [("face", None)])
        await wait_until(lambda: _all_done(db), 600)

    barbara = await _photo(gql, token, photos["Barbara_Becker_0001"])
    assert barbara["faces"] == []  # rejected stays rejected; not found again as new
    assert not [t for t in barbara["tags"] if t["type"] == "PERSON"]
    after = await _main_faces(gql, token, {n: p for n, p in photos.items()
                                           if not n.startswith("Barbara")})
    expected = {"Boris_Becker_0003": (boris_id, "CONFIRMED"),
                "Boris_Becker_0004": (david_id, "CONFIRMED"),
                "Boris_Becker_0005": (boris_id, "AUTO"),
                "David_Beckham_0001": (david_id, "AUTO"),
                "David_Beckham_0002": (david_id, "CONFIRMED"),
                "David_Beckham_0010": (david_id, "AUTO")}
    assert {n: (f["person"]["id"], f["status"]) for n, f in after.items()} == expected
    for name in ("Boris_Becker_0003", "Boris_Becker_0004", "David_Beckham_0002"):
        assert after[name]["id"] == main[name]["id"]  # the confirmed row itself, untouched
    tags = (await _photo(gql, token, photos["Boris_Becker_0003"]))["tags"]
    assert [t["name"] for t in tags if t["type"] == "PERSON"] == ["Boris Becker"]
    tags = (await _photo(gql, token, photos["Boris_Becker_0004"]))["tags"]
    assert [t["name"] for t in tags if t["type"] == "PERSON"] == ["David Beckham"]
    people = data_of(await gql(
        "query($l: ID!) { people(libraryId: $l) { id name faceCount } }",
        {"l": str(library_id)}, token=token))["people"]
    assert people == [{"id": boris_id, "name": "Boris Becker", "faceCount": 2},
                      {"id": david_id, "name": "David Beckham", "faceCount": 4}]
    person = data_of(await gql(
        "query($p: ID!) { person(id: $p) { name photoCount faces { id } } }",
        {"p": boris_id}, token=viewer))["person"]
    assert person["name"] == "Boris Becker" and person["photoCount"] == 2
    assert len(person["faces"]) == 2
