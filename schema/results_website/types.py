"""The candidate results website as the API shows it: a centre's results access and its
candidates, and what a signed-in candidate reads."""

from datetime import datetime

import strawberry

from policies import Target
from resolvers.results_website import candidate_sessions
from resolvers.results_website import results_access as access_cases
from schema.core.context import Info
from schema.core.described import SERIES_CODE, SYLLABUS_CODE
from schema.core.ids import VALUE_ID_DESCRIPTION, value_id
from schema.core.viewer_can import ResultsAccessViewerCan, answers_at
from schema.exams.types import CandidateNode, SeriesNode
from schema.network.descriptions import CANDIDATE_NUMBER
from schema.results_website.enums import ResultsAccessStatus


@strawberry.type(
    name="ResultsAccess",
    description="A centre's candidate results website access for one series. Shown for series "
    "in which the centre has a valid (not withdrawn) entry.",
)
class ResultsAccessNode:
    centre_code: str = strawberry.field(description="The centre's number, e.g. AA101.")
    series: SeriesNode = strawberry.field(description="The series this access is for.")
    status: ResultsAccessStatus = strawberry.field(
        description="Who may read the results online; NONE until the centre chooses."
    )
    summary: str = strawberry.field(description="e.g. 'NO candidates have access'.")
    candidates_entered: int = strawberry.field(
        description="Candidates with a valid entry in the series."
    )
    candidates_with_access: int = strawberry.field(
        description="Candidates holding a results username and password."
    )
    credentials_open: bool = strawberry.field(
        description="Whether credentials may be created yet (series.credentialsOpenAt)."
    )
    agreed_at: datetime | None = strawberry.field(
        description="When the centre last agreed to manage its candidates' queries."
    )
    contact_name: str | None = strawberry.field(
        description="Who manages candidates' queries, as printed on the letters; null if not given."
    )
    contact_phone: str | None = strawberry.field(
        description="The contact's telephone number in E.164, e.g. '+441223553554'."
    )
    contact_email: str | None = strawberry.field(
        description="The email address for candidates' queries; null if not given."
    )
    delay_hours: int = strawberry.field(
        description="Candidates see results this many hours after the series' release time."
    )
    updated_at: datetime | None = strawberry.field(
        description="When the centre last changed this access (ISO 8601, UTC); null if never."
    )

    centre: strawberry.Private[Target]

    @strawberry.field(description=VALUE_ID_DESCRIPTION)
    def id(self) -> strawberry.ID:
        return value_id("ResultsAccess", self.centre_code, self.series.id)

    @strawberry.field(description="What you may do with this access.")
    def viewer_can(self, info: Info) -> ResultsAccessViewerCan:  # type: ignore[valid-type]
        return answers_at(info, ResultsAccessViewerCan, self.centre)

    @classmethod
    def of(cls, state: access_cases.AccessState) -> "ResultsAccessNode":
        access = state.access
        return cls(
            centre_code=state.centre.code,
            centre=Target.of(state.centre),
            series=SeriesNode.of(state.series),
            status=state.status,
            summary=state.summary,
            candidates_entered=state.candidates_entered,
            candidates_with_access=state.candidates_with_access,
            credentials_open=state.credentials_open,
            agreed_at=access.agreed_at if access else None,
            contact_name=(access.contact_name or None) if access else None,
            contact_phone=access.contact_phone if access else None,
            contact_email=access.contact_email if access else None,
            delay_hours=access.delay_hours if access else 0,
            updated_at=access.updated_at if access else None,
        )


@strawberry.type(description="A candidate entered in the series, and their results access.")
class ResultsAccessCandidate:
    candidate: CandidateNode = strawberry.field(description="The candidate entered.")
    has_access: bool = strawberry.field(
        description="Whether they hold a working results website username and password."
    )
    username: str | None = strawberry.field(
        description="Their results website username, when they have access. Passwords are "
        "never shown here."
    )

    @classmethod
    def of(cls, row: access_cases.AccessCandidate) -> "ResultsAccessCandidate":
        return cls(
            candidate=CandidateNode.of(row.candidate),
            has_access=row.credential is not None,
            username=row.credential.username if row.credential else None,
        )


@strawberry.type(description="One syllabus result.")
class CandidateResult:
    syllabus_code: str = strawberry.field(description=SYLLABUS_CODE)
    syllabus_title: str = strawberry.field(description="The syllabus' name, e.g. Mathematics.")
    grade: str | None = strawberry.field(description="Null until the board loads the result.")


@strawberry.type(description="A series the candidate has results access for.")
class CandidateSeriesResults:
    series_code: str = strawberry.field(description=SERIES_CODE)
    available_from: datetime = strawberry.field(
        description="The series' results release time plus the centre's delay."
    )
    available: bool = strawberry.field(
        description="Whether availableFrom has passed, so that `results` are shown."
    )
    results: list[CandidateResult] = strawberry.field(
        description="The results of the candidate's entries; empty until availableFrom."
    )


@strawberry.type(description="The signed-in candidate's own results.")
class CandidateResults:
    candidate_number: str = strawberry.field(description=CANDIDATE_NUMBER)
    first_name: str = strawberry.field(description="Your first name, as your centre entered it.")
    last_name: str = strawberry.field(description="Your last name, as your centre entered it.")
    full_name: str = strawberry.field(description="First and last name joined by a space.")
    centre_code: str = strawberry.field(description="Your centre's number, e.g. AA101.")
    centre_name: str = strawberry.field(description="Your centre's name.")
    notice: str = strawberry.field(
        description="The terms of use of the results shown; display it with the results."
    )
    series: list[CandidateSeriesResults] = strawberry.field(
        description="Each series your centre gave you access to."
    )

    @classmethod
    def of(cls, found: candidate_sessions.CandidateResults) -> "CandidateResults":
        candidate = found.candidate
        return cls(
            candidate_number=candidate.candidate_number,
            first_name=candidate.first_name,
            last_name=candidate.last_name,
            full_name=candidate.full_name,
            centre_code=found.centre.code,
            centre_name=found.centre.name,
            notice=found.notice,
            series=[
                CandidateSeriesResults(
                    series_code=s.series.code,
                    available_from=s.available_from,
                    available=s.available,
                    results=[
                        CandidateResult(
                            syllabus_code=r.syllabus.code,
                            syllabus_title=r.syllabus.title,
                            grade=r.grade,
                        )
                        for r in s.results
                    ],
                )
                for s in found.series
            ],
        )
