"""Upload names never carry a path, and the type comes from the bytes."""

from __future__ import annotations

import pytest

from photonix_rt.services.upload_files import UnsupportedUpload, safe_stem, sniff, upload_name


@pytest.mark.parametrize(("hint", "stem"), [
    ("../../x.jpg", "x"), ("..\\..\\evil.png", "evil"), ("/etc/passwd", "passwd"),
    (".hidden.jpg", "hidden"), ("..", "upload"), ("", "upload"), (None, "upload"),
    ("IMG_0042.HEIC", "IMG_0042"), ("café au lait.jpg", "cafe-au-lait"),
    ("фото.jpg", "upload"), ("a\x00b.jpg", "a-b"), ("x" * 300, "x" * 60)])
def test_safe_stem(hint: str | None, stem: str) -> None:
    assert safe_stem(hint) == stem


def test_upload_name_depends_on_content_not_on_the_claimed_extension() -> None:
    name = upload_name("../evil.exe", bytes(range(32)), ".jpg")
    assert name == "evil-0001020304050607.jpg"


@pytest.mark.parametrize(("head", "mime"), [
    (b"\xff\xd8\xff\xe1" + b"\x00" * 28, "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 24, "image/png"),
    (b"RIFF\x00\x00\x00\x00WEBPVP8 " + b"\x00" * 16, "image/webp"),
    (b"\x00\x00\x00\x18ftypheic" + b"\x00" * 20, "image/heic"),
    (b"II*\x00" + b"\x00" * 28, "image/tiff"),
    (b"\x00\x00\x00\x18ftypisom" + b"\x00" * 20, "video/mp4"),
    (b"\x00\x00\x00\x14ftypqt  " + b"\x00" * 20, "video/quicktime"),
    (b"\x1aE\xdf\xa3\x01\x00\x00\x00\x00\x00\x00\x1f" + b"\x42\x86\x81\x01" * 4
     + b"\x42\x82\x84webm", "video/webm")])
def test_sniff_photos_and_videos(head: bytes, mime: str) -> None:
    assert sniff(head)[0] == mime


@pytest.mark.parametrize("head", [b"<html>", b"RIFF\x00\x00\x00\x00AVI LIST" + b"\x00" * 16,
                                  b"GIF89a" + b"\x00" * 26, b"%PDF-1.4"])
def test_sniff_refuses_the_rest(head: bytes) -> None:
    with pytest.raises(UnsupportedUpload):
        sniff(head)
