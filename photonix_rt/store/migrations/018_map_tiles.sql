-- An online map background chosen by an admin (issue 8): a raster tile template or a MapLibre
-- style JSON URL, with the attribution its provider requires. No row (the default): the Map
-- screen draws the offline country shapes and no map request leaves the server's origin.
-- At most one row: the key column can only be true.
CREATE TABLE map_tile_source (
    only_row    boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    url         text NOT NULL CHECK (length(url) <= 2048),
    attribution text NOT NULL CHECK (length(attribution) BETWEEN 1 AND 300),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    updated_by  uuid REFERENCES users (id) ON DELETE SET NULL
);
