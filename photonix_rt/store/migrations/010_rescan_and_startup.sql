-- Rescans walk a folder in path order and read the files the library knows below it in the
-- same order, a batch at a time (services/rescan.py). Byte order ("C") is the order both
-- sides can agree on whatever the database's locale: Python compares code points, and UTF-8
-- bytes sort like code points. This index serves those ranges without sorting, and the
-- "any file known below this folder" check without reading them all.
CREATE INDEX photo_files_path_c_idx ON photo_files (library_id, (path COLLATE "C"));

-- The version of each classifier whose jobs were last reconciled with every photo: a start
-- whose classifiers are as before skips that pass over the whole library (issue 11: start-up
-- independent of library size). Cleared when the classifier is recorded unavailable, since
-- photos imported meanwhile got no job for it.
ALTER TABLE classifiers ADD COLUMN reconciled_version text;
