"""The architecture's one-way imports, checked by parsing every module (STYLE.md rules)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"), str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def _module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


def _violations(package: str, rule: callable) -> list[str]:  # type: ignore[valid-type]
    found = []
    for path in _modules(package):
        for name in sorted(_imports(path)):
            reason = rule(_module_name(path), name)
            if reason:
                found.append(f"{_module_name(path)} imports {name}: {reason}")
    return found


def _server_rule(module: str, name: str) -> str | None:
    top = name.split(".")[0]
    # workers.safe_files is plain stdlib: the media route and the workers must apply the
    # same "is this file really inside the library?" check when they open a file.
    if top == "workers" and not name.startswith(("workers.protocol", "workers.safe_files")):
        return "the server may import only workers.protocol and workers.safe_files"
    if top in {"tensorflow", "keras", "mtcnn", "dlib", "annoy", "cv2"}:
        return "heavy ML libraries belong in worker processes"
    if name.startswith("photonix_rt.app") and module not in {
            "photonix_rt.cli", "photonix_rt.worker_main"}:
        return "only the entry points import app"
    layer = module.split(".")[1] if module.count(".") else ""
    if layer == "store" and name.startswith(("photonix_rt.services", "photonix_rt.graphql",
                                             "photonix_rt.http")):
        return "store never imports upper layers"
    if layer == "graphql" and (name.startswith("photonix_rt.store") or top in {"asyncpg",
                                                                             "redis"}):
        return "resolvers go through services"
    if layer == "services" and name.startswith(("photonix_rt.http", "photonix_rt.graphql")):
        return "services never import handlers or resolvers"
    if layer == "watcher" and name.startswith("photonix_rt.store"):
        return "the watcher goes through services"
    if top == "tornado" and layer in {"store", "services", "events", "watcher"}:
        return "only http/ and app wiring use Tornado"
    return None


def _worker_rule(_module: str, name: str) -> str | None:
    top = name.split(".")[0]
    if top in {"photonix_rt", "tornado", "asyncpg", "redis"}:
        return "workers are plain processes: no server, web or database imports"
    return None


@pytest.mark.parametrize(("package", "rule"), [("photonix_rt", _server_rule),
                                               ("workers", _worker_rule)])
def test_imports_go_one_way(package: str, rule: callable) -> None:  # type: ignore[valid-type]
    assert _modules(package), f"no modules found in {package}"
    assert _violations(package, rule) == []


def test_sql_lives_in_store() -> None:
    """Statements appear only in photonix_rt/store (tests and migrations aside)."""
    keywords = ("SELECT ", "INSERT INTO", "UPDATE ", "DELETE FROM")
    offenders = []
    for path in _modules("photonix_rt"):
        if "store" in path.relative_to(ROOT).parts:
            continue
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                text = node.value.upper()
                if any(k in text for k in keywords) and (" FROM " in text or "INTO" in text
                                                         or " SET " in text):
                    offenders.append(f"{_module_name(path)}:{node.lineno}")
    assert offenders == []
