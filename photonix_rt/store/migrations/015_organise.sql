-- Organising a library from the app: people covers, trash, rotation, ignored files, stage
-- settings per library, and the map's index.

-- A person's chosen cover face (NULL: the most confident face is used).
ALTER TABLE people ADD COLUMN cover_face_id bigint REFERENCES faces (id) ON DELETE SET NULL;

-- Trash: a trashed photo is hidden from every listing, count and search until restored or
-- forgotten (emptying the trash). Its files on disk are never touched.
ALTER TABLE photos ADD COLUMN trashed_at timestamptz;
CREATE INDEX photos_trash_idx ON photos (library_id, trashed_at DESC, id DESC)
    WHERE trashed_at IS NOT NULL;

-- Rotation chosen in the app, clockwise degrees on top of the file's own orientation; the
-- file is never written, the thumbnails are redrawn under a new key.
ALTER TABLE photos ADD COLUMN rotation smallint NOT NULL DEFAULT 0
    CHECK (rotation IN (0, 90, 180, 270));

-- The map: positions of a box in one index range, read without touching the table when the
-- visibility map allows (an index-only scan).
CREATE INDEX photos_map_idx ON photos (library_id, latitude, longitude, id)
    WHERE latitude IS NOT NULL AND longitude IS NOT NULL AND trashed_at IS NULL;

-- Files of forgotten (trash emptied) photos: later scans skip them by content or by path
-- and size, so they do not come back.
CREATE TABLE ignored_files (
    library_id   uuid NOT NULL REFERENCES libraries (id) ON DELETE CASCADE,
    content_hash bytea NOT NULL,
    path         text NOT NULL,
    size         bigint NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (library_id, content_hash)
);
CREATE INDEX ignored_files_path_idx ON ignored_files (library_id, path);

-- Classifier stages turned off in a library (no row: on).
CREATE TABLE library_stages (
    library_id uuid NOT NULL REFERENCES libraries (id) ON DELETE CASCADE,
    stage      text NOT NULL,
    enabled    boolean NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (library_id, stage)
);

-- ---- kept counts leave trashed photos out ---------------------------------------------------

-- Photos, cameras and lenses: only rows not in the trash count, so trashing (an update) is a
-- net -1 and restoring a net +1 through the same statement-level trigger.
CREATE OR REPLACE FUNCTION count_photo_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO count_deltas (library_id, kind, key, n)
        SELECT library_id, kind, key, sum(n) FROM (
            SELECT library_id, 'photos' AS kind, library_id AS key, 1 AS n FROM new_rows
                   WHERE trashed_at IS NULL
            UNION ALL SELECT library_id, 'camera', camera_id, 1 FROM new_rows
                      WHERE camera_id IS NOT NULL AND trashed_at IS NULL
            UNION ALL SELECT library_id, 'lens', lens_id, 1 FROM new_rows
                      WHERE lens_id IS NOT NULL AND trashed_at IS NULL) c
        GROUP BY library_id, kind, key;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO count_deltas (library_id, kind, key, n)
        SELECT library_id, kind, key, sum(n) FROM (
            SELECT library_id, 'photos' AS kind, library_id AS key, -1 AS n FROM old_rows
                   WHERE trashed_at IS NULL
            UNION ALL SELECT library_id, 'camera', camera_id, -1 FROM old_rows
                      WHERE camera_id IS NOT NULL AND trashed_at IS NULL
            UNION ALL SELECT library_id, 'lens', lens_id, -1 FROM old_rows
                      WHERE lens_id IS NOT NULL AND trashed_at IS NULL) c
        GROUP BY library_id, kind, key;
    ELSE
        INSERT INTO count_deltas (library_id, kind, key, n)
        SELECT library_id, kind, key, sum(n) FROM (
            SELECT library_id, 'photos' AS kind, library_id AS key, 1 AS n FROM new_rows
                   WHERE trashed_at IS NULL
            UNION ALL SELECT library_id, 'camera', camera_id, 1 FROM new_rows
                      WHERE camera_id IS NOT NULL AND trashed_at IS NULL
            UNION ALL SELECT library_id, 'lens', lens_id, 1 FROM new_rows
                      WHERE lens_id IS NOT NULL AND trashed_at IS NULL
            UNION ALL SELECT library_id, 'photos', library_id, -1 FROM old_rows
                      WHERE trashed_at IS NULL
            UNION ALL SELECT library_id, 'camera', camera_id, -1 FROM old_rows
                      WHERE camera_id IS NOT NULL AND trashed_at IS NULL
            UNION ALL SELECT library_id, 'lens', lens_id, -1 FROM old_rows
                      WHERE lens_id IS NOT NULL AND trashed_at IS NULL) c
        GROUP BY library_id, kind, key HAVING sum(n) <> 0;
    END IF;
    RETURN NULL;
END $$;

-- Tags: changes to the rows of a photo in the trash do not count (it counts nothing while
-- there). A photo deleted in the same statement no longer exists and counts as before.
CREATE OR REPLACE FUNCTION count_tag_pair_changes(tag_ids uuid[], photo_ids uuid[], ns bigint[])
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
        WHERE NOT EXISTS (SELECT 1 FROM photos p WHERE p.id = c.photo_id
                          AND p.trashed_at IS NOT NULL)
    ) f
    JOIN tags t ON t.id = f.tag_id
    GROUP BY t.library_id, f.tag_id HAVING sum(f.flip) <> 0
$$;

-- Faces: the same rule for faces of photos in the trash.
CREATE OR REPLACE FUNCTION count_face_changes_of(library_ids uuid[], person_ids uuid[],
                                                 photo_ids uuid[], ns bigint[])
RETURNS void LANGUAGE sql AS $$
    INSERT INTO count_deltas (library_id, kind, key, n)
    SELECT library_id, kind, key, sum(n) FROM (
        SELECT c.library_id, 'person_faces' AS kind, c.person_id AS key, c.n FROM (
            SELECT library_id, person_id, photo_id, sum(n) AS n
            FROM unnest(library_ids, person_ids, photo_ids, ns)
                 AS u(library_id, person_id, photo_id, n)
            GROUP BY library_id, person_id, photo_id HAVING sum(n) <> 0) c
        WHERE NOT EXISTS (SELECT 1 FROM photos p WHERE p.id = c.photo_id
                          AND p.trashed_at IS NOT NULL)
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
        WHERE NOT EXISTS (SELECT 1 FROM photos p WHERE p.id = c.photo_id
                          AND p.trashed_at IS NOT NULL)
    ) d
    GROUP BY library_id, kind, key HAVING sum(n) <> 0
$$;

-- Moving a photo into the trash takes its tags and people out of their counts; restoring it
-- puts them back. (Emptying the trash deletes the tags and faces first, while the photos are
-- still in the trash, so nothing is subtracted twice.)
CREATE FUNCTION count_trash_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO count_deltas (library_id, kind, key, n)
    WITH flips AS (
        SELECT n.id AS photo_id, CASE WHEN n.trashed_at IS NULL THEN 1 ELSE -1 END AS sign
        FROM new_rows n JOIN old_rows o ON o.id = n.id
        WHERE (n.trashed_at IS NULL) <> (o.trashed_at IS NULL)
    ), tag_pairs AS (
        SELECT DISTINCT pt.tag_id, pt.photo_id, f.sign
        FROM flips f JOIN photo_tags pt ON pt.photo_id = f.photo_id WHERE NOT pt.hidden
    ), face_rows AS (
        SELECT fc.library_id, fc.person_id, fc.photo_id, f.sign
        FROM flips f JOIN faces fc ON fc.photo_id = f.photo_id
        WHERE fc.person_id IS NOT NULL AND fc.status <> 'rejected'
    )
    SELECT library_id, kind, key, sum(n) FROM (
        SELECT t.library_id, 'tag' AS kind, p.tag_id AS key, p.sign AS n
        FROM tag_pairs p JOIN tags t ON t.id = p.tag_id
        UNION ALL
        SELECT library_id, 'person_faces', person_id, sign FROM face_rows
        UNION ALL
        SELECT DISTINCT ON (person_id, photo_id) library_id, 'person_photos', person_id, sign
        FROM face_rows
    ) d
    GROUP BY library_id, kind, key HAVING sum(n) <> 0;
    RETURN NULL;
END $$;

CREATE TRIGGER photos_count_trash AFTER UPDATE ON photos
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION count_trash_changes();
