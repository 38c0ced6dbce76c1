"""Business rules: access checks, transactions, events. Handlers and resolvers call these."""
