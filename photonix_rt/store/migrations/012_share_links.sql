-- Share links: read-only capabilities over one album or one saved photo filter of a library.
-- The token is random and stored hashed (sha256); whoever holds it sees exactly the photos
-- in scope (including later ones) and what the reveal switches allow, nothing else.
CREATE TABLE share_links (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    library_id      uuid NOT NULL REFERENCES libraries (id) ON DELETE CASCADE,
    token_hash      bytea NOT NULL UNIQUE,
    -- Exactly one scope: an album (a tag of type 'album') or a PhotoFilter input (camelCase
    -- JSON as the client gave it, re-checked each time it is read).
    album_id        uuid REFERENCES tags (id) ON DELETE CASCADE,
    filter          jsonb,
    CHECK ((album_id IS NULL) <> (filter IS NULL)),
    expires_at      timestamptz,
    revoked_at      timestamptz,
    -- Origins that may embed it ('https://example.org'); empty: any origin.
    allowed_origins text[] NOT NULL DEFAULT '{}',
    show_location   boolean NOT NULL DEFAULT false,
    show_metadata   boolean NOT NULL DEFAULT false,
    show_people     boolean NOT NULL DEFAULT false,
    allow_download  boolean NOT NULL DEFAULT false,
    view_count      bigint NOT NULL DEFAULT 0,
    created_by      uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX share_links_library_idx ON share_links (library_id, created_at DESC);
