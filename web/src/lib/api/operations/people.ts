import { graphql } from '../gql';

// The People screens: people by photo count with a face-crop cover, one person's faces, and
// the edits (rename, merge, move a face, "not this person", reject).

export const PeoplePageQuery = graphql(`
  query PeoplePage($libraryId: ID!, $first: Int, $after: String) {
    peoplePage(libraryId: $libraryId, first: $first, after: $after) {
      totalCount
      edges { node { ...PersonCard } }
      pageInfo { hasNextPage endCursor }
    }
  }

  fragment PersonCard on Person {
    id name photoCount faceCount
    cover { id cropUrl }
  }
`);

export const PersonQuery = graphql(`
  query Person($id: ID!) {
    person(id: $id) {
      ...PersonCard
      libraryId
      faces { id photoId cropUrl confidence status }
    }
  }
`);

export const NamePersonMutation = graphql(`
  mutation NamePerson($personId: ID!, $name: String!) {
    namePerson(personId: $personId, name: $name) { id name }
  }
`);

export const MergePeopleMutation = graphql(`
  mutation MergePeople($targetId: ID!, $sourceIds: [ID!]!) {
    mergePeople(targetId: $targetId, sourceIds: $sourceIds) { id }
  }
`);

export const MoveFaceMutation = graphql(`
  mutation MoveFace($faceId: ID!, $personId: ID) {
    moveFace(faceId: $faceId, personId: $personId) { id person { id } }
  }
`);

export const UnassignFaceMutation = graphql(`
  mutation UnassignFace($faceId: ID!) {
    unassignFace(faceId: $faceId) { id }
  }
`);

export const RejectFaceMutation = graphql(`
  mutation RejectFace($faceId: ID!) {
    rejectFace(faceId: $faceId) { id }
  }
`);

export const ConfirmFaceMutation = graphql(`
  mutation ConfirmFace($faceId: ID!) {
    confirmFace(faceId: $faceId) { id status }
  }
`);

export const FaceReviewQuery = graphql(`
  query FaceReview($libraryId: ID!, $first: Int, $after: String) {
    faceReview(libraryId: $libraryId, first: $first, after: $after) {
      edges { node { id photoId cropUrl confidence status person { id name } } }
      pageInfo { hasNextPage endCursor }
    }
  }
`);
