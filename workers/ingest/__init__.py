"""Image ingest run in worker processes: hashing, metadata, thumbnails and placeholders.

The server calls :func:`workers.ingest.hashing.digest_file` first and
:func:`workers.ingest.pipeline.ingest_file` only for content it has not seen.
"""

from __future__ import annotations

__all__: list[str] = []
