"""Desktop reports."""
