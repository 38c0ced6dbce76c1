"""Object stage: CenterNet from the real npm package on real photos, boxes, odd inputs."""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING

import numpy as np
import pytest
from PIL import Image
from skimage import data

from tests.unit.classifier_inputs import fixture_images, tiny_images
from tests.unit.models_fixture import models_cache_dir
from workers.classifiers.base import PhotoInput, TagResult, load_classifiers
from workers.classifiers.object import (
    ASSETS,
    LABELS,
    ObjectClassifier,
    create,
    nms,
    parse_coco_labels,
)
from workers.models import asset_dir, install_all

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def models_dir() -> Path:
    report = install_all(models_cache_dir(), assets=ASSETS)
    if not report.ok:
        pytest.fail("model install failed: " + "; ".join(report.lines()))
    return models_cache_dir()


@pytest.fixture(scope="module")
def objects(models_dir: Path) -> ObjectClassifier:
    classifier = create(models_dir)
    assert classifier.unavailable_reason() is None
    classifier.load()
    return classifier


def skimage(name: str) -> Image.Image:
    return Image.fromarray(getattr(data, name)())


def assert_well_formed(tag: TagResult) -> None:
    assert tag.type == "object"
    assert 0.3 <= tag.confidence <= 1
    assert tag.box is not None
    x, y, w, h = tag.box
    assert 0 <= x <= 1 and 0 <= y <= 1 and 0 < w <= 1 and 0 < h <= 1
    assert x + w <= 1.0001 and y + h <= 1.0001
    assert tag.significance == pytest.approx(tag.confidence * w * h, abs=1e-3)
    json.dumps([tag.name, tag.confidence, tag.significance, tag.box, tag.extra])


@pytest.mark.parametrize(
    ("image", "label"), [("astronaut", "person"), ("chelsea", "cat"), ("coffee", "cup")]
)
def test_finds_the_main_object(objects: ObjectClassifier, image: str, label: str) -> None:
    tags = objects.classify(skimage(image), PhotoInput())
    assert tags, f"nothing found on {image}"
    for tag in tags:
        assert_well_formed(tag)
    best = max(tags, key=lambda t: t.confidence)
    assert best.name == label


def test_rocket_has_no_confident_object(objects: ObjectClassifier) -> None:
    assert objects.classify(skimage("rocket"), PhotoInput()) == []


@pytest.mark.parametrize("axis", [0, 1])
def test_boxes_are_fractions_of_the_displayed_image(objects: ObjectClassifier, axis: int) -> None:
    coffee = skimage("coffee")  # 600x400; the cup sits in the middle
    (cup,) = [t for t in objects.classify(coffee, PhotoInput()) if t.name == "cup"]
    # The same photo on a black canvas 1.25 times as wide (axis 0) or tall (axis 1), shifted by
    # a fifth of its size: along that axis, in fractions of the canvas, p' = 0.16 + 0.8 p and
    # size' = 0.8 size; the other axis keeps its fractions.
    size = [coffee.width, coffee.height]
    offset = [0, 0]
    offset[axis] = size[axis] // 5
    size[axis] = size[axis] * 5 // 4
    canvas = Image.new("RGB", (size[0], size[1]))
    canvas.paste(coffee, (offset[0], offset[1]))
    (moved,) = [t for t in objects.classify(canvas, PhotoInput()) if t.name == "cup"]
    assert cup.box is not None and moved.box is not None
    other = 1 - axis
    assert moved.box[axis] == pytest.approx(0.16 + 0.8 * cup.box[axis], abs=0.03)
    assert moved.box[axis + 2] == pytest.approx(0.8 * cup.box[axis + 2], abs=0.03)
    assert moved.box[other] == pytest.approx(cup.box[other], abs=0.05)
    assert moved.box[other + 2] == pytest.approx(cup.box[other + 2], abs=0.05)


def test_labels_parsed_at_install(models_dir: Path) -> None:
    labels = json.loads((asset_dir(models_dir, LABELS) / "labels.json").read_text())
    assert len(labels) == 80
    assert (labels[0], labels[15], labels[41], labels[79]) == ("person", "cat", "cup", "toothbrush")
    with pytest.raises(ValueError, match="contiguously"):
        parse_coco_labels("{ class: 1, label: 'person' },\n{ class: 3, label: 'car' }")


def test_nms_keeps_the_best_of_overlapping_boxes() -> None:
    boxes = np.array(
        [[0, 0, 10, 10], [1, 1, 11, 11], [20, 20, 30, 30], [0, 0, 10, 9.9]], np.float32
    )
    scores = np.array([0.5, 0.9, 0.4, 0.3], np.float32)
    assert nms(boxes, scores, iou=0.4, limit=10) == [1, 2]
    assert nms(boxes, scores, iou=0.99, limit=10) == [1, 0, 2, 3]
    assert nms(boxes, scores, iou=0.4, limit=1) == [1]


def test_missing_model_is_unavailable_not_a_crash(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    classifier = create(tmp_path)
    assert not classifier.available()
    assert "centernet" in (classifier.unavailable_reason() or "")
    with caplog.at_level(logging.WARNING):
        assert load_classifiers(tmp_path, only=frozenset({"object"})) == []
    assert "classifier object unavailable" in caplog.text


def test_odd_inputs(objects: ObjectClassifier, fixtures_dir: Path) -> None:
    inputs = [*tiny_images(), *fixture_images(fixtures_dir)]
    assert any(name == "photonix/cmyk.tif" for name, _ in inputs)
    for name, image in inputs:
        for tag in objects.classify(image, PhotoInput()):
            assert_well_formed(tag), name
