import { graphql } from '../gql';

// The Share & embed screen: albums to share, a library's links, making and revoking one.

export const ShareAlbumsQuery = graphql(`
  query ShareAlbums($libraryId: ID!) {
    tags(libraryId: $libraryId, type: ALBUM) { tag { id name } photoCount }
  }
`);

export const ShareLinksQuery = graphql(`
  query ShareLinks($libraryId: ID!) {
    shareLinks(libraryId: $libraryId) {
      id albumName filter expiresAt revokedAt createdAt allowedOrigins viewCount
      showLocation showMetadata showPeople allowDownload
    }
  }
`);

export const CreateShareLinkMutation = graphql(`
  mutation CreateShareLink($libraryId: ID!, $albumId: ID, $filter: PhotoFilter,
                           $expiresAt: DateTime, $allowedOrigins: [String!],
                           $showLocation: Boolean, $showMetadata: Boolean, $showPeople: Boolean,
                           $allowDownload: Boolean) {
    createShareLink(libraryId: $libraryId, albumId: $albumId, filter: $filter,
                    expiresAt: $expiresAt, allowedOrigins: $allowedOrigins,
                    showLocation: $showLocation, showMetadata: $showMetadata,
                    showPeople: $showPeople, allowDownload: $allowDownload) {
      id token url embedScript embedIframe
    }
  }
`);

export const RevokeShareLinkMutation = graphql(`
  mutation RevokeShareLink($id: ID!) {
    revokeShareLink(id: $id)
  }
`);
