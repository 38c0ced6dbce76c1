"""FaceIndex: Annoy forest + exact delta must give exactly what a brute-force search gives."""

from __future__ import annotations

import zlib
from typing import TYPE_CHECKING

import numpy as np
import pytest

from workers.faces.index import FaceIndex

if TYPE_CHECKING:
    from pathlib import Path

DIM = 128
PEOPLE = 2500
FACES_EACH = 8
# dlib-like geometry: the same person ~0.48 apart, different people ~0.9 apart.
CENTRE_SCALE = 0.6 / np.sqrt(DIM)
NOISE = 0.33 / np.sqrt(DIM)


class Library:
    """Random face embeddings grouped into people, plus the live set a brute force searches."""

    def __init__(self, seed: int) -> None:
        self.rng = np.random.default_rng(seed)
        self.centres = self.rng.normal(size=(PEOPLE, DIM)) * CENTRE_SCALE
        self.live: dict[int, np.ndarray] = {}

    def face(self) -> np.ndarray:
        centre = self.centres[self.rng.integers(PEOPLE)]
        return (centre + self.rng.normal(size=DIM) * NOISE).astype(np.float32)

    def expected(self, query: np.ndarray, k: int) -> list[tuple[int, float]]:
        ids = np.array(list(self.live))
        vectors = np.array(list(self.live.values()), np.float64)
        distances = np.sqrt(((vectors - query.astype(np.float64)) ** 2).sum(axis=1))
        order = np.argsort(distances, kind="stable")[:k]
        return [(int(ids[i]), float(distances[i])) for i in order]


def add(index: FaceIndex, lib: Library, face_id: int, vector: np.ndarray | None = None) -> None:
    vector = lib.face() if vector is None else vector
    index.add(face_id, vector)
    lib.live[face_id] = vector


def remove(index: FaceIndex, lib: Library, face_id: int) -> None:
    index.remove(face_id)
    lib.live.pop(face_id)


def assert_matches_brute_force(index: FaceIndex, lib: Library, queries: int = 100) -> None:
    # k up to 5: matching a face to a person needs a few neighbours. Annoy is approximate: the
    # default search_k makes the re-ranked candidates hold the true top k for ~999 queries in
    # 1,000 (measured at k=5 on this data), so a rare miss is allowed, never a wrong answer:
    # every face returned is live, at its exact distance (a replaced face's old copy would
    # not be), in order. More than 2% misses means the tuning broke.
    for k in (1, 3, 5):
        misses = 0
        for _ in range(queries):
            query = lib.face()
            got = index.nearest(query, k)
            want = lib.expected(query, k)
            assert len(got) == len(want)
            for neighbour in got:
                assert neighbour.face_id in lib.live, neighbour
                exact = np.sqrt(((lib.live[neighbour.face_id].astype(np.float64)
                                  - query.astype(np.float64)) ** 2).sum())
                assert neighbour.distance == pytest.approx(exact, rel=1e-6)
            distances = [n.distance for n in got]
            assert distances == sorted(distances)
            misses += [n.face_id for n in got] != [face_id for face_id, _ in want]
        assert misses <= max(1, queries // 50), f"{misses} of {queries} queries missed at k={k}"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Library]:
    """A library of 20,000 faces built once into generation 1."""
    directory = tmp_path_factory.mktemp("faces")
    lib = Library(seed=7)
    index = FaceIndex(directory)
    for face_id in range(PEOPLE * FACES_EACH):
        add(index, lib, face_id)
    assert index.rebuild() == 1
    return directory, lib


def fresh(built: tuple[Path, Library], tmp_path: Path) -> tuple[FaceIndex, Library]:
    """A private copy of the built library (tests change it)."""
    source, lib = built
    for path in source.iterdir():
        (tmp_path / path.name).write_bytes(path.read_bytes())
    copy = Library(seed=zlib.crc32(tmp_path.name.encode()))  # per test, same everywhere
    copy.centres, copy.live = lib.centres, dict(lib.live)
    return FaceIndex(tmp_path), copy


def test_built_index_equals_brute_force(built: tuple[Path, Library], tmp_path: Path) -> None:
    index, lib = fresh(built, tmp_path)
    assert len(index) == len(lib.live)
    assert index.delta_size == 0
    assert_matches_brute_force(index, lib)


def test_delta_with_additions_replacements_and_removals(
    built: tuple[Path, Library], tmp_path: Path
) -> None:
    index, lib = fresh(built, tmp_path)
    for face_id in range(100_000, 100_200):  # new faces, searched exactly from the delta
        add(index, lib, face_id)
    for face_id in lib.rng.choice(PEOPLE * FACES_EACH, 100, replace=False).tolist():
        add(index, lib, face_id)  # replaced: the built copy must no longer be returned
    for face_id in lib.rng.choice(PEOPLE * FACES_EACH, 100, replace=False).tolist():
        if face_id in lib.live:
            remove(index, lib, face_id)
    remove(index, lib, 100_000)  # removed while only in the delta
    assert len(index) == len(lib.live)
    assert_matches_brute_force(index, lib)
    index.rebuild()
    assert index.delta_size == 0
    assert len(index) == len(lib.live)
    assert_matches_brute_force(index, lib)


def test_new_face_matches_immediately(built: tuple[Path, Library], tmp_path: Path) -> None:
    index, lib = fresh(built, tmp_path)
    query = lib.face()
    add(index, lib, 555_555, query + np.float32(1e-3))
    nearest = index.nearest(query, 1)
    assert nearest[0].face_id == 555_555
    assert nearest[0].distance == pytest.approx(1e-3 * np.sqrt(DIM), rel=1e-3)


def test_changes_during_background_rebuild_survive_the_swap(
    built: tuple[Path, Library], tmp_path: Path
) -> None:
    index, lib = fresh(built, tmp_path)
    for face_id in range(200_000, 200_050):
        add(index, lib, face_id)
    thread = index.rebuild_in_background()
    # While it builds: new faces, and removal of faces the running build has snapshotted.
    for face_id in range(300_000, 300_050):
        add(index, lib, face_id)
    removed = {face_id: lib.live[face_id] for face_id in range(200_000, 200_010)}
    for face_id in removed:
        remove(index, lib, face_id)
    thread.join(timeout=60)
    assert not thread.is_alive()
    assert len(index) == len(lib.live)
    assert_matches_brute_force(index, lib, queries=50)
    for face_id, vector in removed.items():
        assert index.nearest(vector, 1)[0].face_id != face_id
    index.rebuild()
    assert index.delta_size == 0
    assert len(index) == len(lib.live)


def test_swap_is_atomic_and_other_processes_reload(
    built: tuple[Path, Library], tmp_path: Path
) -> None:
    writer, lib = fresh(built, tmp_path)
    reader = FaceIndex(tmp_path)
    generation = writer.rebuild()
    assert generation == 2
    names = sorted(p.name for p in tmp_path.iterdir())
    # Only the current generation and its pointer remain; no temporary files.
    assert names == ["current", "faces-2.ann", "faces-2.npz"]
    add(writer, lib, 400_000)
    writer.rebuild()
    assert reader.generation == 1  # still the one it opened
    assert reader.reload() is True
    assert reader.generation == 3
    assert sorted(reader.built_ids()) == sorted(lib.live)
    assert reader.reload() is False
    assert len(reader) == len(lib.live)
    assert_matches_brute_force(reader, lib, queries=50)


def test_rejects_embeddings_of_the_wrong_size(tmp_path: Path) -> None:
    index = FaceIndex(tmp_path)
    with pytest.raises(ValueError, match="128"):
        index.add(1, np.zeros(64))
    assert index.nearest(np.zeros(DIM), 5) == []
