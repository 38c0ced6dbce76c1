import { graphql } from '../gql';

// The timeline: months with counts first (one small request), then a month's photos as
// parallel arrays when it comes near the viewport.

export const TimeBucketsQuery = graphql(`
  query TimeBuckets($libraryId: ID!, $filter: PhotoFilter) {
    timeBuckets(libraryId: $libraryId, filter: $filter) { month count }
  }
`);

export const BucketPhotosQuery = graphql(`
  query BucketPhotos($libraryId: ID!, $month: String, $filter: PhotoFilter) {
    bucketPhotos(libraryId: $libraryId, month: $month, filter: $filter) {
      month ids ratios placeholders takenAt thumbnailUrls missing durations
    }
  }
`);
