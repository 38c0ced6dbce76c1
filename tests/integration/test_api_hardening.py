"""The API under attack (issue 10): query limits, body limits, input checks, probing, logs,
headers and introspection, each through the real app on a port."""

from __future__ import annotations

import asyncio
import json
import logging
import socket
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest

from photonix_rt.config import Config, load_config
from photonix_rt.events.types import EventKind
from photonix_rt.http.subscriptions import SubscriptionMixin
from photonix_rt.services.container import Services
from photonix_rt.store import faces as faces_store
from tests.integration.photo_factory import add_photo, make_library
from tests.integration.test_subscriptions import EVENTS, _raw_stuck_client

JSON = {"Content-Type": "application/json"}


def code(body: dict[str, Any]) -> str:
    return body["errors"][0]["extensions"]["code"]


async def post(fetch: Any, query: str, variables: dict[str, Any] | None = None,
               token: str | None = None) -> tuple[int, dict[str, Any]]:
    response = await fetch("/graphql", method="POST",
                           body=json.dumps({"query": query, "variables": variables}),
                           headers=JSON, token=token)
    return response.code, json.loads(response.body)


# ---- finding 2: fragments are measured once each ------------------------------------------

async def test_fragments_spreading_twice_are_checked_in_linear_time(fetch) -> None:
    # Each fragment spreads the next one twice: 2**40 paths if fragments are re-walked
    # (the old depth rule never finished; the request timed out).
    n = 40
    fragments = [f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(n)]
    query = "{ ...F0 } " + " ".join(fragments) + f" fragment F{n} on Query {{ serverVersion }}"
    status, body = await post(fetch, query)
    assert status == 200
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "data" not in body or body["data"] is None


# ---- finding 3: aliases, fields, cost, tokens, length -------------------------------------

async def test_many_introspection_aliases_are_refused_before_running(fetch, make_user) -> None:
    token = await make_user("alice")  # signed in: introspection itself is allowed
    query = "{ " + " ".join(f"a{i}: __schema {{ queryType {{ name }} }}" for i in range(40))
    status, body = await post(fetch, query + " }", token=token)
    assert status == 200
    assert body.get("data") is None
    assert "the limit is" in body["errors"][0]["message"]
    # The 4,000-alias document of the attack stops at the parser's token limit.
    huge = "{ " + " ".join(f"a{i}: __schema {{ queryType {{ name }} }}" for i in range(4000))
    status, body = await post(fetch, huge + " }", token=token)
    assert body.get("data") is None
    assert body["errors"]


async def test_aliased_pages_are_refused_by_cost(fetch, make_user, gql) -> None:
    token = await make_user("alice")
    library = await make_library(gql, token, "a")
    # Few fields, but each alias asks for a full page of metadata: the cost says no.
    one = f'photos(libraryId: "{library}", first: 500) {{ edges {{ node {{ metadata }} }} }}'
    query = "{ " + " ".join(f"p{i}: {one}" for i in range(20)) + " }"
    status, body = await post(fetch, query, token=token)
    assert body.get("data") is None
    assert "costs" in body["errors"][0]["message"]
    # The attack's 3,000 aliases with the default page: refused too (by the field count).
    one = f'photos(libraryId: "{library}") {{ edges {{ node {{ metadata }} }} }}'
    query = "{ " + " ".join(f"p{i}: {one}" for i in range(3000)) + " }"
    status, body = await post(fetch, query, token=token)
    assert body.get("data") is None
    assert body["errors"]
    # A real page (the largest there is) stays well within the budget.
    page = ('query($l: ID!) { photos(libraryId: $l, first: 500) { totalCount edges { cursor '
            "node { id takenAt camera { id make model } lens { id name } files { id path } "
            "tags { id name type confidence } thumbnailUrl originalUrl } } "
            "pageInfo { hasNextPage endCursor } } }")
    status, body = await post(fetch, page, {"l": str(library)}, token=token)
    assert status == 200
    assert "errors" not in body, body


async def test_too_many_fields_and_too_long_documents_are_refused(fetch, make_user,
                                                                  config: Config) -> None:
    token = await make_user("alice")
    fields = "{ " + " ".join(f"v{i}: serverVersion" for i in range(config.max_query_fields + 1))
    _, body = await post(fetch, fields + " }", token=token)
    assert "fields; the limit is" in body["errors"][0]["message"]
    padded = "{ serverVersion }" + " " * config.max_query_length
    _, body = await post(fetch, padded, token=token)
    assert "longer than" in body["errors"][0]["message"]


def test_query_limits_are_settings() -> None:
    config = load_config({"PHOTONIX_MAX_QUERY_COST": "100", "PHOTONIX_MAX_QUERY_FIELDS": "7",
                          "PHOTONIX_MAX_QUERY_TOKENS": "50", "PHOTONIX_INTROSPECTION": "off",
                          "PHOTONIX_MAX_BODY_BYTES": "2048"})
    assert (config.max_query_cost, config.max_query_fields, config.max_query_tokens,
            config.introspection, config.max_body_bytes) == (100, 7, 50, "off", 2048)
    with pytest.raises(ValueError, match="PHOTONIX_INTROSPECTION"):
        load_config({"PHOTONIX_INTROSPECTION": "maybe"})


# ---- finding 8: oversized bodies are refused before they are read -------------------------

def _send_headers_only(server: str, length: int) -> bytes:
    """Announce a huge body, send none of it, and read what the server answers."""
    parts = urlsplit(server)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        sock.sendall((f"POST /graphql HTTP/1.1\r\nHost: {parts.netloc}\r\n"
                      f"Content-Type: application/json\r\nContent-Length: {length}\r\n"
                      "\r\n").encode())
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = sock.recv(65536)
            if not chunk:
                break
            answer += chunk
        return answer


async def test_an_oversized_body_gets_413_before_it_is_sent(server: str) -> None:
    # Old code waited for all 95 MB (buffering them) before refusing; the read timed out.
    answer = await asyncio.to_thread(_send_headers_only, server, 95 * 1024 * 1024)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]


async def test_a_body_within_the_limit_still_works(fetch) -> None:
    padding = " " * (512 * 1024)
    response = await fetch("/graphql", method="POST",
                           body=json.dumps({"query": "{ serverVersion }" + padding}),
                           headers=JSON)
    assert response.code == 200


# ---- finding 9: a socket's outbox is bounded in bytes -------------------------------------

async def test_a_stuck_socket_is_closed_when_its_bytes_pile_up(
        server: str, services: Services, make_user: Any, gql: Any,
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    # Few frames (far below max_outbox) but big ones: only the byte bound catches them.
    monkeypatch.setattr(SubscriptionMixin, "max_outbox_bytes", 1024 * 1024, raising=False)
    token = await make_user("ann")
    library = await make_library(gql, token, "a")
    op = {"id": "e", "type": "subscribe", "payload": {
        "query": EVENTS, "variables": {"l": str(library)}}}
    sock = await asyncio.to_thread(_raw_stuck_client, server, token, op)
    await asyncio.sleep(0.3)
    caplog.set_level(logging.INFO, logger="photonix_rt.http.subscriptions")
    async with services.db.transaction() as conn:
        sent = [await services.events.record(conn, EventKind.PHOTO_ADDED, library, None,
                                             {"pad": "x" * 60_000}) for _ in range(150)]
    await services.events.publish(*sent)
    for _ in range(100):
        if "frames unread" in caplog.text:
            break
        await asyncio.sleep(0.1)
    sock.close()
    assert "frames unread" in caplog.text


# ---- finding 12: library folder errors do not map the server's disk -----------------------

ADD_PATH = "mutation($l: ID!, $p: String!) { addLibraryPath(libraryId: $l, path: $p) { id } }"
RESCAN = "mutation($l: ID!, $p: String) { rescanLibrary(libraryId: $l, path: $p) }"


async def test_folder_errors_outside_the_roots_are_all_alike(fetch, gql, make_user,
                                                             tmp_path: Path) -> None:
    token = await make_user("alice")
    library = str(await make_library(gql, token, "a"))
    outside = ["/etc", "/etc/passwd", "/no/such/folder/anywhere"]
    answers = {(code(body), body["errors"][0]["message"])
               for body in [await gql(ADD_PATH, {"l": library, "p": p}, token=token)
                            for p in outside]}
    assert len(answers) == 1, answers
    folder = tmp_path / "photos"
    folder.mkdir()
    await gql(ADD_PATH, {"l": library, "p": str(folder)}, token=token)
    rescans = {body["errors"][0]["message"]
               for body in [await gql(RESCAN, {"l": library, "p": p}, token=token)
                            for p in [*outside, str(folder / "missing")]]}
    assert len(rescans) == 1, rescans


# ---- finding 13: bad text and huge ids are bad input, not internal errors -----------------

async def test_unstorable_text_and_huge_ids_are_bad_input(
        fetch, gql, make_user, caplog: pytest.LogCaptureFixture) -> None:
    token = await make_user("alice")
    library = str(await make_library(gql, token, "a"))
    caplog.set_level(logging.ERROR)
    query = ("query($l: ID!, $f: PhotoFilter) { photos(libraryId: $l, filter: $f) "
             "{ totalCount } }")
    for bad in ("a\x00b", "a\ud800b"):
        for f in ({"text": bad}, {"tagNames": [bad]}):
            _, body = await post(fetch, query, {"l": library, "f": f}, token=token)
            assert code(body) == "BAD_USER_INPUT", (bad, body)
    literal = '{ photos(libraryId: "%s", filter: {text: "a\\u0000b"}) { totalCount } }'
    _, body = await post(fetch, literal % library, token=token)
    assert code(body) == "BAD_USER_INPUT", body
    huge = str(2**64)
    face = "mutation($f: ID!) { confirmFace(faceId: $f) { id } }"
    assert code(await gql(face, {"f": huge}, token=token)) == "NOT_FOUND"
    assert code(await gql(face, {"f": huge})) == "UNAUTHENTICATED"
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text


# ---- finding 14: sign-in is checked before existence --------------------------------------

async def test_anonymous_callers_cannot_probe_faces_or_people(gql, make_user,
                                                              services: Services) -> None:
    token = await make_user("alice")
    library = await make_library(gql, token, "a")
    photo = await add_photo(services.db, library)
    face = await faces_store.insert_face(services.db, library, photo, None, [0, 0, 1, 1], 0.9,
                                         [0.0] * 128, "test")
    for field in ("confirmFace", "rejectFace"):
        existing = await gql(f'mutation {{ {field}(faceId: "{face}") {{ id }} }}')
        missing = await gql(f'mutation {{ {field}(faceId: "{face + 1000}") {{ id }} }}')
        assert existing["errors"][0] == {**missing["errors"][0]}, field
        assert code(existing) == "UNAUTHENTICATED"
    person = await gql('{ person(id: "00000000-0000-0000-0000-000000000000") { id } }')
    assert code(person) == "UNAUTHENTICATED"
    # A signed-in outsider learns no more than "no such face" either way.
    outsider = await make_user("mallory")
    existing = await gql(f'mutation {{ confirmFace(faceId: "{face}") {{ id }} }}',
                         token=outsider)
    missing = await gql(f'mutation {{ confirmFace(faceId: "{face + 1000}") {{ id }} }}',
                        token=outsider)
    assert existing["errors"][0]["message"] == missing["errors"][0]["message"]


# ---- finding 18: media tokens stay out of the log -----------------------------------------

async def test_media_tokens_are_redacted_in_the_access_log(
        fetch, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="tornado.access")
    secret = "s3cr3t-media-token-value"
    response = await fetch("/originals/00000000-0000-0000-0000-000000000000?"
                           + urlencode({"token": secret, "v": "1"}))
    assert response.code >= 400
    assert "/originals/" in caplog.text
    assert secret not in caplog.text
    assert "token=REDACTED" in caplog.text


# ---- introspection and security headers ----------------------------------------------------

async def test_introspection_is_for_signed_in_users_by_default(fetch, make_user) -> None:
    query = "{ __schema { queryType { name } } }"
    _, anonymous = await post(fetch, query)
    assert anonymous.get("data") is None
    assert "introspection" in anonymous["errors"][0]["message"].lower()
    _, typename = await post(fetch, "{ __typename }")
    assert typename == {"data": {"__typename": "Query"}}
    _, signed_in = await post(fetch, query, token=await make_user("alice"))
    assert signed_in == {"data": {"__schema": {"queryType": {"name": "Query"}}}}


@pytest.mark.parametrize("path", ["/graphql?query=%7B__typename%7D", "/healthz",
                                  "/thumbnails/00000000-0000-0000-0000-000000000000/grid.webp"])
async def test_every_response_carries_the_security_headers(fetch, path: str) -> None:
    response = await fetch(path)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["Content-Security-Policy"] == \
        "default-src 'none'; frame-ancestors 'none'"
    assert response.headers["Cross-Origin-Resource-Policy"] in ("same-origin", "cross-origin")
