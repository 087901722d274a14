"""The candidate results website for candidates: sign in, sign out, read one's own results."""

from datetime import datetime

import strawberry

from resolvers.results_website import candidate_sessions as cases
from schema.core.context import Info
from schema.core.errors import UserError, payload
from schema.core.permissions import CandidateSignedIn, Public
from schema.identity.payloads import DonePayload

__all__ = ["CandidateResultsMutations", "CandidateResultsQueries"]


@strawberry.input
class SignInCandidateInput:
    username: str = strawberry.field(description="From the results letter, e.g. aa101-0042-k7qm.")
    password: str


@strawberry.type
class SignInCandidatePayload:
    token: str | None = strawberry.field(
        default=None, description="Send it as `Authorization: Bearer <token>`."
    )
    expires_at: datetime | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type(description="One syllabus result.")
class CandidateResult:
    syllabus_code: str
    syllabus_title: str
    grade: str | None = strawberry.field(description="Null until the board loads the result.")


@strawberry.type(description="A series the candidate has results access for.")
class CandidateSeriesResults:
    series_code: str
    available_from: datetime = strawberry.field(
        description="The series' results release time plus the centre's delay."
    )
    available: bool
    results: list[CandidateResult] = strawberry.field(
        description="The results of the candidate's entries; empty until availableFrom."
    )


@strawberry.type(description="The signed-in candidate's own results.")
class CandidateResults:
    candidate_number: str
    first_name: str
    last_name: str
    full_name: str
    centre_code: str
    centre_name: str
    notice: str = strawberry.field(description="Show it with the results.")
    series: list[CandidateSeriesResults]

    @classmethod
    def of(cls, found: cases.CandidateResults) -> "CandidateResults":
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


@strawberry.type
class CandidateResultsQueries:
    @strawberry.field(
        permission_classes=[CandidateSignedIn],
        description="Candidates: your own results, per series your centre gave you access to, "
        "from the release time plus your centre's delay.",
    )
    async def candidate_results(self, info: Info) -> CandidateResults:
        return CandidateResults.of(await cases.candidate_results(info.context.actor))


@strawberry.type
class CandidateResultsMutations:
    @strawberry.mutation(
        permission_classes=[Public],
        description="Candidates: sign in to the results website with the username and password "
        "from your centre.",
    )
    async def sign_in_candidate(
        self, info: Info, input: SignInCandidateInput
    ) -> SignInCandidatePayload:
        return await payload(
            SignInCandidatePayload,
            cases.sign_in_candidate(
                info.context.actor, username=input.username, password=input.password
            ),
            lambda r: SignInCandidatePayload(token=r.token, expires_at=r.expires_at),
        )

    @strawberry.mutation(
        permission_classes=[CandidateSignedIn], description="Candidates: sign out."
    )
    async def sign_out_candidate(self, info: Info) -> DonePayload:
        await cases.sign_out_candidate(info.context.actor)
        return DonePayload(ok=True, message="Signed out.")
