"""Read a video (MP4/MOV with H.264 or HEVC, WebM, ...) with PyAV: facts and a poster frame.

PyAV (FFmpeg's libraries, inside its wheel) rather than OpenCV: OpenCV's ``VideoCapture``
gives frames, size and frame rate but not the container's tags (creation time, GPS), and
its rotation handling depends on the build; PyAV reads all of them, from an open file.

    video = read_video(f, max_side=1440)
    video.duration_ms, video.fps, video.codec, video.rotation  # rotation: clockwise degrees
    video.poster      # an upright Pillow image of one frame (not black, not the very first)
    video.frames      # the other frames looked at (small): classified too (write_frames)
    video.metadata    # PhotoMetadata: size as displayed, date taken, GPS, raw tags

Failures raise :class:`ImageError` (short reason), as for photos.
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import IO, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import av
import numpy as np
from PIL import Image

from workers.ingest.decode import MAX_PIXELS, ImageError
from workers.ingest.taken_at import parse_date
from workers.ingest.timezones import zone_at
from workers.protocol import PhotoMetadata

__all__ = ["FRAME_PREFIX", "VideoInfo", "parse_iso6709", "read_video", "write_frames"]

FRAME_PREFIX = "frame"  # frame1.webp, frame2.webp beside a video's thumbnails
_FRAME_SIDE = 640  # classifiers look at ~300 px inputs

log = logging.getLogger(__name__)

# Where in the clip candidate posters are taken (fractions of the duration); the brightest,
# most varied one wins: the first frame is often black or a fade-in.
_POSTER_AT = (0.1, 0.5, 0.9)
# Frames decoded past the keyframe a seek lands on, per candidate: phones put a keyframe
# every second or two, but encoders default to one every ~8 s; reaching the exact time
# would then decode most of the clip, and a poster does not need the exact time.
_MAX_DECODED_FRAMES = 15
_ISO6709 = re.compile(r"^\s*([+-]\d+(?:\.\d+)?)([+-]\d+(?:\.\d+)?)([+-]\d+(?:\.\d+)?)?")
# Container tags holding the date taken, best first: Apple's has the local offset.
_DATE_TAGS = ("com.apple.quicktime.creationdate", "creation_time", "date")
_LOCATION_TAGS = ("com.apple.quicktime.location.ISO6709", "location", "LOCATION")
_TURN = {90: Image.Transpose.ROTATE_270, 180: Image.Transpose.ROTATE_180,
         270: Image.Transpose.ROTATE_90}


@dataclass
class VideoInfo:
    duration_ms: int | None
    fps: float | None
    codec: str
    rotation: int  # clockwise degrees to turn the stored frames for display
    poster: Image.Image
    metadata: PhotoMetadata
    frames: list[Image.Image]  # the other candidates, for classification (small)


def parse_iso6709(text: str | None) -> tuple[float, float, float | None] | None:
    """(latitude, longitude, altitude) from ISO 6709 ``+48.8577+002.2950+035.000/``."""
    match = _ISO6709.match(text or "")
    if not match:
        return None
    lat, lon = float(match.group(1)), float(match.group(2))
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return lat, lon, float(match.group(3)) if match.group(3) else None


def _tags(container: Any, stream: Any) -> dict[str, str]:
    tags = {str(k): str(v) for k, v in stream.metadata.items()}
    tags.update({str(k): str(v) for k, v in container.metadata.items()})
    return tags


def _taken_at(tags: dict[str, str], lat: float | None,
              lon: float | None) -> tuple[datetime, int | None, str | None, str] | None:
    """(local time, offset, zone, source) from the container's date tags."""
    for key in _DATE_TAGS:
        text = tags.get(key)
        if not text:
            continue
        parsed = parse_date(text)
        if parsed is None:
            continue
        local, offset = parsed
        if offset is None and key == "creation_time":
            offset = 0  # QuickTime/MP4 creation_time is UTC by definition
        if offset is None:
            return local, None, None, "floating"
        zone = zone_at(lat, lon) if lat is not None and lon is not None else None
        try:
            tz = ZoneInfo(zone) if zone else None
        except (ZoneInfoNotFoundError, ValueError):
            tz = None
        if tz is not None:
            # The exact instant, shown at the place it was filmed: its wall clock there.
            there = (local - timedelta(minutes=offset)).replace(tzinfo=UTC).astimezone(tz)
            here = there.utcoffset()
            minutes = int(here.total_seconds() // 60) if here is not None else offset
            return (there.replace(tzinfo=None), minutes, zone,
                    "gps" if key == "creation_time" else "offset")
        return local, offset, None, "offset"
    return None


def _score(image: Image.Image) -> float:
    """How good a poster a frame makes: not dark, not flat."""
    grey = np.asarray(image.convert("L").resize((64, 64)), dtype=np.float32)
    return float(grey.std()) + min(float(grey.mean()), 80.0)


def _frame_at(container: Any, stream: Any, seconds: float) -> Any | None:
    """The first decoded frame at or after ``seconds`` (None if the stream ends first)."""
    if seconds > 0 and stream.time_base:
        container.seek(int(seconds / stream.time_base), stream=stream, backward=True)
    for n, frame in enumerate(container.decode(stream)):
        if frame.time is None or frame.time >= seconds - 1e-3 or n >= _MAX_DECODED_FRAMES:
            return frame
    return None


def _poster(container: Any, stream: Any,
            duration_s: float | None) -> tuple[Image.Image, list[Image.Image], int]:
    """The best of a few frames across the clip, the others (upright, small), and the
    stream's rotation (clockwise)."""
    candidates: list[tuple[float, Image.Image]] = []
    rotation = 0
    times = [duration_s * f for f in _POSTER_AT] if duration_s else [0.0]
    for seconds in times:
        try:
            frame = _frame_at(container, stream, seconds)
        except av.error.FFmpegError as exc:
            log.debug("cannot seek to %.2fs: %s", seconds, exc)
            frame = None
        if frame is None:
            continue
        # FFmpeg's display matrix angle is counter-clockwise; phones and exiftool say clockwise.
        rotation = round(-(getattr(frame, "rotation", 0) or 0)) % 360
        image = frame.to_image()
        candidates.append((_score(image), image))
    if not candidates:
        raise ImageError("corrupt video: no frame could be decoded")
    best = max(range(len(candidates)), key=lambda i: candidates[i][0])
    turn = _TURN.get(rotation)
    upright = [image.transpose(turn) if turn is not None else image for _, image in candidates]
    others = [image for i, image in enumerate(upright) if i != best]
    for image in others:
        image.thumbnail((_FRAME_SIDE, _FRAME_SIDE))
    return upright[best], others, rotation


def write_frames(out_dir: str, key: str, frames: list[Image.Image]) -> None:
    """The frames besides the poster, as ``frame1.webp``... beside the thumbnails: the
    object stage looks at them too, so a dog seen only mid-clip is still found."""
    for i, image in enumerate(frames, start=1):
        path = os.path.join(out_dir, key[:2], key, f"{FRAME_PREFIX}{i}.webp")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".tmp-", suffix=".webp")
        try:
            with os.fdopen(fd, "wb") as f:
                image.save(f, "WEBP", quality=80, method=0)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise


def read_video(file: IO[bytes]) -> VideoInfo:
    """Facts, tags and a poster frame of the video in the open ``file``."""
    try:
        with av.open(file, "r") as container:
            if not container.streams.video:
                raise ImageError("not a video: no video stream")
            stream = container.streams.video[0]
            stream.thread_type = "AUTO"
            width, height = stream.codec_context.width, stream.codec_context.height
            if width <= 0 or height <= 0 or width * height > MAX_PIXELS:
                raise ImageError(f"corrupt video: frame size {width}x{height}")
            duration_s: float | None = None
            if container.duration:
                duration_s = container.duration / av.time_base
            elif stream.duration and stream.time_base:
                duration_s = float(stream.duration * stream.time_base)
            rate = stream.average_rate or stream.guessed_rate
            fps = float(rate) if rate else None
            codec = stream.codec_context.name
            tags = _tags(container, stream)
            poster, frames, rotation = _poster(container, stream, duration_s)
    except ImageError:
        raise
    except (av.error.FFmpegError, OSError, ValueError) as exc:
        raise ImageError(f"corrupt video: {type(exc).__name__}: {exc}"[:200]) from exc
    if rotation in (90, 270):
        width, height = height, width
    meta = PhotoMetadata(width=width, height=height)
    place = next((p for k in _LOCATION_TAGS if (p := parse_iso6709(tags.get(k)))), None)
    if place is not None:
        meta.latitude, meta.longitude, meta.altitude = place
    when = _taken_at(tags, meta.latitude, meta.longitude)
    if when is not None:
        local, meta.taken_at_offset, meta.taken_at_zone, meta.taken_at_source = when
        meta.taken_at_local = local.isoformat()
    meta.camera_make = tags.get("com.apple.quicktime.make") or None
    meta.camera_model = tags.get("com.apple.quicktime.model") or None
    duration_ms = round(duration_s * 1000) if duration_s is not None else None
    meta.raw = {f"Video.{k}": v[:2000] for k, v in tags.items()}
    meta.raw.update({"Video.Codec": codec, "Video.Rotation": rotation,
                     "Video.DurationMs": duration_ms, "Video.FrameRate": fps})
    meta.raw = {k: v for k, v in meta.raw.items() if v is not None}
    return VideoInfo(duration_ms, fps, codec, rotation, poster, meta, frames)
