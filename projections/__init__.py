"""Read models rebuilt from the journal's events: plain classes, no Qt, no database reads."""
