"""Desktop views."""
