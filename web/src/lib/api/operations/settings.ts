import { graphql } from '../gql';

// The Settings screen: the account, the current library (folders, uploads folder, members,
// classifier stages, jobs), and the server's users (admins).

export const ChangePasswordMutation = graphql(`
  mutation ChangePassword($oldPassword: String!, $newPassword: String!) {
    changePassword(oldPassword: $oldPassword, newPassword: $newPassword)
  }
`);

export const SignOutOthersMutation = graphql(`
  mutation SignOutOthers { signOutOtherSessions }
`);

export const LibrarySettingsQuery = graphql(`
  query LibrarySettings($libraryId: ID!) {
    library(id: $libraryId) {
      id name role
      paths { id path watch online offlineSince }
      uploadsFolder { id }
    }
    classifierSettings(libraryId: $libraryId) { stage enabled available reason }
  }
`);

export const StageProgressQuery = graphql(`
  query StageProgress($libraryId: ID!) {
    stageProgress(libraryId: $libraryId) {
      stage queued running done failed perMinute etaSeconds
    }
  }
`);

export const SetClassifierMutation = graphql(`
  mutation SetClassifier($libraryId: ID!, $stage: String!, $enabled: Boolean!) {
    setClassifierEnabled(libraryId: $libraryId, stage: $stage, enabled: $enabled) {
      stage enabled available reason queued
    }
  }
`);

export const RescanMutation = graphql(`
  mutation Rescan($libraryId: ID!, $path: String) {
    rescanLibrary(libraryId: $libraryId, path: $path)
  }
`);

export const RetryFailedMutation = graphql(`
  mutation RetryFailed($libraryId: ID!, $stage: String) {
    retryFailedJobs(libraryId: $libraryId, stage: $stage)
  }
`);

export const UsersQuery = graphql(`
  query Users { users { id username isAdmin isActive } }
`);

export const CreateUserMutation = graphql(`
  mutation CreateUser($username: String!, $password: String!, $isAdmin: Boolean) {
    createUser(username: $username, password: $password, isAdmin: $isAdmin) {
      id username isAdmin isActive
    }
  }
`);

export const SetUserActiveMutation = graphql(`
  mutation SetUserActive($id: ID!, $active: Boolean!) {
    setUserActive(id: $id, active: $active) { id isActive }
  }
`);

export const SetPathWatchMutation = graphql(`
  mutation SetPathWatch($id: ID!, $watch: Boolean!) {
    setLibraryPathWatch(id: $id, watch: $watch) { id watch online offlineSince path }
  }
`);

export const LibraryMembersQuery = graphql(`
  query LibraryMembers($libraryId: ID!) {
    library(id: $libraryId) { id members { userId username role } }
  }
`);

export const AddMemberMutation = graphql(`
  mutation AddMember($libraryId: ID!, $username: String!, $role: LibraryRole!) {
    addLibraryMember(libraryId: $libraryId, username: $username, role: $role) {
      userId username role
    }
  }
`);

export const RemoveMemberMutation = graphql(`
  mutation RemoveMember($libraryId: ID!, $userId: ID!) {
    removeLibraryMember(libraryId: $libraryId, userId: $userId)
  }
`);

export const SetUploadsFolderMutation = graphql(`
  mutation SetUploadsFolder($libraryId: ID!, $pathId: ID) {
    setUploadsFolder(libraryId: $libraryId, pathId: $pathId) { id path }
  }
`);

export const AddPathMutation = graphql(`
  mutation AddPath($libraryId: ID!, $path: String!) {
    addLibraryPath(libraryId: $libraryId, path: $path) { id path watch online offlineSince }
  }
`);

export const RemovePathMutation = graphql(`
  mutation RemovePath($id: ID!) { removeLibraryPath(id: $id) }
`);
