import { graphql } from '../gql';

// The viewer: one photo with everything its info sheet shows, and the edits editors make.

export const ViewerPhotoQuery = graphql(`
  query ViewerPhoto($id: ID!) {
    photo(id: $id) {
      ...ViewerPhoto
    }
  }

  fragment ViewerPhoto on Photo {
    id
    libraryId
    takenAt
    takenAtSource
    timeZone
    camera { id make model }
    lens { id name }
    exposureTime
    aperture
    iso
    focalLength
    latitude
    longitude
    altitude
    width
    height
    rating
    rotation
    placeholder
    grid: thumbnailUrl(size: GRID)
    preview: thumbnailUrl(size: PREVIEW)
    files { path status role mimeType }
    mediaType
    durationMs
    videoCodec
    videoUrl
    tags { ...ViewerTag }
    faces { id box confidence person { id name } }
  }

  fragment ViewerTag on PhotoTag {
    id name type source confidence box
  }
`);

export const RatePhotoMutation = graphql(`
  mutation RatePhoto($photoId: ID!, $rating: Int!) {
    ratePhoto(photoId: $photoId, rating: $rating) { id rating }
  }
`);

export const AddPhotoTagMutation = graphql(`
  mutation AddPhotoTag($photoId: ID!, $name: String!) {
    addPhotoTag(photoId: $photoId, name: $name) { id tags { ...ViewerTag } }
  }
`);

export const RemovePhotoTagMutation = graphql(`
  mutation RemovePhotoTag($photoId: ID!, $tagId: ID!) {
    removePhotoTag(photoId: $photoId, tagId: $tagId) { id tags { ...ViewerTag } }
  }
`);
