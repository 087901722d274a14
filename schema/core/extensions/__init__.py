"""Schema extensions, one per module. Passed to the schema as classes: a fresh one per request."""
