"""Tag names and text words of a photo filter, resolved to tag ids with one query on ``tags``.

A term that names exactly one tag becomes that tag's id: the same photos pass, the planner
sees a plain tag (its statistics, its rare-tag index ranges) and a kept count can answer.
A term that names no tag means no photo can pass, which the caller answers without reading
photos. Terms naming several tags stay as they are.

    resolved = await resolve_tag_terms(db, library_id, PhotoFilter(text_terms=("dog",)))
"""

from __future__ import annotations

from dataclasses import replace
from uuid import UUID

from photonix_rt.store.db import Queryable
from photonix_rt.store.photo_filter import PhotoFilter, like_pattern

__all__ = ["resolve_tag_terms"]


async def resolve_tag_terms(db: Queryable, library_id: UUID,
                            f: PhotoFilter) -> PhotoFilter | None:
    """The filter with single-tag terms as tag ids; None when a term names no tag."""
    if not (f.tag_names or f.text_terms):
        return f
    names = sorted({n.lower() for n in f.tag_names})
    words = list(f.text_terms)
    rows = await db.fetch(
        """
        SELECT q.i, array_agg(t.id) AS ids
        FROM unnest($2::text[], $3::bool[]) WITH ORDINALITY AS q(term, is_word, i)
        JOIN tags t ON t.library_id = $1
         AND CASE WHEN q.is_word THEN t.name ILIKE q.term ESCAPE '\\'
                  ELSE lower(t.name) = q.term AND ($4::text IS NULL OR t.type = $4::text) END
        GROUP BY q.i
        """, library_id, names + [like_pattern(w) for w in words],
        [False] * len(names) + [True] * len(words), f.tag_type)
    found = {int(r["i"]) - 1: r["ids"] for r in rows}
    if len(found) < len(names) + len(words):
        return None
    single = [found[i][0] for i in range(len(found)) if len(found[i]) == 1]
    left_names = tuple(n for i, n in enumerate(names) if len(found[i]) > 1)
    left_words = tuple(w for i, w in enumerate(words) if len(found[len(names) + i]) > 1)
    return replace(
        f, tag_ids=tuple(dict.fromkeys(f.tag_ids + tuple(single))), tag_names=left_names,
        text_terms=left_words,
        # With names, the type only chose which tags they name; without, it is a filter.
        tag_type=None if f.tag_names and not left_names else f.tag_type)
