"""Desktop charts."""
