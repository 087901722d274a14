"""The board's errors report: entry, key time and other errors, each with the object to open,
worked out from the data, and marked resolved by key."""

from datetime import timedelta
from typing import Any

import pytest
from strawberry import relay

from models.audit import AuditEvent, ErrorResolution
from models.exams import Entry, EntryStatus, Series
from models.jobs import Job, JobStatus
from models.mail import DeliveryStatus, OutboxMessage
from models.organisations import Organisation
from resolvers.core import clock
from tests.helpers.graphql import GraphQLClient

REPORT = """
query($kind: ErrorKind, $resolved: Boolean! = false) {
  errorReport(kind: $kind, includeResolved: $resolved) {
    key kind code message objectType objectId at resolvedAt resolvedByEmail note
  }
}"""
RESOLVE = """
mutation($input: ResolveErrorInput!) { resolveError(input: $input) {
  problem { key resolvedAt resolvedByEmail note } errors { code field message }
} }"""
BOARD = "admin@exb.example"


@pytest.fixture
async def board(demo: object, gql: GraphQLClient) -> str:
    # The demo's series have fixed dates: put the releases where each test needs them, whatever
    # today is.
    await Series.all().update(results_release_at=clock.now() + timedelta(days=30))
    await Series.all().update(credentials_open_at=clock.now() - timedelta(days=30))
    return await gql.sign_in(BOARD)


async def report(gql: GraphQLClient, token: str, **variables: Any) -> list[dict[str, Any]]:
    return (await gql.ok(REPORT, variables, token=token))["errorReport"]


def codes_of(problems: list[dict[str, Any]]) -> list[str]:
    return sorted(p["code"] for p in problems)


async def test_nothing_to_fix_gives_an_empty_report(gql: GraphQLClient, board: str) -> None:
    assert await report(gql, board) == []


async def test_entry_errors(gql: GraphQLClient, board: str) -> None:
    await Organisation.filter(code="BB202").update(deleted_at=clock.now())
    withdrawn = await Entry.filter(result__id__isnull=False).order_by("id").first()
    assert withdrawn is not None
    await Entry.filter(id=withdrawn.id).update(status=EntryStatus.WITHDRAWN)

    problems = await report(gql, board, kind="ENTRY")

    assert codes_of(problems) == [
        "ENTRY_AT_DELETED_CENTRE",
        "ENTRY_AT_DELETED_CENTRE",
        "ENTRY_AT_DELETED_CENTRE",
        "RESULT_ON_WITHDRAWN_ENTRY",
    ]
    bb = await Organisation.get(code="BB202")
    at_bb = [p for p in problems if p["code"] == "ENTRY_AT_DELETED_CENTRE"]
    assert {p["objectId"] for p in at_bb} == {str(relay.GlobalID("Organisation", str(bb.id)))}
    assert any(
        "2 live entries for 2026-NOV at the deleted centre BB202" in p["message"] for p in at_bb
    )
    [result] = [p for p in problems if p["code"] == "RESULT_ON_WITHDRAWN_ENTRY"]
    assert result["objectId"] == str(relay.GlobalID("Entry", str(withdrawn.id)))
    # Fixed in the data, a problem leaves the report by itself.
    await Organisation.filter(code="BB202").update(deleted_at=None)
    assert codes_of(await report(gql, board, kind="ENTRY")) == ["RESULT_ON_WITHDRAWN_ENTRY"]


async def test_key_time_errors(gql: GraphQLClient, board: str) -> None:
    november = await Series.get(code="2026-NOV")
    await Series.filter(id=november.id).update(results_release_at=clock.now() - timedelta(days=1))
    june = await Series.get(code="2026-JUN")
    await Series.filter(id=june.id).update(
        credentials_open_at=june.results_release_at + timedelta(days=1)
    )

    problems = await report(gql, board, kind="KEY_TIME")

    assert codes_of(problems) == [
        "KEY_TIMES_OUT_OF_ORDER",
        "RESULTS_MISSING_AFTER_RELEASE",
        "RESULTS_MISSING_AFTER_RELEASE",
    ]
    missing = {p["message"] for p in problems if p["code"] == "RESULTS_MISSING_AFTER_RELEASE"}
    assert any("5 live entries at AA101 have no result" in m for m in missing), missing
    assert any("2 live entries at BB202 have no result" in m for m in missing), missing
    assert all(
        p["objectId"] == str(relay.GlobalID("Series", str(november.id)))
        for p in problems
        if p["code"] == "RESULTS_MISSING_AFTER_RELEASE"
    )


async def test_other_errors_and_marking_one_resolved(gql: GraphQLClient, board: str) -> None:
    job = await Job.create(
        kind="entries.upload",
        status=JobStatus.FAILED,
        error_message="The file vanished",
        created_at=clock.now(),
    )
    email = await OutboxMessage.create(
        recipient="gone@aa101.example",
        subject="Your invitation",
        body="secret temporary password",
        template="INVITATION",
        status=DeliveryStatus.FAILED,
        queued_at=clock.now(),
        next_attempt_at=clock.now(),
        last_error="550 No such user",
        failed_at=clock.now(),
    )

    problems = await report(gql, board, kind="OTHER")

    assert codes_of(problems) == ["EMAIL_UNDELIVERED", "JOB_FAILED"]
    [failed] = [p for p in problems if p["code"] == "JOB_FAILED"]
    assert failed["objectId"] == str(relay.GlobalID("Job", str(job.id)))
    assert "The file vanished" in failed["message"]
    [undelivered] = [p for p in problems if p["code"] == "EMAIL_UNDELIVERED"]
    assert undelivered["objectId"] == str(relay.GlobalID("UndeliveredEmail", str(email.id)))
    assert "secret" not in undelivered["message"]

    done = await gql.ok(
        RESOLVE, {"input": {"key": failed["key"], "note": "Uploaded again."}}, token=board
    )
    assert done["resolveError"]["errors"] == []
    assert done["resolveError"]["problem"]["resolvedByEmail"] == BOARD
    assert codes_of(await report(gql, board)) == ["EMAIL_UNDELIVERED"]
    with_resolved = await report(gql, board, kind="OTHER", resolved=True)
    [marked] = [p for p in with_resolved if p["key"] == failed["key"]]
    assert (marked["note"], marked["resolvedByEmail"]) == ("Uploaded again.", BOARD)
    event = await AuditEvent.get(action="error_report.resolve")
    assert event.after == {"key": failed["key"], "code": "JOB_FAILED", "note": "Uploaded again."}


async def test_bad_resolutions_change_nothing(gql: GraphQLClient, board: str) -> None:
    job = await Job.create(kind="x", status=JobStatus.FAILED, created_at=clock.now())
    key = f"JOB_FAILED:{job.id}"
    await gql.ok(RESOLVE, {"input": {"key": key}}, token=board)
    before = await ErrorResolution.all().count()

    for variables, code in (
        ({"key": key}, "ALREADY_RESOLVED"),
        ({"key": "JOB_FAILED:999999"}, "NOT_FOUND"),
        ({"key": key, "note": "x" * 2001}, "INVALID_INPUT"),
    ):
        answer = (await gql.ok(RESOLVE, {"input": variables}, token=board))["resolveError"]
        assert [e["code"] for e in answer["errors"]] == [code], answer
    assert await ErrorResolution.all().count() == before


@pytest.mark.parametrize("email", ["eo@aa101.example", "users@aa101.example", "eo@as100.example"])
async def test_only_the_board_reads_and_resolves_errors(
    gql: GraphQLClient, demo: object, email: str
) -> None:
    job = await Job.create(kind="x", status=JobStatus.FAILED, created_at=clock.now())
    token = await gql.sign_in(email)
    for query, variables in (
        (REPORT, {}),
        (RESOLVE, {"input": {"key": f"JOB_FAILED:{job.id}"}}),
    ):
        body = await gql.post(query, variables, token)
        assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]
    assert await ErrorResolution.all().count() == 0
