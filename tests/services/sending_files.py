"""Submit for Assessment and Access Arrangements both take files: sending them as a multipart
request, waiting for the emails they cause, and reading the error code of a refusal."""

from typing import Any

import httpx

from models.mail import OutboxMessage
from tests.helpers.graphql import GraphQLClient
from tests.helpers.mail import Mailbox

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


async def post_files(
    http: httpx.AsyncClient,
    token: str,
    query: str,
    variables: dict[str, Any],
    files: dict[str, tuple[str, bytes]],
) -> dict[str, Any]:
    """A GraphQL multipart request: each key of `files` is a variable path (input.files.0)."""
    headers = {"Authorization": f"Bearer {token}"}
    if not files:
        response = await http.post(
            "/graphql", json={"query": query, "variables": variables}, headers=headers
        )
        return response.json()
    response = await GraphQLClient(http).upload(
        query,
        variables,
        {
            path: (name, content, "application/octet-stream")
            for path, (name, content) in files.items()
        },
        token,
    )
    assert response.status_code == 200, response.text
    return response.json()


async def delivered(mailbox: Mailbox, expected: set[str]) -> set[str]:
    """Wait for every expected email and for the outbox to be empty; every recipient so far."""
    for address in expected:
        await mailbox.wait_for(address)
    assert not await OutboxMessage.filter(sent_at=None).exists()
    return {message["To"] for message in mailbox.messages}


def graphql_code(body: dict[str, Any]) -> str | None:
    errors = body.get("errors") or []
    return errors[0]["extensions"]["code"] if errors else None
