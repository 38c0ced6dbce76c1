"""GraphQL: the SDL schema, resolvers bound to it, per-request context and loaders."""
