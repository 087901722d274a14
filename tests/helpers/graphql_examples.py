"""The documented flows in graphql_examples/ and how to run one: the format of the files (see
tests/app/test_graphql_examples.py) and a runner that sends an example as a client would, by
its text or, as a client of a trusted-documents server does, by its hash alone."""

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from graphql import OperationDefinitionNode, OperationType, parse
from strawberry import relay

from examdesk.demo import DEMO_RESULTS_PASSWORD
from models.audit import AuditEvent
from models.jobs import Job
from models.mail import OutboxMessage
from resolvers.core.mail import MailTemplate
from tests.helpers.graphql import SIGN_IN, GraphQLClient, document_id

EXAMPLES = Path(__file__).resolve().parents[2] / "graphql_examples"
EXAMPLE_NAME = re.compile(r"^\d{3}_[a-z0-9_]+$")
HEADER = re.compile(
    r"^#\s*(as|expect-error|expect-reason|as-candidate|as-invited|upload)\s*:\s*(\S+)\s*$"
)


@dataclass(frozen=True)
class Example:
    path: Path
    query: str
    variables: dict[str, Any]
    as_email: str | None
    expect_error: str | None
    is_mutation: bool
    # `# as-candidate: <results username>`: signed in to the results website as that demo
    # candidate (examdesk/demo.py demo_candidate_sign_ins).
    as_candidate: str | None = None
    # `# upload: input.file=NNN_name.csv`: that variable is the file, sent as a multipart upload.
    upload: tuple[str, Path] | None = None
    # `# expect: enterCandidate.outcome=NEW_CANDIDATE` lines: values the answer must hold.
    expectations: tuple[tuple[str, Any], ...] = ()
    # `# as-invited: <email>`: the session of someone invited in an earlier example, opened
    # with the temporary password from their invitation email, at whatever stage it has
    # reached, as a person in GraphiQL who read the email would.
    as_invited: str | None = None
    # `# fill: input.code=emailed-code:<email>`: that variable is the six-digit code of the
    # newest email to the address that has one (the outbox is what the demo server logs).
    # `# fill: id=newest-job:<kind>`: that variable is the id of the newest job of that kind
    # (queued by an earlier example), as a client keeps it from the mutation's answer.
    fills: tuple[tuple[str, str, str], ...] = ()
    # `# expect-reason: NO_ROLE_HERE`: with expect-error, the error's extensions.reason too.
    expect_reason: str | None = None

    @property
    def name(self) -> str:
        return self.path.name


def _headers(query: str) -> dict[str, str]:
    """The `# key: value` lines of the leading comment block."""
    found: dict[str, str] = {}
    for line in query.splitlines():
        stripped = line.strip()
        if not stripped.startswith("#"):
            break
        match = HEADER.match(stripped)
        if match:
            assert match.group(1) not in found, f"{match.group(1)} given twice"
            found[match.group(1)] = match.group(2)
    return found


def load(path: Path) -> Example:
    query = path.read_text(encoding="utf-8")
    variables_path = path.with_suffix(".json")
    variables = (
        json.loads(variables_path.read_text(encoding="utf-8")) if variables_path.exists() else {}
    )
    assert isinstance(variables, dict), f"{variables_path.name}: variables must be an object"
    operations = [d for d in parse(query).definitions if isinstance(d, OperationDefinitionNode)]
    assert len(operations) == 1, f"{path.name}: one operation per file, found {len(operations)}"
    headers = _headers(query)
    assert "expect-reason" not in headers or "expect-error" in headers, (
        f"{path.name}: expect-reason goes with expect-error"
    )
    return Example(
        path=path,
        query=query,
        variables=variables,
        as_email=headers.get("as"),
        expect_error=headers.get("expect-error"),
        is_mutation=operations[0].operation is OperationType.MUTATION,
        as_candidate=headers.get("as-candidate"),
        upload=_upload(headers.get("upload")),
        expectations=_expectations(query),
        as_invited=headers.get("as-invited"),
        fills=_fills(query),
        expect_reason=headers.get("expect-reason"),
    )


_EXPECT = re.compile(r"^#\s*expect\s*:\s*([A-Za-z0-9_.]+)=(.+)$")


def _expectations(query: str) -> tuple[tuple[str, Any], ...]:
    """The `# expect: path=value` lines: a dotted path into `data` (list items by index) and
    the value there, as JSON (`42`, `true`, `"text"`) or else as plain text."""
    found: list[tuple[str, Any]] = []
    for line in query.splitlines():
        if not line.startswith("#"):
            break
        match = _EXPECT.match(line.strip())
        if match:
            raw = match.group(2).strip()
            try:
                value = json.loads(raw)
            except json.JSONDecodeError:
                value = raw
            found.append((match.group(1), value))
    return tuple(found)


_FILL = re.compile(r"^#\s*fill\s*:\s*([A-Za-z0-9_.]+)=(emailed-code|newest-job):(\S+)$")


def _fills(query: str) -> tuple[tuple[str, str, str], ...]:
    found: list[tuple[str, str, str]] = []
    for line in query.splitlines():
        if not line.startswith("#"):
            break
        match = _FILL.match(line.strip())
        if match:
            found.append((match.group(1), match.group(2), match.group(3)))
    return tuple(found)


async def _fill(source: str, argument: str) -> str:
    if source == "newest-job":
        job = await Job.filter(kind=argument).order_by("-id").first()
        assert job is not None, f"no {argument} job was queued before"
        return relay.to_base64("Job", job.id)
    return await _from_newest_email(
        argument, r"(?:code is|code with your email address:) (\d{6})\b", None
    )


async def _from_newest_email(recipient: str, pattern: str, template: MailTemplate | None) -> str:
    """The first group of `pattern` in the newest email to `recipient` that matches it."""
    messages = OutboxMessage.filter(recipient=recipient).order_by("-id")
    if template is not None:
        messages = messages.filter(template=template.value)
    for message in await messages:
        match = re.search(pattern, message.body)
        if match:
            return match.group(1)
    raise AssertionError(f"no email to {recipient} matches {pattern!r}")


def _set_path(variables: dict[str, Any], path: str, value: str) -> dict[str, Any]:
    filled = json.loads(json.dumps(variables))
    *parents, leaf = path.split(".")
    target = filled
    for key in parents:
        target = target.setdefault(key, {})
    target[leaf] = value
    return filled


def _at_path(data: Any, path: str) -> Any:
    for key in path.split("."):
        data = data[int(key)] if isinstance(data, list) else data[key]
    return data


def _upload(header: str | None) -> tuple[str, Path] | None:
    if header is None:
        return None
    variable, _, name = header.partition("=")
    return variable, EXAMPLES / name


def example_paths() -> list[Path]:
    return sorted(EXAMPLES.glob("*.graphql"))


def _payload_error_codes(data: dict[str, Any] | None) -> list[str]:
    codes: list[str] = []
    for value in (data or {}).values():
        if isinstance(value, dict):
            codes.extend(error["code"] for error in value.get("errors") or [])
    return codes


# The documents the runner sends itself, besides the examples: a trusted-documents server must
# have them registered too (tests/app/test_trusted_documents.py).
SIGN_IN_INVITED = "mutation($i: SignInInput!) { signIn(input: $i) { token } }"
SIGN_IN_CANDIDATE = "mutation($i: SignInCandidateInput!) { signInCandidate(input: $i) { token } }"
RUNNER_DOCUMENTS = (SIGN_IN, SIGN_IN_INVITED, SIGN_IN_CANDIDATE)


async def _send(
    example: Example,
    variables: dict[str, Any],
    token: str | None,
    http: httpx.AsyncClient,
    gql: GraphQLClient,
    *,
    by_hash: bool,
) -> httpx.Response:
    """The example's request: by its text, or by hash alone in the three ways clients send one
    (queries over GET with ?documentId=, mutations as Apollo's persisted queries, uploads with
    documentId in `operations`)."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if example.upload is not None:
        # The file's variable goes null in `operations`, as the multipart request spec says.
        variable, path = example.upload
        return await gql.upload(
            example.query,
            variables,
            {variable: (path.name, path.read_bytes(), "text/csv")},
            token,
            by_hash=by_hash,
        )
    if not by_hash:
        return await http.post(
            "/graphql", json={"query": example.query, "variables": variables}, headers=headers
        )
    digest = document_id(example.query)
    if not example.is_mutation:
        params = {"documentId": digest, "variables": json.dumps(variables)}
        return await http.get("/graphql", params=params, headers=headers)
    persisted = {"persistedQuery": {"version": 1, "sha256Hash": digest.removeprefix("sha256:")}}
    return await http.post(
        "/graphql", json={"variables": variables, "extensions": persisted}, headers=headers
    )


async def run_example(
    example: Example,
    http: httpx.AsyncClient,
    gql: GraphQLClient,
    invited: dict[str, str],
    *,
    by_hash: bool = False,
) -> None:
    token: str | None = None
    if example.as_email is not None:
        token = await gql.sign_in(example.as_email)
    if example.as_invited is not None:
        if example.as_invited not in invited:
            password = await _from_newest_email(
                example.as_invited, r"Temporary password: (\S+)", MailTemplate.INVITATION
            )
            signed_in = await gql.ok(
                SIGN_IN_INVITED,
                {"i": {"email": example.as_invited, "password": password}},
            )
            invited[example.as_invited] = signed_in["signIn"]["token"]
        token = invited[example.as_invited]
    variables = example.variables
    for path, source, argument in example.fills:
        variables = _set_path(variables, path, await _fill(source, argument))
    if example.as_candidate is not None:
        signed_in = await gql.ok(
            SIGN_IN_CANDIDATE,
            {"i": {"username": example.as_candidate, "password": DEMO_RESULTS_PASSWORD}},
        )
        token = signed_in["signInCandidate"]["token"]
    response = await _send(example, variables, token, http, gql, by_hash=by_hash)
    assert response.status_code == 200, f"{example.name}: {response.text}"
    body = response.json()
    graphql_codes = [
        (error.get("extensions") or {}).get("code") for error in body.get("errors") or []
    ]
    payload_codes = _payload_error_codes(body.get("data"))
    if example.is_mutation:
        for field, value in (body.get("data") or {}).items():
            assert isinstance(value, dict), f"{example.name}: {field} is not a payload"
            assert "errors" in value, f"{example.name}: select the payload's `errors` of {field}"

    if example.expect_error is not None:
        assert example.expect_error in graphql_codes + payload_codes, (
            f"{example.name}: expected {example.expect_error}, got {body}"
        )
        if example.expect_reason is not None:
            reasons = [(e.get("extensions") or {}).get("reason") for e in body["errors"]]
            assert example.expect_reason in reasons, (
                f"{example.name}: expected reason {example.expect_reason}, got {body}"
            )
        return

    assert not body.get("errors"), f"{example.name}: {body['errors']}"
    assert payload_codes == [], f"{example.name}: payload errors {body['data']}"
    for path, value in example.expectations:
        assert _at_path(body["data"], path) == value, (
            f"{example.name}: expected {path} = {value!r}, got {body['data']}"
        )
    if example.is_mutation:
        request_id = response.headers["x-request-id"]
        assert await AuditEvent.exists(request_id=request_id), (
            f"{example.name}: no audit event with request id {request_id}"
        )
