"""Events: what changed, published to every process after the change commits."""
