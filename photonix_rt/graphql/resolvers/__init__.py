"""Resolver modules, one per domain; ``graphql.bind`` discovers them."""
