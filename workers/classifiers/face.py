"""Face stage: MTCNN detection, dlib 5-point alignment and a 128-d dlib ResNet embedding per face.

MTCNN (PyPI ``mtcnn``, weights in the wheel) runs on the photo shrunk to ~1024 px long side,
because its time grows with pixels. Each face box is aligned with dlib's 5-point landmark
model and embedded by dlib's ResNet (``face-recognition-models`` ships both ``.dat`` files);
Euclidean distance under ~0.6 means the same person. One ``person`` tag per face, unnamed
(name ``""``) until the server groups it; ``extra`` carries the embedding and keypoints.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from PIL import Image

from workers import models
from workers.classifiers.base import BaseClassifier, PhotoInput, TagResult
from workers.models import ModelAsset, PipPackage

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["ASSETS", "DetectedFace", "FaceClassifier", "create", "dlib_model_dir"]

DETECT_SIZE = 1024  # longest side MTCNN sees
LANDMARKS = "shape_predictor_5_face_landmarks.dat"
EMBEDDER = "dlib_face_recognition_resnet_model_v1.dat"

# Both come inside Python distributions the project depends on; checked, never downloaded.
ASSETS: tuple[ModelAsset, ...] = (
    ModelAsset(
        name="mtcnn",
        source=PipPackage(
            "mtcnn", "mtcnn", tuple(f"assets/weights/{n}net.lz4" for n in ("p", "r", "o"))
        ),
        licence="MIT (PyPI mtcnn)",
    ),
    ModelAsset(
        name="dlib-face-models",
        source=PipPackage(
            "face-recognition-models",
            "face_recognition_models",
            (f"models/{LANDMARKS}", f"models/{EMBEDDER}"),
        ),
        licence="MIT (PyPI face-recognition-models); dlib models by Davis King",
    ),
)
MIN_SIDE = 24  # MTCNN's pyramid needs a 12 px start and 20 px faces; smaller images hold none


def dlib_model_dir() -> Path | None:
    """Where ``face-recognition-models`` keeps its ``.dat`` files, without importing it.

    (Its ``__init__`` imports ``pkg_resources``, which new setuptools no longer ships.)
    """
    spec = importlib.util.find_spec("face_recognition_models")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "models"


class DetectedFace:
    """One face: box and keypoints as fractions of the image, MTCNN confidence, embedding."""

    __slots__ = ("box", "confidence", "embedding", "keypoints")

    def __init__(
        self,
        box: tuple[float, float, float, float],
        confidence: float,
        keypoints: dict[str, tuple[float, float]],
        embedding: np.ndarray,
    ) -> None:
        self.box = box
        self.confidence = confidence
        self.keypoints = keypoints
        self.embedding = embedding


class FaceClassifier(BaseClassifier):
    """Finds faces and embeds each one; grouping faces into people is the server's job."""

    name = "face"
    version = "mtcnn-1.0-dlib-resnet-v1-1"

    def __init__(self, *, min_confidence: float = 0.9, dat_dir: Path | None = None) -> None:
        self.min_confidence = min_confidence
        self.dat_dir = dat_dir if dat_dir is not None else dlib_model_dir()
        self._detector: Any = None
        self._landmarks: Any = None
        self._embedder: Any = None

    def unavailable_reason(self) -> str | None:
        # find_spec, not import: the server asks too, and it must never import TensorFlow.
        for package in ("tensorflow", "mtcnn", "dlib"):
            if importlib.util.find_spec(package) is None:
                return f"python package {package!r} is not installed"
        for asset in ASSETS:
            try:
                problem = models.check(Path(), asset.name)  # pip assets ignore the folder
            except KeyError:
                continue  # not in workers.models.ASSETS yet: the file checks below decide
            if problem is not None:
                return f"{asset.name}: {problem}"
        if self.dat_dir is None:
            return "python package 'face-recognition-models' is not installed"
        missing = [f for f in (LANDMARKS, EMBEDDER) if not (self.dat_dir / f).is_file()]
        if missing:
            return f"dlib model files missing in {self.dat_dir}: {', '.join(missing)}"
        return None

    def load(self) -> None:
        import dlib
        from mtcnn import MTCNN  # imports TensorFlow: worker processes only

        if self.dat_dir is None:
            msg = "face-recognition-models is not installed"
            raise RuntimeError(msg)
        self._landmarks = dlib.shape_predictor(str(self.dat_dir / LANDMARKS))
        self._embedder = dlib.face_recognition_model_v1(str(self.dat_dir / EMBEDDER))
        self._detector = MTCNN()
        # The first detection traces MTCNN's networks (~0.5 s): pay it here, not on a photo.
        self._detector.detect_faces(np.zeros((64, 64, 3), np.uint8))

    def detect(self, image: Image.Image) -> list[DetectedFace]:
        """Every face MTCNN finds at ``min_confidence`` or more, with its embedding."""
        if self._detector is None:
            self.load()
        import dlib

        rgb = image if image.mode == "RGB" else image.convert("RGB")
        scale = min(1.0, DETECT_SIZE / max(rgb.size))
        if scale < 1.0:
            size = (max(1, round(rgb.width * scale)), max(1, round(rgb.height * scale)))
            rgb = rgb.resize(size, Image.Resampling.BILINEAR)
        if min(rgb.size) < MIN_SIDE:
            return []
        pixels = np.ascontiguousarray(np.asarray(rgb, dtype=np.uint8))
        width, height = rgb.size
        faces = []
        for found in self._detector.detect_faces(pixels):
            confidence = float(found["confidence"])
            x, y, w, h = (float(v) for v in found["box"])  # np.int64 in, floats out
            if confidence < self.min_confidence or w <= 0 or h <= 0:
                continue
            rect = dlib.rectangle(round(x), round(y), round(x + w), round(y + h))
            shape = self._landmarks(pixels, rect)
            embedding = np.array(self._embedder.compute_face_descriptor(pixels, shape))
            box = (x / width, y / height, w / width, h / height)
            points = {k: (float(px) / width, float(py) / height)
                      for k, (px, py) in found["keypoints"].items()}
            faces.append(DetectedFace(box, confidence, points, embedding))
        return faces

    def classify(self, image: Image.Image, meta: PhotoInput) -> list[TagResult]:
        return [_tag(face) for face in self.detect(image)]


def _round(values: Sequence[float], digits: int = 4) -> list[float]:
    return [round(float(v), digits) for v in values]


def _tag(face: DetectedFace) -> TagResult:
    x, y, w, h = _round(face.box)
    return TagResult(
        name="",  # unnamed until the server puts the face into a person
        type="person",
        confidence=round(face.confidence, 4),
        significance=round(face.confidence * w * h, 4),
        box=(x, y, w, h),
        extra={
            "embedding": [float(v) for v in face.embedding],  # 128 floats, full precision
            "keypoints": {k: _round(p) for k, p in face.keypoints.items()},
        },
    )


def create(models_dir: Path) -> FaceClassifier:
    """Registry factory: cheap, never raises for a missing model (models come from PyPI)."""
    return FaceClassifier()
