"""A test session with its entries, and a centre's sessions with theirs, cost the same SQL
however many candidates are entered and however many sessions there are (DESIGN.md section 8):
the entries of every session on a page come in one batch, with their candidates."""

from datetime import timedelta

from models.exams import Candidate, Entry, Series, Syllabus
from models.organisations import Organisation
from models.test_sessions import TestSession
from resolvers.core import clock
from resolvers.identity.passwords import hash_password
from tests.helpers.graphql import GraphQLClient
from tests.helpers.query_counts import CountQueries, statements
from tests.test_sessions.helpers import session_id

SESSION = """
query($id: ID!) { testSession(id: $id) {
  id name startsAt endsAt timing status centre { code } series { code } syllabus { code title }
  entries {
    id entryCode status withdrawnAt
    candidate { id candidateNumber fullName username uci centre { code } }
    series { code resultsReleased } syllabus { code }
    result { grade }
  }
} }"""

SESSIONS = """
query($first: Int!) { testSessions(centreCode: "AA101", first: $first) {
  totalCount
  nodes {
    id name endsAt timing centre { code } series { code } syllabus { code }
    entries { entryCode status candidate { candidateNumber fullName } syllabus { code } }
  }
} }"""


async def add_sessions(count: int, entries_each: int) -> list[int]:
    """`count` more sessions at AA101 in 2026-NOV, each a syllabus of its own candidates'
    entries: bulk inserts and one password hash."""
    centre = await Organisation.get(code="AA101")
    series = await Series.get(code="2026-NOV")
    syllabus = await Syllabus.get(code="0620")
    start = await Candidate.filter(centre_id=centre.id).count() + 1
    ids: list[int] = []
    password_hash = hash_password("Bulk2026pass")
    for _ in range(count):
        session = await TestSession.create(
            centre=centre,
            series=series,
            syllabus=syllabus,
            name=f"Chemistry {start}",
            starts_at=clock.now() + timedelta(days=1),
            duration_minutes=60,
        )
        numbers = range(start, start + entries_each)
        await Candidate.bulk_create(
            [
                Candidate(
                    centre_id=centre.id,
                    candidate_number=f"{n:04d}",
                    first_name=f"Bulk{n:04d}",
                    last_name="Pupil",
                    username=f"session.bulk.{n:04d}",
                    password_hash=password_hash,
                )
                for n in numbers
            ]
        )
        candidates = await Candidate.filter(
            centre_id=centre.id, candidate_number__in=[f"{n:04d}" for n in numbers]
        ).values_list("id", "candidate_number")
        await Entry.bulk_create(
            [
                Entry(
                    candidate_id=candidate_id,
                    series_id=series.id,
                    syllabus_id=syllabus.id,
                    test_session_id=session.id,
                    entry_code=f"{number}-QZZZ",
                )
                for candidate_id, number in candidates
            ]
        )
        start += entries_each
        ids.append(session.id)
    return ids


async def test_a_session_with_its_entries_is_flat_as_entries_grow(
    demo: object, gql: GraphQLClient, count_queries: CountQueries
) -> None:
    token = await gql.sign_in("eo@aa101.example")
    small, large = await add_sessions(1, 3) + await add_sessions(1, 60)
    few, data = await statements(gql, count_queries, SESSION, {"id": session_id(small)}, token)
    assert len(data["testSession"]["entries"]) == 3
    many, data = await statements(gql, count_queries, SESSION, {"id": session_id(large)}, token)
    assert len(data["testSession"]["entries"]) == 60
    numbers = [e["candidate"]["candidateNumber"] for e in data["testSession"]["entries"]]
    assert numbers == sorted(numbers)
    assert few == many
    # The demo's session, whose entries have results hidden until the series' release.
    demo_count, data = await statements(gql, count_queries, SESSION, {"id": session_id(1)}, token)
    assert [e["result"] for e in data["testSession"]["entries"]] == [None, None]
    assert demo_count <= many


async def test_a_centres_sessions_with_entries_are_flat_as_sessions_grow(
    demo: object, gql: GraphQLClient, count_queries: CountQueries
) -> None:
    token = await gql.sign_in("eo@aa101.example")
    await add_sessions(2, 5)
    few, data = await statements(gql, count_queries, SESSIONS, {"first": 50}, token)
    assert data["testSessions"]["totalCount"] == 3
    await add_sessions(10, 20)
    many, data = await statements(gql, count_queries, SESSIONS, {"first": 50}, token)
    assert data["testSessions"]["totalCount"] == 13
    assert sum(len(n["entries"]) for n in data["testSessions"]["nodes"]) == 2 + 10 + 200
    assert few == many
