"""Inputs of the candidate results website: results access, its selected candidates, candidate
sign-in and the credentials letters."""

import strawberry
from strawberry import relay

from schema.core.described import CENTRE_CODE, SERIES_CODE
from schema.results_website.enums import ResultsAccessStatus


@strawberry.input(description="Which candidates resultsAccessCandidates shows.")
class ResultsAccessCandidateFilter:
    search: str | None = strawberry.field(
        default=None,
        description="Words that must each appear in the candidate's name, number or UCI.",
    )
    has_access: bool | None = strawberry.field(
        default=None,
        description="True for candidates with a results username, false for those without; "
        "null for both.",
    )


@strawberry.input(
    description="A centre's results website access for one series, for updateResultsAccess."
)
class UpdateResultsAccessInput:
    centre_code: str = strawberry.field(description=CENTRE_CODE)
    series_code: str = strawberry.field(description=SERIES_CODE)
    status: ResultsAccessStatus = strawberry.field(
        description="Who gets access. ALL and SELECTED need the series' credentials time to "
        "have passed (CREDENTIALS_NOT_OPEN) and a valid entry at the centre (NO_VALID_ENTRY)."
    )
    agreed: bool = strawberry.field(
        description="You agree to manage any queries from candidates at your centre. Needed "
        "for ALL and SELECTED."
    )
    contact_name: str | None = strawberry.field(
        default=None,
        description="Who manages candidates' queries, printed on their letters; needed for ALL "
        "and SELECTED (CONTACT_NAME_REQUIRED).",
    )
    contact_phone: str | None = strawberry.field(
        default=None,
        description="A telephone number with its country code, this or an email: "
        "'+44 1223 553554', '0044 1223 553554' or '+1 (202) 555-0143'; stored in E.164 "
        "('+441223553554'). A number without its country code is refused (PHONE_INVALID).",
    )
    contact_email: str | None = strawberry.field(
        default=None,
        description="An email address for candidates' queries, this or a telephone number "
        "(CONTACT_DETAILS_REQUIRED if neither); EMAIL_INVALID if malformed.",
    )
    delay_hours: int = strawberry.field(
        default=0,
        description="Hours after the series' release time before candidates see results "
        "(0 to 720).",
    )


@strawberry.input(
    description="Candidates to give results website access to or take it from, for "
    "updateResultsAccessSelection."
)
class UpdateResultsAccessSelectionInput:
    centre_code: str = strawberry.field(description=CENTRE_CODE)
    series_code: str = strawberry.field(description=SERIES_CODE)
    add: list[relay.GlobalID] = strawberry.field(
        default_factory=list,
        description="Candidate ids to give access to; each must be entered in the series "
        "(CANDIDATE_NOT_ENTERED).",
    )
    remove: list[relay.GlobalID] = strawberry.field(
        default_factory=list,
        description="Candidate ids whose access ends (they are signed out); none may also be in "
        "`add`.",
    )
    reissue: bool = strawberry.field(
        default=False,
        description="New passwords for the candidates in `add` who already have a username "
        "for the series (their old letter stops working, and they are signed out). Without "
        "it, a candidate given access again keeps their username and password.",
    )


@strawberry.input(description="A candidate's results website sign-in details.")
class SignInCandidateInput:
    username: str = strawberry.field(
        description="From the results letter, e.g. aa101-0042-k7qm (case ignored)."
    )
    password: str = strawberry.field(description="From the results letter, exactly as printed.")


@strawberry.input(
    description="Whose results letters to make, for createResultsCredentialsDocuments."
)
class CreateResultsCredentialsDocumentsInput:
    centre_code: str = strawberry.field(description=CENTRE_CODE)
    series_code: str = strawberry.field(description=SERIES_CODE)
