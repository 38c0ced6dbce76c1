-- The web app's timeline and first run.

-- The month a photo belongs to on the timeline, in its own wall-clock time (the local time
-- when known, else the stored instant read in UTC); NULL exactly when the photo has no date.
-- Stored so that month buckets are an index scan, not a sort of the whole library.
ALTER TABLE photos ADD COLUMN taken_month timestamp GENERATED ALWAYS AS (
    CASE WHEN taken_at IS NULL THEN NULL
         ELSE date_trunc('month', coalesce(taken_at_local, taken_at AT TIME ZONE 'UTC'))
    END) STORED;
-- Counting per month reads (library_id, taken_month); one month's photos come in the photos
-- connection's TAKEN_AT_DESC order straight from the index.
CREATE INDEX photos_library_month_idx
    ON photos (library_id, taken_month DESC NULLS LAST, taken_at DESC NULLS LAST, id DESC);

-- One-time links that create the first admin: each server process that starts while no
-- admin exists adds one (printed only to its console) and any of them works on any process.
-- Stored hashed; all are deleted when the first admin is created.
CREATE TABLE setup_tokens (
    token_hash bytea PRIMARY KEY,
    created_at timestamptz NOT NULL DEFAULT now()
);
