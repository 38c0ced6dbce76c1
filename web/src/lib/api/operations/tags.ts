import { graphql } from '../gql';

// The selection bar's tag sheet: the library's user tags (suggestions), the tags the selected
// photos carry (what can come off), and tagging or untagging them all at once.

export const UserTagsQuery = graphql(`
  query UserTags($libraryId: ID!) {
    tags(libraryId: $libraryId, type: USER) { tag { id name } photoCount }
  }
`);

export const SelectionTagsQuery = graphql(`
  query SelectionTags($libraryId: ID!, $ids: [ID!]!, $first: Int) {
    photos(libraryId: $libraryId, filter: { ids: $ids }, first: $first) {
      edges { node { id tags { id name type } } }
    }
  }
`);

export const TagPhotosMutation = graphql(`
  mutation TagPhotos($libraryId: ID!, $photoIds: [ID!]!, $name: String!) {
    tagPhotos(libraryId: $libraryId, photoIds: $photoIds, name: $name) {
      tag { id name } photoIds
    }
  }
`);

export const UntagPhotosMutation = graphql(`
  mutation UntagPhotos($tagId: ID!, $photoIds: [ID!]!) {
    untagPhotos(tagId: $tagId, photoIds: $photoIds) { tag { id name } photoIds }
  }
`);
