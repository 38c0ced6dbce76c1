import { graphql } from '../gql';

// The Trash screen: its pages (most recently trashed first), one photo that just arrived in
// it (a live PHOTO_TRASHED), and emptying it. Moving in and out: operations/albums.ts.

export const TrashPageQuery = graphql(`
  query TrashPage($libraryId: ID!, $first: Int, $after: String) {
    trash(libraryId: $libraryId, first: $first, after: $after) {
      totalCount
      edges { node { ...TrashTile } }
      pageInfo { hasNextPage endCursor }
    }
  }

  fragment TrashTile on Photo {
    id width height placeholder trashedAt durationMs
    thumbnailUrl(size: GRID)
  }
`);

export const TrashedPhotoQuery = graphql(`
  query TrashedPhoto($id: ID!) {
    photo(id: $id) { ...TrashTile }
  }
`);

export const EmptyTrashMutation = graphql(`
  mutation EmptyTrash($libraryId: ID!) {
    emptyTrash(libraryId: $libraryId)
  }
`);
