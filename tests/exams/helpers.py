"""What several exams test modules share: sending a CSV file as a GraphQL multipart upload."""

from typing import Any

import httpx

from tests.helpers.graphql import GraphQLClient

UPLOAD = """
mutation($input: EnterCandidatesFromCsvInput!) { enterCandidatesFromCsv(input: $input) {
  rowsRead rowsWithErrors newCandidates linkedCandidates entries dryRun
  rows { rowNumber username candidateNumber outcome syllabusCodes message
         errors { code message column } }
  job { id status kind total }
  errors { code message field }
} }"""


async def upload(
    http: httpx.AsyncClient,
    token: str | None,
    content: str | bytes,
    *,
    query: str = UPLOAD,
    filename: str = "candidates.csv",
    headers: dict[str, str] | None = None,
    **values: Any,
) -> httpx.Response:
    """The file as a GraphQL multipart request (GraphQLClient.upload), as a client sends it."""
    defaults = {"centreCode": "AA101", "seriesCode": "2026-NOV"} if query is UPLOAD else {}
    body = content.encode() if isinstance(content, str) else content
    return await GraphQLClient(http).upload(
        query,
        {"input": {**defaults, **values}},
        {"input.file": (filename, body, "text/csv")},
        token,
        headers=headers,
    )
