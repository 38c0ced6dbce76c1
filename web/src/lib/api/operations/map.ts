import { graphql } from '../gql';

// The Map screen: photo positions in a box as parallel arrays, then a cluster's photos.

export const MapPositionsQuery = graphql(`
  query MapPositions($libraryId: ID!, $bbox: BoundingBox!, $limit: Int) {
    mapPositions(libraryId: $libraryId, bbox: $bbox, limit: $limit) {
      ids latitudes longitudes truncated
    }
  }
`);

export const ClusterPhotosQuery = graphql(`
  query ClusterPhotos($libraryId: ID!, $ids: [ID!]!, $first: Int) {
    photos(libraryId: $libraryId, filter: { ids: $ids }, first: $first) {
      totalCount
      edges { node { id takenAt grid: thumbnailUrl(size: GRID) } }
    }
  }
`);

/** The online map background an admin chose, or null: the offline map. */
export const MapTileSourceQuery = graphql(`
  query MapTileSource {
    mapTileSource { url kind attribution origin }
  }
`);

export const SetMapTileSourceMutation = graphql(`
  mutation SetMapTileSource($url: String!, $attribution: String!) {
    setMapTileSource(url: $url, attribution: $attribution) { url kind attribution origin }
  }
`);

export const ClearMapTileSourceMutation = graphql(`
  mutation ClearMapTileSource {
    clearMapTileSource
  }
`);
