"""The deploy files agree with each other: a server the README puts behind a reverse proxy
listens on loopback and trusts the proxy's forwarded address (issue 10: 10)."""

from __future__ import annotations

from pathlib import Path

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def _environment(unit: Path) -> dict[str, str]:
    env = {}
    for line in unit.read_text().splitlines():
        if line.startswith("Environment="):
            name, _, value = line.removeprefix("Environment=").partition("=")
            env[name] = value
    return env


def test_server_unit_behind_a_proxy_binds_loopback_and_trusts_it() -> None:
    readme = (DEPLOY / "README.md").read_text()
    env = _environment(DEPLOY / "photonix-rt.service")
    assert "reverse proxy" in readme
    assert env.get("PHOTONIX_HOST") in {"127.0.0.1", "::1", "localhost"}
    assert env.get("PHOTONIX_TRUST_PROXY") in {"1", "true", "yes"}
    assert "PHOTONIX_TRUST_PROXY=1" in readme
