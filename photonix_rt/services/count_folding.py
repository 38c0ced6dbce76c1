"""Fold the kept counts' pending deltas into their totals now and then (a task the app runs).

Counts are exact without folding (readers add the pending deltas); folding keeps that
pending part short so every count stays a few index reads.

Usage::

    task = asyncio.create_task(run_count_folding(db))
"""

from __future__ import annotations

import asyncio
import logging

from photonix_rt.store import counts
from photonix_rt.store.db import Database

__all__ = ["run_count_folding"]

log = logging.getLogger(__name__)


async def run_count_folding(db: Database, interval_s: float = 2.0,
                            prune_every: int = 300) -> None:
    """Fold every ``interval_s`` seconds, and prune every ``prune_every`` folds, until
    cancelled."""
    rounds = 0
    while True:
        try:
            folded = await counts.fold_count_deltas(db)
            if folded:
                log.debug("folded %d count deltas", folded)
            rounds += 1
            if rounds % prune_every == 0:
                await counts.prune_counts(db)
        except asyncio.CancelledError:
            raise
        except Exception:  # a task boundary: log, try again next round
            log.exception("folding count deltas failed")
        await asyncio.sleep(interval_s)
