"""One library's face-embedding index: an Annoy forest on disk plus an exact search over the delta.

Faces added since the last build live in memory (the *delta*) and are searched by brute force,
so a new face matches at once; removed or replaced faces are hidden in the built part.
A rebuild snapshots every live face, builds a new forest in the background (Annoy releases the
GIL), writes it under a new generation number and swaps it in atomically: the file ``current``
names the generation and is replaced with ``os.replace``; other processes pick the new one up
with :meth:`FaceIndex.reload`. Annoy's candidates are re-ranked with the exact stored vectors.

    index = FaceIndex(data_dir / "faces" / str(library_id))
    index.add(face_id, embedding)
    index.nearest(embedding, k=5)          # [Neighbour(face_id, distance), ...], nearest first
    if index.needs_rebuild():
        index.rebuild_in_background()
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from annoy import AnnoyIndex

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

__all__ = ["FaceIndex", "Neighbour", "brute_force"]

log = logging.getLogger(__name__)

POINTER = "current"  # JSON {"generation": n}: the one file whose replacement swaps builds


@dataclass(frozen=True, order=True)
class Neighbour:
    """A face near the query, with its exact Euclidean distance."""

    distance: float
    face_id: int


def brute_force(
    ids: np.ndarray, vectors: np.ndarray, query: np.ndarray, k: int
) -> list[Neighbour]:
    """Exact k nearest by Euclidean distance; ties broken by face id."""
    if len(ids) == 0 or k <= 0:
        return []
    distances = np.linalg.norm(vectors.astype(np.float64) - query.astype(np.float64), axis=1)
    order = np.lexsort((ids, distances))[:k]
    return [Neighbour(float(distances[i]), int(ids[i])) for i in order]


@dataclass
class _Built:
    """One generation on disk: the Annoy forest and the exact vectors it was built from."""

    generation: int
    ids: np.ndarray  # int64, Annoy item i is face ids[i]
    vectors: np.ndarray  # float32 [n, dim]
    forest: AnnoyIndex | None
    positions: dict[int, int]  # face id -> row


def _empty(dim: int) -> _Built:
    return _Built(0, np.zeros(0, np.int64), np.zeros((0, dim), np.float32), None, {})


class FaceIndex:
    """Nearest faces of one library; thread-safe.

    Exactly one process should call :meth:`rebuild` for a library (generation numbers would
    collide otherwise); any number may :meth:`reload` and query.
    """

    def __init__(
        self,
        directory: Path,
        *,
        dim: int = 128,
        n_trees: int = 50,
        search_k_factor: int = 32,
        rebuild_after: int = 256,
    ) -> None:
        self.directory = directory
        self.dim = dim
        self.n_trees = n_trees
        self.search_k_factor = search_k_factor
        self.rebuild_after = rebuild_after
        self._lock = threading.Lock()
        self._seq = 0  # bumps on every change, so a rebuild knows what came after its snapshot
        self._delta: dict[int, tuple[int, np.ndarray]] = {}  # face id -> (seq, vector)
        self._masked: dict[int, int] = {}  # removed face id -> seq of the removal
        self._built = _empty(dim)
        self._builder: threading.Thread | None = None
        self._build_lock = threading.Lock()  # one build at a time: generations must not collide
        directory.mkdir(parents=True, exist_ok=True)
        self.reload()

    # -- changes ---------------------------------------------------------------------------

    def add(self, face_id: int, embedding: Iterable[float]) -> None:
        """Add or replace a face; it is searchable immediately (exactly, from the delta)."""
        vector = np.asarray(embedding, dtype=np.float32).reshape(-1)
        if vector.shape != (self.dim,):
            msg = f"embedding has {vector.size} values, index wants {self.dim}"
            raise ValueError(msg)
        with self._lock:
            self._seq += 1
            self._delta[face_id] = (self._seq, vector)  # hides any built copy
            self._masked.pop(face_id, None)

    def remove(self, face_id: int) -> None:
        """Forget a face (rejected, or its photo deleted)."""
        with self._lock:
            self._seq += 1
            self._delta.pop(face_id, None)
            # A tombstone even when not built yet: a running rebuild may have snapshotted it.
            self._masked[face_id] = self._seq

    # -- queries ---------------------------------------------------------------------------

    def __len__(self) -> int:
        with self._lock:
            hidden = self._masked.keys() | self._delta.keys()
            return len(self._built.positions.keys() - hidden) + len(self._delta)

    @property
    def generation(self) -> int:
        """The built generation this instance searches (0: none built yet)."""
        return self._built.generation

    def built_ids(self) -> list[int]:
        """Face ids stored in the built forest, including ones hidden by later changes."""
        with self._lock:
            return self._built.ids.tolist()

    @property
    def delta_size(self) -> int:
        """Changes not yet in the built forest (added, replaced or removed faces)."""
        with self._lock:
            return len(self._delta) + len(self._masked)

    def needs_rebuild(self) -> bool:
        return self.delta_size >= self.rebuild_after

    def nearest(self, query: Iterable[float], k: int) -> list[Neighbour]:
        """The k nearest live faces by exact Euclidean distance, nearest first."""
        q = np.asarray(query, dtype=np.float32).reshape(-1)
        with self._lock:
            built = self._built
            hidden = set(self._masked) | set(self._delta)  # the delta's copy wins
            delta_ids = np.fromiter(self._delta, np.int64, len(self._delta))
            delta_vectors = np.array([v for _, v in self._delta.values()], np.float32)
        found = brute_force(delta_ids, delta_vectors.reshape(-1, self.dim), q, k)
        if built.forest is not None and k > 0:
            # Over-fetch so masked faces cannot push live ones out, then re-rank exactly.
            wanted = max(4 * k, 32)
            want = min(len(built.ids), wanted + len(hidden))
            rows = built.forest.get_nns_by_vector(
                q.tolist(), want, search_k=self.n_trees * wanted * self.search_k_factor
            )
            rows = [r for r in rows if int(built.ids[r]) not in hidden]
            found += brute_force(built.ids[rows], built.vectors[rows], q, k)
        return sorted(found)[:k]

    # -- builds ----------------------------------------------------------------------------

    def rebuild(self) -> int:
        """Build a forest over every live face, swap it in, return its generation."""
        with self._build_lock:
            return self._rebuild()

    def _rebuild(self) -> int:
        with self._lock:
            snapshot_seq = self._seq
            built = self._built
            keep = [i for i, f in enumerate(built.ids.tolist())
                    if f not in self._masked and f not in self._delta]
            delta_ids = list(self._delta)
            ids = np.concatenate([built.ids[keep], np.array(delta_ids, np.int64)])
            vectors = np.concatenate(
                [built.vectors[keep], np.array([self._delta[f][1] for f in delta_ids],
                                               np.float32).reshape(-1, self.dim)]
            )
            generation = max(built.generation, self._disk_generation()) + 1
        self._write(generation, ids, vectors)
        opened = self._open(generation)
        with self._lock:
            self._swap(opened)
            # Keep only changes made while the forest was being built.
            self._delta = {f: sv for f, sv in self._delta.items() if sv[0] > snapshot_seq}
            self._masked = {f: s for f, s in self._masked.items() if s > snapshot_seq}
        self._remove_old(generation)
        log.info("face index %s: generation %s with %s faces", self.directory, generation, len(ids))
        return generation

    def rebuild_in_background(self) -> threading.Thread:
        """Start :meth:`rebuild` in a thread unless one is running; return that thread."""
        with self._lock:
            if self._builder is not None and self._builder.is_alive():
                return self._builder
            self._builder = threading.Thread(
                target=self._rebuild_logged, name=f"face-index-{self.directory.name}", daemon=True
            )
            self._builder.start()
            return self._builder

    def _rebuild_logged(self) -> None:
        try:
            self.rebuild()
        except Exception:
            log.exception("face index %s: background rebuild failed", self.directory)

    def reload(self) -> bool:
        """Pick up a newer generation written by another process; True when one was loaded.

        The delta is kept: a face added here and also in the new build is found either way.
        """
        generation = self._disk_generation()
        if generation <= self._built.generation:
            return False
        opened = self._open(generation)
        with self._lock:
            self._swap(opened)
            self._masked = {f: s for f, s in self._masked.items() if f in opened.positions}
        return True

    # -- files -----------------------------------------------------------------------------

    def _paths(self, generation: int) -> tuple[Path, Path]:
        stem = self.directory / f"faces-{generation}"
        return stem.with_suffix(".ann"), stem.with_suffix(".npz")

    def _disk_generation(self) -> int:
        try:
            return int(json.loads((self.directory / POINTER).read_text())["generation"])
        except FileNotFoundError:
            return 0

    def _replace_atomically(self, target: Path, write: Callable[[str], object]) -> None:
        fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=f".{target.name}.")
        os.close(fd)
        try:
            write(tmp)
            os.replace(tmp, target)
        except BaseException:
            os.unlink(tmp)
            raise

    def _write(self, generation: int, ids: np.ndarray, vectors: np.ndarray) -> None:
        ann_path, npz_path = self._paths(generation)
        forest = AnnoyIndex(self.dim, "euclidean")
        forest.set_seed(generation)  # reproducible forests: same faces, same answers
        for row, vector in enumerate(vectors):
            forest.add_item(row, vector.tolist())
        forest.build(self.n_trees, n_jobs=1)  # releases the GIL; one job leaves cores to workers
        self._replace_atomically(ann_path, forest.save)
        forest.unload()

        def write_npz(tmp: str) -> None:
            with open(tmp, "wb") as f:
                np.savez(f, ids=ids, vectors=vectors)

        self._replace_atomically(npz_path, write_npz)
        # The swap: readers follow ``current``, which names a generation whose files exist.
        pointer = json.dumps({"generation": generation})
        self._replace_atomically(
            self.directory / POINTER, lambda tmp: Path(tmp).write_text(pointer)
        )

    def _open(self, generation: int) -> _Built:
        ann_path, npz_path = self._paths(generation)
        with np.load(npz_path) as data:
            ids, vectors = data["ids"].astype(np.int64), data["vectors"].astype(np.float32)
        forest = None
        if len(ids):
            forest = AnnoyIndex(self.dim, "euclidean")
            forest.load(str(ann_path))  # mmap: cheap, shared between processes
        positions = {int(f): i for i, f in enumerate(ids.tolist())}
        return _Built(generation, ids, vectors, forest, positions)

    def _swap(self, new: _Built) -> None:
        # No unload() of the old forest: a query may still hold it; refcounting frees it.
        self._built = new

    def _remove_old(self, keep: int) -> None:
        for path in self.directory.glob("faces-*.*"):
            generation = path.stem.removeprefix("faces-")
            if generation.isdigit() and int(generation) < keep:
                path.unlink(missing_ok=True)  # readers with it mmapped keep their copy (POSIX)
