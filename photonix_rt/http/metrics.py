"""``/metrics``: this process's Prometheus metrics, never for the public.

With ``PHOTONIX_METRICS_TOKEN`` set, a scraper must send ``Authorization: Bearer <token>``
(from anywhere). Without it, only a direct loopback connection is answered: a request that
came through a proxy (it carries ``X-Forwarded-For``, ``X-Real-IP`` or ``Forwarded``) or from
another address is refused. deploy/nginx/photonix-rt.conf does not proxy the path at all.
Prometheus scrapes each server process on its own port (``scrape_configs`` in
deploy/README.md).
"""

from __future__ import annotations

import hmac
import ipaddress

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from photonix_rt.http.base import BaseHandler

__all__ = ["MetricsHandler"]

_FORWARDING = ("X-Forwarded-For", "X-Real-IP", "Forwarded")


def _loopback(address: str | None) -> bool:
    try:
        return address is not None and ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


class MetricsHandler(BaseHandler):
    """The Prometheus text format, for a scraper with the token (or on loopback)."""

    async def prepare(self) -> None:
        # Not a user session: the Authorization header, if any, carries the metrics token.
        pass

    def get(self) -> None:
        token = self.services.config.metrics_token
        if token:
            sent = self.request.headers.get("Authorization", "")
            if not hmac.compare_digest(sent.encode(), f"Bearer {token}".encode()):
                self.set_header("WWW-Authenticate", 'Bearer realm="metrics"')
                self.write_json({"error": "a metrics token is required", "code": "HTTP"}, 401)
                return
        elif (any(h in self.request.headers for h in _FORWARDING)
              or not _loopback(self.request.remote_ip)):
            self.write_json({"error": "metrics are served on loopback only; set "
                                      "PHOTONIX_METRICS_TOKEN to scrape from elsewhere",
                             "code": "HTTP"}, 403)
            return
        self.set_header("Content-Type", CONTENT_TYPE_LATEST)
        self.set_header("Cache-Control", "no-store")
        self.finish(generate_latest())
