import { graphql } from '../gql';

// Albums (tags of type ALBUM) and the selection bar's edits on many photos at once.

export const AlbumsQuery = graphql(`
  query Albums($libraryId: ID!) {
    albums(libraryId: $libraryId) {
      id name photoCount
      cover { id grid: thumbnailUrl(size: GRID) }
    }
  }
`);

export const CreateAlbumMutation = graphql(`
  mutation CreateAlbum($libraryId: ID!, $name: String!) {
    createAlbum(libraryId: $libraryId, name: $name) { id name }
  }
`);

export const RenameAlbumMutation = graphql(`
  mutation RenameAlbum($albumId: ID!, $name: String!) {
    renameAlbum(albumId: $albumId, name: $name) { id name }
  }
`);

export const DeleteAlbumMutation = graphql(`
  mutation DeleteAlbum($albumId: ID!) {
    deleteAlbum(albumId: $albumId)
  }
`);

export const AddToAlbumMutation = graphql(`
  mutation AddToAlbum($albumId: ID!, $photoIds: [ID!]!) {
    addToAlbum(albumId: $albumId, photoIds: $photoIds) { id }
  }
`);

export const RemoveFromAlbumMutation = graphql(`
  mutation RemoveFromAlbum($albumId: ID!, $photoIds: [ID!]!) {
    removeFromAlbum(albumId: $albumId, photoIds: $photoIds) { id }
  }
`);

export const TrashPhotosMutation = graphql(`
  mutation TrashPhotos($photoIds: [ID!]!) {
    trashPhotos(photoIds: $photoIds)
  }
`);

export const RestorePhotosMutation = graphql(`
  mutation RestorePhotos($photoIds: [ID!]!) {
    restorePhotos(photoIds: $photoIds)
  }
`);

export const RotatePhotoMutation = graphql(`
  mutation RotatePhoto($photoId: ID!, $rotation: Int!) {
    rotatePhoto(photoId: $photoId, rotation: $rotation) {
      id rotation width height
      grid: thumbnailUrl(size: GRID)
      preview: thumbnailUrl(size: PREVIEW)
    }
  }
`);
