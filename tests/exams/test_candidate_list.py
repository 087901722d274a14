"""A centre's candidates (issue 3): order, filters, who may list them, their entries and
results, and the audit of every read of results ("who looked")."""

import base64
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from models.audit import AuditEvent
from models.exams import Candidate, Entry
from models.organisations import Organisation
from resolvers.core import clock
from tests.helpers.graphql import GraphQLClient

CANDIDATES = """
query($code: String!, $filter: CandidateFilter, $first: Int, $after: String,
      $series: String) {
  candidates(centreCode: $code, filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage endCursor }
    nodes {
      id candidateNumber uci fullName username
      entries(seriesCode: $series) {
        id status series { code } syllabus { code } result { grade mark }
      }
    }
  }
}
"""


@pytest.fixture(autouse=True)
def _after_the_june_release() -> None:
    # The demo's 2026-JUN results are released on 11 August 2026.
    if clock.now() < datetime(2026, 8, 11, 6, tzinfo=UTC):
        clock.advance(datetime(2026, 8, 12, tzinfo=UTC) - clock.now())


async def _list(
    gql: GraphQLClient, token: str, code: str = "AA101", **variables: Any
) -> dict[str, Any]:
    return await gql.post(CANDIDATES, {"code": code, **variables}, token=token)


async def _page(gql: GraphQLClient, token: str, code: str = "AA101", **variables: Any) -> dict:
    body = await _list(gql, token, code, **variables)
    assert not body.get("errors"), body
    return body["data"]["candidates"]


def _numbers(page: dict[str, Any]) -> list[str]:
    return [n["candidateNumber"] for n in page["nodes"]]


def _pk(global_id: str) -> int:
    return int(base64.b64decode(global_id).decode().split(":", 1)[1])


async def _reads(since: int = 0) -> list[AuditEvent]:
    return list(await AuditEvent.filter(action="results.read", id__gt=since).order_by("id"))


async def _last_audit_id() -> int:
    last = await AuditEvent.all().order_by("-id").first()
    return last.id if last else 0


async def test_in_candidate_number_order_with_their_entries(demo, gql: GraphQLClient) -> None:
    eo = await gql.sign_in("eo@aa101.example")
    page = await _page(gql, eo)
    assert page["totalCount"] == 4
    assert _numbers(page) == ["0001", "0002", "0003", "0004"]
    amara = page["nodes"][0]
    assert amara["fullName"] == "Amara Okafor"
    # By series (oldest first), then syllabus code.
    assert [(e["series"]["code"], e["syllabus"]["code"]) for e in amara["entries"]] == [
        ("2025-NOV", "0580"),
        ("2026-JUN", "0500"),
        ("2026-JUN", "0580"),
        ("2026-JUN", "0610"),
        ("2026-NOV", "0620"),
    ]
    grades = [e["result"] and e["result"]["grade"] for e in amara["entries"]]
    assert grades == ["B", "A", "A*", "B", None]  # nothing loaded yet for 2026-NOV
    jose = page["nodes"][1]
    withdrawn = [e for e in jose["entries"] if e["status"] == "WITHDRAWN"]
    assert [(e["syllabus"]["code"], e["result"]) for e in withdrawn] == [("0610", None)]

    # BB202's numbers have a gap; the order is still by number.
    bb = await gql.sign_in("eo@bb202.example")
    assert _numbers(await _page(gql, bb, "BB202")) == ["0001", "0002", "0007"]


async def test_one_series_of_each_candidates_entries(demo, gql: GraphQLClient) -> None:
    eo = await gql.sign_in("eo@aa101.example")
    page = await _page(gql, eo, series="2026-jun")
    assert {
        n["candidateNumber"]: [e["syllabus"]["code"] for e in n["entries"]] for n in page["nodes"]
    } == {
        "0001": ["0500", "0580", "0610"],
        "0002": ["0500", "0610"],
        "0003": ["0580", "0620"],
        "0004": [],
    }
    unknown = await _page(gql, eo, series="1999-JUN")
    assert all(n["entries"] == [] for n in unknown["nodes"])


@pytest.mark.parametrize(
    ("search", "numbers"),
    [
        ("amara", ["0001"]),  # first name
        ("RAHMAN", ["0003"]),  # last name, any case
        ("siti rahman", ["0003"]),  # every word must match
        ("siti okafor", []),
        ("0002", ["0002"]),  # candidate number
        ("000", ["0001", "0002", "0003", "0004"]),
        ("AA101260002B", ["0002"]),  # UCI
        ("aa101_cand", ["0001", "0003"]),  # username
        ("0580", []),  # a syllabus is not the candidate
        ("garcia", ["0002"]),  # accents ignored
        ("GARCÍA", ["0002"]),  # case ignored beyond ASCII too
        ("jose garcía", ["0002"]),
    ],
)
async def test_search(demo, gql: GraphQLClient, search: str, numbers: list[str]) -> None:
    eo = await gql.sign_in("eo@aa101.example")
    page = await _page(gql, eo, filter={"search": search})
    assert _numbers(page) == numbers
    assert page["totalCount"] == len(numbers)


async def test_only_candidates_entered_in_a_series(demo, gql: GraphQLClient) -> None:
    eo = await gql.sign_in("eo@aa101.example")
    assert _numbers(await _page(gql, eo, filter={"seriesCode": "2025-NOV"})) == ["0001"]
    assert _numbers(await _page(gql, eo, filter={"seriesCode": "2026-nov"})) == [
        "0001",
        "0002",
        "0004",
    ]
    # A withdrawn entry still counts: the candidate was entered.
    both = await _page(gql, eo, filter={"seriesCode": "2026-JUN", "search": "garcía"})
    assert _numbers(both) == ["0002"]
    body = await _list(gql, eo, filter={"seriesCode": "1999-JUN"})
    assert body["errors"][0]["extensions"]["code"] == "SERIES_NOT_FOUND"


async def test_pages(demo, gql: GraphQLClient) -> None:
    eo = await gql.sign_in("eo@aa101.example")
    first = await _page(gql, eo, first=3)
    assert _numbers(first) == ["0001", "0002", "0003"]
    assert first["pageInfo"]["hasNextPage"] is True
    rest = await _page(gql, eo, first=3, after=first["pageInfo"]["endCursor"])
    assert _numbers(rest) == ["0004"]
    assert rest["pageInfo"] == {**rest["pageInfo"], "hasNextPage": False, "hasPreviousPage": True}
    for bad in (0, 501):
        body = await _list(gql, eo, first=bad)
        assert body["errors"][0]["extensions"]["code"] == "INVALID_INPUT", bad


@pytest.mark.parametrize(
    ("email", "allowed"),
    [
        ("eo@aa101.example", True),
        ("slt@aa101.example", True),
        ("admin@exb.example", True),
        ("teacher@aa101.example", False),
        ("inv@aa101.example", False),
        ("users@aa101.example", False),
        ("eo@bb202.example", False),  # another centre
        ("slt@bb202.example", False),
        ("eo@as100.example", False),  # an associate, but not AA101's
    ],
)
async def test_who_may_list_a_centres_candidates(
    demo, gql: GraphQLClient, email: str, allowed: bool
) -> None:
    token = await gql.sign_in(email)
    body = await _list(gql, token)
    if allowed:
        assert not body.get("errors"), body
        assert body["data"]["candidates"]["totalCount"] == 4
    else:
        assert body["data"] is None
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_unknown_centres_as_for_entries(demo, gql: GraphQLClient) -> None:
    eo = await gql.sign_in("eo@aa101.example")
    body = await _list(gql, eo, "ZZ999")
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    admin = await gql.sign_in("admin@exb.example")
    body = await _list(gql, admin, "ZZ999")
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    body = await gql.post(CANDIDATES, {"code": "AA101"})
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_an_associate_lists_its_associate_centres_candidates(
    demo, gql: GraphQLClient
) -> None:
    centre = await Organisation.get(code="AS101")
    await Candidate.create(
        centre=centre,
        candidate_number="0001",
        first_name="Wanjiru",
        last_name="Kamau",
        username="wanjiru",
        password_hash="x",
    )
    token = await gql.sign_in("eo@as100.example")
    page = await _page(gql, token, "AS101")
    assert [n["fullName"] for n in page["nodes"]] == ["Wanjiru Kamau"]


async def test_every_read_of_results_is_audited_once_per_request_and_centre(
    demo, http: httpx.AsyncClient, gql: GraphQLClient
) -> None:
    slt = await gql.sign_in("slt@aa101.example")
    response = await http.post(
        "/graphql",
        json={"query": CANDIDATES, "variables": {"code": "AA101", "filter": {"search": "siti"}}},
        headers={"Authorization": f"Bearer {slt}"},
    )
    siti = response.json()["data"]["candidates"]["nodes"][0]
    events = await AuditEvent.filter(request_id=response.headers["x-request-id"])
    assert [(e.action, e.actor_email) for e in events] == [("results.read", "slt@aa101.example")]
    assert events[0].organisation_id == (await Organisation.get(code="AA101")).id
    assert events[0].after == {
        "candidateIds": [_pk(siti["id"])],
        "entryIds": sorted(_pk(e["id"]) for e in siti["entries"]),
    }

    # The same results through the series' entries and a candidate's entries in one request:
    # still one event, each candidate and entry once.
    query = """query { entries(centreCode: "AA101", seriesCode: "2026-JUN") {
      nodes { id result { grade } candidate { id entries(seriesCode: "2026-JUN") {
        id result { grade } } } } } }"""
    response = await http.post(
        "/graphql", json={"query": query}, headers={"Authorization": f"Bearer {slt}"}
    )
    nodes = response.json()["data"]["entries"]["nodes"]
    events = await AuditEvent.filter(request_id=response.headers["x-request-id"])
    assert len(events) == 1
    shown = [n for n in nodes if n["result"] is not None]
    assert events[0].after == {
        "candidateIds": sorted({_pk(n["candidate"]["id"]) for n in shown}),
        "entryIds": sorted(_pk(n["id"]) for n in shown),
    }
    assert len(events[0].after["entryIds"]) == 6  # José's withdrawn 0610 has none

    # The board reading two centres' results: one event per centre.
    admin = await gql.sign_in("admin@exb.example")
    query = """query {
      a: candidates(centreCode: "AA101", first: 1) { nodes { entries { result { grade } } } }
      b: candidates(centreCode: "BB202", first: 1) { nodes { entries { result { grade } } } }
    }"""
    response = await http.post(
        "/graphql", json={"query": query}, headers={"Authorization": f"Bearer {admin}"}
    )
    assert not response.json().get("errors")
    events = await AuditEvent.filter(request_id=response.headers["x-request-id"]).order_by(
        "organisation_id"
    )
    codes = {o.id: o.code for o in await Organisation.filter(code__in=["AA101", "BB202"])}
    assert [(codes[e.organisation_id], e.action) for e in events] == [
        ("AA101", "results.read"),
        ("BB202", "results.read"),
    ]


async def test_no_event_when_no_result_is_shown(demo, gql: GraphQLClient) -> None:
    eo = await gql.sign_in("eo@aa101.example")
    before = await _last_audit_id()
    # Without the result field, with only unreleased series, or with no entries at all.
    await gql.ok(
        """query { candidates(centreCode: "AA101") { nodes { entries {
      syllabus { code } } } } }""",
        token=eo,
    )
    page = await _page(gql, eo, series="2026-NOV")
    assert all(e["result"] is None for n in page["nodes"] for e in n["entries"])
    await _page(gql, eo, filter={"search": "nobody"})
    assert await _reads(before) == []


async def test_results_hidden_before_release_and_not_audited(
    demo, http: httpx.AsyncClient, gql: GraphQLClient
) -> None:
    admin = await gql.sign_in("admin@exb.example")
    eo = await gql.sign_in("eo@aa101.example")
    release = clock.now() + timedelta(days=1)
    created = await gql.ok(
        "mutation($input: CreateSeriesInput!) { createSeries(input: $input) "
        "{ errors { code } series { code } } }",
        {
            "input": {
                "year": 2027,
                "month": "JUNE",
                "resultsReleaseAt": release.isoformat(),
                "credentialsOpenAt": (release - timedelta(days=30)).isoformat(),
            }
        },
        token=admin,
    )
    assert created["createSeries"]["errors"] == []
    entered = await gql.ok(
        "mutation($input: EnterCandidateInput!) { enterCandidate(input: $input) "
        "{ errors { code } entries { id result { grade } } "
        '  candidate { id entries(seriesCode: "2027-JUN") { id result { grade } } } } }',
        {
            "input": {
                "centreCode": "AA101",
                "seriesCode": "2027-JUN",
                "syllabusCodes": ["0580"],
                "username": "hidden.until",
                "firstName": "Ravi",
                "lastName": "Shah",
                "password": "Release2027",
            }
        },
        token=eo,
    )
    payload = entered["enterCandidate"]
    assert payload["errors"] == []
    assert payload["candidate"]["entries"] == [{"id": payload["entries"][0]["id"], "result": None}]
    loaded = await gql.ok(
        "mutation($input: LoadResultInput!) { loadResult(input: $input) "
        "{ errors { code } result { grade } } }",
        {"input": {"entryId": payload["entries"][0]["id"], "grade": "A"}},
        token=admin,
    )
    assert loaded["loadResult"] == {"errors": [], "result": {"grade": "A"}}
    variables = {"filter": {"seriesCode": "2027-JUN"}, "series": "2027-JUN"}

    before = await _last_audit_id()
    for email in ("eo@aa101.example", "slt@aa101.example"):
        token = await gql.sign_in(email)
        page = await _page(gql, token, **variables)
        assert page["nodes"][0]["entries"][0]["result"] is None, email
    assert await _reads(before) == []

    # The board sees it before the release, and that read is recorded.
    page = await _page(gql, admin, **variables)
    assert page["nodes"][0]["entries"][0]["result"] == {"grade": "A", "mark": None}
    [event] = await _reads(before)
    entry = await Entry.get(entry_code__isnull=False, candidate__username="hidden.until")
    assert (event.actor_email, event.after) == (
        "admin@exb.example",
        {"candidateIds": [entry.candidate_id], "entryIds": [entry.id]},
    )

    # From the release time the centre sees it too, and is recorded.
    clock.advance(timedelta(days=1, seconds=5))
    eo = await gql.sign_in("eo@aa101.example")
    page = await _page(gql, eo, **variables)
    assert page["nodes"][0]["entries"][0]["result"] == {"grade": "A", "mark": None}
    events = await _reads(before)
    assert [e.actor_email for e in events] == ["admin@exb.example", "eo@aa101.example"]


async def test_results_are_withheld_when_the_read_cannot_be_recorded(
    demo, gql: GraphQLClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Fault injection: the audit trail refuses the write (a full disk, a lost connection).
    async def refuse(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("audit trail unavailable")

    eo = await gql.sign_in("eo@aa101.example")
    monkeypatch.setattr("resolvers.results_website.results_reads.audit.record", refuse)
    body = await _list(gql, eo, filter={"search": "siti"})
    assert body["data"] is None
    [error] = body["errors"]
    assert error["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert "audit trail unavailable" not in error["message"]
    assert error["extensions"]["requestId"]
    # Without results there is nothing to record, and the list still answers.
    fine = await gql.ok(
        'query { candidates(centreCode: "AA101") { totalCount nodes { entries { id } } } }',
        token=eo,
    )
    assert fine["candidates"]["totalCount"] == 4


@pytest.mark.parametrize(
    "selection",
    [
        "entries { ...Shown }",
        "entries { ... on Entry { id result { grade } } }",
        "...Row",
    ],
)
async def test_results_through_fragments(
    demo, http: httpx.AsyncClient, gql: GraphQLClient, selection: str
) -> None:
    query = f"""query {{ candidates(centreCode: "AA101", filter: {{search: "siti"}}) {{
      nodes {{ {selection} }} }} }}
    fragment Shown on Entry {{ id result {{ grade }} }}
    fragment Row on Candidate {{ entries {{ ...Shown }} }}"""
    if "Row" not in selection:
        query = query.replace("fragment Row on Candidate { entries { ...Shown } }", "")
    if "Shown" not in query.split("fragment")[0] and "Row" not in selection:
        query = query.replace("fragment Shown on Entry { id result { grade } }", "")
    eo = await gql.sign_in("eo@aa101.example")
    response = await http.post(
        "/graphql", json={"query": query}, headers={"Authorization": f"Bearer {eo}"}
    )
    body = response.json()
    assert not body.get("errors"), body
    [siti] = body["data"]["candidates"]["nodes"]
    assert [e["result"]["grade"] for e in siti["entries"]] == ["B", "C"]
    [event] = await AuditEvent.filter(request_id=response.headers["x-request-id"])
    assert event.after["entryIds"] == sorted(_pk(e["id"]) for e in siti["entries"])
