"""What several people test modules share: the staff accounts file upload."""

from typing import Any

import httpx

from tests.helpers.graphql import GraphQLClient

UPLOAD = """
mutation($input: UploadUsersInput!) { uploadUsers(input: $input) {
  rowsRead rowsWithErrors dryRun reminder
  rows { rowNumber email roles errors { code message column } }
  job { id status kind total }
  errors { code message field }
} }"""


async def upload(
    http: httpx.AsyncClient,
    token: str,
    content: str | bytes,
    *,
    query: str = UPLOAD,
    filename: str = "users.csv",
    **values: Any,
) -> httpx.Response:
    """The file as a GraphQL multipart request (GraphQLClient.upload), as a client sends it."""
    body = content.encode() if isinstance(content, str) else content
    return await GraphQLClient(http).upload(
        query,
        {"input": {"organisationCode": "AA101", **values}},
        {"input.file": (filename, body, "application/octet-stream")},
        token,
    )
