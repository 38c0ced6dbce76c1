"""The classifier protocol, its picklable results, and the registry that loads what is available.

A classifier is one tagging stage ('colour', 'location', 'event', 'object', 'face'). Each lives
in its own module under ``workers.classifiers`` that exposes a factory::

    def create(models_dir: Path) -> Classifier: ...

The factory must be cheap and must not raise because a model is missing: it returns an object
whose ``unavailable_reason()`` says what is missing. Heavy work (reading weights, importing
TensorFlow) belongs in ``load()``, which the registry calls once per worker process and only
for available classifiers. Usage in a worker's initializer::

    classifiers = load_classifiers(models_dir)      # logs every unavailable stage
    for c in classifiers:
        tags = c.classify(image, PhotoInput(taken_at_local, latitude, longitude))

To add a stage (the object and face helpers do this): write ``workers/classifiers/<name>.py``
with a ``create`` factory, subclass :class:`BaseClassifier` (override ``name``, ``version``,
``unavailable_reason``, ``load`` and ``classify``), and list the module in
``CLASSIFIER_MODULES``. Model files come from ``workers.models`` (``models.check`` gives the
reason when an asset is not installed). A module that fails to import (for example because
TensorFlow is not installed) is reported as unavailable, not raised.
"""

from __future__ import annotations

import importlib
import logging
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from workers.protocol import ClassifyInput, StageStatus

if TYPE_CHECKING:
    from pathlib import Path

    from PIL import Image

__all__ = [
    "CLASSIFIER_MODULES",
    "TAG_TYPES",
    "BaseClassifier",
    "Classifier",
    "ClassifierStatus",
    "PhotoInput",
    "TagResult",
    "classifier_statuses",
    "load_classifiers",
]

log = logging.getLogger(__name__)

# Stage order: cheap deterministic stages first so a photo gets some tags quickly.
CLASSIFIER_MODULES: tuple[str, ...] = (
    "workers.classifiers.colour",
    "workers.classifiers.location",
    "workers.classifiers.event",
    "workers.classifiers.object",
    "workers.classifiers.face",
)

# TagResult.type values; the server maps them to the GraphQL enum (COLOR, LOCATION, ...).
TAG_TYPES: frozenset[str] = frozenset({"colour", "location", "event", "object", "scene", "person"})


# The picklable shapes the server also sees live in workers.protocol; classifiers know them
# by these names.
PhotoInput = ClassifyInput
ClassifierStatus = StageStatus


@dataclass
class TagResult:
    """One tag found on a photo. Plain data, so it crosses a process boundary."""

    name: str
    type: str  # one of TAG_TYPES
    confidence: float  # 0..1
    significance: float | None = None  # how much of the photo this tag is about, 0..1
    box: tuple[float, float, float, float] | None = None  # x, y, w, h as fractions of the image
    parent: str | None = None  # name of the enclosing tag of the same type (city -> country)
    extra: dict[str, Any] = field(default_factory=dict)  # JSON-safe or numpy-free details

    def __post_init__(self) -> None:
        if self.type not in TAG_TYPES:
            msg = f"unknown tag type {self.type!r}"
            raise ValueError(msg)


@runtime_checkable
class Classifier(Protocol):
    """What the worker runner needs from a stage."""

    name: str
    version: str

    def available(self) -> bool: ...

    def unavailable_reason(self) -> str | None: ...

    def load(self) -> None: ...

    def classify(self, image: Image.Image, meta: PhotoInput) -> list[TagResult]: ...


class BaseClassifier(ABC):
    """Convenience base: subclasses set ``name``/``version`` and implement ``classify``."""

    name: str = ""
    version: str = ""  # bump whenever the output for the same input changes

    def available(self) -> bool:
        return self.unavailable_reason() is None

    def unavailable_reason(self) -> str | None:
        """Override to say what is missing (a model file, a package); None when ready."""
        return None

    def load(self) -> None:  # noqa: B027 - optional hook, deliberately empty
        """Override to read weights once per process; called only when available."""

    @abstractmethod
    def classify(self, image: Image.Image, meta: PhotoInput) -> list[TagResult]:
        """Override to tag an upright RGB image (~1440 px long side)."""


def _create(module_name: str, models_dir: Path) -> tuple[Classifier | None, ClassifierStatus]:
    stage = module_name.rsplit(".", 1)[-1]
    try:
        module = importlib.import_module(module_name)
        classifier: Classifier = module.create(models_dir)
    except Exception as exc:  # noqa: BLE001 - a broken or absent stage must not stop the others
        reason = f"cannot create: {type(exc).__name__}: {exc}"
        return None, ClassifierStatus(stage, None, False, reason)
    reason = classifier.unavailable_reason()
    status = ClassifierStatus(classifier.name, classifier.version, reason is None, reason)
    return classifier, status


def classifier_statuses(models_dir: Path) -> list[ClassifierStatus]:
    """Report every registered stage without loading any model."""
    return [_create(module_name, models_dir)[1] for module_name in CLASSIFIER_MODULES]


def load_classifiers(models_dir: Path, *, only: frozenset[str] | None = None) -> list[Classifier]:
    """Create and load every available stage (or those named in ``only``), in stage order.

    Unavailable stages, and stages whose ``load()`` fails, are logged as warnings and left out.
    """
    loaded: list[Classifier] = []
    for module_name in CLASSIFIER_MODULES:
        if only is not None and module_name.rsplit(".", 1)[-1] not in only:
            continue
        classifier, status = _create(module_name, models_dir)
        if classifier is None or not status.available:
            log.warning("classifier %s unavailable: %s", status.name, status.reason)
            continue
        try:
            classifier.load()
        except Exception:
            log.warning("classifier %s failed to load", status.name, exc_info=True)
            continue
        log.info("classifier %s version %s loaded", classifier.name, classifier.version)
        loaded.append(classifier)
    return loaded
