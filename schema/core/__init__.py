"""Shared GraphQL plumbing: the request context, guards, typed errors, ids, pages, input checks,
jobs and downloads as the API shows them, DataLoaders and the schema extensions."""
