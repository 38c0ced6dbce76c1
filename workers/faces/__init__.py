"""Face embeddings: per-library nearest-neighbour search (Annoy + an exact delta)."""
