"""Inputs of test sessions: the list's filter, creating, changing and cancelling a session,
entering a candidate into one, starting a test and the log-in sheet."""

from datetime import datetime

import strawberry
from strawberry import relay

from schema.test_sessions.enums import TestSessionStatus, TestSessionTiming


@strawberry.input
class TestSessionFilter:
    status: TestSessionStatus | None = None
    timing: TestSessionTiming | None = strawberry.field(
        default=None, description="UPCOMING, IN_PROGRESS or FINISHED now."
    )
    series_code: str | None = strawberry.field(default=None, description="e.g. 2026-NOV.")


@strawberry.input
class CreateTestSessionInput:
    centre_code: str = strawberry.field(
        description="The venue: a centre, or one of your associate's client venues."
    )
    series_code: str
    syllabus_code: str
    name: str = strawberry.field(description="e.g. 'Maths 0580, Hall B, morning'.")
    starts_at: datetime = strawberry.field(
        description="With its time zone; the session may not be over already."
    )
    duration_minutes: int = strawberry.field(description="1 to 600.")


@strawberry.input
class UpdateTestSessionInput:
    test_session_id: relay.GlobalID
    name: str | None = None
    starts_at: datetime | None = None
    duration_minutes: int | None = strawberry.field(default=None, description="1 to 600.")
    series_code: str | None = strawberry.field(
        default=None, description="Only while no candidate is entered (TEST_SESSION_HAS_ENTRIES)."
    )
    syllabus_code: str | None = strawberry.field(
        default=None, description="Only while no candidate is entered (TEST_SESSION_HAS_ENTRIES)."
    )


@strawberry.input
class CancelTestSessionInput:
    test_session_id: relay.GlobalID


@strawberry.input
class EnterCandidateIntoTestSessionInput:
    test_session_id: relay.GlobalID
    username: str = strawberry.field(
        description="Unique across the institution and its client venues. 1 to 500 letters, "
        "digits, @ _ - . or supported accented letters. An existing username at the venue "
        "links the entry to that candidate."
    )
    first_name: str
    last_name: str
    password: str | None = strawberry.field(
        default=None,
        description="Needed for a new candidate: 8 or more characters with an upper-case "
        "letter and a digit. Ignored when the username links to an existing candidate.",
    )
    candidate_number: str | None = strawberry.field(
        default=None, description="1 to 4 digits; the next free number if not given."
    )
    uci: str | None = strawberry.field(
        default=None, description="Unique Candidate Identifier, as for enterCandidate."
    )


@strawberry.input
class StartTestInput:
    username: str = strawberry.field(description="As the centre set it; any case.")
    password: str
    entry_code: str = strawberry.field(
        description="From the log-in sheet, e.g. 7KQM-4XPA (without the hyphen, or in lower "
        "case, it is the same code)."
    )


@strawberry.input
class CreateLogInSheetInput:
    test_session_id: relay.GlobalID = strawberry.field(description="A TestSession's id.")
