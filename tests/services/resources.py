"""Resources through the API, shared by the Global Listening and releases test modules: the
board uploads one and releases it to centres."""

from datetime import timedelta
from typing import Any

import httpx

from resolvers.core import clock
from tests.helpers.graphql import GraphQLClient

BOARD = "admin@exb.example"
UPLOAD = """mutation($input: UploadResourceInput!) { uploadResource(input: $input) {
  resource { id title service fileName size } errors { code field } } }"""
RELEASE = """mutation($input: ReleaseResourceInput!) { releaseResource(input: $input) {
  release { id status allCentres centreCodes releaseAt } errors { code field } } }"""
CANCEL = """mutation($input: CancelReleaseInput!) { cancelRelease(input: $input) {
  release { id status } errors { code } } }"""


async def upload(
    http: httpx.AsyncClient,
    token: str,
    *,
    title: str,
    service: str,
    content: bytes = b"RIFF....WAVEfmt confidential audio",
    series: str = "2026-NOV",
) -> dict[str, Any]:
    """uploadResource as a multipart request, as a browser sends it."""
    variables = {
        "input": {
            "seriesCode": series,
            "service": service,
            "title": title,
            "description": "For the listening paper.",
        }
    }
    data = await GraphQLClient(http).upload_ok(
        UPLOAD, variables, {"input.file": ("listening.wav", content, "audio/wav")}, token
    )
    payload = data["uploadResource"]
    assert payload["errors"] == [], payload
    return payload["resource"]


async def release(
    gql: GraphQLClient,
    token: str,
    resource_id: str,
    *,
    in_hours: float = -1,
    centres: list[str] | None = None,
) -> dict[str, Any]:
    at = clock.now() + timedelta(hours=in_hours)
    data = await gql.ok(
        RELEASE,
        {"input": {"resourceId": resource_id, "releaseAt": at.isoformat(), "centreCodes": centres}},
        token,
    )
    payload = data["releaseResource"]
    assert payload["errors"] == [], payload
    return payload["release"]


def error_codes(body: dict[str, Any]) -> list[str]:
    return [e["extensions"]["code"] for e in body.get("errors") or []]
