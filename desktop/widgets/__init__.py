"""Desktop widgets."""
