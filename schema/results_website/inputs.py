"""Inputs of the candidate results website: results access, its selected candidates, candidate
sign-in and the credentials letters."""

import strawberry
from strawberry import relay

from schema.results_website.enums import ResultsAccessStatus


@strawberry.input
class ResultsAccessCandidateFilter:
    search: str | None = strawberry.field(
        default=None,
        description="Words that must each appear in the candidate's name, number or UCI.",
    )
    has_access: bool | None = None


@strawberry.input
class UpdateResultsAccessInput:
    centre_code: str
    series_code: str
    status: ResultsAccessStatus
    agreed: bool = strawberry.field(
        description="You agree to manage any queries from candidates at your centre. Needed "
        "for ALL and SELECTED."
    )
    contact_name: str | None = strawberry.field(
        default=None, description="Who manages candidates' queries: printed on their letters."
    )
    contact_phone: str | None = strawberry.field(
        default=None,
        description="A telephone number with its country code, this or an email: "
        "'+44 1223 553554', '0044 1223 553554' or '+1 (202) 555-0143'; stored in E.164 "
        "('+441223553554'). A number without its country code is refused (PHONE_INVALID).",
    )
    contact_email: str | None = None
    delay_hours: int = strawberry.field(
        default=0,
        description="Hours after the series' release time before candidates see results "
        "(0 to 720).",
    )


@strawberry.input
class UpdateResultsAccessSelectionInput:
    centre_code: str
    series_code: str
    add: list[relay.GlobalID] = strawberry.field(
        default_factory=list, description="Candidates to give access to."
    )
    remove: list[relay.GlobalID] = strawberry.field(
        default_factory=list, description="Candidates whose access ends (they are signed out)."
    )
    reissue: bool = strawberry.field(
        default=False,
        description="New passwords for the candidates in `add` who already have a username "
        "for the series (their old letter stops working, and they are signed out). Without "
        "it, a candidate given access again keeps their username and password.",
    )


@strawberry.input
class SignInCandidateInput:
    username: str = strawberry.field(description="From the results letter, e.g. aa101-0042-k7qm.")
    password: str


@strawberry.input
class CreateResultsCredentialsDocumentsInput:
    centre_code: str = strawberry.field(description="e.g. AA101.")
    series_code: str = strawberry.field(description="e.g. 2026-JUN.")
