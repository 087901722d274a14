"""Concurrent work does not fail for nothing: many enterCandidate calls at one centre at the same
moment all succeed, each with its own candidate number (on SQLite and on PostgreSQL), and a file
of candidates is not refused for a number the server chose that someone took meanwhile."""

import asyncio
from typing import Any

from starlette.applications import Starlette

from models.exams import Candidate, Series, Syllabus
from models.jobs import Job, JobStatus
from models.organisations import Organisation
from models.users import User
from resolvers.core import jobs
from resolvers.core.credential_secrets import sealer
from resolvers.exams.bulk_entries import _SEALED_FOR, KIND
from tests.helpers.graphql import GraphQLClient

ENTER = """
mutation($input: EnterCandidateInput!) { enterCandidate(input: $input) {
  outcome errors { code message }
  candidate { candidateNumber username }
  entries { entryCode syllabus { code } }
} }"""
AT_ONCE = 32


def _input(username: str, syllabus: str = "0500") -> dict[str, Any]:
    return {
        "centreCode": "AA101",
        "seriesCode": "2026-NOV",
        "syllabusCodes": [syllabus],
        "username": username,
        "firstName": "Nia",
        "lastName": "Long",
        "password": "Secret2026",
    }


async def test_thirty_two_entries_at_once_all_get_their_own_number(
    demo: Starlette, gql: GraphQLClient
) -> None:
    token = await gql.sign_in("eo@aa101.example")
    before = set(
        await Candidate.filter(centre__code="AA101").values_list("candidate_number", flat=True)
    )
    answers = await asyncio.gather(
        *(gql.ok(ENTER, {"input": _input(f"at_once_{i:02d}")}, token) for i in range(AT_ONCE))
    )
    payloads = [answer["enterCandidate"] for answer in answers]
    assert [p["errors"] for p in payloads] == [[]] * AT_ONCE
    assert {p["outcome"] for p in payloads} == {"NEW_CANDIDATE"}
    numbers = [p["candidate"]["candidateNumber"] for p in payloads]
    assert len(set(numbers)) == AT_ONCE
    assert all(len(n) == 4 and n.isdigit() for n in numbers)
    assert not set(numbers) & before
    # The next ones after the highest, with no gap: nobody's attempt burnt a number.
    highest = max(int(n) for n in before)
    assert sorted(int(n) for n in numbers) == list(range(highest + 1, highest + 1 + AT_ONCE))
    codes = [e["entryCode"] for p in payloads for e in p["entries"]]
    assert len(set(codes)) == AT_ONCE


async def test_the_same_new_username_twice_at_once_makes_one_candidate(
    demo: Starlette, gql: GraphQLClient
) -> None:
    """The slower call finds the candidate the faster one made, and links to it."""
    token = await gql.sign_in("eo@aa101.example")
    answers = await asyncio.gather(
        *(
            gql.ok(ENTER, {"input": _input("twice_at_once", syllabus)}, token)
            for syllabus in ("0500", "0580")
        )
    )
    payloads = [answer["enterCandidate"] for answer in answers]
    assert [p["errors"] for p in payloads] == [[], []]
    assert sorted(p["outcome"] for p in payloads) == [
        "LINKED_TO_EXISTING_CANDIDATE",
        "NEW_CANDIDATE",
    ]
    assert len({p["candidate"]["candidateNumber"] for p in payloads}) == 1
    assert await Candidate.filter(username="twice_at_once").count() == 1


async def test_an_uploads_chosen_number_taken_meanwhile_is_chosen_again(
    demo: Starlette, gql: GraphQLClient
) -> None:
    """The numbers a file of candidates was promised when checked are the server's choice: if a
    single entry took one before the job wrote the file, the job picks another instead of
    failing the whole upload. A number the file gave is the file's, and is refused as before."""
    centre = await Organisation.get(code="AA101")
    series = await Series.get(code="2026-NOV")
    syllabus = await Syllabus.get(code="0500")
    sealed = sealer(_SEALED_FOR).encrypt(b"Secret2026").decode()
    highest = max(
        int(n)
        for n in await Candidate.filter(centre_id=centre.id).values_list(
            "candidate_number", flat=True
        )
    )

    def planned(username: str, number: str, *, chosen: bool, row: int = 2) -> dict[str, Any]:
        return {
            "row": row,
            "username": username,
            "candidateId": None,
            "candidateNumber": number,
            "numberChosen": chosen,
            "firstName": "A",
            "lastName": "B",
            "uci": None,
            "password": sealed,
            "entries": [
                {
                    "row": row,
                    "syllabusId": syllabus.id,
                    "syllabusCode": "0500",
                    "reinstateId": None,
                    "entryCode": None,
                }
            ],
        }

    async def run_job(*candidates: dict[str, Any]) -> Job:
        user = await User.get(email="eo@aa101.example")
        job = await Job.create(
            kind=KIND,
            organisation_id=centre.id,
            created_by_id=user.id,
            request_id="test",
            status=JobStatus.RUNNING,
            created_at=centre.created_at,
            payload={
                "centreId": centre.id,
                "centreCode": "AA101",
                "seriesId": series.id,
                "seriesCode": "2026-NOV",
                "file": None,
                "candidates": list(candidates),
            },
        )
        await jobs.run(job)
        await job.refresh_from_db()
        return job

    # Promised 0001 (now another candidate's) and the next one up, both the server's choice.
    next_up = str(highest + 1).zfill(4)
    job = await run_job(
        planned("chosen_a", "0001", chosen=True), planned("chosen_b", next_up, chosen=True, row=3)
    )
    assert job.status is JobStatus.SUCCEEDED, job.error_message
    written = dict(
        await Candidate.filter(username__in=["chosen_a", "chosen_b"]).values_list(
            "username", "candidate_number"
        )
    )
    assert written == {"chosen_b": next_up, "chosen_a": str(highest + 2).zfill(4)}
    assert job.result is not None
    assert {r["username"]: r["candidateNumber"] for r in job.result["rows"]} == written

    typed = await run_job(planned("typed_c", "0002", chosen=False))
    assert typed.status is JobStatus.FAILED
    assert typed.error_code == "CONCURRENT_CHANGE"
    assert not await Candidate.exists(username="typed_c")
