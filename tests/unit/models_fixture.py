"""Installed model assets for tests, cached across runs in ``PHOTONIX_MODELS_DIR``.

Default cache: ``<repo>/.models`` (git-ignored). Installing is idempotent, so only the first
run downloads and converts. Use from a test module::

    from tests.unit.models_fixture import installed_models

    @pytest.fixture(scope="session")
    def geo_dir() -> Path:
        return installed_models("countries-land-10m", "geonames-places")
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from workers.models import install_all

__all__ = ["installed_models", "models_cache_dir"]

ROOT = Path(__file__).resolve().parents[2]


def models_cache_dir() -> Path:
    return Path(os.environ.get("PHOTONIX_MODELS_DIR", ROOT / ".models")).resolve()


def installed_models(*names: str) -> Path:
    """Install the named assets (all when none are named) and return the models dir.

    Fails the test, rather than skipping it, when an asset cannot be installed: the suite is
    meant to run the real models.
    """
    models_dir = models_cache_dir()
    report = install_all(models_dir, names or None)
    if not report.ok:
        pytest.fail("model install failed: " + "; ".join(report.lines()))
    return models_dir
