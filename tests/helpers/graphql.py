"""The GraphQL client the tests talk to the app through: JSON posts, multipart uploads, and
polling a job until it ends."""

import asyncio
import copy
import hashlib
import json
from collections.abc import Collection, Mapping
from typing import Any

import httpx

from examdesk.demo import DEMO_PASSWORD

# A file sent in a multipart request: (file name, content, content type).
UploadFile = tuple[str, bytes, str]
# What job(id) returns to GraphQLClient.wait_for_job unless told otherwise.
JOB = """
query($id: ID!) { job(id: $id) {
  id kind status done total stage percent errorCode errorMessage result finishedAt
  files { name url }
} }"""
JOB_ENDED = ("SUCCEEDED", "FAILED")
SIGN_IN = (
    "mutation($input: SignInInput!) { signIn(input: $input) "
    "{ token stage errors { code message } } }"
)


def document_id(query: str) -> str:
    """The GraphQL trusted documents convention's id of a document: its text's SHA-256."""
    return "sha256:" + hashlib.sha256(query.encode("utf-8")).hexdigest()


def _with_nulls(variables: Mapping[str, Any], paths: Collection[str]) -> dict[str, Any]:
    """A copy of `variables` with null at each dotted path (`input.file`, `input.files.0`),
    where the multipart spec wants the files; missing objects and list items are added."""
    result = copy.deepcopy(dict(variables))
    for path in paths:
        *parents, leaf = path.split(".")
        target: Any = result
        for key, child in zip(parents, [*parents[1:], leaf], strict=True):
            empty: Any = [] if child.isdigit() else {}
            if isinstance(target, list):
                index = int(key)
                target.extend([None] * (index + 1 - len(target)))
                if target[index] is None:
                    target[index] = empty
                target = target[index]
            else:
                target = target.setdefault(key, empty)
        if isinstance(target, list):
            target.extend([None] * (int(leaf) + 1 - len(target)))
            target[int(leaf)] = None
        else:
            target[leaf] = None
    return result


class GraphQLClient:
    """Posts GraphQL to the app through httpx, as a browser or script would."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http

    async def post(
        self, query: str, variables: dict[str, Any] | None = None, token: str | None = None
    ) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = await self.http.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )
        assert response.status_code == 200, response.text
        return response.json()

    async def ok(
        self, query: str, variables: dict[str, Any] | None = None, token: str | None = None
    ) -> dict[str, Any]:
        """Post and insist on no GraphQL errors; return data."""
        body = await self.post(query, variables, token)
        assert not body.get("errors"), body
        return body["data"]

    async def sign_in(self, email: str, password: str = DEMO_PASSWORD) -> str:
        data = await self.ok(
            SIGN_IN,
            {"input": {"email": email, "password": password}},
        )
        result = data["signIn"]
        assert result["errors"] == [], result
        assert result["stage"] == "FULL", result
        return result["token"]

    async def upload(
        self,
        query: str,
        variables: Mapping[str, Any] | None = None,
        files: Mapping[str, UploadFile] | None = None,
        token: str | None = None,
        *,
        headers: Mapping[str, str] | None = None,
        by_hash: bool = False,
    ) -> httpx.Response:
        """A GraphQL multipart request (github.com/jaydenseric/graphql-multipart-request-spec),
        as a client sends it: `operations` (the variables with null where each file goes), `map`
        (part name to variable path), then one part a file.

        `files` maps a path below `variables` to its file: `{"input.file": (name, bytes,
        content_type)}`, or `input.files.0`, `input.files.1`... for a list. The request carries
        `X-Examdesk-Upload: 1` and, with a token, `Authorization`; `headers` adds to or
        overrides them, and a header given as "" is not sent. `by_hash` names the document by
        its SHA-256 (`documentId`, the trusted documents convention) instead of sending it."""
        files = files or {}
        sent = {"X-Examdesk-Upload": "1"}
        if token:
            sent["Authorization"] = f"Bearer {token}"
        sent.update(headers or {})
        document: dict[str, str] = (
            {"documentId": document_id(query)} if by_hash else {"query": query}
        )
        operations = {**document, "variables": _with_nulls(variables or {}, files)}
        return await self.http.post(
            "/graphql",
            data={
                "operations": json.dumps(operations),
                "map": json.dumps({str(i): [f"variables.{path}"] for i, path in enumerate(files)}),
            },
            files={str(i): file for i, file in enumerate(files.values())},
            headers={name: value for name, value in sent.items() if value},
        )

    async def upload_ok(
        self,
        query: str,
        variables: Mapping[str, Any] | None = None,
        files: Mapping[str, UploadFile] | None = None,
        token: str | None = None,
    ) -> dict[str, Any]:
        """Upload, insisting on a 200 and no GraphQL errors; return data."""
        response = await self.upload(query, variables, files, token)
        assert response.status_code == 200, response.text
        body = response.json()
        assert not body.get("errors"), body
        return body["data"]

    async def wait_for_job(
        self,
        job_id: str,
        token: str,
        *,
        timeout: float = 60,  # noqa: ASYNC109 (the tests' own limit, one for each kind of job)
        query: str = JOB,
        until: Collection[str] = JOB_ENDED,
    ) -> dict[str, Any]:
        """Poll job(id) as a client would until its status is one of `until` (by default until it
        SUCCEEDED or FAILED), for `timeout` seconds at most; the job as `query` selects it."""
        job: dict[str, Any] = {}
        try:
            async with asyncio.timeout(timeout):
                # A client polls job(id): so do the tests, through the API.
                while True:
                    job = (await self.ok(query, {"id": job_id}, token))["job"]
                    if job["status"] in until:
                        return job
                    await asyncio.sleep(0.02)
        except TimeoutError:
            raise AssertionError(
                f"job {job_id} not {'/'.join(until)} within {timeout}s: {job}"
            ) from None
