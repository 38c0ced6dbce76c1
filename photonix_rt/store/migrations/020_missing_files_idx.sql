-- The files marked missing: a month of tiles asks which of its photos have lost every
-- file, and only photos with some missing file can have. Probing each photo's files read
-- 16,000 index pages for a 4,000-photo month; this index is as small as the number of
-- missing files.
CREATE INDEX photo_files_missing_idx ON photo_files (photo_id) WHERE status = 'missing';
