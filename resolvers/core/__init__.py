"""Shared plumbing of the use cases: the clock, settings, errors, pages, audit, email, jobs,
file links and the readers and writers of uploaded and exported files."""
