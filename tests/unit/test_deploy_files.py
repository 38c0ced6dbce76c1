"""The deploy files agree with each other and with the code (issues 10 and 12).

- A server the README puts behind a reverse proxy listens on loopback and trusts the proxy's
  forwarded address; the nginx upstream points at the ports the units use.
- Every setting the Dockerfile, compose.yaml, the systemd units, the env example and the
  README use is one the code reads, and the container's paths line up (data volume, photo
  mount, allowed roots, health check port).
- ``systemd-analyze verify`` accepts the units; ``docker compose config`` accepts
  compose.yaml (each skipped, with the reason, where the tool is missing).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from photonix_rt.config import load_config

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
UNITS = sorted(DEPLOY.glob("*.service"))
SETTING = re.compile(r"\b(PHOTONIX_[A-Z_]+|DATABASE_URL|REDIS_URL)\b")


def _environment(unit: Path) -> dict[str, str]:
    env = {}
    for line in unit.read_text().splitlines():
        if line.startswith("Environment="):
            name, _, value = line.removeprefix("Environment=").partition("=")
            env[name] = value
    return env


def _compose_environment() -> dict[str, str]:
    """The photonix service's ``environment:`` block of compose.yaml (a small YAML subset)."""
    text = (ROOT / "compose.yaml").read_text()
    block = text.split("  photonix:\n", 1)[1].split("\n    environment:\n", 1)[1]
    env = {}
    for line in block.splitlines():
        if not line.startswith("      "):
            break
        match = re.match(r"\s+([A-Z_]+): (.*)$", line)
        if match:
            env[match.group(1)] = match.group(2).strip().strip('"')
    return env


def _dockerfile_env() -> dict[str, str]:
    text = (ROOT / "Dockerfile").read_text()
    env_block = text.rsplit("\nENV ", 1)[1].split("\nUSER", 1)[0]
    return dict(re.findall(r"([A-Z_]+)=(\S+)", env_block))


def test_server_unit_behind_a_proxy_binds_loopback_and_trusts_it() -> None:
    readme = (DEPLOY / "README.md").read_text()
    for unit in (DEPLOY / "photonix-rt.service", DEPLOY / "photonix-rt@.service"):
        env = _environment(unit)
        assert env.get("PHOTONIX_HOST") in {"127.0.0.1", "::1", "localhost"}, unit
        assert env.get("PHOTONIX_TRUST_PROXY") in {"1", "true", "yes"}, unit
    assert "reverse proxy" in readme
    assert "PHOTONIX_TRUST_PROXY=1" in readme


def test_the_nginx_upstream_is_where_the_units_listen() -> None:
    conf = (DEPLOY / "nginx" / "photonix-rt.conf").read_text()
    upstream = re.search(r"upstream photonix_rt \{(.*?)\}", conf, re.S)
    assert upstream
    ports = re.findall(r"server 127\.0\.0\.1:(\d+);", upstream.group(1))
    assert len(ports) >= 2, "several server processes"
    assert _environment(DEPLOY / "photonix-rt.service")["PHOTONIX_PORT"] in ports
    assert _environment(DEPLOY / "photonix-rt@.service")["PHOTONIX_PORT"] == "%i"
    assert re.search(r"location = /metrics \{\s*return 404;", conf), "metrics stay private"


def test_every_setting_the_deploy_files_use_is_read_by_the_code() -> None:
    code = (ROOT / "photonix_rt" / "config.py").read_text()
    files = [ROOT / "Dockerfile", ROOT / "compose.yaml", DEPLOY / "README.md",
             DEPLOY / "compose.env.example", *UNITS]
    used = {name: f.name for f in files for name in SETTING.findall(f.read_text())}
    assert {"DATABASE_URL", "REDIS_URL", "PHOTONIX_TRUST_PROXY"} <= set(used)
    unknown = {name: where for name, where in used.items() if f'"{name}"' not in code}
    assert unknown == {}, "settings no code reads"


def test_the_containers_paths_and_settings_line_up(tmp_path: Path) -> None:
    docker = _dockerfile_env()
    compose = _compose_environment()
    dockerfile = (ROOT / "Dockerfile").read_text()
    text = (ROOT / "compose.yaml").read_text()
    data_dir = docker["PHOTONIX_DATA_DIR"]
    assert compose["PHOTONIX_DATA_DIR"] == data_dir
    assert f"photonix-data:{data_dir}\n" in text
    assert f"VOLUME {data_dir}" in dockerfile
    assert compose["PHOTONIX_ALLOWED_ROOTS"] == docker["PHOTONIX_ALLOWED_ROOTS"] == "/photos"
    assert ":/photos:ro" in text, "photos are mounted read-only"
    assert '"--photos", "/photos"' in dockerfile
    port = docker["PHOTONIX_PORT"]
    assert f"http://127.0.0.1:{port}/readyz" in dockerfile
    assert f"server photonix:{port};" in text
    assert f"EXPOSE {port}" in dockerfile
    assert "USER photonix" in dockerfile, "not root"
    assert f"{port}:{port}" not in text, "only nginx is published"

    # The service's environment, as the code reads it (compose's ${...} filled in).
    env = {k: re.sub(r"\$\{[^}]*\}", "x", v) for k, v in {**docker, **compose}.items()}
    env["PHOTONIX_METRICS_TOKEN"] = "token"
    config = load_config(env)
    assert config.trust_proxy and config.log_format == "json"
    assert config.data_dir == Path(data_dir) and config.allowed_roots == (Path("/photos"),)
    assert config.database_url and config.database_url.endswith("@postgres:5432/photonix")
    assert config.redis_url == "redis://redis:6379/0" and config.metrics_token == "token"
    assert config.port == int(port) and config.host == "0.0.0.0"


def test_systemd_units_verify(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed")
    units = []
    for unit in UNITS:
        # The install path and env file only exist on a real host: point them at stand-ins.
        text = unit.read_text().replace("/opt/photonix-rt/.venv/bin/photonix-rt", "/bin/true")
        text = text.replace("EnvironmentFile=/", "EnvironmentFile=-/")
        name = unit.name.replace("@.service", "@8080.service")
        (tmp_path / name).write_text(text)
        units.append(str(tmp_path / name))
    done = subprocess.run([analyze, "verify", *units], capture_output=True, text=True,
                          timeout=120, check=False)
    if "Failed to connect to bus" in done.stderr or "System has not been booted" in done.stderr:
        pytest.skip(f"systemd-analyze cannot run here: {done.stderr.strip()[:200]}")
    # It exits 0 on directives it ignores, so any complaint counts.
    assert (done.returncode, done.stderr.strip(), done.stdout.strip()) == (0, "", "")


def test_docker_compose_config_accepts_the_file(tmp_path: Path) -> None:
    docker = shutil.which("docker")
    if docker is None:
        pytest.skip("docker is not installed")
    probe = subprocess.run([docker, "compose", "version"], capture_output=True, text=True,
                           timeout=60, check=False)
    if probe.returncode != 0:
        pytest.skip("the docker compose plugin is not installed")
    env = {"POSTGRES_PASSWORD": "pw", "PHOTOS_DIR": str(tmp_path), "TLS_DIR": str(tmp_path),
           "PATH": "/usr/bin:/bin:/usr/local/bin"}
    done = subprocess.run([docker, "compose", "-f", str(ROOT / "compose.yaml"), "config",
                           "--quiet"], capture_output=True, text=True, timeout=120,
                          check=False, env=env, cwd=ROOT)
    assert done.returncode == 0, done.stderr
