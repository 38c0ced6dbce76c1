"""Tagging stages run in worker processes; see ``base`` for the protocol and the registry."""

from __future__ import annotations

from workers.classifiers.base import (
    Classifier,
    ClassifierStatus,
    PhotoInput,
    TagResult,
    classifier_statuses,
    load_classifiers,
)

__all__ = [
    "Classifier",
    "ClassifierStatus",
    "PhotoInput",
    "TagResult",
    "classifier_statuses",
    "load_classifiers",
]
