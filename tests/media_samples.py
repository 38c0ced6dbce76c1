"""Camera files made by the tests: small DNGs that LibRaw reads, and short videos.

No RAW sample is shipped by any package reachable here (rawpy's wheel has no test data, the
fixtures hold none), so the tests write DNGs themselves: a Bayer (RGGB) mosaic of a known
scene, the DNG colour tags LibRaw needs, EXIF (make, model, date, orientation), and
optionally an embedded JPEG preview in IFD0 with the raw image in a SubIFD, the layout
cameras and Adobe's converter use.

    make_dng(path, (640, 480), preview=(640, 480), orientation=6)
    make_video(path, (320, 240), seconds=2, fps=10, rotation=90)
"""

from __future__ import annotations

import io
import shutil
import struct
import subprocess
from pathlib import Path

import numpy as np
from PIL import Image

__all__ = ["RAW_COLOUR", "make_camera_jpeg", "make_dng", "make_iphone_still",
           "make_motion_photo", "make_video", "set_apple_content_id"]

# The mosaic's scene: one flat colour, so a decoded preview can be checked for it.
RAW_COLOUR = (200, 60, 40)
_WHITE = 4095
_XYZ_TO_SRGB = (3.2406, -1.5372, -0.4986, -0.9689, 1.8758, 0.0415, 0.0557, -0.2040, 1.0570)

# TIFF field types: code, struct format, size.
_TYPES = {"B": (1, "B"), "A": (2, "s"), "H": (3, "H"), "I": (4, "I"), "R": (5, "II"),
          "SR": (10, "ii")}


def _ifd(entries: dict[int, tuple[str, object]], offset: int,
         next_ifd: int = 0) -> tuple[bytes, dict[int, int]]:
    """One IFD at ``offset`` followed by its out-of-line values; returns the bytes and the
    file offset of each tag's value (for patching offsets of data placed later)."""
    count = len(entries)
    data_start = offset + 2 + count * 12 + 4
    head = struct.pack("<H", count)
    data = b""
    where: dict[int, int] = {}
    for tag in sorted(entries):
        kind, value = entries[tag]
        code, fmt = _TYPES[kind]
        if kind == "A":
            raw = str(value).encode() + b"\0"
            n = len(raw)
        else:
            values = list(value) if isinstance(value, list | tuple) else [value]
            flat = [v for item in values for v in (item if isinstance(item, tuple) else (item,))]
            raw = struct.pack("<" + fmt[0] * len(flat), *flat)
            n = len(values)
        if len(raw) <= 4:
            where[tag] = offset + len(head) + 8
            head += struct.pack("<HHI", tag, code, n) + raw.ljust(4, b"\0")
        else:
            where[tag] = data_start + len(data)
            head += struct.pack("<HHII", tag, code, n, data_start + len(data))
            data += raw + (b"\0" if len(raw) % 2 else b"")
    return head + struct.pack("<I", next_ifd) + data, where


def _linear(channel: int) -> float:
    value = channel / 255
    return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4


def _mosaic(size: tuple[int, int], colour: tuple[int, int, int],
            scene: np.ndarray | None = None) -> bytes:
    width, height = size
    cfa = np.empty((height, width), np.uint16)
    if scene is not None:  # an RGB picture of ``size``: each photosite keeps its channel
        lut = np.array([round(_linear(v) * _WHITE) for v in range(256)], np.uint16)
        cfa[0::2, 0::2] = lut[scene[0::2, 0::2, 0]]
        cfa[0::2, 1::2] = lut[scene[0::2, 1::2, 1]]
        cfa[1::2, 0::2] = lut[scene[1::2, 0::2, 1]]
        cfa[1::2, 1::2] = lut[scene[1::2, 1::2, 2]]
        return cfa.tobytes()
    r, g, b = (round(_linear(c) * _WHITE) for c in colour)
    cfa[0::2, 0::2], cfa[0::2, 1::2], cfa[1::2, 0::2], cfa[1::2, 1::2] = r, g, g, b
    return cfa.tobytes()


def make_dng(path: Path, size: tuple[int, int] = (640, 480), *,
             preview: tuple[int, int] | None = None, orientation: int = 1,
             make: str = "Photonix", model: str = "Test DNG",
             taken: str = "2024:05:06 07:08:09",
             colour: tuple[int, int, int] = RAW_COLOUR,
             scene: np.ndarray | None = None, subsec: str | None = None) -> Path:
    """Write a DNG of ``size`` (stored, before orientation); with ``preview`` an embedded
    JPEG of that size (in the same colour) sits in IFD0 and the mosaic in a SubIFD.
    ``scene`` (an RGB array of ``size``) replaces the flat colour (benchmarks)."""
    width, height = size
    mosaic = _mosaic(size, colour, scene)
    # Camera space = linear sRGB: ColorMatrix1 is then XYZ (D65) -> linear sRGB.
    matrix = [(round(v * 10000), 10000) for v in _XYZ_TO_SRGB]
    camera: dict[int, tuple[str, object]] = {
        271: ("A", make), 272: ("A", model), 274: ("H", orientation),
        306: ("A", taken),
        50706: ("B", (1, 4, 0, 0)), 50707: ("B", (1, 1, 0, 0)),
        50708: ("A", f"{make} {model}"),
        50721: ("SR", matrix), 50778: ("H", 21), 50728: ("R", [(1, 1)] * 3),
    }
    raw_tags: dict[int, tuple[str, object]] = {
        254: ("I", 0), 256: ("I", width), 257: ("I", height), 258: ("H", 16), 259: ("H", 1),
        262: ("H", 32803), 273: ("I", 0), 277: ("H", 1), 278: ("I", height),
        279: ("I", len(mosaic)), 33421: ("H", (2, 2)), 33422: ("B", (0, 1, 1, 2)),
        50717: ("I", _WHITE),
    }
    exif: dict[int, tuple[str, object]] = {36867: ("A", taken), 36868: ("A", taken)}
    if subsec is not None:
        exif[37521] = ("A", subsec)  # SubSecTimeOriginal
    out = bytearray(b"II*\0" + struct.pack("<I", 8))
    if preview is None:
        ifd0_tags = {**camera, **raw_tags, 34665: ("I", 0)}
        jpeg = b""
    else:
        buffer = io.BytesIO()
        picture = (Image.fromarray(scene).resize(preview) if scene is not None
                   else Image.new("RGB", preview, colour))
        picture.save(buffer, "JPEG", quality=90)
        jpeg = buffer.getvalue()
        ifd0_tags = {**camera, 254: ("I", 1), 256: ("I", preview[0]), 257: ("I", preview[1]),
                     258: ("H", (8, 8, 8)), 259: ("H", 7), 262: ("H", 6), 273: ("I", 0),
                     277: ("H", 3), 278: ("I", preview[1]), 279: ("I", len(jpeg)),
                     330: ("I", 0), 34665: ("I", 0)}
    ifd0, at0 = _ifd(ifd0_tags, 8)
    out += ifd0
    exif_ifd, _ = _ifd(exif, len(out))
    struct.pack_into("<I", out, at0[34665], len(out))
    out += exif_ifd
    if preview is not None:
        struct.pack_into("<I", out, at0[330], len(out))
        raw_ifd, at_raw = _ifd(raw_tags, len(out))
        out += raw_ifd
        struct.pack_into("<I", out, at0[273], len(out))
        out += jpeg
        strip_at = at_raw[273]
    else:
        strip_at = at0[273]
    struct.pack_into("<I", out, strip_at, len(out))
    out += mosaic
    path.write_bytes(bytes(out))
    return path


def make_camera_jpeg(path: Path, size: tuple[int, int] = (800, 600), *,
                     make: str = "Photonix", model: str = "Test DNG",
                     taken: str = "2024:05:06 07:08:09", subsec: str | None = None,
                     colour: tuple[int, int, int] = (40, 160, 60)) -> Path:
    """A JPEG as a camera writes it beside its RAW: make, model, capture time (and
    sub-seconds) in EXIF; defaults match ``make_dng``'s."""
    exif = Image.Exif()
    exif[271], exif[272], exif[306] = make, model, taken
    photo = exif.get_ifd(0x8769)
    photo[36867] = photo[36868] = taken
    if subsec is not None:
        photo[37521] = subsec
    Image.new("RGB", size, colour).save(path, "JPEG", quality=85, exif=exif)
    return path


def make_video(path: Path, size: tuple[int, int] = (320, 240), *, seconds: float = 2.0,
               fps: int = 10, codec: str = "libx264", rotation: int = 0,
               metadata: dict[str, str] | None = None,
               colour: tuple[int, int, int] = (30, 160, 60),
               frames: list[Image.Image] | None = None) -> Path:
    """Encode a short video with PyAV: frames of one colour with a moving white bar, or
    ``frames`` (each shown for an equal share of the clip)."""
    import av

    width, height = size
    # Keys such as com.apple.quicktime.content.identifier go in a QuickTime 'keys' (mdta)
    # list as iPhones write them, not in iTunes-style 'udta' atoms.
    options = ({"movflags": "use_metadata_tags"} if any("." in k for k in metadata or {})
               else {})
    with av.open(str(path), "w", options=options) as container:
        for key, value in (metadata or {}).items():
            container.metadata[key] = value
        stream = container.add_stream(codec, rate=fps)
        stream.width, stream.height = width, height
        stream.pix_fmt = "yuv420p"
        if codec == "libx265":
            stream.options = {"x265-params": "log-level=error"}
        if rotation:  # clockwise, as phones say; FFmpeg's display matrix turns the other way
            stream.set_display_rotation(-rotation)
        count = round(seconds * fps)
        for i in range(count):
            if frames:
                picture = frames[i * len(frames) // count].convert("RGB").resize(size)
                frame = np.asarray(picture)
            else:
                frame = np.empty((height, width, 3), np.uint8)
                frame[:] = colour
                x = (i * 7) % max(1, width - 10)
                frame[:, x:x + 10] = 255
            for packet in stream.encode(av.VideoFrame.from_ndarray(frame, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path


def make_motion_photo(path: Path, clip: bytes, *, size: tuple[int, int] = (320, 240),
                      colour: tuple[int, int, int] = (10, 200, 10), directory: bool = True,
                      ) -> Path:
    """An Android motion photo: a JPEG with Google's motion-photo XMP and ``clip`` (an MP4)
    appended; ``directory`` writes the newer Container:Directory form, else only the older
    GCamera:MicroVideoOffset."""
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG", quality=90)
    jpeg = buffer.getvalue()
    items = (
        '<Container:Directory><rdf:Seq>'
        '<rdf:li rdf:parseType="Resource"><Container:Item Item:Mime="image/jpeg"'
        ' Item:Semantic="Primary" Item:Length="0" Item:Padding="0"/></rdf:li>'
        '<rdf:li rdf:parseType="Resource"><Container:Item Item:Mime="video/mp4"'
        f' Item:Semantic="MotionPhoto" Item:Length="{len(clip)}" Item:Padding="0"/></rdf:li>'
        '</rdf:Seq></Container:Directory>') if directory else ""
    xmp = (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF'
        ' xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about=""'
        ' xmlns:GCamera="http://ns.google.com/photos/1.0/camera/"'
        ' xmlns:Container="http://ns.google.com/photos/1.0/container/"'
        ' xmlns:Item="http://ns.google.com/photos/1.0/container/item/"'
        ' GCamera:MotionPhoto="1" GCamera:MotionPhotoVersion="1" GCamera:MicroVideo="1"'
        f' GCamera:MicroVideoOffset="{len(clip)}">{items}</rdf:Description></rdf:RDF>'
        '</x:xmpmeta>').encode()
    payload = b"http://ns.adobe.com/xap/1.0/\0" + xmp
    app1 = b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload
    path.write_bytes(jpeg[:2] + app1 + jpeg[2:] + clip)
    return path


def make_iphone_still(path: Path, iphone_photo: Path, size: tuple[int, int] = (320, 240),
                      colour: tuple[int, int, int] = (20, 40, 200)) -> Path:
    """A small JPEG or HEIC (by ``path``'s suffix) carrying a real iPhone photo's EXIF, its
    Apple maker note included (HEIC needs pillow-heif's opener registered)."""
    with Image.open(iphone_photo) as donor:
        exif = donor.info["exif"]
    heif = path.suffix.lower() in (".heic", ".heif")
    Image.new("RGB", size, colour).save(path, "HEIF" if heif else "JPEG", quality=60,
                                        exif=exif)
    return path


def set_apple_content_id(content_id: str, *stills: Path) -> None:
    """Write a live photo's content identifier into the stills' Apple maker notes (tag
    0x0011) with exiftool (one run), as an iPhone does. Needs exiftool."""
    exiftool = shutil.which("exiftool")
    if exiftool is None:
        msg = "exiftool is not installed"
        raise FileNotFoundError(msg)
    # exiftool calls tag 0x0011 ContentIdentifier since 12.x, MediaGroupUUID before: the
    # name this exiftool does not know is skipped (quietly, with -q -q).
    subprocess.run([exiftool, "-q", "-q", "-overwrite_original",
                    f"-Apple:ContentIdentifier={content_id}",
                    f"-Apple:MediaGroupUUID={content_id}", *map(str, stills)], check=True)
