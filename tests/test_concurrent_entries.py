"""Concurrent work does not fail for nothing: many enterCandidate calls at one centre at the same
moment all succeed, each with its own candidate number (on SQLite and on PostgreSQL)."""

import asyncio
from typing import Any

from starlette.applications import Starlette

from models.exams import Candidate
from tests.conftest import GraphQLClient

ENTER = """
mutation($input: EnterCandidateInput!) { enterCandidate(input: $input) {
  outcome errors { code message }
  candidate { candidateNumber username }
  entries { entryCode syllabus { code } }
} }"""
AT_ONCE = 32


def _input(username: str, syllabus: str = "0500") -> dict[str, Any]:
    return {
        "centreCode": "AA101", "seriesCode": "2026-NOV", "syllabusCodes": [syllabus],
        "username": username, "firstName": "Nia", "lastName": "Long", "password": "Secret2026",
    }


async def test_thirty_two_entries_at_once_all_get_their_own_number(
    demo: Starlette, gql: GraphQLClient
) -> None:
    token = await gql.sign_in("eo@aa101.example")
    before = set(await Candidate.filter(centre__code="AA101").values_list(
        "candidate_number", flat=True
    ))
    answers = await asyncio.gather(*(
        gql.ok(ENTER, {"input": _input(f"at_once_{i:02d}")}, token) for i in range(AT_ONCE)
    ))
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
    answers = await asyncio.gather(*(
        gql.ok(ENTER, {"input": _input("twice_at_once", syllabus)}, token)
        for syllabus in ("0500", "0580")
    ))
    payloads = [answer["enterCandidate"] for answer in answers]
    assert [p["errors"] for p in payloads] == [[], []]
    assert sorted(p["outcome"] for p in payloads) == [
        "LINKED_TO_EXISTING_CANDIDATE", "NEW_CANDIDATE"
    ]
    assert len({p["candidate"]["candidateNumber"] for p in payloads}) == 1
    assert await Candidate.filter(username="twice_at_once").count() == 1
