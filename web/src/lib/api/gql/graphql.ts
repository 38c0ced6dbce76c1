/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** What changed. New kinds may be added; clients should ignore kinds they do not know. */
export type EventKind =
  | 'FILE_FAILED'
  | 'JOB_PROGRESS'
  | 'PHOTO_ADDED'
  | 'PHOTO_METADATA'
  | 'PHOTO_MISSING'
  | 'PHOTO_REMOVED'
  | 'PHOTO_TAGGED'
  | 'PHOTO_UPDATED'
  | 'STAGE_DONE'
  | 'STAGE_STARTED';

/** Where a classification job stands. */
export type JobStatus =
  | 'DONE'
  | 'FAILED'
  | 'QUEUED'
  | 'RUNNING';

/** What a member may do in a library; each role includes the ones below it. */
export type LibraryRole =
  | 'EDITOR'
  | 'OWNER'
  | 'VIEWER';

/** Who put a tag there: a classifier model or a person. */
export type TagSource =
  | 'MODEL'
  | 'PERSON';

/** What a tag describes. COLOR is stored as 'colour'. */
export type TagType =
  | 'ALBUM'
  | 'COLOR'
  | 'EVENT'
  | 'LOCATION'
  | 'OBJECT'
  | 'PERSON'
  | 'SCENE'
  | 'STYLE'
  | 'USER';

export type LibraryEventsSubscriptionVariables = Exact<{
  libraryId: string;
  since?: string | null | undefined;
}>;


export type LibraryEventsSubscription = { events: { sequence: string, kind: EventKind, photoId: string | null, payload: string | null, createdAt: string | null, photo: { id: string, width: number | null, height: number | null, placeholder: string | null, takenAt: string | null, thumbnailUrl: string | null, rating: number, tags: Array<{ id: string, name: string, type: TagType, source: TagSource, confidence: number, box: Array<number> | null }>, files: Array<{ status: string }> } | null } };

export type JobProgressQueryVariables = Exact<{
  libraryId: string;
}>;


export type JobProgressQuery = { jobProgress: { queued: number, running: number, done: number, failed: number } };

export type PhotoJobsQueryVariables = Exact<{
  id: string;
}>;


export type PhotoJobsQuery = { photo: { id: string, thumbnailUrl: string | null, jobs: Array<{ stage: string, status: JobStatus, error: string | null }> } | null };

export type ClassifiersQueryVariables = Exact<{ [key: string]: never; }>;


export type ClassifiersQuery = { classifiers: Array<{ name: string, available: boolean }> };

export type MeQueryVariables = Exact<{ [key: string]: never; }>;


export type MeQuery = { me: { id: string, username: string, isAdmin: boolean } | null };

export type SessionQueryVariables = Exact<{ [key: string]: never; }>;


export type SessionQuery = { me: { id: string, username: string, isAdmin: boolean } | null, libraries: Array<{ id: string, name: string, role: LibraryRole, photoCount: number }> };

export type LoginMutationVariables = Exact<{
  username: string;
  password: string;
}>;


export type LoginMutation = { login: { accessToken: string, refreshToken: string, expiresIn: number, user: { id: string, username: string, isAdmin: boolean } } };

export type RefreshMutationVariables = Exact<{
  refreshToken: string;
}>;


export type RefreshMutation = { refreshToken: { accessToken: string, refreshToken: string, expiresIn: number, user: { id: string, username: string, isAdmin: boolean } } };

export type LogoutMutationVariables = Exact<{
  refreshToken: string;
}>;


export type LogoutMutation = { logout: boolean };

export type SetupRequiredQueryVariables = Exact<{ [key: string]: never; }>;


export type SetupRequiredQuery = { setupRequired: boolean };

export type CreateFirstAdminMutationVariables = Exact<{
  setupToken: string;
  username: string;
  password: string;
}>;


export type CreateFirstAdminMutation = { createFirstAdmin: { accessToken: string, refreshToken: string, expiresIn: number, user: { id: string, username: string, isAdmin: boolean } } };

export type ServerVersionQueryVariables = Exact<{ [key: string]: never; }>;


export type ServerVersionQuery = { serverVersion: string };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}

export const LibraryEventsDocument = new TypedDocumentString(`
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
      tags {
        id
        name
        type
        source
        confidence
        box
      }
      files {
        status
      }
    }
  }
}
    `) as unknown as TypedDocumentString<LibraryEventsSubscription, LibraryEventsSubscriptionVariables>;
export const JobProgressDocument = new TypedDocumentString(`
    query JobProgress($libraryId: ID!) {
  jobProgress(libraryId: $libraryId) {
    queued
    running
    done
    failed
  }
}
    `) as unknown as TypedDocumentString<JobProgressQuery, JobProgressQueryVariables>;
export const PhotoJobsDocument = new TypedDocumentString(`
    query PhotoJobs($id: ID!) {
  photo(id: $id) {
    id
    thumbnailUrl(size: GRID)
    jobs {
      stage
      status
      error
    }
  }
}
    `) as unknown as TypedDocumentString<PhotoJobsQuery, PhotoJobsQueryVariables>;
export const ClassifiersDocument = new TypedDocumentString(`
    query Classifiers {
  classifiers {
    name
    available
  }
}
    `) as unknown as TypedDocumentString<ClassifiersQuery, ClassifiersQueryVariables>;
export const MeDocument = new TypedDocumentString(`
    query Me {
  me {
    id
    username
    isAdmin
  }
}
    `) as unknown as TypedDocumentString<MeQuery, MeQueryVariables>;
export const SessionDocument = new TypedDocumentString(`
    query Session {
  me {
    id
    username
    isAdmin
  }
  libraries {
    id
    name
    role
    photoCount
  }
}
    `) as unknown as TypedDocumentString<SessionQuery, SessionQueryVariables>;
export const LoginDocument = new TypedDocumentString(`
    mutation Login($username: String!, $password: String!) {
  login(username: $username, password: $password) {
    accessToken
    refreshToken
    expiresIn
    user {
      id
      username
      isAdmin
    }
  }
}
    `) as unknown as TypedDocumentString<LoginMutation, LoginMutationVariables>;
export const RefreshDocument = new TypedDocumentString(`
    mutation Refresh($refreshToken: String!) {
  refreshToken(refreshToken: $refreshToken) {
    accessToken
    refreshToken
    expiresIn
    user {
      id
      username
      isAdmin
    }
  }
}
    `) as unknown as TypedDocumentString<RefreshMutation, RefreshMutationVariables>;
export const LogoutDocument = new TypedDocumentString(`
    mutation Logout($refreshToken: String!) {
  logout(refreshToken: $refreshToken)
}
    `) as unknown as TypedDocumentString<LogoutMutation, LogoutMutationVariables>;
export const SetupRequiredDocument = new TypedDocumentString(`
    query SetupRequired {
  setupRequired
}
    `) as unknown as TypedDocumentString<SetupRequiredQuery, SetupRequiredQueryVariables>;
export const CreateFirstAdminDocument = new TypedDocumentString(`
    mutation CreateFirstAdmin($setupToken: String!, $username: String!, $password: String!) {
  createFirstAdmin(
    setupToken: $setupToken
    username: $username
    password: $password
  ) {
    accessToken
    refreshToken
    expiresIn
    user {
      id
      username
      isAdmin
    }
  }
}
    `) as unknown as TypedDocumentString<CreateFirstAdminMutation, CreateFirstAdminMutationVariables>;
export const ServerVersionDocument = new TypedDocumentString(`
    query ServerVersion {
  serverVersion
}
    `) as unknown as TypedDocumentString<ServerVersionQuery, ServerVersionQueryVariables>;