"""A centre's candidate list (and a series' entries) cost the same SQL from 50 to 2,000
candidates (DESIGN.md section 8), and the read is audited naming exactly the candidates shown.

The centre AA101 grows to 50 and then 2,000 candidates, each entered for three syllabuses in a
released series with a result for each. The exams officer asks for a page of candidates with
every entry's series, syllabus and result: the number of statements must not change with the
rows, the page size or the page.
"""

import base64
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from models.audit import AuditEvent
from models.exams import MONTH_NUMBERS, Candidate, Entry, Result, Series, SeriesMonth, Syllabus
from models.organisations import Organisation
from resolvers.identity.passwords import hash_password
from tests.helpers.graphql import GraphQLClient
from tests.helpers.query_counts import CountQueries

Record = Callable[[str, object], None]

CENTRE = "AA101"
SERIES = "2024-JUN"  # released long ago; the demo has no entries in it
SYLLABUSES = ("0500", "0580", "0610")
GRADES = ("A*", "A", "B", "C", "D")

CANDIDATES = """
query($code: String!, $first: Int!, $after: String, $filter: CandidateFilter) {
  candidates(centreCode: $code, first: $first, after: $after, filter: $filter) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges {
      cursor
      node {
        id candidateNumber uci firstName lastName fullName username
        centre { code }
        entries {
          id entryCode status
          series { code resultsReleased }
          syllabus { code title }
          result { grade mark }
        }
      }
    }
  }
}
"""

ENTRIES = """
query($code: String!, $series: String!, $first: Int!, $after: String) {
  entries(centreCode: $code, seriesCode: $series, first: $first, after: $after) {
    totalCount resultsVisible
    pageInfo { hasNextPage endCursor }
    edges { node {
      id entryCode status
      candidate { id candidateNumber fullName centre { code } }
      series { code } syllabus { code title }
      result { grade }
    } }
  }
}
"""


async def released_series() -> Series:
    series = await Series.get_or_none(code=SERIES)
    if series is None:
        series = await Series.create(
            code=SERIES,
            month=SeriesMonth.JUNE,
            month_number=MONTH_NUMBERS[SeriesMonth.JUNE],
            year=2024,
            credentials_open_at=datetime(2024, 3, 25, tzinfo=UTC),
            results_release_at=datetime(2024, 8, 13, 6, tzinfo=UTC),
        )
    return series


async def grow_to(total: int) -> None:
    """Give AA101 `total` candidates, each with a result in three syllabuses of the series.

    Bulk inserts and one password hash: the demo's four candidates come first (0001 to 0004);
    the new ones take the next numbers.
    """
    centre = await Organisation.get(code=CENTRE)
    series = await released_series()
    syllabuses = list(await Syllabus.filter(code__in=SYLLABUSES).order_by("code"))
    have = await Candidate.filter(centre_id=centre.id).count()
    assert have <= total
    if have == total:
        return
    password_hash = hash_password("Bulk2024pass")
    numbers = range(have + 1, total + 1)
    await Candidate.bulk_create(
        [
            Candidate(
                centre_id=centre.id,
                candidate_number=f"{n:04d}",
                uci=f"AA10124{n:04d}X",
                first_name=f"Bulk{n:04d}",
                last_name="Pupil",
                username=f"bulk.{n:04d}",
                password_hash=password_hash,
            )
            for n in numbers
        ],
        batch_size=500,
    )
    # bulk_create does not hand back ids on every backend: read them back.
    new = dict(
        await Candidate.filter(centre_id=centre.id, username__startswith="bulk.").values_list(
            "candidate_number", "id"
        )
    )
    await Entry.bulk_create(
        [
            Entry(
                candidate_id=new[f"{n:04d}"],
                series_id=series.id,
                syllabus_id=syllabus.id,
                entry_code=f"{n:04d}-{index}ZZZ",
            )
            for n in numbers
            for index, syllabus in enumerate(syllabuses)
        ],
        batch_size=1000,
    )
    entry_ids = (
        await Entry.filter(series_id=series.id, candidate_id__in=list(new.values()))
        .exclude(id__in=await Result.all().values_list("entry_id", flat=True))
        .values_list("id", flat=True)
    )
    await Result.bulk_create(
        [
            Result(
                entry_id=entry_id,
                grade=GRADES[entry_id % len(GRADES)],
                mark=entry_id % 100,
                loaded_at=datetime(2024, 8, 6, tzinfo=UTC),
            )
            for entry_id in entry_ids
        ],
        batch_size=1000,
    )


async def counted(
    http: httpx.AsyncClient,
    count_queries: CountQueries,
    token: str,
    query: str,
    variables: dict[str, Any],
) -> tuple[int, dict[str, Any], str]:
    """Statements, data and request id of one request."""
    with count_queries() as counter:
        response = await http.post(
            "/graphql",
            json={"query": query, "variables": variables},
            headers={"Authorization": f"Bearer {token}"},
        )
    body = response.json()
    assert response.status_code == 200, body
    assert not body.get("errors"), body
    return len(counter.statements), body["data"], response.headers["x-request-id"]


async def read_event(request_id: str) -> AuditEvent:
    events = await AuditEvent.filter(request_id=request_id, action="results.read")
    assert len(events) == 1, events
    return events[0]


def shown(nodes: list[dict[str, Any]]) -> tuple[list[int], list[int]]:
    """The candidate and entry ids whose results the page shows (database ids)."""
    candidates: set[int] = set()
    entries: set[int] = set()
    for node in nodes:
        for entry in node["entries"]:
            if entry["result"] is not None:
                candidates.add(_pk(node["id"]))
                entries.add(_pk(entry["id"]))
    return sorted(candidates), sorted(entries)


def _pk(global_id: str) -> int:
    return int(base64.b64decode(global_id).decode().split(":", 1)[1])


@pytest.mark.parametrize("first", [50, 500])
async def test_candidate_list_is_flat_from_50_to_2000_candidates(
    demo,
    http: httpx.AsyncClient,
    gql: GraphQLClient,
    count_queries: CountQueries,
    record_property: Record,
    first: int,
) -> None:
    token = await gql.sign_in(f"eo@{CENTRE.lower()}.example")
    variables = {"code": CENTRE, "first": first}

    await grow_to(50)
    small, data, request_id = await counted(http, count_queries, token, CANDIDATES, variables)
    page = data["candidates"]
    assert page["totalCount"] == 50
    nodes = [edge["node"] for edge in page["edges"]]
    assert [n["candidateNumber"] for n in nodes] == [f"{n:04d}" for n in range(1, 51)]
    bulk = nodes[10]
    assert [e["syllabus"]["code"] for e in bulk["entries"]] == list(SYLLABUSES)
    assert {e["series"]["code"] for e in bulk["entries"]} == {SERIES}
    assert all(e["result"]["grade"] in GRADES for e in bulk["entries"])
    # The read is in the audit trail: exactly the candidates and entries shown.
    event = await read_event(request_id)
    candidate_ids, entry_ids = shown(nodes)
    # Everyone but the demo's 0004, who has no result loaded in any series.
    assert [n["candidateNumber"] for n in nodes if _pk(n["id"]) not in candidate_ids] == ["0004"]
    assert event.after == {"candidateIds": candidate_ids, "entryIds": entry_ids}
    assert event.organisation_id == (await Organisation.get(code=CENTRE)).id
    assert event.actor_email == f"eo@{CENTRE.lower()}.example"

    await grow_to(2000)
    large, data, request_id = await counted(http, count_queries, token, CANDIDATES, variables)
    page = data["candidates"]
    assert page["totalCount"] == 2000
    assert len(page["edges"]) == first
    assert page["pageInfo"]["hasNextPage"] is True
    nodes = [edge["node"] for edge in page["edges"]]
    candidate_ids, entry_ids = shown(nodes)
    assert len(candidate_ids) == first - 1  # all but 0004
    assert (await read_event(request_id)).after == {
        "candidateIds": candidate_ids,
        "entryIds": entry_ids,
    }

    # The next page costs the same as the first, and is audited on its own.
    following, data, request_id = await counted(
        http,
        count_queries,
        token,
        CANDIDATES,
        {**variables, "after": page["pageInfo"]["endCursor"]},
    )
    nodes = [edge["node"] for edge in data["candidates"]["edges"]]
    assert [n["candidateNumber"] for n in nodes][:2] == [f"{first + 1:04d}", f"{first + 2:04d}"]
    candidate_ids, _ = shown(nodes)
    assert (await read_event(request_id)).after["candidateIds"] == candidate_ids

    print(
        f"\ncandidates first={first}: {small} SQL statements with 50 candidates, "
        f"{large} with 2000, {following} for the next page"
    )
    record_property(f"candidates_first_{first}_statements", large)
    assert small == large == following


async def test_series_entries_list_is_flat_from_50_to_2000_candidates(
    demo,
    http: httpx.AsyncClient,
    gql: GraphQLClient,
    count_queries: CountQueries,
    record_property: Record,
) -> None:
    token = await gql.sign_in(f"eo@{CENTRE.lower()}.example")
    variables = {"code": CENTRE, "series": SERIES, "first": 100}

    await grow_to(50)
    small, data, request_id = await counted(http, count_queries, token, ENTRIES, variables)
    page = data["entries"]
    assert page["totalCount"] == 46 * 3  # the demo's four have no entries in this series
    assert page["resultsVisible"] is True
    nodes = [edge["node"] for edge in page["edges"]]
    event = await read_event(request_id)
    assert event.after == {
        "candidateIds": sorted({_pk(n["candidate"]["id"]) for n in nodes}),
        "entryIds": sorted(_pk(n["id"]) for n in nodes),
    }

    await grow_to(2000)
    large, data, _ = await counted(http, count_queries, token, ENTRIES, variables)
    page = data["entries"]
    assert page["totalCount"] == 1996 * 3
    assert len(page["edges"]) == 100
    following, data, _ = await counted(
        http,
        count_queries,
        token,
        ENTRIES,
        {**variables, "after": page["pageInfo"]["endCursor"]},
    )
    assert len(data["entries"]["edges"]) == 100

    print(
        f"\nentries first=100: {small} SQL statements with 50 candidates, {large} with 2000, "
        f"{following} for the next page"
    )
    record_property("entries_first_100_statements", large)
    assert small == large == following


async def test_a_filtered_list_is_flat_too(
    demo, http: httpx.AsyncClient, gql: GraphQLClient, count_queries: CountQueries
) -> None:
    token = await gql.sign_in(f"slt@{CENTRE.lower()}.example")
    variables = {
        "code": CENTRE,
        "first": 100,
        "filter": {"search": "pupil", "seriesCode": SERIES.lower()},
    }
    await grow_to(50)
    small, data, _ = await counted(http, count_queries, token, CANDIDATES, variables)
    assert data["candidates"]["totalCount"] == 46
    await grow_to(2000)
    large, data, _ = await counted(http, count_queries, token, CANDIDATES, variables)
    assert data["candidates"]["totalCount"] == 1996
    assert small == large
