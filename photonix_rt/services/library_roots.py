"""A library's folders, links resolved: what worker tasks are told a file must lie inside.

Every task that opens an original (digest, ingest, preview) gets these roots and refuses a
file that leads out of them (``workers.safe_files.open_inside``), so the importer and the job
runner ask here rather than each reading the library's paths their own way.

    roots = await library_roots(db, library_id, fallback=[os.path.dirname(path)])
"""

from __future__ import annotations

import asyncio
from uuid import UUID

from photonix_rt.store import libraries as libraries_store
from photonix_rt.store.db import Queryable
from workers.safe_files import real_roots

__all__ = ["library_roots"]


async def library_roots(db: Queryable, library_id: UUID, fallback: list[str]) -> list[str]:
    """The library's folders with links resolved; ``fallback`` when it has none (a direct
    import of one folder by the CLI or a test)."""
    paths = [lp.path for lp in
             (await libraries_store.paths_of_libraries(db, [library_id]))[0]]
    return await asyncio.to_thread(real_roots, paths or fallback)
