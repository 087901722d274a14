"""The demo tells the same story on any day: its series are placed around the day it is created,
so there is always one released series whose results the demo candidates read, one whose results
come out later, and one before them."""

from datetime import UTC, datetime

import pytest
from starlette.applications import Starlette

from examdesk.demo import DEMO_RESULTS_PASSWORD, demo_candidate_sign_ins, demo_series, seed_demo
from resolvers.core import clock
from tests.helpers.graphql import GraphQLClient

SERIES = """{ series(first: 10) { edges { node {
  code credentialsOpenAt resultsReleaseAt resultsReleased } } } }"""
CANDIDATE_SIGN_IN = """mutation($input: SignInCandidateInput!) { signInCandidate(input: $input) {
  token errors { code } } }"""
RESULTS = """{ candidateResults { series { seriesCode available results { grade } } } }"""

DAYS = (
    datetime(2026, 11, 23, 9, tzinfo=UTC),
    datetime(2027, 2, 1, 12, tzinfo=UTC),
    # The moment a series' results come out, and the instant before it.
    datetime(2028, 8, 11, 5, 59, 59, tzinfo=UTC),
    datetime(2028, 8, 11, 6, tzinfo=UTC),
    datetime(2031, 3, 1, 10, tzinfo=UTC),
    datetime(2031, 12, 31, 23, 59, tzinfo=UTC),
)


@pytest.mark.parametrize("day", DAYS, ids=lambda day: day.isoformat())
async def test_the_demo_has_a_released_and_an_upcoming_series_on_any_day(
    app: Starlette, gql: GraphQLClient, day: datetime
) -> None:
    clock.travel_to(day)
    await seed_demo()
    admin = await gql.sign_in("admin@exb.example")
    series = [edge["node"] for edge in (await gql.ok(SERIES, token=admin))["series"]["edges"]]
    assert len(series) == 3
    # Newest first: upcoming, released, past.
    upcoming, released, past = series
    assert not upcoming["resultsReleased"]
    assert datetime.fromisoformat(upcoming["resultsReleaseAt"]) > day
    assert released["resultsReleased"]
    assert past["resultsReleased"]
    assert datetime.fromisoformat(released["resultsReleaseAt"]) <= day

    # The demo candidates sign in and read their released results.
    for candidate in demo_candidate_sign_ins():
        signed_in = (
            await gql.ok(
                CANDIDATE_SIGN_IN,
                {
                    "input": {
                        "username": candidate.username,
                        "password": DEMO_RESULTS_PASSWORD,
                    }
                },
            )
        )["signInCandidate"]
        assert signed_in["errors"] == [], candidate
        results = (await gql.ok(RESULTS, token=signed_in["token"]))["candidateResults"]
        assert [(s["seriesCode"], s["available"]) for s in results["series"]] == [
            (released["code"], True)
        ]
        assert all(r["grade"] for r in results["series"][0]["results"])


def test_the_test_day_gives_the_series_the_examples_name() -> None:
    """tests/ and graphql_examples/ run on 2026-11-23 and name these series."""
    placed = demo_series(datetime(2026, 11, 23, 9, tzinfo=UTC))
    assert {place: s.code for place, s in placed.items()} == {
        "past": "2025-NOV",
        "released": "2026-JUN",
        "upcoming": "2026-NOV",
    }


def test_each_series_opens_credentials_before_its_results() -> None:
    for day in DAYS:
        placed = demo_series(day)
        for plan in placed.values():
            assert plan.credentials_open_at < plan.results_release_at
        assert (
            placed["past"].results_release_at
            < placed["released"].results_release_at
            <= day
            < placed["upcoming"].results_release_at
        )
