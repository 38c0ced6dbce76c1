-- Every file a camera or phone makes (issue 13): a photo may have several files of different
-- roles (a RAW beside its JPEG, the motion clip of a live photo), and may be a video.
--
-- photo_files.role: 'original' (the file the photo was read from, or a copy of it), 'raw'
-- (the camera RAW of a RAW+JPEG pair: downloadable; previews come from the JPEG), 'motion'
-- (the clip of a live or motion photo).
ALTER TABLE photo_files ADD COLUMN role text NOT NULL DEFAULT 'original'
    CHECK (role IN ('original', 'raw', 'motion'));

-- photos.media_type: 'photo' or 'video'; duration_ms for videos (what a tile shows).
ALTER TABLE photos ADD COLUMN media_type text NOT NULL DEFAULT 'photo'
    CHECK (media_type IN ('photo', 'video'));
ALTER TABLE photos ADD COLUMN duration_ms integer CHECK (duration_ms >= 0);
