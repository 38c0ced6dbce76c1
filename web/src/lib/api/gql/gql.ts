/* eslint-disable */
import * as types from './graphql';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query Albums($libraryId: ID!) {\n    albums(libraryId: $libraryId) {\n      id name photoCount\n      cover { id grid: thumbnailUrl(size: GRID) }\n    }\n  }\n": typeof types.AlbumsDocument,
    "\n  mutation CreateAlbum($libraryId: ID!, $name: String!) {\n    createAlbum(libraryId: $libraryId, name: $name) { id name }\n  }\n": typeof types.CreateAlbumDocument,
    "\n  mutation RenameAlbum($albumId: ID!, $name: String!) {\n    renameAlbum(albumId: $albumId, name: $name) { id name }\n  }\n": typeof types.RenameAlbumDocument,
    "\n  mutation DeleteAlbum($albumId: ID!) {\n    deleteAlbum(albumId: $albumId)\n  }\n": typeof types.DeleteAlbumDocument,
    "\n  mutation AddToAlbum($albumId: ID!, $photoIds: [ID!]!) {\n    addToAlbum(albumId: $albumId, photoIds: $photoIds) { id }\n  }\n": typeof types.AddToAlbumDocument,
    "\n  mutation RemoveFromAlbum($albumId: ID!, $photoIds: [ID!]!) {\n    removeFromAlbum(albumId: $albumId, photoIds: $photoIds) { id }\n  }\n": typeof types.RemoveFromAlbumDocument,
    "\n  mutation TrashPhotos($photoIds: [ID!]!) {\n    trashPhotos(photoIds: $photoIds)\n  }\n": typeof types.TrashPhotosDocument,
    "\n  mutation RestorePhotos($photoIds: [ID!]!) {\n    restorePhotos(photoIds: $photoIds)\n  }\n": typeof types.RestorePhotosDocument,
    "\n  mutation RotatePhoto($photoId: ID!, $rotation: Int!) {\n    rotatePhoto(photoId: $photoId, rotation: $rotation) {\n      id rotation width height\n      grid: thumbnailUrl(size: GRID)\n      preview: thumbnailUrl(size: PREVIEW)\n    }\n  }\n": typeof types.RotatePhotoDocument,
    "\n  subscription LibraryEvents($libraryId: ID!, $since: String) {\n    events(libraryId: $libraryId, since: $since) {\n      sequence\n      kind\n      photoId\n      payload\n      createdAt\n      photo {\n        id\n        width\n        height\n        placeholder\n        takenAt\n        thumbnailUrl(size: GRID)\n        durationMs\n        rating\n        tags { id name type source confidence box }\n        files { status }\n      }\n    }\n  }\n": typeof types.LibraryEventsDocument,
    "\n  query EventCursor {\n    eventCursor\n  }\n": typeof types.EventCursorDocument,
    "\n  query JobProgress($libraryId: ID!) {\n    jobProgress(libraryId: $libraryId) { queued running done failed }\n  }\n": typeof types.JobProgressDocument,
    "\n  query PhotoJobs($id: ID!) {\n    photo(id: $id) {\n      id\n      thumbnailUrl(size: GRID)\n      jobs { stage status error }\n    }\n  }\n": typeof types.PhotoJobsDocument,
    "\n  query Classifiers {\n    classifiers { name available }\n  }\n": typeof types.ClassifiersDocument,
    "\n  query MapPositions($libraryId: ID!, $bbox: BoundingBox!, $limit: Int) {\n    mapPositions(libraryId: $libraryId, bbox: $bbox, limit: $limit) {\n      ids latitudes longitudes truncated\n    }\n  }\n": typeof types.MapPositionsDocument,
    "\n  query ClusterPhotos($libraryId: ID!, $ids: [ID!]!, $first: Int) {\n    photos(libraryId: $libraryId, filter: { ids: $ids }, first: $first) {\n      totalCount\n      edges { node { id takenAt grid: thumbnailUrl(size: GRID) } }\n    }\n  }\n": typeof types.ClusterPhotosDocument,
    "\n  query MapTileSource {\n    mapTileSource { url kind attribution origin }\n  }\n": typeof types.MapTileSourceDocument,
    "\n  mutation SetMapTileSource($url: String!, $attribution: String!) {\n    setMapTileSource(url: $url, attribution: $attribution) { url kind attribution origin }\n  }\n": typeof types.SetMapTileSourceDocument,
    "\n  mutation ClearMapTileSource {\n    clearMapTileSource\n  }\n": typeof types.ClearMapTileSourceDocument,
    "\n  query PeoplePage($libraryId: ID!, $first: Int, $after: String) {\n    peoplePage(libraryId: $libraryId, first: $first, after: $after) {\n      totalCount\n      edges { node { ...PersonCard } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n\n  fragment PersonCard on Person {\n    id name photoCount faceCount\n    cover { id cropUrl }\n  }\n": typeof types.PeoplePageDocument,
    "\n  query Person($id: ID!) {\n    person(id: $id) {\n      ...PersonCard\n      libraryId\n      faces { id photoId cropUrl confidence status }\n    }\n  }\n": typeof types.PersonDocument,
    "\n  mutation NamePerson($personId: ID!, $name: String!) {\n    namePerson(personId: $personId, name: $name) { id name }\n  }\n": typeof types.NamePersonDocument,
    "\n  mutation MergePeople($targetId: ID!, $sourceIds: [ID!]!) {\n    mergePeople(targetId: $targetId, sourceIds: $sourceIds) { id }\n  }\n": typeof types.MergePeopleDocument,
    "\n  mutation MoveFace($faceId: ID!, $personId: ID) {\n    moveFace(faceId: $faceId, personId: $personId) { id person { id } }\n  }\n": typeof types.MoveFaceDocument,
    "\n  mutation UnassignFace($faceId: ID!) {\n    unassignFace(faceId: $faceId) { id }\n  }\n": typeof types.UnassignFaceDocument,
    "\n  mutation RejectFace($faceId: ID!) {\n    rejectFace(faceId: $faceId) { id }\n  }\n": typeof types.RejectFaceDocument,
    "\n  mutation ConfirmFace($faceId: ID!) {\n    confirmFace(faceId: $faceId) { id status }\n  }\n": typeof types.ConfirmFaceDocument,
    "\n  query FaceReview($libraryId: ID!, $first: Int, $after: String) {\n    faceReview(libraryId: $libraryId, first: $first, after: $after) {\n      edges { node { id photoId cropUrl confidence status person { id name } } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.FaceReviewDocument,
    "\n  query ViewerPhoto($id: ID!) {\n    photo(id: $id) {\n      ...ViewerPhoto\n    }\n  }\n\n  fragment ViewerPhoto on Photo {\n    id\n    libraryId\n    takenAt\n    takenAtSource\n    timeZone\n    camera { id make model }\n    lens { id name }\n    exposureTime\n    aperture\n    iso\n    focalLength\n    latitude\n    longitude\n    altitude\n    width\n    height\n    rating\n    rotation\n    placeholder\n    grid: thumbnailUrl(size: GRID)\n    preview: thumbnailUrl(size: PREVIEW)\n    files { path status role mimeType }\n    mediaType\n    durationMs\n    videoCodec\n    videoUrl\n    tags { ...ViewerTag }\n    faces { id box confidence person { id name } }\n  }\n\n  fragment ViewerTag on PhotoTag {\n    id name type source confidence box\n  }\n": typeof types.ViewerPhotoDocument,
    "\n  mutation RatePhoto($photoId: ID!, $rating: Int!) {\n    ratePhoto(photoId: $photoId, rating: $rating) { id rating }\n  }\n": typeof types.RatePhotoDocument,
    "\n  mutation AddPhotoTag($photoId: ID!, $name: String!) {\n    addPhotoTag(photoId: $photoId, name: $name) { id tags { ...ViewerTag } }\n  }\n": typeof types.AddPhotoTagDocument,
    "\n  mutation RemovePhotoTag($photoId: ID!, $tagId: ID!) {\n    removePhotoTag(photoId: $photoId, tagId: $tagId) { id tags { ...ViewerTag } }\n  }\n": typeof types.RemovePhotoTagDocument,
    "\n  query SearchSuggestions($libraryId: ID!, $text: String!, $first: Int) {\n    searchSuggestions(libraryId: $libraryId, text: $text, first: $first) {\n      kind id label tagType photoCount\n    }\n  }\n": typeof types.SearchSuggestionsDocument,
    "\n  query FilterChoices($libraryId: ID!) {\n    cameras(libraryId: $libraryId) { camera { id make model } photoCount }\n    lenses(libraryId: $libraryId) { lens { id name } photoCount }\n  }\n": typeof types.FilterChoicesDocument,
    "\n  query Me {\n    me { id username isAdmin }\n  }\n": typeof types.MeDocument,
    "\n  query Session {\n    me { id username isAdmin }\n    libraries { id name role photoCount }\n  }\n": typeof types.SessionDocument,
    "\n  mutation Login($username: String!, $password: String!) {\n    login(username: $username, password: $password) {\n      accessToken refreshToken expiresIn\n      user { id username isAdmin }\n    }\n  }\n": typeof types.LoginDocument,
    "\n  mutation Refresh($refreshToken: String!) {\n    refreshToken(refreshToken: $refreshToken) {\n      accessToken refreshToken expiresIn\n      user { id username isAdmin }\n    }\n  }\n": typeof types.RefreshDocument,
    "\n  mutation Logout($refreshToken: String!) {\n    logout(refreshToken: $refreshToken)\n  }\n": typeof types.LogoutDocument,
    "\n  query SetupRequired {\n    setupRequired\n  }\n": typeof types.SetupRequiredDocument,
    "\n  mutation CreateFirstAdmin($setupToken: String!, $username: String!, $password: String!) {\n    createFirstAdmin(setupToken: $setupToken, username: $username, password: $password) {\n      accessToken refreshToken expiresIn\n      user { id username isAdmin }\n    }\n  }\n": typeof types.CreateFirstAdminDocument,
    "\n  query ServerVersion {\n    serverVersion\n  }\n": typeof types.ServerVersionDocument,
    "\n  mutation ChangePassword($oldPassword: String!, $newPassword: String!) {\n    changePassword(oldPassword: $oldPassword, newPassword: $newPassword)\n  }\n": typeof types.ChangePasswordDocument,
    "\n  mutation SignOutOthers { signOutOtherSessions }\n": typeof types.SignOutOthersDocument,
    "\n  query LibrarySettings($libraryId: ID!) {\n    library(id: $libraryId) {\n      id name role\n      paths { id path watch online offlineSince }\n      uploadsFolder { id }\n    }\n    classifierSettings(libraryId: $libraryId) { stage enabled available reason }\n  }\n": typeof types.LibrarySettingsDocument,
    "\n  query StageProgress($libraryId: ID!) {\n    stageProgress(libraryId: $libraryId) {\n      stage queued running done failed perMinute etaSeconds\n    }\n  }\n": typeof types.StageProgressDocument,
    "\n  mutation SetClassifier($libraryId: ID!, $stage: String!, $enabled: Boolean!) {\n    setClassifierEnabled(libraryId: $libraryId, stage: $stage, enabled: $enabled) {\n      stage enabled available reason queued\n    }\n  }\n": typeof types.SetClassifierDocument,
    "\n  mutation Rescan($libraryId: ID!, $path: String) {\n    rescanLibrary(libraryId: $libraryId, path: $path)\n  }\n": typeof types.RescanDocument,
    "\n  mutation RetryFailed($libraryId: ID!, $stage: String) {\n    retryFailedJobs(libraryId: $libraryId, stage: $stage)\n  }\n": typeof types.RetryFailedDocument,
    "\n  query Users { users { id username isAdmin isActive } }\n": typeof types.UsersDocument,
    "\n  mutation CreateUser($username: String!, $password: String!, $isAdmin: Boolean) {\n    createUser(username: $username, password: $password, isAdmin: $isAdmin) {\n      id username isAdmin isActive\n    }\n  }\n": typeof types.CreateUserDocument,
    "\n  mutation SetUserActive($id: ID!, $active: Boolean!) {\n    setUserActive(id: $id, active: $active) { id isActive }\n  }\n": typeof types.SetUserActiveDocument,
    "\n  mutation SetPathWatch($id: ID!, $watch: Boolean!) {\n    setLibraryPathWatch(id: $id, watch: $watch) { id watch online offlineSince path }\n  }\n": typeof types.SetPathWatchDocument,
    "\n  query LibraryMembers($libraryId: ID!) {\n    library(id: $libraryId) { id members { userId username role } }\n  }\n": typeof types.LibraryMembersDocument,
    "\n  mutation AddMember($libraryId: ID!, $username: String!, $role: LibraryRole!) {\n    addLibraryMember(libraryId: $libraryId, username: $username, role: $role) {\n      userId username role\n    }\n  }\n": typeof types.AddMemberDocument,
    "\n  mutation RemoveMember($libraryId: ID!, $userId: ID!) {\n    removeLibraryMember(libraryId: $libraryId, userId: $userId)\n  }\n": typeof types.RemoveMemberDocument,
    "\n  mutation SetUploadsFolder($libraryId: ID!, $pathId: ID) {\n    setUploadsFolder(libraryId: $libraryId, pathId: $pathId) { id path }\n  }\n": typeof types.SetUploadsFolderDocument,
    "\n  mutation AddPath($libraryId: ID!, $path: String!) {\n    addLibraryPath(libraryId: $libraryId, path: $path) { id path watch online offlineSince }\n  }\n": typeof types.AddPathDocument,
    "\n  mutation RemovePath($id: ID!) { removeLibraryPath(id: $id) }\n": typeof types.RemovePathDocument,
    "\n  query ShareAlbums($libraryId: ID!) {\n    tags(libraryId: $libraryId, type: ALBUM) { tag { id name } photoCount }\n  }\n": typeof types.ShareAlbumsDocument,
    "\n  query ShareLinks($libraryId: ID!) {\n    shareLinks(libraryId: $libraryId) {\n      id albumName filter expiresAt revokedAt createdAt allowedOrigins viewCount\n      showLocation showMetadata showPeople allowDownload\n    }\n  }\n": typeof types.ShareLinksDocument,
    "\n  mutation CreateShareLink($libraryId: ID!, $albumId: ID, $filter: PhotoFilter,\n                           $expiresAt: DateTime, $allowedOrigins: [String!],\n                           $showLocation: Boolean, $showMetadata: Boolean, $showPeople: Boolean,\n                           $allowDownload: Boolean) {\n    createShareLink(libraryId: $libraryId, albumId: $albumId, filter: $filter,\n                    expiresAt: $expiresAt, allowedOrigins: $allowedOrigins,\n                    showLocation: $showLocation, showMetadata: $showMetadata,\n                    showPeople: $showPeople, allowDownload: $allowDownload) {\n      id token url embedScript embedIframe\n    }\n  }\n": typeof types.CreateShareLinkDocument,
    "\n  mutation RevokeShareLink($id: ID!) {\n    revokeShareLink(id: $id)\n  }\n": typeof types.RevokeShareLinkDocument,
    "\n  query UserTags($libraryId: ID!) {\n    tags(libraryId: $libraryId, type: USER) { tag { id name } photoCount }\n  }\n": typeof types.UserTagsDocument,
    "\n  query SelectionTags($libraryId: ID!, $ids: [ID!]!, $first: Int) {\n    photos(libraryId: $libraryId, filter: { ids: $ids }, first: $first) {\n      edges { node { id tags { id name type } } }\n    }\n  }\n": typeof types.SelectionTagsDocument,
    "\n  mutation TagPhotos($libraryId: ID!, $photoIds: [ID!]!, $name: String!) {\n    tagPhotos(libraryId: $libraryId, photoIds: $photoIds, name: $name) {\n      tag { id name } photoIds\n    }\n  }\n": typeof types.TagPhotosDocument,
    "\n  mutation UntagPhotos($tagId: ID!, $photoIds: [ID!]!) {\n    untagPhotos(tagId: $tagId, photoIds: $photoIds) { tag { id name } photoIds }\n  }\n": typeof types.UntagPhotosDocument,
    "\n  query TimeBuckets($libraryId: ID!, $filter: PhotoFilter) {\n    timeBuckets(libraryId: $libraryId, filter: $filter) { month count }\n  }\n": typeof types.TimeBucketsDocument,
    "\n  query BucketPhotos($libraryId: ID!, $month: String, $filter: PhotoFilter) {\n    bucketPhotos(libraryId: $libraryId, month: $month, filter: $filter) {\n      month ids ratios placeholders takenAt thumbnailUrls missing durations\n    }\n  }\n": typeof types.BucketPhotosDocument,
    "\n  query TrashPage($libraryId: ID!, $first: Int, $after: String) {\n    trash(libraryId: $libraryId, first: $first, after: $after) {\n      totalCount\n      edges { node { ...TrashTile } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n\n  fragment TrashTile on Photo {\n    id width height placeholder trashedAt durationMs\n    thumbnailUrl(size: GRID)\n  }\n": typeof types.TrashPageDocument,
    "\n  query TrashedPhoto($id: ID!) {\n    photo(id: $id) { ...TrashTile }\n  }\n": typeof types.TrashedPhotoDocument,
    "\n  mutation EmptyTrash($libraryId: ID!) {\n    emptyTrash(libraryId: $libraryId)\n  }\n": typeof types.EmptyTrashDocument,
    "\n  query UploadTarget($id: ID!) {\n    library(id: $id) { id canUpload }\n  }\n": typeof types.UploadTargetDocument,
};
const documents: Documents = {
    "\n  query Albums($libraryId: ID!) {\n    albums(libraryId: $libraryId) {\n      id name photoCount\n      cover { id grid: thumbnailUrl(size: GRID) }\n    }\n  }\n": types.AlbumsDocument,
    "\n  mutation CreateAlbum($libraryId: ID!, $name: String!) {\n    createAlbum(libraryId: $libraryId, name: $name) { id name }\n  }\n": types.CreateAlbumDocument,
    "\n  mutation RenameAlbum($albumId: ID!, $name: String!) {\n    renameAlbum(albumId: $albumId, name: $name) { id name }\n  }\n": types.RenameAlbumDocument,
    "\n  mutation DeleteAlbum($albumId: ID!) {\n    deleteAlbum(albumId: $albumId)\n  }\n": types.DeleteAlbumDocument,
    "\n  mutation AddToAlbum($albumId: ID!, $photoIds: [ID!]!) {\n    addToAlbum(albumId: $albumId, photoIds: $photoIds) { id }\n  }\n": types.AddToAlbumDocument,
    "\n  mutation RemoveFromAlbum($albumId: ID!, $photoIds: [ID!]!) {\n    removeFromAlbum(albumId: $albumId, photoIds: $photoIds) { id }\n  }\n": types.RemoveFromAlbumDocument,
    "\n  mutation TrashPhotos($photoIds: [ID!]!) {\n    trashPhotos(photoIds: $photoIds)\n  }\n": types.TrashPhotosDocument,
    "\n  mutation RestorePhotos($photoIds: [ID!]!) {\n    restorePhotos(photoIds: $photoIds)\n  }\n": types.RestorePhotosDocument,
    "\n  mutation RotatePhoto($photoId: ID!, $rotation: Int!) {\n    rotatePhoto(photoId: $photoId, rotation: $rotation) {\n      id rotation width height\n      grid: thumbnailUrl(size: GRID)\n      preview: thumbnailUrl(size: PREVIEW)\n    }\n  }\n": types.RotatePhotoDocument,
    "\n  subscription LibraryEvents($libraryId: ID!, $since: String) {\n    events(libraryId: $libraryId, since: $since) {\n      sequence\n      kind\n      photoId\n      payload\n      createdAt\n      photo {\n        id\n        width\n        height\n        placeholder\n        takenAt\n        thumbnailUrl(size: GRID)\n        durationMs\n        rating\n        tags { id name type source confidence box }\n        files { status }\n      }\n    }\n  }\n": types.LibraryEventsDocument,
    "\n  query EventCursor {\n    eventCursor\n  }\n": types.EventCursorDocument,
    "\n  query JobProgress($libraryId: ID!) {\n    jobProgress(libraryId: $libraryId) { queued running done failed }\n  }\n": types.JobProgressDocument,
    "\n  query PhotoJobs($id: ID!) {\n    photo(id: $id) {\n      id\n      thumbnailUrl(size: GRID)\n      jobs { stage status error }\n    }\n  }\n": types.PhotoJobsDocument,
    "\n  query Classifiers {\n    classifiers { name available }\n  }\n": types.ClassifiersDocument,
    "\n  query MapPositions($libraryId: ID!, $bbox: BoundingBox!, $limit: Int) {\n    mapPositions(libraryId: $libraryId, bbox: $bbox, limit: $limit) {\n      ids latitudes longitudes truncated\n    }\n  }\n": types.MapPositionsDocument,
    "\n  query ClusterPhotos($libraryId: ID!, $ids: [ID!]!, $first: Int) {\n    photos(libraryId: $libraryId, filter: { ids: $ids }, first: $first) {\n      totalCount\n      edges { node { id takenAt grid: thumbnailUrl(size: GRID) } }\n    }\n  }\n": types.ClusterPhotosDocument,
    "\n  query MapTileSource {\n    mapTileSource { url kind attribution origin }\n  }\n": types.MapTileSourceDocument,
    "\n  mutation SetMapTileSource($url: String!, $attribution: String!) {\n    setMapTileSource(url: $url, attribution: $attribution) { url kind attribution origin }\n  }\n": types.SetMapTileSourceDocument,
    "\n  mutation ClearMapTileSource {\n    clearMapTileSource\n  }\n": types.ClearMapTileSourceDocument,
    "\n  query PeoplePage($libraryId: ID!, $first: Int, $after: String) {\n    peoplePage(libraryId: $libraryId, first: $first, after: $after) {\n      totalCount\n      edges { node { ...PersonCard } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n\n  fragment PersonCard on Person {\n    id name photoCount faceCount\n    cover { id cropUrl }\n  }\n": types.PeoplePageDocument,
    "\n  query Person($id: ID!) {\n    person(id: $id) {\n      ...PersonCard\n      libraryId\n      faces { id photoId cropUrl confidence status }\n    }\n  }\n": types.PersonDocument,
    "\n  mutation NamePerson($personId: ID!, $name: String!) {\n    namePerson(personId: $personId, name: $name) { id name }\n  }\n": types.NamePersonDocument,
    "\n  mutation MergePeople($targetId: ID!, $sourceIds: [ID!]!) {\n    mergePeople(targetId: $targetId, sourceIds: $sourceIds) { id }\n  }\n": types.MergePeopleDocument,
    "\n  mutation MoveFace($faceId: ID!, $personId: ID) {\n    moveFace(faceId: $faceId, personId: $personId) { id person { id } }\n  }\n": types.MoveFaceDocument,
    "\n  mutation UnassignFace($faceId: ID!) {\n    unassignFace(faceId: $faceId) { id }\n  }\n": types.UnassignFaceDocument,
    "\n  mutation RejectFace($faceId: ID!) {\n    rejectFace(faceId: $faceId) { id }\n  }\n": types.RejectFaceDocument,
    "\n  mutation ConfirmFace($faceId: ID!) {\n    confirmFace(faceId: $faceId) { id status }\n  }\n": types.ConfirmFaceDocument,
    "\n  query FaceReview($libraryId: ID!, $first: Int, $after: String) {\n    faceReview(libraryId: $libraryId, first: $first, after: $after) {\n      edges { node { id photoId cropUrl confidence status person { id name } } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.FaceReviewDocument,
    "\n  query ViewerPhoto($id: ID!) {\n    photo(id: $id) {\n      ...ViewerPhoto\n    }\n  }\n\n  fragment ViewerPhoto on Photo {\n    id\n    libraryId\n    takenAt\n    takenAtSource\n    timeZone\n    camera { id make model }\n    lens { id name }\n    exposureTime\n    aperture\n    iso\n    focalLength\n    latitude\n    longitude\n    altitude\n    width\n    height\n    rating\n    rotation\n    placeholder\n    grid: thumbnailUrl(size: GRID)\n    preview: thumbnailUrl(size: PREVIEW)\n    files { path status role mimeType }\n    mediaType\n    durationMs\n    videoCodec\n    videoUrl\n    tags { ...ViewerTag }\n    faces { id box confidence person { id name } }\n  }\n\n  fragment ViewerTag on PhotoTag {\n    id name type source confidence box\n  }\n": types.ViewerPhotoDocument,
    "\n  mutation RatePhoto($photoId: ID!, $rating: Int!) {\n    ratePhoto(photoId: $photoId, rating: $rating) { id rating }\n  }\n": types.RatePhotoDocument,
    "\n  mutation AddPhotoTag($photoId: ID!, $name: String!) {\n    addPhotoTag(photoId: $photoId, name: $name) { id tags { ...ViewerTag } }\n  }\n": types.AddPhotoTagDocument,
    "\n  mutation RemovePhotoTag($photoId: ID!, $tagId: ID!) {\n    removePhotoTag(photoId: $photoId, tagId: $tagId) { id tags { ...ViewerTag } }\n  }\n": types.RemovePhotoTagDocument,
    "\n  query SearchSuggestions($libraryId: ID!, $text: String!, $first: Int) {\n    searchSuggestions(libraryId: $libraryId, text: $text, first: $first) {\n      kind id label tagType photoCount\n    }\n  }\n": types.SearchSuggestionsDocument,
    "\n  query FilterChoices($libraryId: ID!) {\n    cameras(libraryId: $libraryId) { camera { id make model } photoCount }\n    lenses(libraryId: $libraryId) { lens { id name } photoCount }\n  }\n": types.FilterChoicesDocument,
    "\n  query Me {\n    me { id username isAdmin }\n  }\n": types.MeDocument,
    "\n  query Session {\n    me { id username isAdmin }\n    libraries { id name role photoCount }\n  }\n": types.SessionDocument,
    "\n  mutation Login($username: String!, $password: String!) {\n    login(username: $username, password: $password) {\n      accessToken refreshToken expiresIn\n      user { id username isAdmin }\n    }\n  }\n": types.LoginDocument,
    "\n  mutation Refresh($refreshToken: String!) {\n    refreshToken(refreshToken: $refreshToken) {\n      accessToken refreshToken expiresIn\n      user { id username isAdmin }\n    }\n  }\n": types.RefreshDocument,
    "\n  mutation Logout($refreshToken: String!) {\n    logout(refreshToken: $refreshToken)\n  }\n": types.LogoutDocument,
    "\n  query SetupRequired {\n    setupRequired\n  }\n": types.SetupRequiredDocument,
    "\n  mutation CreateFirstAdmin($setupToken: String!, $username: String!, $password: String!) {\n    createFirstAdmin(setupToken: $setupToken, username: $username, password: $password) {\n      accessToken refreshToken expiresIn\n      user { id username isAdmin }\n    }\n  }\n": types.CreateFirstAdminDocument,
    "\n  query ServerVersion {\n    serverVersion\n  }\n": types.ServerVersionDocument,
    "\n  mutation ChangePassword($oldPassword: String!, $newPassword: String!) {\n    changePassword(oldPassword: $oldPassword, newPassword: $newPassword)\n  }\n": types.ChangePasswordDocument,
    "\n  mutation SignOutOthers { signOutOtherSessions }\n": types.SignOutOthersDocument,
    "\n  query LibrarySettings($libraryId: ID!) {\n    library(id: $libraryId) {\n      id name role\n      paths { id path watch online offlineSince }\n      uploadsFolder { id }\n    }\n    classifierSettings(libraryId: $libraryId) { stage enabled available reason }\n  }\n": types.LibrarySettingsDocument,
    "\n  query StageProgress($libraryId: ID!) {\n    stageProgress(libraryId: $libraryId) {\n      stage queued running done failed perMinute etaSeconds\n    }\n  }\n": types.StageProgressDocument,
    "\n  mutation SetClassifier($libraryId: ID!, $stage: String!, $enabled: Boolean!) {\n    setClassifierEnabled(libraryId: $libraryId, stage: $stage, enabled: $enabled) {\n      stage enabled available reason queued\n    }\n  }\n": types.SetClassifierDocument,
    "\n  mutation Rescan($libraryId: ID!, $path: String) {\n    rescanLibrary(libraryId: $libraryId, path: $path)\n  }\n": types.RescanDocument,
    "\n  mutation RetryFailed($libraryId: ID!, $stage: String) {\n    retryFailedJobs(libraryId: $libraryId, stage: $stage)\n  }\n": types.RetryFailedDocument,
    "\n  query Users { users { id username isAdmin isActive } }\n": types.UsersDocument,
    "\n  mutation CreateUser($username: String!, $password: String!, $isAdmin: Boolean) {\n    createUser(username: $username, password: $password, isAdmin: $isAdmin) {\n      id username isAdmin isActive\n    }\n  }\n": types.CreateUserDocument,
    "\n  mutation SetUserActive($id: ID!, $active: Boolean!) {\n    setUserActive(id: $id, active: $active) { id isActive }\n  }\n": types.SetUserActiveDocument,
    "\n  mutation SetPathWatch($id: ID!, $watch: Boolean!) {\n    setLibraryPathWatch(id: $id, watch: $watch) { id watch online offlineSince path }\n  }\n": types.SetPathWatchDocument,
    "\n  query LibraryMembers($libraryId: ID!) {\n    library(id: $libraryId) { id members { userId username role } }\n  }\n": types.LibraryMembersDocument,
    "\n  mutation AddMember($libraryId: ID!, $username: String!, $role: LibraryRole!) {\n    addLibraryMember(libraryId: $libraryId, username: $username, role: $role) {\n      userId username role\n    }\n  }\n": types.AddMemberDocument,
    "\n  mutation RemoveMember($libraryId: ID!, $userId: ID!) {\n    removeLibraryMember(libraryId: $libraryId, userId: $userId)\n  }\n": types.RemoveMemberDocument,
    "\n  mutation SetUploadsFolder($libraryId: ID!, $pathId: ID) {\n    setUploadsFolder(libraryId: $libraryId, pathId: $pathId) { id path }\n  }\n": types.SetUploadsFolderDocument,
    "\n  mutation AddPath($libraryId: ID!, $path: String!) {\n    addLibraryPath(libraryId: $libraryId, path: $path) { id path watch online offlineSince }\n  }\n": types.AddPathDocument,
    "\n  mutation RemovePath($id: ID!) { removeLibraryPath(id: $id) }\n": types.RemovePathDocument,
    "\n  query ShareAlbums($libraryId: ID!) {\n    tags(libraryId: $libraryId, type: ALBUM) { tag { id name } photoCount }\n  }\n": types.ShareAlbumsDocument,
    "\n  query ShareLinks($libraryId: ID!) {\n    shareLinks(libraryId: $libraryId) {\n      id albumName filter expiresAt revokedAt createdAt allowedOrigins viewCount\n      showLocation showMetadata showPeople allowDownload\n    }\n  }\n": types.ShareLinksDocument,
    "\n  mutation CreateShareLink($libraryId: ID!, $albumId: ID, $filter: PhotoFilter,\n                           $expiresAt: DateTime, $allowedOrigins: [String!],\n                           $showLocation: Boolean, $showMetadata: Boolean, $showPeople: Boolean,\n                           $allowDownload: Boolean) {\n    createShareLink(libraryId: $libraryId, albumId: $albumId, filter: $filter,\n                    expiresAt: $expiresAt, allowedOrigins: $allowedOrigins,\n                    showLocation: $showLocation, showMetadata: $showMetadata,\n                    showPeople: $showPeople, allowDownload: $allowDownload) {\n      id token url embedScript embedIframe\n    }\n  }\n": types.CreateShareLinkDocument,
    "\n  mutation RevokeShareLink($id: ID!) {\n    revokeShareLink(id: $id)\n  }\n": types.RevokeShareLinkDocument,
    "\n  query UserTags($libraryId: ID!) {\n    tags(libraryId: $libraryId, type: USER) { tag { id name } photoCount }\n  }\n": types.UserTagsDocument,
    "\n  query SelectionTags($libraryId: ID!, $ids: [ID!]!, $first: Int) {\n    photos(libraryId: $libraryId, filter: { ids: $ids }, first: $first) {\n      edges { node { id tags { id name type } } }\n    }\n  }\n": types.SelectionTagsDocument,
    "\n  mutation TagPhotos($libraryId: ID!, $photoIds: [ID!]!, $name: String!) {\n    tagPhotos(libraryId: $libraryId, photoIds: $photoIds, name: $name) {\n      tag { id name } photoIds\n    }\n  }\n": types.TagPhotosDocument,
    "\n  mutation UntagPhotos($tagId: ID!, $photoIds: [ID!]!) {\n    untagPhotos(tagId: $tagId, photoIds: $photoIds) { tag { id name } photoIds }\n  }\n": types.UntagPhotosDocument,
    "\n  query TimeBuckets($libraryId: ID!, $filter: PhotoFilter) {\n    timeBuckets(libraryId: $libraryId, filter: $filter) { month count }\n  }\n": types.TimeBucketsDocument,
    "\n  query BucketPhotos($libraryId: ID!, $month: String, $filter: PhotoFilter) {\n    bucketPhotos(libraryId: $libraryId, month: $month, filter: $filter) {\n      month ids ratios placeholders takenAt thumbnailUrls missing durations\n    }\n  }\n": types.BucketPhotosDocument,
    "\n  query TrashPage($libraryId: ID!, $first: Int, $after: String) {\n    trash(libraryId: $libraryId, first: $first, after: $after) {\n      totalCount\n      edges { node { ...TrashTile } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n\n  fragment TrashTile on Photo {\n    id width height placeholder trashedAt durationMs\n    thumbnailUrl(size: GRID)\n  }\n": types.TrashPageDocument,
    "\n  query TrashedPhoto($id: ID!) {\n    photo(id: $id) { ...TrashTile }\n  }\n": types.TrashedPhotoDocument,
    "\n  mutation EmptyTrash($libraryId: ID!) {\n    emptyTrash(libraryId: $libraryId)\n  }\n": types.EmptyTrashDocument,
    "\n  query UploadTarget($id: ID!) {\n    library(id: $id) { id canUpload }\n  }\n": types.UploadTargetDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Albums($libraryId: ID!) {\n    albums(libraryId: $libraryId) {\n      id name photoCount\n      cover { id grid: thumbnailUrl(size: GRID) }\n    }\n  }\n"): typeof import('./graphql').AlbumsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateAlbum($libraryId: ID!, $name: String!) {\n    createAlbum(libraryId: $libraryId, name: $name) { id name }\n  }\n"): typeof import('./graphql').CreateAlbumDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RenameAlbum($albumId: ID!, $name: String!) {\n    renameAlbum(albumId: $albumId, name: $name) { id name }\n  }\n"): typeof import('./graphql').RenameAlbumDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteAlbum($albumId: ID!) {\n    deleteAlbum(albumId: $albumId)\n  }\n"): typeof import('./graphql').DeleteAlbumDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddToAlbum($albumId: ID!, $photoIds: [ID!]!) {\n    addToAlbum(albumId: $albumId, photoIds: $photoIds) { id }\n  }\n"): typeof import('./graphql').AddToAlbumDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveFromAlbum($albumId: ID!, $photoIds: [ID!]!) {\n    removeFromAlbum(albumId: $albumId, photoIds: $photoIds) { id }\n  }\n"): typeof import('./graphql').RemoveFromAlbumDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TrashPhotos($photoIds: [ID!]!) {\n    trashPhotos(photoIds: $photoIds)\n  }\n"): typeof import('./graphql').TrashPhotosDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RestorePhotos($photoIds: [ID!]!) {\n    restorePhotos(photoIds: $photoIds)\n  }\n"): typeof import('./graphql').RestorePhotosDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RotatePhoto($photoId: ID!, $rotation: Int!) {\n    rotatePhoto(photoId: $photoId, rotation: $rotation) {\n      id rotation width height\n      grid: thumbnailUrl(size: GRID)\n      preview: thumbnailUrl(size: PREVIEW)\n    }\n  }\n"): typeof import('./graphql').RotatePhotoDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription LibraryEvents($libraryId: ID!, $since: String) {\n    events(libraryId: $libraryId, since: $since) {\n      sequence\n      kind\n      photoId\n      payload\n      createdAt\n      photo {\n        id\n        width\n        height\n        placeholder\n        takenAt\n        thumbnailUrl(size: GRID)\n        durationMs\n        rating\n        tags { id name type source confidence box }\n        files { status }\n      }\n    }\n  }\n"): typeof import('./graphql').LibraryEventsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query EventCursor {\n    eventCursor\n  }\n"): typeof import('./graphql').EventCursorDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query JobProgress($libraryId: ID!) {\n    jobProgress(libraryId: $libraryId) { queued running done failed }\n  }\n"): typeof import('./graphql').JobProgressDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PhotoJobs($id: ID!) {\n    photo(id: $id) {\n      id\n      thumbnailUrl(size: GRID)\n      jobs { stage status error }\n    }\n  }\n"): typeof import('./graphql').PhotoJobsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Classifiers {\n    classifiers { name available }\n  }\n"): typeof import('./graphql').ClassifiersDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MapPositions($libraryId: ID!, $bbox: BoundingBox!, $limit: Int) {\n    mapPositions(libraryId: $libraryId, bbox: $bbox, limit: $limit) {\n      ids latitudes longitudes truncated\n    }\n  }\n"): typeof import('./graphql').MapPositionsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ClusterPhotos($libraryId: ID!, $ids: [ID!]!, $first: Int) {\n    photos(libraryId: $libraryId, filter: { ids: $ids }, first: $first) {\n      totalCount\n      edges { node { id takenAt grid: thumbnailUrl(size: GRID) } }\n    }\n  }\n"): typeof import('./graphql').ClusterPhotosDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MapTileSource {\n    mapTileSource { url kind attribution origin }\n  }\n"): typeof import('./graphql').MapTileSourceDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetMapTileSource($url: String!, $attribution: String!) {\n    setMapTileSource(url: $url, attribution: $attribution) { url kind attribution origin }\n  }\n"): typeof import('./graphql').SetMapTileSourceDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ClearMapTileSource {\n    clearMapTileSource\n  }\n"): typeof import('./graphql').ClearMapTileSourceDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PeoplePage($libraryId: ID!, $first: Int, $after: String) {\n    peoplePage(libraryId: $libraryId, first: $first, after: $after) {\n      totalCount\n      edges { node { ...PersonCard } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n\n  fragment PersonCard on Person {\n    id name photoCount faceCount\n    cover { id cropUrl }\n  }\n"): typeof import('./graphql').PeoplePageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Person($id: ID!) {\n    person(id: $id) {\n      ...PersonCard\n      libraryId\n      faces { id photoId cropUrl confidence status }\n    }\n  }\n"): typeof import('./graphql').PersonDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation NamePerson($personId: ID!, $name: String!) {\n    namePerson(personId: $personId, name: $name) { id name }\n  }\n"): typeof import('./graphql').NamePersonDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation MergePeople($targetId: ID!, $sourceIds: [ID!]!) {\n    mergePeople(targetId: $targetId, sourceIds: $sourceIds) { id }\n  }\n"): typeof import('./graphql').MergePeopleDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation MoveFace($faceId: ID!, $personId: ID) {\n    moveFace(faceId: $faceId, personId: $personId) { id person { id } }\n  }\n"): typeof import('./graphql').MoveFaceDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UnassignFace($faceId: ID!) {\n    unassignFace(faceId: $faceId) { id }\n  }\n"): typeof import('./graphql').UnassignFaceDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RejectFace($faceId: ID!) {\n    rejectFace(faceId: $faceId) { id }\n  }\n"): typeof import('./graphql').RejectFaceDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConfirmFace($faceId: ID!) {\n    confirmFace(faceId: $faceId) { id status }\n  }\n"): typeof import('./graphql').ConfirmFaceDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query FaceReview($libraryId: ID!, $first: Int, $after: String) {\n    faceReview(libraryId: $libraryId, first: $first, after: $after) {\n      edges { node { id photoId cropUrl confidence status person { id name } } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): typeof import('./graphql').FaceReviewDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ViewerPhoto($id: ID!) {\n    photo(id: $id) {\n      ...ViewerPhoto\n    }\n  }\n\n  fragment ViewerPhoto on Photo {\n    id\n    libraryId\n    takenAt\n    takenAtSource\n    timeZone\n    camera { id make model }\n    lens { id name }\n    exposureTime\n    aperture\n    iso\n    focalLength\n    latitude\n    longitude\n    altitude\n    width\n    height\n    rating\n    rotation\n    placeholder\n    grid: thumbnailUrl(size: GRID)\n    preview: thumbnailUrl(size: PREVIEW)\n    files { path status role mimeType }\n    mediaType\n    durationMs\n    videoCodec\n    videoUrl\n    tags { ...ViewerTag }\n    faces { id box confidence person { id name } }\n  }\n\n  fragment ViewerTag on PhotoTag {\n    id name type source confidence box\n  }\n"): typeof import('./graphql').ViewerPhotoDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RatePhoto($photoId: ID!, $rating: Int!) {\n    ratePhoto(photoId: $photoId, rating: $rating) { id rating }\n  }\n"): typeof import('./graphql').RatePhotoDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddPhotoTag($photoId: ID!, $name: String!) {\n    addPhotoTag(photoId: $photoId, name: $name) { id tags { ...ViewerTag } }\n  }\n"): typeof import('./graphql').AddPhotoTagDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemovePhotoTag($photoId: ID!, $tagId: ID!) {\n    removePhotoTag(photoId: $photoId, tagId: $tagId) { id tags { ...ViewerTag } }\n  }\n"): typeof import('./graphql').RemovePhotoTagDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SearchSuggestions($libraryId: ID!, $text: String!, $first: Int) {\n    searchSuggestions(libraryId: $libraryId, text: $text, first: $first) {\n      kind id label tagType photoCount\n    }\n  }\n"): typeof import('./graphql').SearchSuggestionsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query FilterChoices($libraryId: ID!) {\n    cameras(libraryId: $libraryId) { camera { id make model } photoCount }\n    lenses(libraryId: $libraryId) { lens { id name } photoCount }\n  }\n"): typeof import('./graphql').FilterChoicesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Me {\n    me { id username isAdmin }\n  }\n"): typeof import('./graphql').MeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Session {\n    me { id username isAdmin }\n    libraries { id name role photoCount }\n  }\n"): typeof import('./graphql').SessionDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Login($username: String!, $password: String!) {\n    login(username: $username, password: $password) {\n      accessToken refreshToken expiresIn\n      user { id username isAdmin }\n    }\n  }\n"): typeof import('./graphql').LoginDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Refresh($refreshToken: String!) {\n    refreshToken(refreshToken: $refreshToken) {\n      accessToken refreshToken expiresIn\n      user { id username isAdmin }\n    }\n  }\n"): typeof import('./graphql').RefreshDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Logout($refreshToken: String!) {\n    logout(refreshToken: $refreshToken)\n  }\n"): typeof import('./graphql').LogoutDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SetupRequired {\n    setupRequired\n  }\n"): typeof import('./graphql').SetupRequiredDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateFirstAdmin($setupToken: String!, $username: String!, $password: String!) {\n    createFirstAdmin(setupToken: $setupToken, username: $username, password: $password) {\n      accessToken refreshToken expiresIn\n      user { id username isAdmin }\n    }\n  }\n"): typeof import('./graphql').CreateFirstAdminDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ServerVersion {\n    serverVersion\n  }\n"): typeof import('./graphql').ServerVersionDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ChangePassword($oldPassword: String!, $newPassword: String!) {\n    changePassword(oldPassword: $oldPassword, newPassword: $newPassword)\n  }\n"): typeof import('./graphql').ChangePasswordDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignOutOthers { signOutOtherSessions }\n"): typeof import('./graphql').SignOutOthersDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query LibrarySettings($libraryId: ID!) {\n    library(id: $libraryId) {\n      id name role\n      paths { id path watch online offlineSince }\n      uploadsFolder { id }\n    }\n    classifierSettings(libraryId: $libraryId) { stage enabled available reason }\n  }\n"): typeof import('./graphql').LibrarySettingsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query StageProgress($libraryId: ID!) {\n    stageProgress(libraryId: $libraryId) {\n      stage queued running done failed perMinute etaSeconds\n    }\n  }\n"): typeof import('./graphql').StageProgressDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetClassifier($libraryId: ID!, $stage: String!, $enabled: Boolean!) {\n    setClassifierEnabled(libraryId: $libraryId, stage: $stage, enabled: $enabled) {\n      stage enabled available reason queued\n    }\n  }\n"): typeof import('./graphql').SetClassifierDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Rescan($libraryId: ID!, $path: String) {\n    rescanLibrary(libraryId: $libraryId, path: $path)\n  }\n"): typeof import('./graphql').RescanDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RetryFailed($libraryId: ID!, $stage: String) {\n    retryFailedJobs(libraryId: $libraryId, stage: $stage)\n  }\n"): typeof import('./graphql').RetryFailedDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Users { users { id username isAdmin isActive } }\n"): typeof import('./graphql').UsersDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateUser($username: String!, $password: String!, $isAdmin: Boolean) {\n    createUser(username: $username, password: $password, isAdmin: $isAdmin) {\n      id username isAdmin isActive\n    }\n  }\n"): typeof import('./graphql').CreateUserDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetUserActive($id: ID!, $active: Boolean!) {\n    setUserActive(id: $id, active: $active) { id isActive }\n  }\n"): typeof import('./graphql').SetUserActiveDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetPathWatch($id: ID!, $watch: Boolean!) {\n    setLibraryPathWatch(id: $id, watch: $watch) { id watch online offlineSince path }\n  }\n"): typeof import('./graphql').SetPathWatchDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query LibraryMembers($libraryId: ID!) {\n    library(id: $libraryId) { id members { userId username role } }\n  }\n"): typeof import('./graphql').LibraryMembersDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddMember($libraryId: ID!, $username: String!, $role: LibraryRole!) {\n    addLibraryMember(libraryId: $libraryId, username: $username, role: $role) {\n      userId username role\n    }\n  }\n"): typeof import('./graphql').AddMemberDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveMember($libraryId: ID!, $userId: ID!) {\n    removeLibraryMember(libraryId: $libraryId, userId: $userId)\n  }\n"): typeof import('./graphql').RemoveMemberDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetUploadsFolder($libraryId: ID!, $pathId: ID) {\n    setUploadsFolder(libraryId: $libraryId, pathId: $pathId) { id path }\n  }\n"): typeof import('./graphql').SetUploadsFolderDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddPath($libraryId: ID!, $path: String!) {\n    addLibraryPath(libraryId: $libraryId, path: $path) { id path watch online offlineSince }\n  }\n"): typeof import('./graphql').AddPathDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemovePath($id: ID!) { removeLibraryPath(id: $id) }\n"): typeof import('./graphql').RemovePathDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ShareAlbums($libraryId: ID!) {\n    tags(libraryId: $libraryId, type: ALBUM) { tag { id name } photoCount }\n  }\n"): typeof import('./graphql').ShareAlbumsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ShareLinks($libraryId: ID!) {\n    shareLinks(libraryId: $libraryId) {\n      id albumName filter expiresAt revokedAt createdAt allowedOrigins viewCount\n      showLocation showMetadata showPeople allowDownload\n    }\n  }\n"): typeof import('./graphql').ShareLinksDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateShareLink($libraryId: ID!, $albumId: ID, $filter: PhotoFilter,\n                           $expiresAt: DateTime, $allowedOrigins: [String!],\n                           $showLocation: Boolean, $showMetadata: Boolean, $showPeople: Boolean,\n                           $allowDownload: Boolean) {\n    createShareLink(libraryId: $libraryId, albumId: $albumId, filter: $filter,\n                    expiresAt: $expiresAt, allowedOrigins: $allowedOrigins,\n                    showLocation: $showLocation, showMetadata: $showMetadata,\n                    showPeople: $showPeople, allowDownload: $allowDownload) {\n      id token url embedScript embedIframe\n    }\n  }\n"): typeof import('./graphql').CreateShareLinkDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeShareLink($id: ID!) {\n    revokeShareLink(id: $id)\n  }\n"): typeof import('./graphql').RevokeShareLinkDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query UserTags($libraryId: ID!) {\n    tags(libraryId: $libraryId, type: USER) { tag { id name } photoCount }\n  }\n"): typeof import('./graphql').UserTagsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SelectionTags($libraryId: ID!, $ids: [ID!]!, $first: Int) {\n    photos(libraryId: $libraryId, filter: { ids: $ids }, first: $first) {\n      edges { node { id tags { id name type } } }\n    }\n  }\n"): typeof import('./graphql').SelectionTagsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TagPhotos($libraryId: ID!, $photoIds: [ID!]!, $name: String!) {\n    tagPhotos(libraryId: $libraryId, photoIds: $photoIds, name: $name) {\n      tag { id name } photoIds\n    }\n  }\n"): typeof import('./graphql').TagPhotosDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UntagPhotos($tagId: ID!, $photoIds: [ID!]!) {\n    untagPhotos(tagId: $tagId, photoIds: $photoIds) { tag { id name } photoIds }\n  }\n"): typeof import('./graphql').UntagPhotosDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TimeBuckets($libraryId: ID!, $filter: PhotoFilter) {\n    timeBuckets(libraryId: $libraryId, filter: $filter) { month count }\n  }\n"): typeof import('./graphql').TimeBucketsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query BucketPhotos($libraryId: ID!, $month: String, $filter: PhotoFilter) {\n    bucketPhotos(libraryId: $libraryId, month: $month, filter: $filter) {\n      month ids ratios placeholders takenAt thumbnailUrls missing durations\n    }\n  }\n"): typeof import('./graphql').BucketPhotosDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TrashPage($libraryId: ID!, $first: Int, $after: String) {\n    trash(libraryId: $libraryId, first: $first, after: $after) {\n      totalCount\n      edges { node { ...TrashTile } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n\n  fragment TrashTile on Photo {\n    id width height placeholder trashedAt durationMs\n    thumbnailUrl(size: GRID)\n  }\n"): typeof import('./graphql').TrashPageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TrashedPhoto($id: ID!) {\n    photo(id: $id) { ...TrashTile }\n  }\n"): typeof import('./graphql').TrashedPhotoDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation EmptyTrash($libraryId: ID!) {\n    emptyTrash(libraryId: $libraryId)\n  }\n"): typeof import('./graphql').EmptyTrashDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query UploadTarget($id: ID!) {\n    library(id: $id) { id canUpload }\n  }\n"): typeof import('./graphql').UploadTargetDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
