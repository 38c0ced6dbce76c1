-- Uploads from the phone: each library may name one of its folders as the place uploaded files
-- are written (chosen by an owner). Other folders are never written. Removing the folder from
-- the library removes the choice with it.
CREATE TABLE library_uploads (
    library_id uuid PRIMARY KEY REFERENCES libraries (id) ON DELETE CASCADE,
    path_id    uuid NOT NULL REFERENCES library_paths (id) ON DELETE CASCADE,
    chosen_at  timestamptz NOT NULL DEFAULT now()
);
