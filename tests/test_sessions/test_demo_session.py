"""The demo's test session runs when the demo is created, on any day, and `examdesk demo`
prints its candidates' usernames and entry codes, whose password is the demo candidates'."""

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from starlette.applications import Starlette

from examdesk.demo import DEMO_CANDIDATE_PASSWORD, seed_demo
from examdesk.demo_test_sessions import DEMO_TEST_SESSION, demo_test_session_entries
from models.exams import Candidate
from resolvers.core import clock
from resolvers.identity.passwords import verify_password
from tests.helpers.graphql import GraphQLClient
from tests.test_sessions.helpers import SESSIONS, at

DAYS = (
    datetime(2026, 11, 23, 9, tzinfo=UTC),
    datetime(2028, 8, 11, 6, tzinfo=UTC),
    datetime(2031, 12, 31, 23, 59, tzinfo=UTC),
)


@pytest.mark.parametrize("day", DAYS, ids=lambda day: day.isoformat())
async def test_the_demo_session_runs_when_the_demo_is_created(
    app: Starlette, gql: GraphQLClient, day: datetime
) -> None:
    clock.travel_to(day)
    await seed_demo()
    token = await gql.sign_in("eo@aa101.example")
    nodes = (await gql.ok(SESSIONS, {"centre": "AA101"}, token))["testSessions"]["nodes"]
    assert [(n["name"], n["timing"], n["status"]) for n in nodes] == [
        (DEMO_TEST_SESSION, "IN_PROGRESS", "SCHEDULED")
    ]
    assert at(nodes[0]["startsAt"]) <= day < at(nodes[0]["endsAt"])
    assert at(nodes[0]["endsAt"]) - day > timedelta(hours=2)
    entries = await demo_test_session_entries()
    assert [e.status for e in entries] == ["ENTERED", "ENTERED"]
    assert [e.entry_code for e in entries] == [e["entryCode"] for e in nodes[0]["entries"]]
    for entry in entries:
        candidate = await Candidate.get(username=entry.username)
        assert verify_password(candidate.password_hash, DEMO_CANDIDATE_PASSWORD)


def test_examdesk_demo_prints_the_sessions_entry_codes(tmp_path: Path) -> None:
    url = f"sqlite://{tmp_path / 'demo.sqlite3'}"
    result = subprocess.run(
        [sys.executable, "-m", "examdesk.cli", "demo"],
        env={**os.environ, "EXAMDESK_DATABASE_URL": url, "EXAMDESK_FAST_PASSWORD_HASHING": "1"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert DEMO_TEST_SESSION in result.stdout
    assert DEMO_CANDIDATE_PASSWORD in result.stdout
    lines = [line for line in result.stdout.splitlines() if "entry code" in line]
    assert len(lines) == 2
    assert "josé.garcía" in lines[0]
    assert "björn.åkesson@aa101" in lines[1]
