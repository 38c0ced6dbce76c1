"""The People screens' server side on real faces (MTCNN + dlib on LFW fixtures): pages of
people by photo count with covers, face crops served only to members, cover choice,
"not this person", the review queue, and the events that keep other devices live."""

from __future__ import annotations

import io
import json
from uuid import UUID

from PIL import Image

from photonix_rt.config import Config
from photonix_rt.services.container import Services
from photonix_rt.services.job_runner import JobRunner
from photonix_rt.store.db import Database
from tests.integration.photo_factory import Gql, add_photo, data_of, make_library
from tests.integration.test_jobs_runner import wait_until, write_preview
from tests.integration.test_people import OPTIONS, _all_done, _main_faces, face_stage

__all__ = ["face_stage"]  # the fixture, re-used

FACES = ("Barbara_Becker_0001", "Boris_Becker_0003", "Boris_Becker_0004", "Boris_Becker_0005",
         "David_Beckham_0001", "David_Beckham_0002")

PAGE = """query($l: ID!, $first: Int, $after: String) {
  peoplePage(libraryId: $l, first: $first, after: $after) {
    totalCount
    edges { cursor node { id name photoCount faceCount cover { id cropUrl person { id } } } }
    pageInfo { hasNextPage endCursor }
  } }"""

REVIEW = """query($l: ID!, $first: Int, $after: String) {
  faceReview(libraryId: $l, first: $first, after: $after) {
    edges { cursor node { id status person { id } } }
    pageInfo { hasNextPage endCursor }
  } }"""


async def _events(db: Database, library_id: UUID, kind: str) -> list[dict]:
    rows = await db.fetch("SELECT payload FROM events WHERE library_id = $1 AND kind = $2"
                          " ORDER BY sequence", library_id, kind)
    return [r["payload"] if isinstance(r["payload"], dict) else json.loads(r["payload"])
            for r in rows]


async def test_people_screens_on_real_faces(
        face_stage: None, config: Config, services: Services, db: Database, gql: Gql,
        fetch, make_user, fixtures_dir) -> None:
    token = await make_user("owner")
    viewer = await make_user("viewer")
    outsider = await make_user("outsider")
    library_id = await make_library(gql, token, "Faces", {"viewer": "VIEWER"})
    photos = {}
    for name in FACES:
        key = write_preview(config, fixtures_dir / "photonix" / "faces" / f"{name}.jpg")
        photos[name] = str(await add_photo(db, library_id, thumbnail_key=key))
    async with JobRunner.running(db, config, services.events, OPTIONS):
        await wait_until(lambda: _all_done(db), 600)
    main = await _main_faces(gql, token, photos)
    boris = main["Boris_Becker_0003"]["person"]["id"]
    david = main["David_Beckham_0001"]["person"]["id"]
    barbara = main["Barbara_Becker_0001"]["person"]["id"]
    assert len({boris, david, barbara}) == 3
    # The face stage's PHOTO_TAGGED names the people on the photo: an open person page
    # learns live that it gained a face.
    tagged = await db.fetchval("SELECT payload FROM events WHERE kind = 'PHOTO_TAGGED'"
                               " AND photo_id = $1", UUID(photos["Boris_Becker_0004"]))
    assert boris in tagged["people"]

    # Unnamed groups by photo count; then a named person comes first whatever its count.
    page = data_of(await gql(PAGE, {"l": str(library_id)}, token=viewer))["peoplePage"]
    assert page["totalCount"] == 3
    assert [e["node"]["id"] for e in page["edges"]] == [boris, david, barbara]
    assert [e["node"]["photoCount"] for e in page["edges"]] == [3, 2, 1]
    # A person's page: their photos, by face (unnamed people share one PERSON tag).
    theirs = data_of(await gql(
        "query($l: ID!, $p: ID!) { photos(libraryId: $l, filter: {personId: $p}) "
        "{ totalCount edges { node { id } } } }", {"l": str(library_id), "p": boris},
        token=viewer))["photos"]
    assert theirs["totalCount"] == 3
    assert sorted(e["node"]["id"] for e in theirs["edges"]) == sorted(
        photos[n] for n in FACES if n.startswith("Boris"))
    # A photo in the trash leaves its people's counts, and comes back.
    trash = "mutation($p: [ID!]!) { trashPhotos(photoIds: $p) }"
    data_of(await gql(trash, {"p": [photos["David_Beckham_0002"]]}, token=token))
    page = data_of(await gql(PAGE, {"l": str(library_id)}, token=viewer))["peoplePage"]
    assert {e["node"]["id"]: e["node"]["photoCount"] for e in page["edges"]} == {
        boris: 3, david: 1, barbara: 1}
    data_of(await gql("mutation($p: [ID!]!) { restorePhotos(photoIds: $p) }",
                      {"p": [photos["David_Beckham_0002"]]}, token=token))
    data_of(await gql('mutation($p: ID!) { namePerson(personId: $p, name: "Barbara") { id } }',
                      {"p": barbara}, token=token))
    first = data_of(await gql(PAGE, {"l": str(library_id), "first": 2},
                              token=viewer))["peoplePage"]
    assert [e["node"]["id"] for e in first["edges"]] == [barbara, boris]
    assert first["pageInfo"]["hasNextPage"] is True
    rest = data_of(await gql(PAGE, {"l": str(library_id), "first": 2,
                                    "after": first["pageInfo"]["endCursor"]},
                             token=viewer))["peoplePage"]
    assert [e["node"]["id"] for e in rest["edges"]] == [david]
    assert rest["pageInfo"]["hasNextPage"] is False

    # Covers are the person's own faces; the crop comes from the preview, as a square.
    covers = {e["node"]["id"]: e["node"]["cover"] for e in first["edges"] + rest["edges"]}
    assert all(c["person"]["id"] == p for p, c in covers.items())
    crop_url = covers[boris]["cropUrl"]
    response = await fetch(crop_url)
    assert response.code == 200 and response.headers["Content-Type"] == "image/webp"
    image = Image.open(io.BytesIO(response.body))
    assert image.width == image.height and image.width >= 32
    assert list(config.thumbnails_dir.rglob(f"face-{covers[boris]['id']}-*.webp"))
    again = await fetch(crop_url)  # cached on disk: the same bytes
    assert again.code == 200 and again.body == response.body
    # Members only, like thumbnails: an outsider and an anonymous caller get nothing.
    bare = crop_url.split("?")[0]
    assert (await fetch(bare, token=outsider)).code == 404
    assert (await fetch(bare)).code == 401
    assert (await fetch(f"{bare}?token=forged.token.1.x")).code == 401
    assert (await fetch(bare, token=viewer)).code == 200

    # Choose a cover; viewers may not.
    other_face = main["Boris_Becker_0005"]["id"]
    choose = ("mutation($p: ID!, $f: ID!) { setPersonCover(personId: $p, faceId: $f) "
              "{ cover { id } } }")
    denied = await gql(choose, {"p": boris, "f": other_face}, token=viewer)
    assert denied["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    chosen = data_of(await gql(choose, {"p": boris, "f": other_face},
                               token=token))["setPersonCover"]
    assert chosen["cover"]["id"] == other_face
    wrong = await gql(choose, {"p": boris, "f": main["David_Beckham_0001"]["id"]}, token=token)
    assert wrong["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"

    # "Not this person": the face leaves Boris for the review queue, first in line.
    unassign = "mutation($f: ID!) { unassignFace(faceId: $f) { status person { id } } }"
    denied = await gql(unassign, {"f": other_face}, token=viewer)
    assert denied["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert data_of(await gql(unassign, {"f": other_face}, token=token))["unassignFace"] == {
        "status": "CONFIRMED", "person": None}
    people = data_of(await gql(PAGE, {"l": str(library_id)}, token=viewer))["peoplePage"]
    counts = {e["node"]["id"]: e["node"]["photoCount"] for e in people["edges"]}
    assert counts[boris] == 2
    cover = next(e["node"]["cover"] for e in people["edges"] if e["node"]["id"] == boris)
    assert cover["id"] != other_face  # the chosen cover left: another face stands in

    review = data_of(await gql(REVIEW, {"l": str(library_id), "first": 2},
                               token=viewer))["faceReview"]
    ids = [e["node"]["id"] for e in review["edges"]]
    assert other_face in ids or review["pageInfo"]["hasNextPage"]
    seen = list(ids)
    while review["pageInfo"]["hasNextPage"]:
        review = data_of(await gql(REVIEW, {"l": str(library_id), "first": 2,
                                            "after": review["pageInfo"]["endCursor"]},
                                   token=viewer))["faceReview"]
        seen += [e["node"]["id"] for e in review["edges"]]
    assert other_face in seen and len(seen) == len(set(seen))
    assert main["Barbara_Becker_0001"]["id"] not in seen  # named, and detected surely
    # Confirming a face takes it out of the queue.
    unsure = next(f for f in seen if f != other_face)
    data_of(await gql("mutation($f: ID!) { confirmFace(faceId: $f) { id } }", {"f": unsure},
                      token=token))
    review = data_of(await gql(REVIEW, {"l": str(library_id), "first": 50},
                               token=viewer))["faceReview"]
    assert unsure not in [e["node"]["id"] for e in review["edges"]]

    # Every change was announced for other devices.
    assert {"personId": barbara, "change": "name"} in await _events(db, library_id,
                                                                    "PERSON_UPDATED")
    assert {"personId": boris, "change": "cover"} in await _events(db, library_id,
                                                                   "PERSON_UPDATED")
    faces = await _events(db, library_id, "FACE_UPDATED")
    assert {"faceId": other_face, "personId": None, "previousPersonId": boris,
            "status": "confirmed"} in faces
    assert any(f["faceId"] == unsure and f["status"] == "confirmed" for f in faces)

    # An unnamed group whose last face moves away is gone, and says so.
    move = "mutation($f: ID!, $p: ID) { moveFace(faceId: $f, personId: $p) { id } }"
    for name in ("David_Beckham_0001", "David_Beckham_0002"):
        data_of(await gql(move, {"f": main[name]["id"], "p": boris}, token=token))
    assert {"personId": david, "into": None} in await _events(db, library_id, "PERSON_REMOVED")
    people = data_of(await gql(PAGE, {"l": str(library_id)}, token=viewer))["peoplePage"]
    assert david not in [e["node"]["id"] for e in people["edges"]]
