"""A real Debian ``nginx`` running ``deploy/nginx/photonix-rt.conf`` for end-to-end tests.

The deploy file is used as shipped except for what only the test can know: the listen
ports (loopback), the upstream servers (the test's processes) and the certificate paths.
Each substitution must match, so a change to the file that the test no longer covers fails
loudly instead of quietly testing something else. nginx runs in the foreground with its
own prefix, pid file, logs and temp folders under the test's folder. Usage::

    cert, key = make_certificate(tmp)             # self-signed, for 127.0.0.1 / localhost
    proxy = NginxProxy.start(tmp, upstreams=[8080, 8081], cert=cert, key=key)
    await proxy.wait_ready(timeout_s=30)
    ... https://127.0.0.1:{proxy.https_port}/ ...
    proxy.stop()
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import shutil
import signal
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from tests.e2e.serve_process import free_port

__all__ = ["DEPLOY_CONF", "NginxProxy", "make_certificate", "nginx_binary", "site_config"]

DEPLOY_CONF = Path(__file__).resolve().parents[2] / "deploy" / "nginx" / "photonix-rt.conf"


def nginx_binary() -> str | None:
    """Debian's nginx (in /usr/sbin, often not on a non-root PATH), or None."""
    return shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")


def make_certificate(folder: Path) -> tuple[Path, Path]:
    """Blocking: a self-signed certificate and key for 127.0.0.1 and localhost (openssl)."""
    cert, key = folder / "proxy.crt", folder / "proxy.key"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-days", "2", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=60)
    return cert, key


def _substitute(text: str, pattern: str, replacement: str, what: str) -> str:
    new, count = re.subn(pattern, replacement, text, flags=re.MULTILINE)
    assert count, f"deploy/nginx/photonix-rt.conf: no {what} to substitute ({pattern!r})"
    return new


def site_config(*, http_port: int, https_port: int, upstreams: list[int], cert: Path,
                key: Path) -> str:
    """The deploy file with the test's ports, upstream servers and certificate."""
    text = DEPLOY_CONF.read_text()
    text = _substitute(text, r"^\s*listen \[::\]:.*\n", "", "IPv6 listen lines")
    text = _substitute(text, r"listen 80;", f"listen 127.0.0.1:{http_port};", "HTTP listen")
    text = _substitute(text, r"listen 443 ", f"listen 127.0.0.1:{https_port} ", "HTTPS listen")
    servers = "".join(f"    server 127.0.0.1:{port};\n" for port in upstreams)
    text = _substitute(text, r"(?:^    server 127\.0\.0\.1:\d+;\n)+", servers, "upstream servers")
    text = _substitute(text, r"ssl_certificate\s+\S+;", f"ssl_certificate {cert};", "certificate")
    return _substitute(text, r"ssl_certificate_key\s+\S+;", f"ssl_certificate_key {key};",
                       "certificate key")


def _main_config(prefix: Path, site: Path) -> str:
    """What /etc/nginx/nginx.conf provides around a site file, pointed at ``prefix``."""
    # As root, workers would run as 'nobody' and could not enter the test's private temp dirs.
    user = "user root;\n" if os.geteuid() == 0 else ""
    temps = "".join(f"    {kind}_temp_path {prefix / kind};\n"
                    for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return (f"{user}worker_processes 1;\npid {prefix / 'nginx.pid'};\n"
            f"error_log {prefix / 'error.log'} info;\n"
            "events { worker_connections 256; }\n"
            "http {\n"
            f"    access_log {prefix / 'access.log'};\n{temps}"
            f"    include {site};\n"
            "}\n")


@dataclass
class NginxProxy:
    """One foreground nginx; ``stop()`` ends it (SIGQUIT: graceful, then SIGKILL)."""

    process: subprocess.Popen[bytes]
    prefix: Path
    http_port: int
    https_port: int
    _log: IO[bytes]

    @classmethod
    def start(cls, folder: Path, *, upstreams: list[int], cert: Path, key: Path) -> NginxProxy:
        binary = nginx_binary()
        assert binary is not None, "nginx is not installed"
        prefix = folder / "nginx"
        prefix.mkdir()
        http_port, https_port = free_port(), free_port()
        site = prefix / "photonix-rt.conf"
        site.write_text(site_config(http_port=http_port, https_port=https_port,
                                    upstreams=upstreams, cert=cert, key=key))
        main = prefix / "nginx.conf"
        main.write_text(_main_config(prefix, site))
        log = (prefix / "stderr.log").open("wb")
        process = subprocess.Popen(
            [binary, "-p", str(prefix), "-c", str(main), "-e", str(prefix / "error.log"),
             "-g", "daemon off;"],
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True)
        return cls(process, prefix, http_port, https_port, log)

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.https_port}"

    def logs(self) -> str:
        self._log.flush()
        parts = []
        for name in ("stderr.log", "error.log"):
            with contextlib.suppress(OSError):
                parts.append((self.prefix / name).read_text(errors="replace"))
        return "\n".join(parts)

    async def wait_ready(self, timeout_s: float) -> None:
        """Until nginx accepts connections on its HTTPS port; fails if it exits."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout_s
        while True:
            if self.process.poll() is not None:
                raise AssertionError(f"nginx exited {self.process.returncode}:\n{self.logs()}")
            try:
                _, writer = await asyncio.open_connection("127.0.0.1", self.https_port)
            except OSError:
                assert loop.time() < deadline, f"nginx not listening:\n{self.logs()}"
                await asyncio.sleep(0.2)
                continue
            writer.close()
            await writer.wait_closed()
            return

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self._log.close()
