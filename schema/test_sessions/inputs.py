"""Inputs of starting a test and of the log-in sheet."""

import strawberry
from strawberry import relay


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
