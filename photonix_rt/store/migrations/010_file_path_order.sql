-- Rescans walk a folder in path order and read the files the library knows below it in the
-- same order, a batch at a time (services/rescan.py). Byte order ("C") is the order both
-- sides can agree on whatever the database's locale: Python compares code points, and UTF-8
-- bytes sort like code points. This index serves those ranges without sorting, and the
-- "any file known below this folder" check without reading them all.
CREATE INDEX photo_files_path_c_idx ON photo_files (library_id, (path COLLATE "C"));
