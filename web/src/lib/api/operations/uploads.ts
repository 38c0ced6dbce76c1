import { graphql } from '../gql';

// Uploads from the phone: whether the viewer may upload to a library (the files themselves go
// to POST /uploads/<library id>, see lib/upload/transport.ts).

export const UploadTargetQuery = graphql(`
  query UploadTarget($id: ID!) {
    library(id: $id) { id canUpload }
  }
`);
