"""Tag names and text words resolved to tag ids: the same photos, fewer terms to probe."""

from __future__ import annotations

from photonix_rt.store import model_tags
from photonix_rt.store.db import Database
from photonix_rt.store.photo_filter import PhotoFilter
from photonix_rt.store.tag_terms import resolve_tag_terms


async def test_terms_naming_one_tag_become_its_id(db: Database) -> None:
    library = await db.fetchval("INSERT INTO libraries (name) VALUES ('terms') RETURNING id")
    tree = await model_tags.ensure_tag(db, library, "tree", "object", None)
    tree_place = await model_tags.ensure_tag(db, library, "Tree", "location", None)
    street = await model_tags.ensure_tag(db, library, "street", "object", None)
    other = await db.fetchval("INSERT INTO libraries (name) VALUES ('other') RETURNING id")
    await model_tags.ensure_tag(db, other, "streetcar", "object", None)

    async def resolve(f: PhotoFilter) -> PhotoFilter | None:
        return await resolve_tag_terms(db, library, f)

    assert await resolve(PhotoFilter(min_rating=2)) == PhotoFilter(min_rating=2)
    assert await resolve(PhotoFilter(tag_names=("TREE",), tag_type="location")) == \
        PhotoFilter(tag_ids=(tree_place,))
    # Two tags are called "tree": the name stays, and so does the type it is read with.
    assert await resolve(PhotoFilter(tag_names=("Tree", "street"), tag_type=None)) == \
        PhotoFilter(tag_ids=(street,), tag_names=("tree",))
    # Words: "stree" names one tag here (the other library's streetcar does not count).
    assert await resolve(PhotoFilter(text_terms=("stree", "ree"), tag_type="object")) == \
        PhotoFilter(tag_ids=(street,), text_terms=("ree",), tag_type="object")
    assert await resolve(PhotoFilter(tag_ids=(street,), text_terms=("stree",))) == \
        PhotoFilter(tag_ids=(street,))
    assert await resolve(PhotoFilter(text_terms=("stree",))) == PhotoFilter(tag_ids=(street,))
    assert await resolve(PhotoFilter(tag_names=("tree",), tag_type="object")) == \
        PhotoFilter(tag_ids=(tree,))
    # A term that names no tag: no photo can pass.
    assert await resolve(PhotoFilter(text_terms=("stree", "nothing"))) is None
    assert await resolve(PhotoFilter(tag_names=("tree",), tag_type="person")) is None
    # Like patterns are literal: % and _ match themselves only.
    assert await resolve(PhotoFilter(text_terms=("%",))) is None
