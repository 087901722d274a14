"""The mixed load bench/deployment.py drives: virtual users on keep-alive connections, each doing
its share of staff pages, writes, and candidates on the results website until a deadline, and
one bulk upload of staff whose job is polled through another app process. Every write the app
acknowledged is recorded here, for the check against the database afterwards.
"""

import asyncio
import base64
import itertools
import json
import secrets
import string
import time
from dataclasses import dataclass, field
from typing import Any

import bench_data
from loadgen import Answer, Connection, graphql_request
from raw import documents
from results_day import sign_in_request

UPDATE_NAMES = """
mutation UpdateUserNames($input: UpdateUserInput!) {
  updateUser(input: $input) {
    organisationUser { user { id firstName lastName } }
    errors { code field message }
  }
}"""
ENTER_CANDIDATE = """
mutation EnterCandidate($input: EnterCandidateInput!) {
  enterCandidate(input: $input) {
    outcome
    candidate { id candidateNumber username }
    entries { id entryCode }
    errors { code field message }
  }
}"""
UPLOAD_USERS = """
mutation($input: UploadUsersInput!) { uploadUsers(input: $input) {
  rowsRead rowsWithErrors job { id } errors { code message }
  rows { rowNumber errors { code message } }
} }"""
JOB = "query($id: ID!) { job(id: $id) { status stage done total errorMessage } }"
# A virtual user's round: mostly reading, as a day at a centre is, with a write in four.
MIX = (
    "me",
    "organisationUsers",
    "candidate",
    "updateUser",
    "candidates",
    "me",
    "candidate",
    "organisationUsers",
    "updateUser",
    "me",
    "candidate",
    "enterCandidate",
)
ENTERED_FOR = ["0580", "0610"]
SERIES = "2024-NOV"


def letters(number: int) -> str:
    """A number written in lower-case letters: names take no digits."""
    out = ""
    while True:
        number, digit = divmod(number, 26)
        out = string.ascii_lowercase[digit] + out
        if not number:
            return out


def user_id(database_id: int) -> str:
    return base64.b64encode(f"User:{database_id}".encode()).decode()


@dataclass
class Phase:
    """What one phase's virtual users did: per-kind latencies, failures, acknowledged writes."""

    name: str
    latencies: dict[str, list[float]] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    # Per staff user, the names acknowledged for them, in the order their one writer sent them.
    names: dict[int, list[tuple[str, str]]] = field(default_factory=dict)
    # Candidates entered: username -> candidate number.
    entered: dict[str, str] = field(default_factory=dict)
    candidates: "itertools.count[int]" = field(default_factory=lambda: itertools.count(1))
    upload_rows: int = 0
    upload_seconds: float = 0.0
    upload_status: str = "-"
    seconds: float = 0.0
    # CPU seconds each examdesk process used during the load (its own, not its pool's).
    cpu: dict[str, float] = field(default_factory=dict)

    def note(self, kind: str, started: float, problem: str = "") -> None:
        self.latencies.setdefault(kind, []).append(time.perf_counter() - started)
        if problem:
            self.failures.append(f"{kind}: {problem}")

    @property
    def acknowledged(self) -> int:
        return sum(len(v) for v in self.names.values()) + len(self.entered)


def _problem(answer: Answer, payload_field: str | None) -> str:
    """Why an answer is not a success ('' if it is): HTTP, GraphQL or the payload's errors."""
    if answer.failed:
        return f"HTTP {answer.status} {answer.content[:300]!r}"
    if payload_field is None:
        return ""
    body = answer.json()
    payload = (body.get("data") or {}).get(payload_field)
    if body.get("errors") or not payload or payload.get("errors"):
        return json.dumps(body)[:600]
    return ""


class VirtualUser:
    """One connection to one app process, doing MIX in turn (each starting elsewhere in it)."""

    def __init__(
        self, index: int, port: int, token: str, staff: list[int], phase: Phase, candidates: int
    ) -> None:
        self.index, self.port, self.token, self.phase = index, port, token, phase
        # Staff users written by this virtual user alone: its last write to each is the one the
        # database must show.
        self.staff = staff
        self.candidates = candidates
        self.connection = Connection(port)
        self.step = 0

    async def send(self, kind: str, request: bytes, payload: str | None = None) -> Answer | None:
        """The answer if it succeeded, else None; noted with its latency either way. `payload`:
        the mutation's field, whose `errors` must be empty too."""
        started = time.perf_counter()
        try:
            answer = await self.connection.send(request)
        except (OSError, asyncio.IncompleteReadError) as error:
            self.phase.note(kind, started, repr(error))
            return None
        problem = _problem(answer, payload)
        self.phase.note(kind, started, problem)
        return None if problem else answer

    async def run_until(self, deadline: float) -> None:
        actions = {
            "updateUser": self.update_user,
            "enterCandidate": self.enter_candidate,
            "candidate": self.candidate,
        }
        try:
            while time.perf_counter() < deadline:
                kind = MIX[(self.index + self.step) % len(MIX)]
                self.step += 1
                if kind in PAGES:
                    query, variables = PAGES[kind]
                    request = graphql_request(self.port, query, variables, self.token)
                    await self.send(kind, request)
                else:
                    await actions[kind]()
        finally:
            await self.connection.close()

    async def update_user(self) -> None:
        database_id = self.staff[self.step % len(self.staff)]
        first = "Wrote" + letters(self.step)
        last = f"{self.phase.name.capitalize()}{letters(self.index)}"
        variables = {
            "input": {
                "organisationCode": bench_data.CENTRE,
                "userId": user_id(database_id),
                "firstName": first,
                "lastName": last,
            }
        }
        request = graphql_request(self.port, UPDATE_NAMES, variables, self.token)
        if await self.send("updateUser", request, "updateUser"):
            self.phase.names.setdefault(database_id, []).append((first, last))

    async def enter_candidate(self) -> None:
        username = f"load.{self.phase.name}.{self.index}.{self.step}"
        variables = {
            "input": {
                "centreCode": bench_data.CENTRE,
                "seriesCode": SERIES,
                "syllabusCodes": ENTERED_FOR,
                "username": username,
                "firstName": "Loaded",
                "lastName": "Candidate",
                "password": f"Entered{self.step:04d}X",
            }
        }
        request = graphql_request(self.port, ENTER_CANDIDATE, variables, self.token)
        answer = await self.send("enterCandidate", request, "enterCandidate")
        if answer:
            candidate = answer.json()["data"]["enterCandidate"]["candidate"]
            self.phase.entered[username] = candidate["candidateNumber"]

    async def candidate(self) -> None:
        """A candidate signs in to the results website and reads their results."""
        number = (next(self.phase.candidates) - 1) % (self.candidates - 1) + 1
        signed = await self.send(
            "signInCandidate", sign_in_request(self.port, number), "signInCandidate"
        )
        if signed:
            token = signed.json()["data"]["signInCandidate"]["token"]
            read = graphql_request(self.port, documents.CANDIDATE_RESULTS, {}, token)
            answer = await self.send("candidateResults", read)
            if answer and b'"candidateResults":{' not in answer.content:
                self.phase.failures.append("candidateResults: no results")


PAGES: dict[str, tuple[str, dict[str, Any]]] = {
    "candidates": (documents.CANDIDATES, {"code": bench_data.CENTRE, "first": 50}),
    "organisationUsers": (
        documents.ORGANISATION_USERS,
        {"organisationCode": bench_data.CENTRE, "first": 15},
    ),
    "me": (documents.ME, {}),
}


def upload_email(phase: str, row: int) -> str:
    return f"upload.{phase}.{row:05d}@zz900.example"


def users_csv(phase: str, rows: int) -> bytes:
    lines = ["first_name,last_name,email,password,role"]
    lines += [
        f"Uploaded,Staff{letters(i)},{upload_email(phase, i)},Harbour{i * 37 + 11}Light,INV"
        for i in range(rows)
    ]
    return ("\n".join(lines) + "\n").encode()


def multipart_request(
    port: int, token: str, query: str, variables: dict[str, Any], filename: str, content: bytes
) -> bytes:
    """A GraphQL multipart upload as a browser sends it, the file at variables.input.file, with
    the header the app asks of uploads (its CSRF guard)."""
    boundary = "examdesk-bench-" + secrets.token_hex(8)
    fields = {
        "operations": json.dumps({"query": query, "variables": variables}),
        "map": json.dumps({"0": ["variables.input.file"]}),
    }
    body = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    )
    body += (
        f'--{boundary}\r\nContent-Disposition: form-data; name="0"; filename="{filename}"\r\n'
        "Content-Type: text/csv\r\n\r\n"
    ).encode() + content
    body += f"\r\n--{boundary}--\r\n".encode()
    head = [
        "POST /graphql HTTP/1.1",
        f"Host: 127.0.0.1:{port}",
        f"Content-Type: multipart/form-data; boundary={boundary}",
        "Accept: application/json",
        f"Authorization: Bearer {token}",
        "X-Examdesk-Upload: 1",
        f"Content-Length: {len(body)}",
    ]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


async def upload_staff(phase: Phase, ports: list[int], token: str, rows: int) -> None:
    """uploadUsers of `rows` staff posted to the first app process, its job polled to the end
    through the last (the other one, when there are two)."""
    poster, poller = VirtualUser(-1, ports[0], token, [], phase, 0), None
    variables = {"input": {"organisationCode": bench_data.CENTRE, "dryRun": False, "file": None}}
    content = users_csv(phase.name, rows)
    request = multipart_request(ports[0], token, UPLOAD_USERS, variables, "staff.csv", content)
    started = time.perf_counter()
    answer = await poster.send("uploadUsers", request, "uploadUsers")
    await poster.connection.close()
    if not answer:
        return
    job_id = answer.json()["data"]["uploadUsers"]["job"]["id"]
    poller = VirtualUser(-1, ports[-1], token, [], phase, 0)
    try:
        while True:
            polled = await poller.send(
                "job", graphql_request(ports[-1], JOB, {"id": job_id}, token)
            )
            status = polled.json()["data"]["job"]["status"] if polled else "FAILED"
            if status in ("SUCCEEDED", "FAILED"):
                break
            await asyncio.sleep(0.5)
    finally:
        await poller.connection.close()
    phase.upload_status = status
    phase.upload_seconds = time.perf_counter() - started
    if status == "SUCCEEDED":  # acknowledged: every row must be in the database
        phase.upload_rows = rows
    else:
        phase.failures.append(f"uploadUsers: the job ended {status}: {polled and polled.content}")
