-- Classification: the job queue (one row per photo x stage), what each classifier reports,
-- faces with their embeddings, people, and the state of each library's face index.

-- A job is claimed with FOR UPDATE SKIP LOCKED, ordered by priority (lower first) then age,
-- and held under a lease that the claiming runner renews; an expired lease is reclaimed.
-- Results are written in the transaction that marks the job done, and only while the
-- lease is still the committer's, so a job is never done twice.
CREATE TABLE jobs (
    id               bigserial PRIMARY KEY,
    photo_id         uuid NOT NULL REFERENCES photos (id) ON DELETE CASCADE,
    library_id       uuid NOT NULL REFERENCES libraries (id) ON DELETE CASCADE,
    stage            text NOT NULL,
    model_version    text,            -- wanted when queued; the version that ran when done
    priority         smallint NOT NULL DEFAULT 50,  -- 0 new arrival, 50 import, 100 backfill
    status           text NOT NULL DEFAULT 'queued'
                     CHECK (status IN ('queued', 'running', 'done', 'failed')),
    attempts         integer NOT NULL DEFAULT 0,
    run_after        timestamptz NOT NULL DEFAULT now(),
    lease_owner      text,
    lease_expires_at timestamptz,
    last_error       text,
    queued_at        timestamptz NOT NULL DEFAULT now(),
    started_at       timestamptz,
    finished_at      timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (photo_id, stage)
);
CREATE INDEX jobs_claim_idx ON jobs (priority, queued_at, id) WHERE status = 'queued';
CREATE INDEX jobs_lease_idx ON jobs (lease_expires_at) WHERE status = 'running';
CREATE INDEX jobs_library_status_idx ON jobs (library_id, status);
CREATE INDEX jobs_finished_idx ON jobs (library_id, finished_at) WHERE status = 'done';

-- What the runners' worker processes loaded: any server can answer `classifiers` from here.
CREATE TABLE classifiers (
    name       text PRIMARY KEY,
    version    text,
    available  boolean NOT NULL,
    reason     text,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- A person groups faces; its PERSON tag carries its name (unnamed people share the tag '').
CREATE TABLE people (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    library_id uuid NOT NULL REFERENCES libraries (id) ON DELETE CASCADE,
    name       text,                 -- NULL while unnamed
    tag_id     uuid REFERENCES tags (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX people_library_idx ON people (library_id, created_at);

-- Integer ids: the Annoy index keys items by integer. 'confirmed' and 'rejected' faces are a
-- person's word and survive re-runs; 'auto' faces are the model's and may be replaced.
CREATE TABLE faces (
    id            bigserial PRIMARY KEY,
    library_id    uuid NOT NULL REFERENCES libraries (id) ON DELETE CASCADE,
    photo_id      uuid NOT NULL REFERENCES photos (id) ON DELETE CASCADE,
    person_id     uuid REFERENCES people (id) ON DELETE SET NULL,
    photo_tag_id  uuid REFERENCES photo_tags (id) ON DELETE SET NULL,
    box           real[] NOT NULL,   -- x, y, width, height as fractions of the displayed image
    confidence    real NOT NULL,
    embedding     real[] NOT NULL,   -- dlib 128-d
    status        text NOT NULL DEFAULT 'auto' CHECK (status IN ('auto', 'confirmed', 'rejected')),
    model_version text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX faces_photo_idx ON faces (photo_id);
CREATE INDEX faces_person_idx ON faces (person_id);
CREATE INDEX faces_library_idx ON faces (library_id, id);

-- The last face-index build of a library: faces with a larger id are searched exactly;
-- `changes` counts edits since that build and triggers the next one.
CREATE TABLE face_indexes (
    library_id  uuid PRIMARY KEY REFERENCES libraries (id) ON DELETE CASCADE,
    generation  integer NOT NULL DEFAULT 0,
    max_face_id bigint NOT NULL DEFAULT 0,
    face_count  integer NOT NULL DEFAULT 0,
    changes     integer NOT NULL DEFAULT 0,
    built_at    timestamptz
);
