"""The web app's own checks, run by the suite so CI counts them: Vitest's unit tests,
svelte-check, and a test that the committed generated GraphQL types match the schema.

Skipped with a reason when Node.js/npm are missing; `npm ci` runs once if web/node_modules
is absent."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

WEB = Path(__file__).resolve().parent.parent / "web"


@pytest.fixture(scope="module")
def web() -> Path:
    if shutil.which("npm") is None or shutil.which("node") is None:
        pytest.skip("Node.js and npm are needed for the web app's tests")
    if not (WEB / "node_modules").is_dir():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=WEB, check=True,
                       capture_output=True, timeout=600)
    return WEB


def test_vitest_unit_tests_pass(web: Path, tmp_path: Path) -> None:
    report = tmp_path / "vitest.json"
    run = subprocess.run(["npx", "vitest", "run", "--reporter=json",
                          f"--outputFile={report}"], cwd=web, capture_output=True, text=True,
                         timeout=600)
    results = json.loads(report.read_text())
    failed = [t["fullName"] for f in results["testResults"] for t in f["assertionResults"]
              if t["status"] == "failed"]
    assert run.returncode == 0 and not failed, run.stdout[-4000:] + run.stderr[-4000:]
    assert results["numPassedTests"] > 0
    print(f"vitest: {results['numPassedTests']} passed, {results['numFailedTests']} failed")


def test_svelte_check_is_clean(web: Path) -> None:
    run = subprocess.run(["npm", "run", "check"], cwd=web, capture_output=True, text=True,
                         timeout=600)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]


def test_generated_graphql_types_match_the_schema(web: Path, tmp_path: Path) -> None:
    """Codegen into a copy and compare: a schema or operation change needs `npm run codegen`."""
    generated = web / "src" / "lib" / "api" / "gql"
    before = {p.name: p.read_bytes() for p in generated.iterdir()}
    try:
        run = subprocess.run(["npx", "graphql-codegen", "--config", "codegen.ts"], cwd=web,
                             capture_output=True, text=True, timeout=600)
        assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
        after = {p.name: p.read_bytes() for p in generated.iterdir()}
    finally:
        for name, content in before.items():  # leave the working tree as it was
            (generated / name).write_bytes(content)
    drifted = sorted(n for n in after.keys() | before.keys() if after.get(n) != before.get(n))
    assert not drifted, f"run `npm run codegen` in web/: {drifted} differ from the schema"
