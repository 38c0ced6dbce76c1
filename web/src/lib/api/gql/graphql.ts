/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** A box in degrees; west > east means it crosses the antimeridian. */
export type BoundingBox = {
  east: number;
  north: number;
  south: number;
  west: number;
};

/** What changed. New kinds may be added; clients should ignore kinds they do not know. */
export type EventKind =
  /** An album was deleted (its photos stay). payload: {"albumId"}. */
  | 'ALBUM_REMOVED'
  /**
   * An album was renamed, or photos were added to or taken out of it.
   * payload: {"albumId", "change": "name" | "photos"}.
   */
  | 'ALBUM_UPDATED'
  /**
   * A face was moved, taken off its person, confirmed or rejected (photoId: its photo).
   * payload: {"faceId", "personId", "previousPersonId", "status": "confirmed" | "rejected"}.
   */
  | 'FACE_UPDATED'
  | 'FILE_FAILED'
  | 'JOB_PROGRESS'
  /** A library folder cannot be reached (unplugged, unmounted); its photos are kept. */
  | 'LIBRARY_PATH_OFFLINE'
  /** A library folder is back; it is watched and reconciled again. */
  | 'LIBRARY_PATH_ONLINE'
  /** A library's classifier settings changed. payload: {"stage", "enabled"}. */
  | 'LIBRARY_SETTINGS'
  /**
   * A person is gone: merged into another (payload {"personId", "into"}), or an unnamed
   * group whose last face was moved away ({"personId", "into": null}).
   */
  | 'PERSON_REMOVED'
  /**
   * A person was named, merged into, given a cover, or gained or lost faces.
   * payload: {"personId", "change": "name" | "merge" | "cover" | "faces"}.
   */
  | 'PERSON_UPDATED'
  | 'PHOTO_ADDED'
  | 'PHOTO_METADATA'
  | 'PHOTO_MISSING'
  | 'PHOTO_REMOVED'
  /** A photo came back from the trash. */
  | 'PHOTO_RESTORED'
  | 'PHOTO_TAGGED'
  /** A photo went into the trash: drop it from every list. */
  | 'PHOTO_TRASHED'
  | 'PHOTO_UPDATED'
  /**
   * Where a rescan asked for over the API (`rescanLibrary`) stands, at most two a second per
   * scan. Payload: `path` (the folder), `phase` ("counting", "checking", then "done"), `done`
   * and `total` files checked, and on "done" the `counts` per outcome (new, changed,
   * unchanged, failed...) and how many files went `missing`.
   */
  | 'RESCAN_PROGRESS'
  | 'STAGE_DONE'
  | 'STAGE_STARTED';

/** Whether a face's person was decided by the model or by a person. */
export type FaceStatus =
  | 'AUTO'
  | 'CONFIRMED'
  | 'REJECTED';

/** An inclusive range; either end may be left out. */
export type FloatRange = {
  max?: number | null | undefined;
  min?: number | null | undefined;
};

/** An inclusive range; either end may be left out. */
export type IntRange = {
  max?: number | null | undefined;
  min?: number | null | undefined;
};

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

/** How the Map screen uses `MapTileSource.url`. */
export type MapTileKind =
  /** A MapLibre style JSON (its tiles, glyphs and sprites must come from the same origin). */
  | 'STYLE'
  /** A raster tile template with {z}, {x} and {y} (256 px tiles). */
  | 'TILES';

/** Every given condition must hold. */
export type PhotoFilter = {
  /** f-number. */
  aperture?: FloatRange | null | undefined;
  bbox?: BoundingBox | null | undefined;
  cameraId?: string | null | undefined;
  /** Seconds. */
  exposureTime?: FloatRange | null | undefined;
  flash?: boolean | null | undefined;
  /** Millimetres. */
  focalLength?: FloatRange | null | undefined;
  hasLocation?: boolean | null | undefined;
  /** One of these photos (at most 5000): a map cluster's photos, say. */
  ids?: Array<string> | null | undefined;
  iso?: IntRange | null | undefined;
  lensId?: string | null | undefined;
  /** 0-5. */
  minRating?: number | null | undefined;
  /** A face of this person (not rejected) is on the photo: a person's page. */
  personId?: string | null | undefined;
  /** Tag names (case-insensitive): the photo carries all of them (of tagType, when given). */
  tagNames?: Array<string> | null | undefined;
  /** The photo carries some tag of this type. */
  tagType?: TagType | null | undefined;
  /** Tag ids: the photo carries all of them. */
  tags?: Array<string> | null | undefined;
  /** Inclusive. Without an offset, compared with the wall-clock time of floating dates. */
  takenAfter?: string | null | undefined;
  /** Exclusive. */
  takenBefore?: string | null | undefined;
  /** Words: each must occur in the name of some tag of the photo (case-insensitive). */
  text?: string | null | undefined;
};

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

export type AlbumsQueryVariables = Exact<{
  libraryId: string;
}>;


export type AlbumsQuery = { albums: Array<{ id: string, name: string, photoCount: number, cover: { id: string, grid: string | null } | null }> };

export type CreateAlbumMutationVariables = Exact<{
  libraryId: string;
  name: string;
}>;


export type CreateAlbumMutation = { createAlbum: { id: string, name: string } };

export type RenameAlbumMutationVariables = Exact<{
  albumId: string;
  name: string;
}>;


export type RenameAlbumMutation = { renameAlbum: { id: string, name: string } };

export type DeleteAlbumMutationVariables = Exact<{
  albumId: string;
}>;


export type DeleteAlbumMutation = { deleteAlbum: boolean };

export type AddToAlbumMutationVariables = Exact<{
  albumId: string;
  photoIds: Array<string> | string;
}>;


export type AddToAlbumMutation = { addToAlbum: { id: string } };

export type RemoveFromAlbumMutationVariables = Exact<{
  albumId: string;
  photoIds: Array<string> | string;
}>;


export type RemoveFromAlbumMutation = { removeFromAlbum: { id: string } };

export type TrashPhotosMutationVariables = Exact<{
  photoIds: Array<string> | string;
}>;


export type TrashPhotosMutation = { trashPhotos: Array<string> };

export type RestorePhotosMutationVariables = Exact<{
  photoIds: Array<string> | string;
}>;


export type RestorePhotosMutation = { restorePhotos: Array<string> };

export type RotatePhotoMutationVariables = Exact<{
  photoId: string;
  rotation: number;
}>;


export type RotatePhotoMutation = { rotatePhoto: { id: string, rotation: number, width: number | null, height: number | null, grid: string | null, preview: string | null } };

export type LibraryEventsSubscriptionVariables = Exact<{
  libraryId: string;
  since?: string | null | undefined;
}>;


export type LibraryEventsSubscription = { events: { sequence: string, kind: EventKind, photoId: string | null, payload: string | null, createdAt: string | null, photo: { id: string, width: number | null, height: number | null, placeholder: string | null, takenAt: string | null, thumbnailUrl: string | null, durationMs: number | null, rating: number, tags: Array<{ id: string, name: string, type: TagType, source: TagSource, confidence: number, box: Array<number> | null }>, files: Array<{ status: string }> } | null } };

export type EventCursorQueryVariables = Exact<{ [key: string]: never; }>;


export type EventCursorQuery = { eventCursor: string };

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

export type MapPositionsQueryVariables = Exact<{
  libraryId: string;
  bbox: BoundingBox;
  limit?: number | null | undefined;
}>;


export type MapPositionsQuery = { mapPositions: { ids: Array<string>, latitudes: Array<number>, longitudes: Array<number>, truncated: boolean } };

export type ClusterPhotosQueryVariables = Exact<{
  libraryId: string;
  ids: Array<string> | string;
  first?: number | null | undefined;
}>;


export type ClusterPhotosQuery = { photos: { totalCount: number, edges: Array<{ node: { id: string, takenAt: string | null, grid: string | null } }> } };

export type MapTileSourceQueryVariables = Exact<{ [key: string]: never; }>;


export type MapTileSourceQuery = { mapTileSource: { url: string, kind: MapTileKind, attribution: string, origin: string } | null };

export type SetMapTileSourceMutationVariables = Exact<{
  url: string;
  attribution: string;
}>;


export type SetMapTileSourceMutation = { setMapTileSource: { url: string, kind: MapTileKind, attribution: string, origin: string } };

export type ClearMapTileSourceMutationVariables = Exact<{ [key: string]: never; }>;


export type ClearMapTileSourceMutation = { clearMapTileSource: boolean };

export type PeoplePageQueryVariables = Exact<{
  libraryId: string;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type PeoplePageQuery = { peoplePage: { totalCount: number, edges: Array<{ node: { id: string, name: string | null, photoCount: number, faceCount: number, cover: { id: string, cropUrl: string | null } | null } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type PersonCardFragment = { id: string, name: string | null, photoCount: number, faceCount: number, cover: { id: string, cropUrl: string | null } | null };

export type PersonQueryVariables = Exact<{
  id: string;
}>;


export type PersonQuery = { person: { libraryId: string, id: string, name: string | null, photoCount: number, faceCount: number, faces: Array<{ id: string, photoId: string, cropUrl: string | null, confidence: number, status: FaceStatus }>, cover: { id: string, cropUrl: string | null } | null } | null };

export type NamePersonMutationVariables = Exact<{
  personId: string;
  name: string;
}>;


export type NamePersonMutation = { namePerson: { id: string, name: string | null } };

export type MergePeopleMutationVariables = Exact<{
  targetId: string;
  sourceIds: Array<string> | string;
}>;


export type MergePeopleMutation = { mergePeople: { id: string } };

export type MoveFaceMutationVariables = Exact<{
  faceId: string;
  personId?: string | null | undefined;
}>;


export type MoveFaceMutation = { moveFace: { id: string, person: { id: string } | null } };

export type UnassignFaceMutationVariables = Exact<{
  faceId: string;
}>;


export type UnassignFaceMutation = { unassignFace: { id: string } };

export type RejectFaceMutationVariables = Exact<{
  faceId: string;
}>;


export type RejectFaceMutation = { rejectFace: { id: string } };

export type ConfirmFaceMutationVariables = Exact<{
  faceId: string;
}>;


export type ConfirmFaceMutation = { confirmFace: { id: string, status: FaceStatus } };

export type FaceReviewQueryVariables = Exact<{
  libraryId: string;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type FaceReviewQuery = { faceReview: { edges: Array<{ node: { id: string, photoId: string, cropUrl: string | null, confidence: number, status: FaceStatus, person: { id: string, name: string | null } | null } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type ViewerPhotoQueryVariables = Exact<{
  id: string;
}>;


export type ViewerPhotoQuery = { photo: { id: string, libraryId: string, takenAt: string | null, takenAtSource: string | null, timeZone: string | null, exposureTime: number | null, aperture: number | null, iso: number | null, focalLength: number | null, latitude: number | null, longitude: number | null, altitude: number | null, width: number | null, height: number | null, rating: number, rotation: number, placeholder: string | null, mediaType: string, durationMs: number | null, videoCodec: string | null, videoUrl: string | null, grid: string | null, preview: string | null, camera: { id: string, make: string, model: string } | null, lens: { id: string, name: string } | null, files: Array<{ path: string, status: string, role: string, mimeType: string | null }>, tags: Array<{ id: string, name: string, type: TagType, source: TagSource, confidence: number, box: Array<number> | null }>, faces: Array<{ id: string, box: Array<number>, confidence: number, person: { id: string, name: string | null } | null }> } | null };

export type ViewerPhotoFragment = { id: string, libraryId: string, takenAt: string | null, takenAtSource: string | null, timeZone: string | null, exposureTime: number | null, aperture: number | null, iso: number | null, focalLength: number | null, latitude: number | null, longitude: number | null, altitude: number | null, width: number | null, height: number | null, rating: number, rotation: number, placeholder: string | null, mediaType: string, durationMs: number | null, videoCodec: string | null, videoUrl: string | null, grid: string | null, preview: string | null, camera: { id: string, make: string, model: string } | null, lens: { id: string, name: string } | null, files: Array<{ path: string, status: string, role: string, mimeType: string | null }>, tags: Array<{ id: string, name: string, type: TagType, source: TagSource, confidence: number, box: Array<number> | null }>, faces: Array<{ id: string, box: Array<number>, confidence: number, person: { id: string, name: string | null } | null }> };

export type ViewerTagFragment = { id: string, name: string, type: TagType, source: TagSource, confidence: number, box: Array<number> | null };

export type RatePhotoMutationVariables = Exact<{
  photoId: string;
  rating: number;
}>;


export type RatePhotoMutation = { ratePhoto: { id: string, rating: number } };

export type AddPhotoTagMutationVariables = Exact<{
  photoId: string;
  name: string;
}>;


export type AddPhotoTagMutation = { addPhotoTag: { id: string, tags: Array<{ id: string, name: string, type: TagType, source: TagSource, confidence: number, box: Array<number> | null }> } };

export type RemovePhotoTagMutationVariables = Exact<{
  photoId: string;
  tagId: string;
}>;


export type RemovePhotoTagMutation = { removePhotoTag: { id: string, tags: Array<{ id: string, name: string, type: TagType, source: TagSource, confidence: number, box: Array<number> | null }> } };

export type SearchSuggestionsQueryVariables = Exact<{
  libraryId: string;
  text: string;
  first?: number | null | undefined;
}>;


export type SearchSuggestionsQuery = { searchSuggestions: Array<{ kind: string, id: string, label: string, tagType: TagType | null, photoCount: number | null }> };

export type FilterChoicesQueryVariables = Exact<{
  libraryId: string;
}>;


export type FilterChoicesQuery = { cameras: Array<{ photoCount: number, camera: { id: string, make: string, model: string } }>, lenses: Array<{ photoCount: number, lens: { id: string, name: string } }> };

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

export type ChangePasswordMutationVariables = Exact<{
  oldPassword: string;
  newPassword: string;
}>;


export type ChangePasswordMutation = { changePassword: boolean };

export type SignOutOthersMutationVariables = Exact<{ [key: string]: never; }>;


export type SignOutOthersMutation = { signOutOtherSessions: boolean };

export type LibrarySettingsQueryVariables = Exact<{
  libraryId: string;
}>;


export type LibrarySettingsQuery = { library: { id: string, name: string, role: LibraryRole, paths: Array<{ id: string, path: string, watch: boolean, online: boolean, offlineSince: string | null }>, uploadsFolder: { id: string } | null } | null, classifierSettings: Array<{ stage: string, enabled: boolean, available: boolean, reason: string | null }> };

export type StageProgressQueryVariables = Exact<{
  libraryId: string;
}>;


export type StageProgressQuery = { stageProgress: Array<{ stage: string, queued: number, running: number, done: number, failed: number, perMinute: number, etaSeconds: number | null }> };

export type SetClassifierMutationVariables = Exact<{
  libraryId: string;
  stage: string;
  enabled: boolean;
}>;


export type SetClassifierMutation = { setClassifierEnabled: { stage: string, enabled: boolean, available: boolean, reason: string | null, queued: number } };

export type RescanMutationVariables = Exact<{
  libraryId: string;
  path?: string | null | undefined;
}>;


export type RescanMutation = { rescanLibrary: boolean };

export type RetryFailedMutationVariables = Exact<{
  libraryId: string;
  stage?: string | null | undefined;
}>;


export type RetryFailedMutation = { retryFailedJobs: number };

export type UsersQueryVariables = Exact<{ [key: string]: never; }>;


export type UsersQuery = { users: Array<{ id: string, username: string, isAdmin: boolean, isActive: boolean }> };

export type CreateUserMutationVariables = Exact<{
  username: string;
  password: string;
  isAdmin?: boolean | null | undefined;
}>;


export type CreateUserMutation = { createUser: { id: string, username: string, isAdmin: boolean, isActive: boolean } };

export type SetUserActiveMutationVariables = Exact<{
  id: string;
  active: boolean;
}>;


export type SetUserActiveMutation = { setUserActive: { id: string, isActive: boolean } };

export type SetPathWatchMutationVariables = Exact<{
  id: string;
  watch: boolean;
}>;


export type SetPathWatchMutation = { setLibraryPathWatch: { id: string, watch: boolean, online: boolean, offlineSince: string | null, path: string } };

export type LibraryMembersQueryVariables = Exact<{
  libraryId: string;
}>;


export type LibraryMembersQuery = { library: { id: string, members: Array<{ userId: string, username: string, role: LibraryRole }> } | null };

export type AddMemberMutationVariables = Exact<{
  libraryId: string;
  username: string;
  role: LibraryRole;
}>;


export type AddMemberMutation = { addLibraryMember: { userId: string, username: string, role: LibraryRole } };

export type RemoveMemberMutationVariables = Exact<{
  libraryId: string;
  userId: string;
}>;


export type RemoveMemberMutation = { removeLibraryMember: boolean };

export type SetUploadsFolderMutationVariables = Exact<{
  libraryId: string;
  pathId?: string | null | undefined;
}>;


export type SetUploadsFolderMutation = { setUploadsFolder: { id: string, path: string } | null };

export type AddPathMutationVariables = Exact<{
  libraryId: string;
  path: string;
}>;


export type AddPathMutation = { addLibraryPath: { id: string, path: string, watch: boolean, online: boolean, offlineSince: string | null } };

export type RemovePathMutationVariables = Exact<{
  id: string;
}>;


export type RemovePathMutation = { removeLibraryPath: boolean };

export type ShareAlbumsQueryVariables = Exact<{
  libraryId: string;
}>;


export type ShareAlbumsQuery = { tags: Array<{ photoCount: number, tag: { id: string, name: string } }> };

export type ShareLinksQueryVariables = Exact<{
  libraryId: string;
}>;


export type ShareLinksQuery = { shareLinks: Array<{ id: string, albumName: string | null, filter: string | null, expiresAt: string | null, revokedAt: string | null, createdAt: string, allowedOrigins: Array<string>, viewCount: number, showLocation: boolean, showMetadata: boolean, showPeople: boolean, allowDownload: boolean }> };

export type CreateShareLinkMutationVariables = Exact<{
  libraryId: string;
  albumId?: string | null | undefined;
  filter?: PhotoFilter | null | undefined;
  expiresAt?: string | null | undefined;
  allowedOrigins?: Array<string> | string | null | undefined;
  showLocation?: boolean | null | undefined;
  showMetadata?: boolean | null | undefined;
  showPeople?: boolean | null | undefined;
  allowDownload?: boolean | null | undefined;
}>;


export type CreateShareLinkMutation = { createShareLink: { id: string, token: string | null, url: string | null, embedScript: string | null, embedIframe: string | null } };

export type RevokeShareLinkMutationVariables = Exact<{
  id: string;
}>;


export type RevokeShareLinkMutation = { revokeShareLink: boolean };

export type UserTagsQueryVariables = Exact<{
  libraryId: string;
}>;


export type UserTagsQuery = { tags: Array<{ photoCount: number, tag: { id: string, name: string } }> };

export type SelectionTagsQueryVariables = Exact<{
  libraryId: string;
  ids: Array<string> | string;
  first?: number | null | undefined;
}>;


export type SelectionTagsQuery = { photos: { edges: Array<{ node: { id: string, tags: Array<{ id: string, name: string, type: TagType }> } }> } };

export type TagPhotosMutationVariables = Exact<{
  libraryId: string;
  photoIds: Array<string> | string;
  name: string;
}>;


export type TagPhotosMutation = { tagPhotos: { photoIds: Array<string>, tag: { id: string, name: string } } };

export type UntagPhotosMutationVariables = Exact<{
  tagId: string;
  photoIds: Array<string> | string;
}>;


export type UntagPhotosMutation = { untagPhotos: { photoIds: Array<string>, tag: { id: string, name: string } } };

export type TimeBucketsQueryVariables = Exact<{
  libraryId: string;
  filter?: PhotoFilter | null | undefined;
}>;


export type TimeBucketsQuery = { timeBuckets: Array<{ month: string | null, count: number }> };

export type BucketPhotosQueryVariables = Exact<{
  libraryId: string;
  month?: string | null | undefined;
  filter?: PhotoFilter | null | undefined;
}>;


export type BucketPhotosQuery = { bucketPhotos: { month: string | null, ids: Array<string>, ratios: Array<number>, placeholders: Array<string | null>, takenAt: Array<string | null>, thumbnailUrls: Array<string>, missing: Array<boolean>, durations: Array<number | null> } };

export type TrashPageQueryVariables = Exact<{
  libraryId: string;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type TrashPageQuery = { trash: { totalCount: number, edges: Array<{ node: { id: string, width: number | null, height: number | null, placeholder: string | null, trashedAt: string | null, durationMs: number | null, thumbnailUrl: string | null } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type TrashTileFragment = { id: string, width: number | null, height: number | null, placeholder: string | null, trashedAt: string | null, durationMs: number | null, thumbnailUrl: string | null };

export type TrashedPhotoQueryVariables = Exact<{
  id: string;
}>;


export type TrashedPhotoQuery = { photo: { id: string, width: number | null, height: number | null, placeholder: string | null, trashedAt: string | null, durationMs: number | null, thumbnailUrl: string | null } | null };

export type EmptyTrashMutationVariables = Exact<{
  libraryId: string;
}>;


export type EmptyTrashMutation = { emptyTrash: number };

export type UploadTargetQueryVariables = Exact<{
  id: string;
}>;


export type UploadTargetQuery = { library: { id: string, canUpload: boolean } | null };

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
export const PersonCardFragmentDoc = new TypedDocumentString(`
    fragment PersonCard on Person {
  id
  name
  photoCount
  faceCount
  cover {
    id
    cropUrl
  }
}
    `, {"fragmentName":"PersonCard"}) as unknown as TypedDocumentString<PersonCardFragment, unknown>;
export const ViewerTagFragmentDoc = new TypedDocumentString(`
    fragment ViewerTag on PhotoTag {
  id
  name
  type
  source
  confidence
  box
}
    `, {"fragmentName":"ViewerTag"}) as unknown as TypedDocumentString<ViewerTagFragment, unknown>;
export const ViewerPhotoFragmentDoc = new TypedDocumentString(`
    fragment ViewerPhoto on Photo {
  id
  libraryId
  takenAt
  takenAtSource
  timeZone
  camera {
    id
    make
    model
  }
  lens {
    id
    name
  }
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
  files {
    path
    status
    role
    mimeType
  }
  mediaType
  durationMs
  videoCodec
  videoUrl
  tags {
    ...ViewerTag
  }
  faces {
    id
    box
    confidence
    person {
      id
      name
    }
  }
}
    fragment ViewerTag on PhotoTag {
  id
  name
  type
  source
  confidence
  box
}`, {"fragmentName":"ViewerPhoto"}) as unknown as TypedDocumentString<ViewerPhotoFragment, unknown>;
export const TrashTileFragmentDoc = new TypedDocumentString(`
    fragment TrashTile on Photo {
  id
  width
  height
  placeholder
  trashedAt
  durationMs
  thumbnailUrl(size: GRID)
}
    `, {"fragmentName":"TrashTile"}) as unknown as TypedDocumentString<TrashTileFragment, unknown>;
export const AlbumsDocument = new TypedDocumentString(`
    query Albums($libraryId: ID!) {
  albums(libraryId: $libraryId) {
    id
    name
    photoCount
    cover {
      id
      grid: thumbnailUrl(size: GRID)
    }
  }
}
    `) as unknown as TypedDocumentString<AlbumsQuery, AlbumsQueryVariables>;
export const CreateAlbumDocument = new TypedDocumentString(`
    mutation CreateAlbum($libraryId: ID!, $name: String!) {
  createAlbum(libraryId: $libraryId, name: $name) {
    id
    name
  }
}
    `) as unknown as TypedDocumentString<CreateAlbumMutation, CreateAlbumMutationVariables>;
export const RenameAlbumDocument = new TypedDocumentString(`
    mutation RenameAlbum($albumId: ID!, $name: String!) {
  renameAlbum(albumId: $albumId, name: $name) {
    id
    name
  }
}
    `) as unknown as TypedDocumentString<RenameAlbumMutation, RenameAlbumMutationVariables>;
export const DeleteAlbumDocument = new TypedDocumentString(`
    mutation DeleteAlbum($albumId: ID!) {
  deleteAlbum(albumId: $albumId)
}
    `) as unknown as TypedDocumentString<DeleteAlbumMutation, DeleteAlbumMutationVariables>;
export const AddToAlbumDocument = new TypedDocumentString(`
    mutation AddToAlbum($albumId: ID!, $photoIds: [ID!]!) {
  addToAlbum(albumId: $albumId, photoIds: $photoIds) {
    id
  }
}
    `) as unknown as TypedDocumentString<AddToAlbumMutation, AddToAlbumMutationVariables>;
export const RemoveFromAlbumDocument = new TypedDocumentString(`
    mutation RemoveFromAlbum($albumId: ID!, $photoIds: [ID!]!) {
  removeFromAlbum(albumId: $albumId, photoIds: $photoIds) {
    id
  }
}
    `) as unknown as TypedDocumentString<RemoveFromAlbumMutation, RemoveFromAlbumMutationVariables>;
export const TrashPhotosDocument = new TypedDocumentString(`
    mutation TrashPhotos($photoIds: [ID!]!) {
  trashPhotos(photoIds: $photoIds)
}
    `) as unknown as TypedDocumentString<TrashPhotosMutation, TrashPhotosMutationVariables>;
export const RestorePhotosDocument = new TypedDocumentString(`
    mutation RestorePhotos($photoIds: [ID!]!) {
  restorePhotos(photoIds: $photoIds)
}
    `) as unknown as TypedDocumentString<RestorePhotosMutation, RestorePhotosMutationVariables>;
export const RotatePhotoDocument = new TypedDocumentString(`
    mutation RotatePhoto($photoId: ID!, $rotation: Int!) {
  rotatePhoto(photoId: $photoId, rotation: $rotation) {
    id
    rotation
    width
    height
    grid: thumbnailUrl(size: GRID)
    preview: thumbnailUrl(size: PREVIEW)
  }
}
    `) as unknown as TypedDocumentString<RotatePhotoMutation, RotatePhotoMutationVariables>;
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
      durationMs
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
export const EventCursorDocument = new TypedDocumentString(`
    query EventCursor {
  eventCursor
}
    `) as unknown as TypedDocumentString<EventCursorQuery, EventCursorQueryVariables>;
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
export const MapPositionsDocument = new TypedDocumentString(`
    query MapPositions($libraryId: ID!, $bbox: BoundingBox!, $limit: Int) {
  mapPositions(libraryId: $libraryId, bbox: $bbox, limit: $limit) {
    ids
    latitudes
    longitudes
    truncated
  }
}
    `) as unknown as TypedDocumentString<MapPositionsQuery, MapPositionsQueryVariables>;
export const ClusterPhotosDocument = new TypedDocumentString(`
    query ClusterPhotos($libraryId: ID!, $ids: [ID!]!, $first: Int) {
  photos(libraryId: $libraryId, filter: {ids: $ids}, first: $first) {
    totalCount
    edges {
      node {
        id
        takenAt
        grid: thumbnailUrl(size: GRID)
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ClusterPhotosQuery, ClusterPhotosQueryVariables>;
export const MapTileSourceDocument = new TypedDocumentString(`
    query MapTileSource {
  mapTileSource {
    url
    kind
    attribution
    origin
  }
}
    `) as unknown as TypedDocumentString<MapTileSourceQuery, MapTileSourceQueryVariables>;
export const SetMapTileSourceDocument = new TypedDocumentString(`
    mutation SetMapTileSource($url: String!, $attribution: String!) {
  setMapTileSource(url: $url, attribution: $attribution) {
    url
    kind
    attribution
    origin
  }
}
    `) as unknown as TypedDocumentString<SetMapTileSourceMutation, SetMapTileSourceMutationVariables>;
export const ClearMapTileSourceDocument = new TypedDocumentString(`
    mutation ClearMapTileSource {
  clearMapTileSource
}
    `) as unknown as TypedDocumentString<ClearMapTileSourceMutation, ClearMapTileSourceMutationVariables>;
export const PeoplePageDocument = new TypedDocumentString(`
    query PeoplePage($libraryId: ID!, $first: Int, $after: String) {
  peoplePage(libraryId: $libraryId, first: $first, after: $after) {
    totalCount
    edges {
      node {
        ...PersonCard
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    fragment PersonCard on Person {
  id
  name
  photoCount
  faceCount
  cover {
    id
    cropUrl
  }
}`) as unknown as TypedDocumentString<PeoplePageQuery, PeoplePageQueryVariables>;
export const PersonDocument = new TypedDocumentString(`
    query Person($id: ID!) {
  person(id: $id) {
    ...PersonCard
    libraryId
    faces {
      id
      photoId
      cropUrl
      confidence
      status
    }
  }
}
    fragment PersonCard on Person {
  id
  name
  photoCount
  faceCount
  cover {
    id
    cropUrl
  }
}`) as unknown as TypedDocumentString<PersonQuery, PersonQueryVariables>;
export const NamePersonDocument = new TypedDocumentString(`
    mutation NamePerson($personId: ID!, $name: String!) {
  namePerson(personId: $personId, name: $name) {
    id
    name
  }
}
    `) as unknown as TypedDocumentString<NamePersonMutation, NamePersonMutationVariables>;
export const MergePeopleDocument = new TypedDocumentString(`
    mutation MergePeople($targetId: ID!, $sourceIds: [ID!]!) {
  mergePeople(targetId: $targetId, sourceIds: $sourceIds) {
    id
  }
}
    `) as unknown as TypedDocumentString<MergePeopleMutation, MergePeopleMutationVariables>;
export const MoveFaceDocument = new TypedDocumentString(`
    mutation MoveFace($faceId: ID!, $personId: ID) {
  moveFace(faceId: $faceId, personId: $personId) {
    id
    person {
      id
    }
  }
}
    `) as unknown as TypedDocumentString<MoveFaceMutation, MoveFaceMutationVariables>;
export const UnassignFaceDocument = new TypedDocumentString(`
    mutation UnassignFace($faceId: ID!) {
  unassignFace(faceId: $faceId) {
    id
  }
}
    `) as unknown as TypedDocumentString<UnassignFaceMutation, UnassignFaceMutationVariables>;
export const RejectFaceDocument = new TypedDocumentString(`
    mutation RejectFace($faceId: ID!) {
  rejectFace(faceId: $faceId) {
    id
  }
}
    `) as unknown as TypedDocumentString<RejectFaceMutation, RejectFaceMutationVariables>;
export const ConfirmFaceDocument = new TypedDocumentString(`
    mutation ConfirmFace($faceId: ID!) {
  confirmFace(faceId: $faceId) {
    id
    status
  }
}
    `) as unknown as TypedDocumentString<ConfirmFaceMutation, ConfirmFaceMutationVariables>;
export const FaceReviewDocument = new TypedDocumentString(`
    query FaceReview($libraryId: ID!, $first: Int, $after: String) {
  faceReview(libraryId: $libraryId, first: $first, after: $after) {
    edges {
      node {
        id
        photoId
        cropUrl
        confidence
        status
        person {
          id
          name
        }
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    `) as unknown as TypedDocumentString<FaceReviewQuery, FaceReviewQueryVariables>;
export const ViewerPhotoDocument = new TypedDocumentString(`
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
  camera {
    id
    make
    model
  }
  lens {
    id
    name
  }
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
  files {
    path
    status
    role
    mimeType
  }
  mediaType
  durationMs
  videoCodec
  videoUrl
  tags {
    ...ViewerTag
  }
  faces {
    id
    box
    confidence
    person {
      id
      name
    }
  }
}
fragment ViewerTag on PhotoTag {
  id
  name
  type
  source
  confidence
  box
}`) as unknown as TypedDocumentString<ViewerPhotoQuery, ViewerPhotoQueryVariables>;
export const RatePhotoDocument = new TypedDocumentString(`
    mutation RatePhoto($photoId: ID!, $rating: Int!) {
  ratePhoto(photoId: $photoId, rating: $rating) {
    id
    rating
  }
}
    `) as unknown as TypedDocumentString<RatePhotoMutation, RatePhotoMutationVariables>;
export const AddPhotoTagDocument = new TypedDocumentString(`
    mutation AddPhotoTag($photoId: ID!, $name: String!) {
  addPhotoTag(photoId: $photoId, name: $name) {
    id
    tags {
      ...ViewerTag
    }
  }
}
    fragment ViewerTag on PhotoTag {
  id
  name
  type
  source
  confidence
  box
}`) as unknown as TypedDocumentString<AddPhotoTagMutation, AddPhotoTagMutationVariables>;
export const RemovePhotoTagDocument = new TypedDocumentString(`
    mutation RemovePhotoTag($photoId: ID!, $tagId: ID!) {
  removePhotoTag(photoId: $photoId, tagId: $tagId) {
    id
    tags {
      ...ViewerTag
    }
  }
}
    fragment ViewerTag on PhotoTag {
  id
  name
  type
  source
  confidence
  box
}`) as unknown as TypedDocumentString<RemovePhotoTagMutation, RemovePhotoTagMutationVariables>;
export const SearchSuggestionsDocument = new TypedDocumentString(`
    query SearchSuggestions($libraryId: ID!, $text: String!, $first: Int) {
  searchSuggestions(libraryId: $libraryId, text: $text, first: $first) {
    kind
    id
    label
    tagType
    photoCount
  }
}
    `) as unknown as TypedDocumentString<SearchSuggestionsQuery, SearchSuggestionsQueryVariables>;
export const FilterChoicesDocument = new TypedDocumentString(`
    query FilterChoices($libraryId: ID!) {
  cameras(libraryId: $libraryId) {
    camera {
      id
      make
      model
    }
    photoCount
  }
  lenses(libraryId: $libraryId) {
    lens {
      id
      name
    }
    photoCount
  }
}
    `) as unknown as TypedDocumentString<FilterChoicesQuery, FilterChoicesQueryVariables>;
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
export const ChangePasswordDocument = new TypedDocumentString(`
    mutation ChangePassword($oldPassword: String!, $newPassword: String!) {
  changePassword(oldPassword: $oldPassword, newPassword: $newPassword)
}
    `) as unknown as TypedDocumentString<ChangePasswordMutation, ChangePasswordMutationVariables>;
export const SignOutOthersDocument = new TypedDocumentString(`
    mutation SignOutOthers {
  signOutOtherSessions
}
    `) as unknown as TypedDocumentString<SignOutOthersMutation, SignOutOthersMutationVariables>;
export const LibrarySettingsDocument = new TypedDocumentString(`
    query LibrarySettings($libraryId: ID!) {
  library(id: $libraryId) {
    id
    name
    role
    paths {
      id
      path
      watch
      online
      offlineSince
    }
    uploadsFolder {
      id
    }
  }
  classifierSettings(libraryId: $libraryId) {
    stage
    enabled
    available
    reason
  }
}
    `) as unknown as TypedDocumentString<LibrarySettingsQuery, LibrarySettingsQueryVariables>;
export const StageProgressDocument = new TypedDocumentString(`
    query StageProgress($libraryId: ID!) {
  stageProgress(libraryId: $libraryId) {
    stage
    queued
    running
    done
    failed
    perMinute
    etaSeconds
  }
}
    `) as unknown as TypedDocumentString<StageProgressQuery, StageProgressQueryVariables>;
export const SetClassifierDocument = new TypedDocumentString(`
    mutation SetClassifier($libraryId: ID!, $stage: String!, $enabled: Boolean!) {
  setClassifierEnabled(libraryId: $libraryId, stage: $stage, enabled: $enabled) {
    stage
    enabled
    available
    reason
    queued
  }
}
    `) as unknown as TypedDocumentString<SetClassifierMutation, SetClassifierMutationVariables>;
export const RescanDocument = new TypedDocumentString(`
    mutation Rescan($libraryId: ID!, $path: String) {
  rescanLibrary(libraryId: $libraryId, path: $path)
}
    `) as unknown as TypedDocumentString<RescanMutation, RescanMutationVariables>;
export const RetryFailedDocument = new TypedDocumentString(`
    mutation RetryFailed($libraryId: ID!, $stage: String) {
  retryFailedJobs(libraryId: $libraryId, stage: $stage)
}
    `) as unknown as TypedDocumentString<RetryFailedMutation, RetryFailedMutationVariables>;
export const UsersDocument = new TypedDocumentString(`
    query Users {
  users {
    id
    username
    isAdmin
    isActive
  }
}
    `) as unknown as TypedDocumentString<UsersQuery, UsersQueryVariables>;
export const CreateUserDocument = new TypedDocumentString(`
    mutation CreateUser($username: String!, $password: String!, $isAdmin: Boolean) {
  createUser(username: $username, password: $password, isAdmin: $isAdmin) {
    id
    username
    isAdmin
    isActive
  }
}
    `) as unknown as TypedDocumentString<CreateUserMutation, CreateUserMutationVariables>;
export const SetUserActiveDocument = new TypedDocumentString(`
    mutation SetUserActive($id: ID!, $active: Boolean!) {
  setUserActive(id: $id, active: $active) {
    id
    isActive
  }
}
    `) as unknown as TypedDocumentString<SetUserActiveMutation, SetUserActiveMutationVariables>;
export const SetPathWatchDocument = new TypedDocumentString(`
    mutation SetPathWatch($id: ID!, $watch: Boolean!) {
  setLibraryPathWatch(id: $id, watch: $watch) {
    id
    watch
    online
    offlineSince
    path
  }
}
    `) as unknown as TypedDocumentString<SetPathWatchMutation, SetPathWatchMutationVariables>;
export const LibraryMembersDocument = new TypedDocumentString(`
    query LibraryMembers($libraryId: ID!) {
  library(id: $libraryId) {
    id
    members {
      userId
      username
      role
    }
  }
}
    `) as unknown as TypedDocumentString<LibraryMembersQuery, LibraryMembersQueryVariables>;
export const AddMemberDocument = new TypedDocumentString(`
    mutation AddMember($libraryId: ID!, $username: String!, $role: LibraryRole!) {
  addLibraryMember(libraryId: $libraryId, username: $username, role: $role) {
    userId
    username
    role
  }
}
    `) as unknown as TypedDocumentString<AddMemberMutation, AddMemberMutationVariables>;
export const RemoveMemberDocument = new TypedDocumentString(`
    mutation RemoveMember($libraryId: ID!, $userId: ID!) {
  removeLibraryMember(libraryId: $libraryId, userId: $userId)
}
    `) as unknown as TypedDocumentString<RemoveMemberMutation, RemoveMemberMutationVariables>;
export const SetUploadsFolderDocument = new TypedDocumentString(`
    mutation SetUploadsFolder($libraryId: ID!, $pathId: ID) {
  setUploadsFolder(libraryId: $libraryId, pathId: $pathId) {
    id
    path
  }
}
    `) as unknown as TypedDocumentString<SetUploadsFolderMutation, SetUploadsFolderMutationVariables>;
export const AddPathDocument = new TypedDocumentString(`
    mutation AddPath($libraryId: ID!, $path: String!) {
  addLibraryPath(libraryId: $libraryId, path: $path) {
    id
    path
    watch
    online
    offlineSince
  }
}
    `) as unknown as TypedDocumentString<AddPathMutation, AddPathMutationVariables>;
export const RemovePathDocument = new TypedDocumentString(`
    mutation RemovePath($id: ID!) {
  removeLibraryPath(id: $id)
}
    `) as unknown as TypedDocumentString<RemovePathMutation, RemovePathMutationVariables>;
export const ShareAlbumsDocument = new TypedDocumentString(`
    query ShareAlbums($libraryId: ID!) {
  tags(libraryId: $libraryId, type: ALBUM) {
    tag {
      id
      name
    }
    photoCount
  }
}
    `) as unknown as TypedDocumentString<ShareAlbumsQuery, ShareAlbumsQueryVariables>;
export const ShareLinksDocument = new TypedDocumentString(`
    query ShareLinks($libraryId: ID!) {
  shareLinks(libraryId: $libraryId) {
    id
    albumName
    filter
    expiresAt
    revokedAt
    createdAt
    allowedOrigins
    viewCount
    showLocation
    showMetadata
    showPeople
    allowDownload
  }
}
    `) as unknown as TypedDocumentString<ShareLinksQuery, ShareLinksQueryVariables>;
export const CreateShareLinkDocument = new TypedDocumentString(`
    mutation CreateShareLink($libraryId: ID!, $albumId: ID, $filter: PhotoFilter, $expiresAt: DateTime, $allowedOrigins: [String!], $showLocation: Boolean, $showMetadata: Boolean, $showPeople: Boolean, $allowDownload: Boolean) {
  createShareLink(
    libraryId: $libraryId
    albumId: $albumId
    filter: $filter
    expiresAt: $expiresAt
    allowedOrigins: $allowedOrigins
    showLocation: $showLocation
    showMetadata: $showMetadata
    showPeople: $showPeople
    allowDownload: $allowDownload
  ) {
    id
    token
    url
    embedScript
    embedIframe
  }
}
    `) as unknown as TypedDocumentString<CreateShareLinkMutation, CreateShareLinkMutationVariables>;
export const RevokeShareLinkDocument = new TypedDocumentString(`
    mutation RevokeShareLink($id: ID!) {
  revokeShareLink(id: $id)
}
    `) as unknown as TypedDocumentString<RevokeShareLinkMutation, RevokeShareLinkMutationVariables>;
export const UserTagsDocument = new TypedDocumentString(`
    query UserTags($libraryId: ID!) {
  tags(libraryId: $libraryId, type: USER) {
    tag {
      id
      name
    }
    photoCount
  }
}
    `) as unknown as TypedDocumentString<UserTagsQuery, UserTagsQueryVariables>;
export const SelectionTagsDocument = new TypedDocumentString(`
    query SelectionTags($libraryId: ID!, $ids: [ID!]!, $first: Int) {
  photos(libraryId: $libraryId, filter: {ids: $ids}, first: $first) {
    edges {
      node {
        id
        tags {
          id
          name
          type
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<SelectionTagsQuery, SelectionTagsQueryVariables>;
export const TagPhotosDocument = new TypedDocumentString(`
    mutation TagPhotos($libraryId: ID!, $photoIds: [ID!]!, $name: String!) {
  tagPhotos(libraryId: $libraryId, photoIds: $photoIds, name: $name) {
    tag {
      id
      name
    }
    photoIds
  }
}
    `) as unknown as TypedDocumentString<TagPhotosMutation, TagPhotosMutationVariables>;
export const UntagPhotosDocument = new TypedDocumentString(`
    mutation UntagPhotos($tagId: ID!, $photoIds: [ID!]!) {
  untagPhotos(tagId: $tagId, photoIds: $photoIds) {
    tag {
      id
      name
    }
    photoIds
  }
}
    `) as unknown as TypedDocumentString<UntagPhotosMutation, UntagPhotosMutationVariables>;
export const TimeBucketsDocument = new TypedDocumentString(`
    query TimeBuckets($libraryId: ID!, $filter: PhotoFilter) {
  timeBuckets(libraryId: $libraryId, filter: $filter) {
    month
    count
  }
}
    `) as unknown as TypedDocumentString<TimeBucketsQuery, TimeBucketsQueryVariables>;
export const BucketPhotosDocument = new TypedDocumentString(`
    query BucketPhotos($libraryId: ID!, $month: String, $filter: PhotoFilter) {
  bucketPhotos(libraryId: $libraryId, month: $month, filter: $filter) {
    month
    ids
    ratios
    placeholders
    takenAt
    thumbnailUrls
    missing
    durations
  }
}
    `) as unknown as TypedDocumentString<BucketPhotosQuery, BucketPhotosQueryVariables>;
export const TrashPageDocument = new TypedDocumentString(`
    query TrashPage($libraryId: ID!, $first: Int, $after: String) {
  trash(libraryId: $libraryId, first: $first, after: $after) {
    totalCount
    edges {
      node {
        ...TrashTile
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    fragment TrashTile on Photo {
  id
  width
  height
  placeholder
  trashedAt
  durationMs
  thumbnailUrl(size: GRID)
}`) as unknown as TypedDocumentString<TrashPageQuery, TrashPageQueryVariables>;
export const TrashedPhotoDocument = new TypedDocumentString(`
    query TrashedPhoto($id: ID!) {
  photo(id: $id) {
    ...TrashTile
  }
}
    fragment TrashTile on Photo {
  id
  width
  height
  placeholder
  trashedAt
  durationMs
  thumbnailUrl(size: GRID)
}`) as unknown as TypedDocumentString<TrashedPhotoQuery, TrashedPhotoQueryVariables>;
export const EmptyTrashDocument = new TypedDocumentString(`
    mutation EmptyTrash($libraryId: ID!) {
  emptyTrash(libraryId: $libraryId)
}
    `) as unknown as TypedDocumentString<EmptyTrashMutation, EmptyTrashMutationVariables>;
export const UploadTargetDocument = new TypedDocumentString(`
    query UploadTarget($id: ID!) {
  library(id: $id) {
    id
    canUpload
  }
}
    `) as unknown as TypedDocumentString<UploadTargetQuery, UploadTargetQueryVariables>;