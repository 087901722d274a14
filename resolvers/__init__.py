"""The use cases: plain async functions that authorize, validate, write in one transaction and
record an audit event. Nothing here knows about GraphQL."""
