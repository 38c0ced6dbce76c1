"""Share-link tokens, origin checks, scopes and the share surface's rate limits (issue 9)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest

from photonix_rt.auth.share_tokens import (
    hash_share_token,
    looks_like_share_token,
    new_share_token,
    normalize_origin,
    origin_allowed,
)
from photonix_rt.errors import Invalid, RateLimited
from photonix_rt.http.access_log import redact_uri
from photonix_rt.services.share_limits import ShareLimitConfig, ShareLimits
from photonix_rt.services.shares import ShareEnded, ShareService, scope_filter
from photonix_rt.store.photo_filter import PhotoFilter
from photonix_rt.store.share_links import ShareLinkRow


def test_tokens_are_random_url_safe_and_stored_only_as_a_hash() -> None:
    tokens = {new_share_token() for _ in range(200)}
    assert len(tokens) == 200
    assert all(looks_like_share_token(t) for t in tokens)
    token = tokens.pop()
    assert hash_share_token(token) == hash_share_token(token)
    assert token.encode() not in hash_share_token(token)
    assert len(hash_share_token(token)) == 32
    for bad in ("", "short", token + "x", token[:-1] + "/", "../" + token[3:]):
        assert not looks_like_share_token(bad)


@pytest.mark.parametrize(("given", "origin"), [
    ("https://Example.org", "https://example.org"),
    ("https://example.org:443/", "https://example.org"),
    ("http://127.0.0.2:8123", "http://127.0.0.2:8123"),
    ("http://[::1]:80", "http://[::1]"),
])
def test_origins_are_normalised(given: str, origin: str) -> None:
    assert normalize_origin(given) == origin


@pytest.mark.parametrize("bad", ["javascript:alert(1)", "example.org", "https://x.org/page",
                                 "ftp://x.org", "https://user:pw@x.org", "null",
                                 "https://x.org?q=1", "http://x.org:99999"])
def test_what_is_not_an_origin_is_refused(bad: str) -> None:
    with pytest.raises(Invalid):
        normalize_origin(bad)


def test_origin_checks() -> None:
    own = "http://photos.local:8080"
    listed = ["https://blog.example"]
    assert origin_allowed(None, listed, own)              # no header: same-origin or a script
    assert origin_allowed(own, listed, own)               # the server's own pages
    assert origin_allowed("https://BLOG.example:443", listed, own)
    assert not origin_allowed("https://evil.example", listed, own)
    assert not origin_allowed("null", listed, own)        # sandboxed frames, file: pages
    assert origin_allowed("https://anyone.example", [], own)  # no allow-list


def test_share_tokens_never_reach_the_log() -> None:
    token = new_share_token()
    for path in (f"/s/{token}", f"/embed/{token}", f"/embed/v1/{token}/photos?first=5",
                 f"/embed/v1/{token}/live"):
        assert token not in redact_uri(path)
    assert redact_uri("/embed/v1/photonix-gallery.js") == "/embed/v1/photonix-gallery.js"


def test_request_limits_per_address_and_per_link() -> None:
    now = [0.0]
    limits = ShareLimits(ShareLimitConfig(requests_per_link=5, requests_per_address=3,
                                          window_s=60), clock=lambda: now[0])
    for _ in range(3):
        limits.request("link", "10.0.0.1")
    with pytest.raises(RateLimited):
        limits.request("link", "10.0.0.1")
    limits.request("link", "10.0.0.2")   # another address: its own window
    limits.request("link", "10.0.0.3")   # the link's fifth (a refused request is not counted)
    with pytest.raises(RateLimited):     # ...but the link's budget is shared
        limits.request("link", "10.0.0.4")
    now[0] = 61.0
    limits.request("link", "10.0.0.1")   # a new window


def test_socket_limits_are_released() -> None:
    limits = ShareLimits(ShareLimitConfig(sockets_per_link=3, sockets_per_address=2))
    first = limits.open_socket("link", "10.0.0.1")
    limits.open_socket("link", "10.0.0.1")
    with pytest.raises(RateLimited):
        limits.open_socket("link", "10.0.0.1")
    first()
    first()  # releasing twice counts once
    limits.open_socket("link", "10.0.0.1")
    limits.open_socket("link", "10.0.0.2")
    with pytest.raises(RateLimited):
        limits.open_socket("link", "10.0.0.3")  # the link's three are open


def test_a_links_scope_is_a_filter_of_its_library() -> None:
    album = uuid4()
    as_album = _link(album_id=album, filter=None)
    assert scope_filter(as_album) == PhotoFilter(tag_ids=(album,))
    as_filter = _link(album_id=None, filter={"minRating": 4, "tagNames": ["garden"]})
    assert scope_filter(as_filter) == PhotoFilter(min_rating=4, tag_names=("garden",))
    with pytest.raises(Invalid):  # a stored filter that no longer parses grants nothing
        scope_filter(_link(album_id=None, filter={"minRating": 9}))


def test_ended_links_are_refused() -> None:
    ShareService.check_live(_link(album_id=uuid4(), filter=None))
    with pytest.raises(ShareEnded):
        ShareService.check_live(_link(album_id=uuid4(), filter=None,
                                      revoked_at=datetime.now(UTC)))
    with pytest.raises(ShareEnded):
        ShareService.check_live(_link(album_id=uuid4(), filter=None,
                                      expires_at=datetime.now(UTC) - timedelta(seconds=1)))


def _link(**changes: Any) -> ShareLinkRow:
    values: dict[str, Any] = {
        "id": uuid4(), "library_id": uuid4(), "album_id": None, "album_name": None,
        "filter": None, "expires_at": None, "revoked_at": None, "allowed_origins": [],
        "show_location": False, "show_metadata": False, "show_people": False,
        "allow_download": False, "view_count": 0, "created_at": datetime.now(UTC)}
    return ShareLinkRow(**{**values, **changes})
