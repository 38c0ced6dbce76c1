"""Images derived from a photo's existing thumbnails: face crops and rotated thumbnail sets.

Both read only files under the thumbnails folder (never an original) and write with the
thumbnails' own temporary-file-and-rename, so a reader never sees half an image.

    face_crop("/data/thumbs", key, "face-12-ab12", [0.4, 0.2, 0.2, 0.3])
    placeholder = rotate_thumbnails("/data/thumbs", key, key + "-r90", 90)
"""

from __future__ import annotations

import os

from PIL import Image

from workers.ingest.thumbhash import thumbhash_of_image
from workers.ingest.thumbnails import save_webp, thumbnail_path
from workers.protocol import THUMBNAIL_SIZES

__all__ = ["FACE_CROP_SIDE", "face_crop", "rotate_thumbnails"]

FACE_CROP_SIDE = 256
_MARGIN = 0.35  # of the face's larger side, on every side: some hair and chin
_ROTATE = {90: Image.Transpose.ROTATE_270, 180: Image.Transpose.ROTATE_180,
           270: Image.Transpose.ROTATE_90}  # clockwise degrees -> Pillow's counter-clockwise


def face_crop(thumbnails_dir: str, key: str, name: str, box: list[float]) -> tuple[str, bool]:
    """Cut a square around ``box`` (fractions x, y, w, h of the displayed image) from the
    photo's preview into ``<key folder>/<name>.webp``: (its path, True). While the preview
    is not made yet, the crop comes from the grid image as ``<name>-grid.webp``: (path,
    False), and is not to be cached for long."""
    preview = thumbnail_path(thumbnails_dir, key, "preview")
    from_preview = os.path.isfile(preview)
    source = preview if from_preview else thumbnail_path(thumbnails_dir, key, "grid")
    out = thumbnail_path(thumbnails_dir, key, name if from_preview else f"{name}-grid")
    if os.path.isfile(out):
        return out, from_preview
    with Image.open(source) as image:
        image.load()
        width, height = image.size
        x, y, w, h = (box[0] * width, box[1] * height, box[2] * width, box[3] * height)
        side = max(w, h) * (1 + 2 * _MARGIN)
        side = max(1.0, min(side, float(width), float(height)))
        left = min(max(0.0, x + w / 2 - side / 2), width - side)
        top = min(max(0.0, y + h / 2 - side / 2), height - side)
        crop = image.crop((round(left), round(top), round(left + side), round(top + side)))
        if max(crop.size) > FACE_CROP_SIDE:
            crop = crop.resize((FACE_CROP_SIDE, FACE_CROP_SIDE), Image.Resampling.LANCZOS)
        save_webp(crop.convert("RGB"), out, 4)
    return out, from_preview


def rotate_thumbnails(thumbnails_dir: str, base_key: str, new_key: str, degrees: int) -> str:
    """Write every thumbnail of ``base_key`` turned ``degrees`` clockwise under ``new_key``
    (from the unrotated set each time, so turning again loses nothing more); returns the
    new ThumbHash placeholder."""
    placeholder = ""
    for name, _side in sorted(THUMBNAIL_SIZES.items(), key=lambda item: -item[1]):
        source = thumbnail_path(thumbnails_dir, base_key, name)
        if not os.path.isfile(source):
            continue
        with Image.open(source) as image:
            image.load()
            turned = image.transpose(_ROTATE[degrees]) if degrees else image.copy()
        if new_key != base_key:  # back to 0: the unrotated set is already there
            save_webp(turned, thumbnail_path(thumbnails_dir, new_key, name), 4)
        placeholder = thumbhash_of_image(turned)
    return placeholder
