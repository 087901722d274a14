"""Shared GraphQL plumbing: the request context, guards, typed errors and the payload helper, ids,
pages, input checks, uploaded files' row errors, jobs and downloads as the API shows them, the
payloads several domains share, the DataLoader base and the schema extensions; and, like every
domain, its own root fields (`job`, rerunJob) in queries.py and mutations.py."""
