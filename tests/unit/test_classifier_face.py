"""Face stage: MTCNN + dlib embeddings separate the LFW fixture people; odd inputs pass."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import numpy as np
import pytest
from PIL import Image
from skimage import data

from tests.unit.classifier_inputs import fixture_images, tiny_images
from workers.classifiers.base import PhotoInput, TagResult
from workers.classifiers.face import ASSETS, FaceClassifier, create
from workers.models import install_all

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.slow

SAME_PERSON = 0.6  # dlib's standard threshold


@pytest.fixture(scope="module")
def faces(tmp_path_factory: pytest.TempPathFactory) -> FaceClassifier:
    models_dir = tmp_path_factory.mktemp("models")
    report = install_all(models_dir, assets=ASSETS)  # pip assets: checked, not fetched
    assert report.ok, report.lines()
    classifier = create(models_dir)
    assert classifier.unavailable_reason() is None
    classifier.load()
    return classifier


@pytest.fixture(scope="module")
def embeddings(faces: FaceClassifier, fixtures_dir: Path) -> dict[str, np.ndarray]:
    """Fixture file stem -> the embedding of the one face found on it."""
    found = {}
    for path in sorted((fixtures_dir / "photonix" / "faces").glob("*.jpg")):
        with Image.open(path) as image:
            tags = faces.classify(image, PhotoInput())
        assert len(tags) == 1, f"{path.name}: {len(tags)} faces"
        found[path.stem] = np.array(tags[0].extra["embedding"])
    return found


def person(stem: str) -> str:
    return stem.rsplit("_", 1)[0]


def assert_well_formed(tag: TagResult) -> None:
    assert (tag.type, tag.name) == ("person", "")
    assert tag.box is not None
    x, y, w, h = tag.box
    assert 0 <= x <= 1 and 0 <= y <= 1 and 0 < w <= 1 and 0 < h <= 1
    assert len(tag.extra["embedding"]) == 128
    assert set(tag.extra["keypoints"]) == {"left_eye", "right_eye", "nose", "mouth_left",
                                           "mouth_right"}
    json.dumps(tag.extra)  # plain floats, not numpy scalars


@pytest.mark.parametrize("who", ["Boris_Becker", "David_Beckham"])
def test_each_face_matches_its_own_person_only(embeddings: dict[str, np.ndarray], who: str) -> None:
    own = [s for s in embeddings if person(s) == who]
    others = [s for s in embeddings if person(s) != who]
    assert len(own) == 3
    for face in own:
        same = [np.linalg.norm(embeddings[face] - embeddings[o]) for o in own if o != face]
        different = [np.linalg.norm(embeddings[face] - embeddings[o]) for o in others]
        assert max(same) < SAME_PERSON, (face, same)
        assert min(different) > SAME_PERSON, (face, different)
        assert max(same) < min(different)


def test_barbara_becker_matches_neither(embeddings: dict[str, np.ndarray]) -> None:
    barbara = embeddings["Barbara_Becker_0001"]
    for stem, other in embeddings.items():
        if stem != "Barbara_Becker_0001":
            assert np.linalg.norm(barbara - other) > SAME_PERSON, stem


def test_astronaut_face_box_and_keypoints(faces: FaceClassifier) -> None:
    (tag,) = faces.classify(Image.fromarray(data.astronaut()), PhotoInput())
    assert_well_formed(tag)
    assert tag.confidence > 0.99
    x, y, w, h = tag.box or (0, 0, 0, 0)
    # Eileen Collins' face: upper middle-left of the 512x512 picture.
    assert 0.25 < x + w / 2 < 0.55 and 0.1 < y + h / 2 < 0.35
    for px, py in tag.extra["keypoints"].values():
        assert x <= px <= x + w and y <= py <= y + h


def test_large_photo_is_shrunk_but_gives_the_same_face(faces: FaceClassifier) -> None:
    small = Image.fromarray(data.astronaut())
    large = small.resize((2560, 2560), Image.Resampling.LANCZOS)  # MTCNN sees ~1024 px
    (a,) = faces.classify(small, PhotoInput())
    (b,) = faces.classify(large, PhotoInput())
    assert b.box == pytest.approx(a.box, abs=0.02)
    distance = np.linalg.norm(np.array(a.extra["embedding"]) - np.array(b.extra["embedding"]))
    assert distance < 0.25


def test_missing_models_are_unavailable_not_a_crash(tmp_path: Path) -> None:
    classifier = FaceClassifier(dat_dir=tmp_path)
    assert not classifier.available()
    reason = classifier.unavailable_reason() or ""
    assert "shape_predictor_5_face_landmarks.dat" in reason
    assert "dlib_face_recognition_resnet_model_v1.dat" in reason


def test_odd_inputs(faces: FaceClassifier, fixtures_dir: Path) -> None:
    inputs = [*tiny_images(), *fixture_images(fixtures_dir)]
    assert any(name == "photonix/cmyk.tif" for name, _ in inputs)
    found = 0
    for _, image in inputs:
        for tag in faces.classify(image, PhotoInput()):
            assert_well_formed(tag)
            found += 1
    assert found >= 7  # at least the LFW faces
