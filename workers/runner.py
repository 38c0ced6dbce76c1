"""Worker-process side of classification: load the classifiers once, tag photos, face index.

The server's classifier pool starts every process with ``init_worker`` (through
``protocol.run_task("init_classifiers", ...)``) and then submits tasks by name::

    run_task("classify", "object", "/data/thumbnails/ab/abcd/preview.webp", ClassifyInput())
    run_task("face_index_build", "/data/faces/<library>", [1, 2], [[...128...], [...]])
    run_task("face_index_match", "/data/faces/<library>", delta_ids, delta_vectors, queries, 8)

TensorFlow's thread pools are capped before any model loads, so N workers share N cores.
"""

from __future__ import annotations

import glob
import importlib.util
import logging
import os
import signal
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workers.protocol import (
    ClassifyInput,
    ClassifyOutput,
    FaceMatch,
    StageStatus,
    StageTag,
    setup_worker_logging,
)

if TYPE_CHECKING:
    from workers.classifiers.base import Classifier
    from workers.faces.index import FaceIndex

__all__ = [
    "build_face_index",
    "classify",
    "classify_crash_once",
    "classify_slow",
    "init_worker",
    "match_faces",
    "report",
]

log = logging.getLogger(__name__)

# Stages whose models run on TensorFlow: their threads are capped before they load.
_TF_STAGES = frozenset({"object", "face"})


@dataclass
class _WorkerState:
    classifiers: dict[str, Classifier] = field(default_factory=dict)
    statuses: list[StageStatus] = field(default_factory=list)
    indexes: dict[str, FaceIndex] = field(default_factory=dict)


_state = _WorkerState()


def init_worker(models_dir: str, only: list[str] | None = None, tf_threads: int = 1,
                verbose: bool = False, log_format: str = "text") -> None:
    """Pool initializer: load every available classifier once. Never raises.

    (An initializer that raises breaks the whole pool, and every replacement would break too.)
    Unless ``verbose``, workers log warnings only and TensorFlow's C++ start-up chatter is
    silenced (the server prints one summary of what loaded).
    """
    setup_worker_logging(log_format, verbose)
    # Before TensorFlow is imported: quiet C++ logs, one OpenMP thread.
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "0" if verbose else "3")
    os.environ.setdefault("OMP_NUM_THREADS", str(tf_threads))
    try:
        _load(Path(models_dir), frozenset(only) if only is not None else None, tf_threads,
              verbose)
    except Exception as error:
        log.exception("classifier initialisation failed")
        _state.statuses = [StageStatus("*", None, False, f"initialisation failed: {error}")]


def _import_tensorflow_quietly() -> None:
    """Import TensorFlow with file descriptor 2 pointed at /dev/null.

    Its absl/oneDNN start-up lines are written by C++ before any log level applies
    (TF_CPP_MIN_LOG_LEVEL does not reach them). An import error still raises here.
    """
    saved = os.dup(2)
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, 2)
        import tensorflow  # noqa: F401  # only worker processes import TensorFlow
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(null)


def _load(models_dir: Path, only: frozenset[str] | None, tf_threads: int,
          verbose: bool = False) -> None:
    from workers.classifiers.base import classifier_statuses, load_classifiers

    wanted = [s for s in classifier_statuses(models_dir) if only is None or s.name in only]
    if any(s.available and s.name in _TF_STAGES for s in wanted) and importlib.util.find_spec(
            "tensorflow") is not None:
        if not verbose:
            _import_tensorflow_quietly()
        from workers.tfjs.threads import configure_threads

        configure_threads(intra_op=tf_threads, inter_op=tf_threads)
    names = frozenset(s.name for s in wanted)
    loaded = {c.name: c for c in load_classifiers(models_dir, only=names)}
    _state.classifiers = loaded
    statuses = []
    for s in wanted:
        if s.name in loaded:
            statuses.append(StageStatus(s.name, loaded[s.name].version, True, None))
        elif s.available:
            statuses.append(StageStatus(s.name, s.version, False, "model failed to load"))
        else:
            statuses.append(StageStatus(s.name, s.version, False, s.reason))
    _state.statuses = statuses


def report() -> list[StageStatus]:
    """What this process loaded (the server records it for ``classifiers`` in GraphQL)."""
    return list(_state.statuses)


# Stages that also look at a video's other frames (frame1.webp... beside its preview). Faces
# are found on the poster only: their boxes are drawn on it.
_MULTI_FRAME_STAGES = frozenset({"object"})


def _other_frames_tags(classifier: Any, image_path: str, photo: ClassifyInput,
                       found: list[StageTag]) -> list[StageTag]:
    """Tags seen only in a video's other frames (no box: it belongs to another frame)."""
    from PIL import Image

    from workers.classifiers.base import PhotoInput
    from workers.ingest.video import FRAME_PREFIX

    seen = {t.name for t in found}
    extra: dict[str, StageTag] = {}
    for frame_path in sorted(glob.glob(os.path.join(os.path.dirname(image_path),
                                                    f"{FRAME_PREFIX}[0-9]*.webp"))):
        with Image.open(frame_path) as opened:
            image = opened.convert("RGB")
        for t in classifier.classify(
                image, PhotoInput(photo.taken_at_local, photo.latitude, photo.longitude)):
            if t.name in seen or (t.name in extra and extra[t.name].confidence >= t.confidence):
                continue
            extra[t.name] = StageTag(t.name, t.type, float(t.confidence),
                                     None if t.significance is None else float(t.significance),
                                     None, t.parent, {})
    return list(extra.values())


def classify(stage: str, image_path: str, photo: ClassifyInput) -> ClassifyOutput:
    """Run one stage on a photo's preview (upright sRGB, ~1440 px long side)."""
    from PIL import Image

    from workers.classifiers.base import PhotoInput

    classifier = _state.classifiers.get(stage)
    if classifier is None:
        msg = f"classifier {stage!r} is not loaded in this worker"
        raise LookupError(msg)
    started = time.perf_counter()
    with Image.open(image_path) as opened:
        image = opened.convert("RGB")
    found = classifier.classify(
        image, PhotoInput(photo.taken_at_local, photo.latitude, photo.longitude))
    tags = [StageTag(t.name, t.type, float(t.confidence),
                     None if t.significance is None else float(t.significance),
                     None if t.box is None else tuple(float(v) for v in t.box),  # type: ignore[arg-type]
                     t.parent, dict(t.extra)) for t in found]
    if stage in _MULTI_FRAME_STAGES:
        tags += _other_frames_tags(classifier, image_path, photo, tags)
    return ClassifyOutput(stage, classifier.version, tags,
                          (time.perf_counter() - started) * 1000.0, os.getpid())


def classify_crash_once(marker: str, stage: str, image_path: str,
                        photo: ClassifyInput) -> ClassifyOutput:
    """Test only: die by SIGKILL while ``marker`` exists (removing it first), else classify."""
    if os.path.exists(marker):
        os.unlink(marker)
        os.kill(os.getpid(), signal.SIGKILL)
    return classify(stage, image_path, photo)


def classify_slow(seconds: float, stage: str, image_path: str,
                  photo: ClassifyInput) -> ClassifyOutput:
    """Test only: sleep, then classify (a job that is reliably in flight for a while)."""
    time.sleep(seconds)
    return classify(stage, image_path, photo)


# ---- face index ----------------------------------------------------------------------------


def _index(index_dir: str) -> FaceIndex:
    from workers.faces.index import FaceIndex

    index = _state.indexes.get(index_dir)
    if index is None:
        index = _state.indexes[index_dir] = FaceIndex(Path(index_dir))
    return index


def build_face_index(index_dir: str, ids: list[int], vectors: list[list[float]]) -> int:
    """Build a new generation holding exactly these faces; swap it in; return its number."""
    from workers.faces.index import FaceIndex

    index = FaceIndex(Path(index_dir))  # a fresh instance: its own delta is ours alone
    wanted = set(ids)
    for stale in set(index.built_ids()) - wanted:
        index.remove(stale)
    for face_id, vector in zip(ids, vectors, strict=True):
        index.add(face_id, vector)
    return index.rebuild()


def match_faces(index_dir: str, delta_ids: list[int], delta_vectors: list[list[float]],
                queries: list[list[float]], k: int) -> list[list[FaceMatch]]:
    """The k nearest stored faces of each query: the built forest plus an exact delta search."""
    import numpy as np

    from workers.faces.index import brute_force

    index = _index(index_dir)
    index.reload()
    ids = np.asarray(delta_ids, dtype=np.int64)
    dim = len(queries[0]) if queries else index.dim
    vectors = np.asarray(delta_vectors, dtype=np.float32).reshape(len(delta_ids), dim)
    results: list[list[FaceMatch]] = []
    for query in queries:
        q = np.asarray(query, dtype=np.float32)
        found: dict[int, float] = {}
        for n in index.nearest(q, k) + brute_force(ids, vectors, q, k):
            found[n.face_id] = n.distance  # the delta's (current) vector wins
        best = sorted(found.items(), key=lambda item: (item[1], item[0]))[:k]
        results.append([FaceMatch(face_id, distance) for face_id, distance in best])
    return results
