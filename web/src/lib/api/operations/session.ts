import { graphql } from '../gql';

// Sign-in, token rotation, the signed-in user and their libraries, first-run setup.

export const MeQuery = graphql(`
  query Me {
    me { id username isAdmin }
  }
`);

export const SessionQuery = graphql(`
  query Session {
    me { id username isAdmin }
    libraries { id name role photoCount }
  }
`);

export const LoginMutation = graphql(`
  mutation Login($username: String!, $password: String!) {
    login(username: $username, password: $password) {
      accessToken refreshToken expiresIn
      user { id username isAdmin }
    }
  }
`);

export const RefreshMutation = graphql(`
  mutation Refresh($refreshToken: String!) {
    refreshToken(refreshToken: $refreshToken) {
      accessToken refreshToken expiresIn
      user { id username isAdmin }
    }
  }
`);

export const LogoutMutation = graphql(`
  mutation Logout($refreshToken: String!) {
    logout(refreshToken: $refreshToken)
  }
`);

export const SetupRequiredQuery = graphql(`
  query SetupRequired {
    setupRequired
  }
`);

export const CreateFirstAdminMutation = graphql(`
  mutation CreateFirstAdmin($setupToken: String!, $username: String!, $password: String!) {
    createFirstAdmin(setupToken: $setupToken, username: $username, password: $password) {
      accessToken refreshToken expiresIn
      user { id username isAdmin }
    }
  }
`);

export const ServerVersionQuery = graphql(`
  query ServerVersion {
    serverVersion
  }
`);
