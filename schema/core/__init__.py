"""Shared GraphQL plumbing: the request context, guards, typed errors and the payload helper, ids,
pages, input checks, uploaded files' row errors, jobs and downloads as the API shows them, the
DataLoader base and the schema extensions."""
