"""Who is asking (tokens, passwords) and what they may do (library roles)."""
