"""All SQL lives in this package: one module per table group, literal queries, $n parameters."""
