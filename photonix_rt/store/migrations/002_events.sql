-- The event log: every change, in commit order. The sequence is what clients resume from.
CREATE TABLE events (
    sequence   bigint PRIMARY KEY,
    kind       text NOT NULL,
    library_id uuid REFERENCES libraries (id) ON DELETE CASCADE,
    photo_id   uuid,              -- no FK: events outlive deleted photos
    payload    jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX events_library_seq_idx ON events (library_id, sequence);
CREATE INDEX events_created_idx ON events (created_at);

-- The last sequence handed out (one row). Taking a number row-locks it until the writing
-- transaction ends: event-writing transactions therefore commit in sequence order, and a
-- rolled-back transaction gives its number back, so committed sequences have no gaps.
-- Kept apart from `events` so pruning old rows never lowers it.
CREATE TABLE event_sequence (
    id   boolean PRIMARY KEY DEFAULT true CHECK (id),
    last bigint NOT NULL
);

-- This database's event channel name on the bus: processes on one database publish and
-- listen on it; another deployment sharing the Redis server has its own.
CREATE TABLE event_channel (
    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    id       uuid NOT NULL DEFAULT gen_random_uuid()
);
