"""A video is classified from a few frames: the object stage also looks at the frames beside
the poster, so an object seen only mid-clip is found (real model, real encoded clip)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from skimage import data

from tests.media_samples import make_video
from tests.unit.models_fixture import models_cache_dir
from workers import runner
from workers.classifiers.object import ASSETS
from workers.ingest.pipeline import ingest_file
from workers.ingest.thumbnails import thumbnail_path
from workers.models import install_all
from workers.protocol import ClassifyInput

pytestmark = pytest.mark.slow
KEY = "0f" * 32


def test_objects_from_every_frame_looked_at(tmp_path: Path) -> None:
    report = install_all(models_cache_dir(), assets=ASSETS)
    if not report.ok:
        pytest.fail("model install failed: " + "; ".join(report.lines()))
    models = models_cache_dir()
    cat, coffee = Image.fromarray(data.chelsea()), Image.fromarray(data.coffee())
    # The cat fills the first third of the clip, the cup the rest: whichever frame becomes
    # the poster, the other object is only in a frame beside it.
    clip = make_video(tmp_path / "pets.mp4", (600, 400), seconds=3, fps=10,
                      frames=[cat, coffee, coffee])
    result = ingest_file(str(clip), KEY, str(tmp_path / "thumbs"), [str(tmp_path)])
    assert result.error is None, result.error
    runner.init_worker(str(models), only=["object"])
    preview = thumbnail_path(str(tmp_path / "thumbs"), KEY, "preview")
    output = runner.classify("object", preview, ClassifyInput())
    names = {t.name: t for t in output.tags}
    assert {"cat", "cup"} <= set(names), sorted(names)
    boxed = {name for name, t in names.items() if t.box is not None}
    # Boxes are only drawn for what the poster shows; one of the two is from another frame.
    assert boxed and len({"cat", "cup"} & boxed) == 1
