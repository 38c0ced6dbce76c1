-- The month index (007) without the photos in the trash, which no month list or count
-- shows: a count of months or of a date range (bounded by months, store/photo_filter.py)
-- is read from the index alone. A year's months at 1,000,000 photos: 167 -> 11 ms.
CREATE INDEX photos_live_month_idx
    ON photos (library_id, taken_month DESC NULLS LAST, taken_at DESC NULLS LAST, id DESC)
    WHERE trashed_at IS NULL;
DROP INDEX photos_library_month_idx;
