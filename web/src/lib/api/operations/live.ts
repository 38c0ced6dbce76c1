import { graphql } from '../gql';

// The library's live event stream (resumed with `since`) and its classification progress.

export const LibraryEventsSubscription = graphql(`
  subscription LibraryEvents($libraryId: ID!, $since: String) {
    events(libraryId: $libraryId, since: $since) {
      sequence
      kind
      photoId
      payload
      createdAt
      photo {
        id
        width
        height
        placeholder
        takenAt
        thumbnailUrl(size: GRID)
        rating
        tags { id name type source confidence box }
        files { status }
      }
    }
  }
`);

/** Where the event log is now: the first subscription resumes from here (see live.svelte.ts). */
export const EventCursorQuery = graphql(`
  query EventCursor {
    eventCursor
  }
`);

export const JobProgressQuery = graphql(`
  query JobProgress($libraryId: ID!) {
    jobProgress(libraryId: $libraryId) { queued running done failed }
  }
`);

export const PhotoJobsQuery = graphql(`
  query PhotoJobs($id: ID!) {
    photo(id: $id) {
      id
      thumbnailUrl(size: GRID)
      jobs { stage status error }
    }
  }
`);

export const ClassifiersQuery = graphql(`
  query Classifiers {
    classifiers { name available }
  }
`);
