-- Counts kept up to date instead of recounted: photos per library, per camera and lens,
-- photos carrying each tag, faces and photos of each person.
--
-- Triggers never update a shared counter row: each statement appends its net change to
-- count_deltas (a plain insert that locks nothing another writer waits for), so result
-- transactions tagging the same tags neither queue on a hot row nor deadlock. A reader adds
-- the pending deltas to library_counts; fold_count_deltas() moves them into it now and then.
--
-- Kinds and their keys: 'photos' (the library id), 'camera', 'lens', 'tag' (distinct photos
-- with a visible row), 'person_faces' (faces not rejected), 'person_photos' (distinct
-- photos with such a face).

CREATE TABLE library_counts (
    library_id uuid NOT NULL REFERENCES libraries (id) ON DELETE CASCADE,
    kind       text NOT NULL,
    key        uuid NOT NULL,
    n          bigint NOT NULL,
    PRIMARY KEY (library_id, kind, key)
);

-- No foreign keys: a cascade may delete the library before the statement's trigger runs.
CREATE TABLE count_deltas (
    library_id uuid NOT NULL,
    kind       text NOT NULL,
    key        uuid NOT NULL,
    n          bigint NOT NULL
);
CREATE INDEX count_deltas_key_idx ON count_deltas (library_id, kind, key);

-- ---- photos: per library, camera and lens ---------------------------------------------------

CREATE FUNCTION count_photo_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Transition tables a trigger does not have must not be named in a statement it runs.
    IF TG_OP = 'INSERT' THEN
        INSERT INTO count_deltas (library_id, kind, key, n)
        SELECT library_id, kind, key, sum(n) FROM (
            SELECT library_id, 'photos' AS kind, library_id AS key, 1 AS n FROM new_rows
            UNION ALL SELECT library_id, 'camera', camera_id, 1 FROM new_rows
                      WHERE camera_id IS NOT NULL
            UNION ALL SELECT library_id, 'lens', lens_id, 1 FROM new_rows
                      WHERE lens_id IS NOT NULL) c
        GROUP BY library_id, kind, key;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO count_deltas (library_id, kind, key, n)
        SELECT library_id, kind, key, sum(n) FROM (
            SELECT library_id, 'photos' AS kind, library_id AS key, -1 AS n FROM old_rows
            UNION ALL SELECT library_id, 'camera', camera_id, -1 FROM old_rows
                      WHERE camera_id IS NOT NULL
            UNION ALL SELECT library_id, 'lens', lens_id, -1 FROM old_rows
                      WHERE lens_id IS NOT NULL) c
        GROUP BY library_id, kind, key;
    ELSE
        -- Most updates touch other columns: only a net change is written.
        INSERT INTO count_deltas (library_id, kind, key, n)
        SELECT library_id, kind, key, sum(n) FROM (
            SELECT library_id, 'photos' AS kind, library_id AS key, 1 AS n FROM new_rows
            UNION ALL SELECT library_id, 'camera', camera_id, 1 FROM new_rows
                      WHERE camera_id IS NOT NULL
            UNION ALL SELECT library_id, 'lens', lens_id, 1 FROM new_rows
                      WHERE lens_id IS NOT NULL
            UNION ALL SELECT library_id, 'photos', library_id, -1 FROM old_rows
            UNION ALL SELECT library_id, 'camera', camera_id, -1 FROM old_rows
                      WHERE camera_id IS NOT NULL
            UNION ALL SELECT library_id, 'lens', lens_id, -1 FROM old_rows
                      WHERE lens_id IS NOT NULL) c
        GROUP BY library_id, kind, key HAVING sum(n) <> 0;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER photos_count_insert AFTER INSERT ON photos
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION count_photo_changes();
CREATE TRIGGER photos_count_delete AFTER DELETE ON photos
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION count_photo_changes();
CREATE TRIGGER photos_count_update AFTER UPDATE ON photos
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION count_photo_changes();

-- ---- photo tags: distinct photos per tag -----------------------------------------------------

-- A photo may carry one tag in several rows (two faces of unnamed people share a tag), so
-- a change counts only when a (tag, photo) pair gains its first visible row or loses its
-- last: the rows visible now, less the statement's net change, were visible before.
-- Two transactions adding the same pair at the same moment would each see only their own
-- row and both count it; the writers do not do that (one job per photo and stage).
CREATE FUNCTION count_tag_pair_changes(tag_ids uuid[], photo_ids uuid[], ns bigint[])
RETURNS void LANGUAGE sql AS $$
    INSERT INTO count_deltas (library_id, kind, key, n)
    SELECT t.library_id, 'tag', f.tag_id, sum(f.flip) FROM (
        SELECT c.tag_id, (now.n > 0)::int - (now.n - c.n > 0)::int AS flip
        FROM (SELECT tag_id, photo_id, sum(n) AS n
              FROM unnest(tag_ids, photo_ids, ns) AS u(tag_id, photo_id, n)
              GROUP BY tag_id, photo_id HAVING sum(n) <> 0) c
        CROSS JOIN LATERAL (
            SELECT count(*) AS n FROM photo_tags pt
            WHERE pt.tag_id = c.tag_id AND pt.photo_id = c.photo_id AND NOT pt.hidden) now
    ) f
    JOIN tags t ON t.id = f.tag_id  -- a tag deleted with its rows needs no count
    GROUP BY t.library_id, f.tag_id HAVING sum(f.flip) <> 0
$$;

CREATE FUNCTION count_photo_tag_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM count_tag_pair_changes(array_agg(tag_id), array_agg(photo_id),
                                       array_agg(1::bigint))
        FROM new_rows WHERE NOT hidden;
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM count_tag_pair_changes(array_agg(tag_id), array_agg(photo_id),
                                       array_agg(-1::bigint))
        FROM old_rows WHERE NOT hidden;
    ELSE
        PERFORM count_tag_pair_changes(array_agg(tag_id), array_agg(photo_id), array_agg(n))
        FROM (SELECT tag_id, photo_id, 1::bigint AS n FROM new_rows WHERE NOT hidden
              UNION ALL
              SELECT tag_id, photo_id, -1::bigint FROM old_rows WHERE NOT hidden) c;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER photo_tags_count_insert AFTER INSERT ON photo_tags
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION count_photo_tag_changes();
CREATE TRIGGER photo_tags_count_delete AFTER DELETE ON photo_tags
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION count_photo_tag_changes();
CREATE TRIGGER photo_tags_count_update AFTER UPDATE ON photo_tags
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION count_photo_tag_changes();

-- ---- faces: faces and distinct photos per person ---------------------------------------------

-- Same pairs rule as tags: a photo with two faces of one person counts once.
CREATE FUNCTION count_face_changes_of(library_ids uuid[], person_ids uuid[], photo_ids uuid[],
                                      ns bigint[])
RETURNS void LANGUAGE sql AS $$
    INSERT INTO count_deltas (library_id, kind, key, n)
    SELECT library_id, kind, key, sum(n) FROM (
        SELECT c.library_id, 'person_faces' AS kind, c.person_id AS key, c.n FROM (
            SELECT library_id, person_id, photo_id, sum(n) AS n
            FROM unnest(library_ids, person_ids, photo_ids, ns)
                 AS u(library_id, person_id, photo_id, n)
            GROUP BY library_id, person_id, photo_id HAVING sum(n) <> 0) c
        UNION ALL
        SELECT c.library_id, 'person_photos', c.person_id,
               (now.n > 0)::int - (now.n - c.n > 0)::int
        FROM (SELECT library_id, person_id, photo_id, sum(n) AS n
              FROM unnest(library_ids, person_ids, photo_ids, ns)
                   AS u(library_id, person_id, photo_id, n)
              GROUP BY library_id, person_id, photo_id HAVING sum(n) <> 0) c
        CROSS JOIN LATERAL (
            SELECT count(*) AS n FROM faces f
            WHERE f.photo_id = c.photo_id AND f.person_id = c.person_id
              AND f.status <> 'rejected') now
    ) d
    GROUP BY library_id, kind, key HAVING sum(n) <> 0
$$;

CREATE FUNCTION count_face_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM count_face_changes_of(array_agg(library_id), array_agg(person_id),
                                      array_agg(photo_id), array_agg(1::bigint))
        FROM new_rows WHERE person_id IS NOT NULL AND status <> 'rejected';
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM count_face_changes_of(array_agg(library_id), array_agg(person_id),
                                      array_agg(photo_id), array_agg(-1::bigint))
        FROM old_rows WHERE person_id IS NOT NULL AND status <> 'rejected';
    ELSE
        PERFORM count_face_changes_of(array_agg(library_id), array_agg(person_id),
                                      array_agg(photo_id), array_agg(n))
        FROM (SELECT library_id, person_id, photo_id, 1::bigint AS n FROM new_rows
              WHERE person_id IS NOT NULL AND status <> 'rejected'
              UNION ALL
              SELECT library_id, person_id, photo_id, -1::bigint FROM old_rows
              WHERE person_id IS NOT NULL AND status <> 'rejected') c;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER faces_count_insert AFTER INSERT ON faces
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION count_face_changes();
CREATE TRIGGER faces_count_delete AFTER DELETE ON faces
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION count_face_changes();
CREATE TRIGGER faces_count_update AFTER UPDATE ON faces
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION count_face_changes();

-- ---- folding ---------------------------------------------------------------------------------

-- Move the pending deltas into library_counts; returns how many delta rows it folded.
-- Counter rows are upserted in key order, so two folds at once wait rather than deadlock;
-- a delta written meanwhile stays for the next fold.
CREATE FUNCTION fold_count_deltas() RETURNS bigint LANGUAGE sql AS $$
    WITH moved AS (
        DELETE FROM count_deltas RETURNING library_id, kind, key, n
    ), summed AS (
        SELECT library_id, kind, key, sum(n) AS n, count(*) AS delta_rows FROM moved
        GROUP BY library_id, kind, key
    ), upserted AS (
        INSERT INTO library_counts (library_id, kind, key, n)
        SELECT library_id, kind, key, n FROM summed
        WHERE library_id IN (SELECT id FROM libraries)
        ORDER BY library_id, kind, key
        ON CONFLICT (library_id, kind, key)
            DO UPDATE SET n = library_counts.n + excluded.n
    )
    SELECT coalesce(sum(delta_rows), 0)::bigint FROM summed
$$;

-- ---- reading ---------------------------------------------------------------------------------

-- Each key's count of one kind in a library: folded count plus pending deltas.
CREATE FUNCTION library_counts_of(for_library uuid, of_kind text)
RETURNS TABLE (key uuid, n bigint) LANGUAGE sql STABLE AS $$
    SELECT key, sum(n)::bigint FROM (
        SELECT key, n FROM library_counts WHERE library_id = for_library AND kind = of_kind
        UNION ALL
        SELECT key, n FROM count_deltas WHERE library_id = for_library AND kind = of_kind
    ) c GROUP BY key
$$;

-- One key's count (0 when never counted).
CREATE FUNCTION library_count(for_library uuid, of_kind text, of_key uuid)
RETURNS bigint LANGUAGE sql STABLE AS $$
    SELECT coalesce(sum(n), 0)::bigint FROM (
        SELECT n FROM library_counts
        WHERE library_id = for_library AND kind = of_kind AND key = of_key
        UNION ALL
        SELECT n FROM count_deltas
        WHERE library_id = for_library AND kind = of_kind AND key = of_key
    ) c
$$;

-- ---- backfill --------------------------------------------------------------------------------
-- The triggers above were created in this transaction and hold their tables' write locks
-- until it commits, so nothing changes between the counting and the first trigger.

INSERT INTO library_counts (library_id, kind, key, n)
SELECT library_id, 'photos', library_id, count(*) FROM photos GROUP BY library_id;
INSERT INTO library_counts (library_id, kind, key, n)
SELECT library_id, 'camera', camera_id, count(*) FROM photos WHERE camera_id IS NOT NULL
GROUP BY library_id, camera_id;
INSERT INTO library_counts (library_id, kind, key, n)
SELECT library_id, 'lens', lens_id, count(*) FROM photos WHERE lens_id IS NOT NULL
GROUP BY library_id, lens_id;
INSERT INTO library_counts (library_id, kind, key, n)
SELECT t.library_id, 'tag', t.id, c.n
FROM (SELECT tag_id, count(DISTINCT photo_id) AS n FROM photo_tags WHERE NOT hidden
      GROUP BY tag_id) c
JOIN tags t ON t.id = c.tag_id;
INSERT INTO library_counts (library_id, kind, key, n)
SELECT library_id, 'person_faces', person_id, count(*) FROM faces
WHERE person_id IS NOT NULL AND status <> 'rejected' GROUP BY library_id, person_id;
INSERT INTO library_counts (library_id, kind, key, n)
SELECT library_id, 'person_photos', person_id, count(DISTINCT photo_id) FROM faces
WHERE person_id IS NOT NULL AND status <> 'rejected' GROUP BY library_id, person_id;
