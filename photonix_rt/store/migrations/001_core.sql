-- Core library model: users, libraries, folders, photos, files, cameras, lenses, tags.
-- Identifiers are UUIDs so that ids in URLs and GraphQL reveal nothing about library size.

CREATE TABLE users (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    username      text NOT NULL,
    password_hash text NOT NULL,
    is_admin      boolean NOT NULL DEFAULT false,
    is_active     boolean NOT NULL DEFAULT true,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_username_key ON users (lower(username));

-- Refresh tokens are stored hashed; a token is used once and replaced by the next one of
-- its family. Presenting a used token revokes the whole family (token theft detection).
CREATE TABLE refresh_tokens (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    family_id   uuid NOT NULL,
    token_hash  bytea NOT NULL UNIQUE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz,
    revoked_at  timestamptz
);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);

CREATE TABLE libraries (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name       text NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE library_members (
    library_id uuid NOT NULL REFERENCES libraries (id) ON DELETE CASCADE,
    user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role       text NOT NULL CHECK (role IN ('owner', 'editor', 'viewer')),
    PRIMARY KEY (library_id, user_id)
);
CREATE INDEX library_members_user_idx ON library_members (user_id);

CREATE TABLE library_paths (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    library_id uuid NOT NULL REFERENCES libraries (id) ON DELETE CASCADE,
    path       text NOT NULL,
    watch      boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (library_id, path)
);

CREATE TABLE cameras (
    id    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    make  text NOT NULL,
    model text NOT NULL,
    UNIQUE (make, model)
);

CREATE TABLE lenses (
    id   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text NOT NULL UNIQUE
);

-- A photo is one picture; its bytes may live in several files (copies, later RAW+JPEG).
-- taken_at is the instant used for sorting: exact when the offset is known, otherwise the
-- wall-clock time read as UTC, with taken_at_zone saying which (never a silent UTC).
CREATE TABLE photos (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    library_id       uuid NOT NULL REFERENCES libraries (id) ON DELETE CASCADE,
    content_hash     bytea NOT NULL,
    taken_at         timestamptz,
    taken_at_local   timestamp,
    taken_at_offset  integer,          -- minutes east of UTC, NULL when floating
    taken_at_zone    text,             -- IANA zone name when derived from GPS
    taken_at_source  text,             -- 'offset', 'gps', 'floating', 'file'
    camera_id        uuid REFERENCES cameras (id),
    lens_id          uuid REFERENCES lenses (id),
    exposure_time    double precision, -- seconds
    aperture         double precision, -- f-number
    iso              integer,
    focal_length     double precision, -- mm
    flash            boolean,
    metering_mode    text,
    latitude         double precision,
    longitude        double precision,
    altitude         double precision,
    orientation      smallint,
    width            integer,          -- as displayed (after orientation)
    height           integer,
    rating           smallint NOT NULL DEFAULT 0 CHECK (rating BETWEEN 0 AND 5),
    artist           text,
    description      text,
    keywords         text[] NOT NULL DEFAULT '{}',
    placeholder      text,             -- thumbhash, base64
    thumbnail_key    text,             -- name of the thumbnail set in the data dir
    metadata         jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (library_id, content_hash)
);
CREATE INDEX photos_library_taken_idx ON photos (library_id, taken_at DESC NULLS LAST, id DESC);
CREATE INDEX photos_library_created_idx ON photos (library_id, created_at DESC, id DESC);
CREATE INDEX photos_camera_idx ON photos (camera_id);
CREATE INDEX photos_lens_idx ON photos (lens_id);
CREATE INDEX photos_location_idx ON photos (library_id, latitude, longitude)
    WHERE latitude IS NOT NULL;

-- One row per file on disk. A file that could not be read has status 'error' and no photo;
-- a file that vanished is 'missing' and keeps its photo, so a disconnected disk loses nothing.
CREATE TABLE photo_files (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    library_id   uuid NOT NULL REFERENCES libraries (id) ON DELETE CASCADE,
    photo_id     uuid REFERENCES photos (id) ON DELETE CASCADE,
    path         text NOT NULL,
    content_hash bytea,
    size         bigint NOT NULL,
    mtime_ns     bigint NOT NULL,
    mime_type    text,
    status       text NOT NULL CHECK (status IN ('ok', 'error', 'missing')),
    error        text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (library_id, path)
);
CREATE INDEX photo_files_photo_idx ON photo_files (photo_id);
CREATE INDEX photo_files_hash_idx ON photo_files (library_id, content_hash);

CREATE TABLE tags (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    library_id uuid NOT NULL REFERENCES libraries (id) ON DELETE CASCADE,
    name       text NOT NULL,
    type       text NOT NULL CHECK (type IN ('object', 'scene', 'person', 'colour', 'location',
                                            'event', 'style', 'album', 'user')),
    source     text NOT NULL CHECK (source IN ('model', 'person')),
    parent_id  uuid REFERENCES tags (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE NULLS NOT DISTINCT (library_id, type, parent_id, name)
);
CREATE INDEX tags_name_idx ON tags (library_id, lower(name));

CREATE TABLE photo_tags (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    photo_id      uuid NOT NULL REFERENCES photos (id) ON DELETE CASCADE,
    tag_id        uuid NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    confidence    real NOT NULL DEFAULT 1.0,
    significance  real NOT NULL DEFAULT 1.0,
    box           real[],            -- x, y, width, height as fractions of the displayed image
    model_version text,
    verified      boolean NOT NULL DEFAULT false,
    hidden        boolean NOT NULL DEFAULT false,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX photo_tags_photo_idx ON photo_tags (photo_id);
CREATE INDEX photo_tags_tag_idx ON photo_tags (tag_id, photo_id);
