"""Inputs of test sessions: the list's filter, creating, changing and cancelling a session,
entering a candidate into one, starting a test and the log-in sheet."""

from datetime import datetime

import strawberry
from strawberry import relay

from schema.core.described import SERIES_CODE, SYLLABUS_CODE
from schema.test_sessions.enums import TestSessionStatus, TestSessionTiming

_SESSION_ID = "The TestSession's id."
_UNTIL_ENTERED = "Only while no candidate is entered (TEST_SESSION_HAS_ENTRIES)."
_DURATION = "How long the test lasts, in whole minutes: 1 to 600 (DURATION_INVALID otherwise)."
_NAME = "What staff and the log-in sheet call it; not blank (NAME_REQUIRED)."
_STARTS_AT = (
    "When the test starts, with its time zone (ISO 8601); the session may not be over already "
    "(TEST_SESSION_ENDED)."
)


@strawberry.input(description="Which of the centre's sessions to list; every field narrows it.")
class TestSessionFilter:
    status: TestSessionStatus | None = strawberry.field(
        default=None, description="Only SCHEDULED or only CANCELLED sessions; leave out for both."
    )
    timing: TestSessionTiming | None = strawberry.field(
        default=None, description="UPCOMING, IN_PROGRESS or FINISHED now."
    )
    series_code: str | None = strawberry.field(
        default=None, description=f"{SERIES_CODE} Only that series' sessions."
    )


@strawberry.input(description="A new test session of a syllabus in a series, at a venue.")
class CreateTestSessionInput:
    centre_code: str = strawberry.field(
        description="The venue: a centre, or one of your associate's client venues."
    )
    series_code: str = strawberry.field(description=SERIES_CODE)
    syllabus_code: str = strawberry.field(
        description=f"{SYLLABUS_CODE} It must belong to the series (SYLLABUS_NOT_FOUND)."
    )
    name: str = strawberry.field(description=f"{_NAME} e.g. 'Maths 0580, Hall B, morning'.")
    starts_at: datetime = strawberry.field(description=_STARTS_AT)
    duration_minutes: int = strawberry.field(description=_DURATION)


@strawberry.input(
    description="A session's changes: only the fields given change; null or absent keeps them."
)
class UpdateTestSessionInput:
    test_session_id: relay.GlobalID = strawberry.field(description=_SESSION_ID)
    name: str | None = strawberry.field(default=None, description=_NAME)
    starts_at: datetime | None = strawberry.field(default=None, description=_STARTS_AT)
    duration_minutes: int | None = strawberry.field(default=None, description=_DURATION)
    series_code: str | None = strawberry.field(default=None, description=_UNTIL_ENTERED)
    syllabus_code: str | None = strawberry.field(default=None, description=_UNTIL_ENTERED)


@strawberry.input(description="The session to cancel, one that is not over.")
class CancelTestSessionInput:
    test_session_id: relay.GlobalID = strawberry.field(description=_SESSION_ID)


@strawberry.input(
    description="One candidate to enter into a session: a new one, or one the username links to."
)
class EnterCandidateIntoTestSessionInput:
    test_session_id: relay.GlobalID = strawberry.field(description=_SESSION_ID)
    username: str = strawberry.field(
        description="Unique across the institution and its client venues. 1 to 500 letters, "
        "digits, @ _ - . or supported accented letters. An existing username at the venue "
        "links the entry to that candidate."
    )
    first_name: str = strawberry.field(
        description="A new candidate's first name, as printed on the log-in sheet; ignored when "
        "the username links to an existing candidate."
    )
    last_name: str = strawberry.field(
        description="A new candidate's last name; ignored when the username links to an "
        "existing candidate."
    )
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


@strawberry.input(
    description="What a candidate types to start their test: all three must match, or the one "
    "answer is INVALID_CREDENTIALS."
)
class StartTestInput:
    username: str = strawberry.field(description="As the centre set it; any case.")
    password: str = strawberry.field(description="The password the centre gave the candidate.")
    entry_code: str = strawberry.field(
        description="From the log-in sheet, e.g. 7KQM-4XPA (without the hyphen, or in lower "
        "case, it is the same code)."
    )


@strawberry.input(description="The session whose log-in sheet to make.")
class CreateLogInSheetInput:
    test_session_id: relay.GlobalID = strawberry.field(description="A TestSession's id.")
