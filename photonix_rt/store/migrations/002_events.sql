-- The event log: every change, in commit order. The sequence is what clients resume from.
CREATE TABLE events (
    sequence   bigserial PRIMARY KEY,
    kind       text NOT NULL,
    library_id uuid REFERENCES libraries (id) ON DELETE CASCADE,
    photo_id   uuid,              -- no FK: events outlive deleted photos
    payload    jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX events_library_seq_idx ON events (library_id, sequence);
CREATE INDEX events_created_idx ON events (created_at);
