"""Trusted documents: the GraphQL documents the frontends use, registered ahead of time
(`examdesk register-documents`) so that a client may send a document's SHA-256 hash instead of
its text, and so that a server in trusted-documents-only mode runs nothing else.

A row is never changed: a hash names one text forever, which lets every server process cache
what it has read.
"""

from tortoise import fields
from tortoise.models import Model


class TrustedDocument(Model):
    id = fields.IntField(primary_key=True)
    # Lowercase hex SHA-256 of the exact UTF-8 text in `document`.
    sha256 = fields.CharField(max_length=64, unique=True)
    document = fields.TextField()
    # Where it was registered from: a .graphql file's or a manifest's name.
    source = fields.CharField(max_length=255)
    registered_at = fields.DatetimeField()

    class Meta:
        table = "trusted_document"
