"""Documents sent by hash, and the trusted-documents-only mode (EXAMDESK_TRUSTED_DOCUMENTS_ONLY).

A client names a registered document (examdesk/document_registry.py) by the SHA-256 of its text
in either of two ways: Apollo's persisted queries, `extensions.persistedQuery = {"version": 1,
"sha256Hash": "<hex>"}`, or the GraphQL trusted documents convention, `documentId:
"sha256:<hex>"` in the body or the query string. A hash sent with a `query` must be that text's.

The refusals are request errors, answered before anything runs:
- PERSISTED_QUERY_NOT_FOUND, 404: no registered document has the hash. A request error, so 4xx
  as GraphQL over HTTP has it, and 404 as Apollo Router answers; Apollo Client's persisted query
  link reads the code from the body of any 4xx and retries with the text (its older versions
  stopped sending hashes altogether after a 400).
- PERSISTED_QUERY_HASH_MISMATCH, 400: the hash is not the text's.
- TRUSTED_DOCUMENT_REQUIRED, 403: in trusted-only mode, a document that is not registered (its
  text is accepted when its hash is).
"""

import json
import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from cross_web import AsyncHTTPRequestAdapter, HTTPException
from strawberry.http import GraphQLRequestData

from examdesk.document_registry import registered_document, sha256_hex
from examdesk.graphql_http import RequestRefused

_HEX = re.compile(r"^[0-9a-f]{64}$")
DOCUMENT_ID = "documentId"
# Registered documents never change, so a process keeps those it has read; a bound on how many.
_CACHED_DOCUMENTS = 2000


def _bad_request(message: str) -> RequestRefused:
    return RequestRefused(400, "BAD_REQUEST", message)


def _hash_of_document_id(document_id: object) -> str:
    if not isinstance(document_id, str):
        raise _bad_request('documentId must be a string, "sha256:<hex>".')
    # The prefix names the algorithm; codegen's manifests key documents by the bare hex.
    scheme, _, digest = document_id.rpartition(":")
    if scheme not in {"", "sha256"} or not _HEX.match(digest.lower()):
        raise _bad_request('documentId must be "sha256:" and 64 hexadecimal digits.')
    return digest.lower()


def _hash_of_extensions(extensions: dict[str, Any] | None) -> str | None:
    persisted = (extensions or {}).get("persistedQuery")
    if persisted is None:
        return None
    digest = persisted.get("sha256Hash") if isinstance(persisted, dict) else None
    if not isinstance(persisted, dict) or persisted.get("version") != 1:
        raise _bad_request("extensions.persistedQuery must have version 1.")
    if not isinstance(digest, str) or not _HEX.match(digest.lower()):
        raise _bad_request("extensions.persistedQuery.sha256Hash must be 64 hexadecimal digits.")
    return digest.lower()


def requested_hash(document_id: object, extensions: dict[str, Any] | None) -> str | None:
    """The hash the request names the document by, if it does."""
    hashes = {_hash_of_extensions(extensions)}
    if document_id is not None:
        hashes.add(_hash_of_document_id(document_id))
    hashes.discard(None)
    if len(hashes) > 1:
        raise RequestRefused(
            400,
            "PERSISTED_QUERY_HASH_MISMATCH",
            "documentId and extensions.persistedQuery name different documents.",
        )
    return hashes.pop() if hashes else None


def _text_hash(query: str) -> str | None:
    """The query's hash; None for a text no client could have hashed, one with lone surrogates
    (JSON can escape them), which is no registered document either."""
    try:
        return sha256_hex(query)
    except UnicodeEncodeError:
        return None


def names_a_document(query_params: Any) -> bool:
    """Whether a GET asks for a document by hash (an API call, not the GraphiQL page)."""
    return DOCUMENT_ID in query_params or "extensions" in query_params


async def sent_document_id(
    request: AsyncHTTPRequestAdapter, parse_json: Callable[[str | bytes], Any]
) -> object:
    """The body's or the query string's `documentId`, which strawberry does not read itself.

    The body has been read and parsed once already (strawberry keeps only the fields it knows),
    so it is parsed again only when it mentions documentId at all."""
    if request.method == "GET":
        return request.query_params.get(DOCUMENT_ID)
    if request.content_type and request.content_type.startswith("multipart/"):
        operations = (await request.get_form_data()).form.get("operations")
        raw = operations.encode() if isinstance(operations, str) else b""
    else:
        raw = await request.get_body()
    if DOCUMENT_ID.encode() not in raw:
        return None
    try:
        data = parse_json(raw)
    except (HTTPException, json.JSONDecodeError):
        return None
    return data.get(DOCUMENT_ID) if isinstance(data, dict) else None


class TrustedDocuments:
    """What the /graphql endpoint asks before it runs a request's document."""

    def __init__(self, *, only_trusted: bool) -> None:
        self.only_trusted = only_trusted
        self._known: dict[str, str] = {}

    async def text(self, sha256: str) -> str | None:
        if sha256 in self._known:
            return self._known[sha256]
        # Not cached when missing: another process may register it at any time.
        document = await registered_document(sha256)
        if document is not None and len(self._known) < _CACHED_DOCUMENTS:
            self._known[sha256] = document
        return document

    async def _require_trusted(self, sha256: str | None) -> None:
        if self.only_trusted and (sha256 is None or await self.text(sha256) is None):
            raise RequestRefused(
                403,
                "TRUSTED_DOCUMENT_REQUIRED",
                "This server runs only registered documents (examdesk register-documents), and "
                "this one is not registered.",
            )

    async def resolve(self, data: GraphQLRequestData, document_id: object) -> GraphQLRequestData:
        """The request with its document's text in `query`, or a RequestRefused."""
        sha256 = requested_hash(document_id, data.extensions)
        if sha256 is None:
            if data.query is not None and self.only_trusted:
                await self._require_trusted(_text_hash(data.query))
            return data
        if data.query is not None:
            if _text_hash(data.query) != sha256:
                raise RequestRefused(
                    400,
                    "PERSISTED_QUERY_HASH_MISMATCH",
                    "The hash sent is not the SHA-256 of the query sent (of its exact UTF-8 text).",
                )
            await self._require_trusted(sha256)
            return data
        text = await self.text(sha256)
        if text is None:
            raise RequestRefused(
                404,
                "PERSISTED_QUERY_NOT_FOUND",
                "PersistedQueryNotFound: no registered document has this hash; send the query "
                "text (with the hash), or register the document (examdesk register-documents).",
            )
        return replace(data, query=text)
