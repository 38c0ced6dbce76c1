"""Media URL tokens end with the session that issued them: logout, password change and
disabling make thumbnail and original URLs refuse them at once (issue 10: 11)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PIL import Image

from photonix_rt.services.container import Services
from tests.integration.photo_factory import Gql, add_photo, data_of, make_library, write_thumbnail

LOGIN = """mutation($u: String!, $p: String!) {
  login(username: $u, password: $p) { accessToken refreshToken }
}"""
LOGOUT = "mutation($t: String!) { logout(refreshToken: $t) }"
CHANGE = "mutation($o: String!, $n: String!) { changePassword(oldPassword: $o, newPassword: $n) }"
URLS = "query($p: ID!) { photo(id: $p) { thumbnailUrl originalUrl } }"
PASSWORD = "owner's pass phrase"
KEY = "0f1e2d3c4b5a"


async def photo_urls(gql: Gql, services: Services, tmp_path: Path,
                     token: str) -> tuple[Any, Any]:
    library_id = await make_library(gql, token, "media")
    original = tmp_path / "snap.jpg"
    Image.new("RGB", (60, 40), "blue").save(original, "JPEG")
    # Originals are served only from inside a library folder.
    await services.db.execute("INSERT INTO library_paths (library_id, path) VALUES ($1, $2)",
                              library_id, str(tmp_path))
    photo_id = await add_photo(services.db, library_id, thumbnail_key=KEY,
                               file_path=str(original))
    write_thumbnail(services.config.thumbnails_dir, KEY, "grid", "red")
    return photo_id, original


async def urls_for(gql: Gql, photo_id: Any, token: str) -> list[str]:
    data = data_of(await gql(URLS, {"p": str(photo_id)}, token=token))["photo"]
    return [data["thumbnailUrl"], data["originalUrl"]]


async def test_media_urls_stop_working_after_logout(fetch: Any, gql: Gql, services: Services,
                                                   tmp_path: Path) -> None:
    await services.users.create("owner", PASSWORD)
    session = (await gql(LOGIN, {"u": "owner", "p": PASSWORD}))["data"]["login"]
    other = (await gql(LOGIN, {"u": "owner", "p": PASSWORD}))["data"]["login"]
    photo_id, _ = await photo_urls(gql, services, tmp_path, session["accessToken"])
    urls = await urls_for(gql, photo_id, session["accessToken"])
    other_urls = await urls_for(gql, photo_id, other["accessToken"])
    for url in urls:
        assert (await fetch(url)).code == 200, url
    assert await gql(LOGOUT, {"t": session["refreshToken"]}) == {"data": {"logout": True}}
    for url in urls:
        assert (await fetch(url)).code == 401, url
    for url in other_urls:  # the other session's URLs go on working
        assert (await fetch(url)).code == 200, url


async def test_media_urls_of_other_sessions_stop_after_a_password_change(
        fetch: Any, gql: Gql, services: Services, tmp_path: Path) -> None:
    await services.users.create("owner", PASSWORD)
    here = (await gql(LOGIN, {"u": "owner", "p": PASSWORD}))["data"]["login"]
    stolen = (await gql(LOGIN, {"u": "owner", "p": PASSWORD}))["data"]["login"]
    photo_id, _ = await photo_urls(gql, services, tmp_path, here["accessToken"])
    stolen_urls = await urls_for(gql, photo_id, stolen["accessToken"])
    assert (await fetch(stolen_urls[0])).code == 200
    changed = await gql(CHANGE, {"o": PASSWORD, "n": "a fresh pass phrase"},
                        token=here["accessToken"])
    assert changed == {"data": {"changePassword": True}}
    for url in stolen_urls:
        assert (await fetch(url)).code == 401, url
    for url in await urls_for(gql, photo_id, here["accessToken"]):
        assert (await fetch(url)).code == 200, url
