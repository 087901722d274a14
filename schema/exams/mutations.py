"""The exams' mutations: series and syllabuses, entering candidates and loading results, one by
one or from a CSV file."""

from typing import Annotated

import strawberry
from strawberry import relay

from models.exams import Entry, Result
from models.exams import SeriesMonth as SeriesMonthValue
from resolvers.core.csv_files import upload_bytes, upload_name
from resolvers.exams import bulk_entries as entry_uploads
from resolvers.exams import bulk_results as result_uploads
from resolvers.exams import entries as entry_cases
from resolvers.exams import results as result_cases
from resolvers.exams import series as series_cases
from schema.core.context import Info
from schema.core.errors import payload
from schema.core.ids import node_id
from schema.core.permissions import SignedIn
from schema.exams.inputs import (
    CreateSeriesInput,
    CreateSyllabusInput,
    EnterCandidateInput,
    EnterCandidatesFromCsvInput,
    LoadResultInput,
    LoadResultsFromCsvInput,
    UpdateSeriesInput,
    WithdrawEntryInput,
)
from schema.exams.payloads import (
    EnterCandidatePayload,
    EnterCandidatesFromCsvPayload,
    EntryPayload,
    EntryWarning,
    LoadResultPayload,
    LoadResultsFromCsvPayload,
    SeriesPayload,
    SyllabusPayload,
)
from schema.exams.types import CandidateNode, EntryNode, ResultNode, SeriesNode, SyllabusNode


def _enrolment_message(enrolment: entry_cases.Enrolment) -> str:
    candidate = enrolment.candidate
    codes = ", ".join(e.syllabus.code for e in enrolment.entries)
    if enrolment.outcome == entry_cases.EntryOutcome.LINKED_TO_EXISTING_CANDIDATE:
        return (
            f"The username {candidate.username} already belongs to candidate "
            f"{candidate.candidate_number} {candidate.full_name}: the entries for {codes} were "
            "added to that same candidate. Their names, candidate number, UCI and password "
            "were not changed."
        )
    return (
        f"{candidate.full_name} was added as candidate {candidate.candidate_number} and "
        f"entered for {codes}."
    )


def _entry_id(global_id: relay.GlobalID) -> int:
    return node_id(global_id, "Entry", "input", "entryId")


@strawberry.type
class ExamMutations:
    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="Board admins: a new exam series; its code is YEAR-MON, e.g. 2026-JUN.",
    )
    async def create_series(
        self,
        info: Info,
        input: Annotated[
            CreateSeriesInput,
            strawberry.argument(description="The series' year, month and key times."),
        ],
    ) -> SeriesPayload:
        return await payload(
            SeriesPayload,
            series_cases.create_series(
                info.context.actor,
                year=input.year,
                month=SeriesMonthValue(input.month.value),
                results_release_at=input.results_release_at,
                credentials_open_at=input.credentials_open_at,
            ),
            lambda s: SeriesPayload(series=SeriesNode.of(s)),
        )

    @strawberry.mutation(
        permission_classes=[SignedIn], description="Board admins: change a series' key times."
    )
    async def update_series(
        self,
        info: Info,
        input: Annotated[
            UpdateSeriesInput,
            strawberry.argument(description="Which series, and its new key times."),
        ],
    ) -> SeriesPayload:
        return await payload(
            SeriesPayload,
            series_cases.update_series_times(
                info.context.actor,
                code=input.series_code,
                credentials_open_at=input.credentials_open_at,
                results_release_at=input.results_release_at,
            ),
            lambda s: SeriesPayload(series=SeriesNode.of(s)),
        )

    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="Board admins: a new syllabus, e.g. 0580 Mathematics.",
    )
    async def create_syllabus(
        self,
        info: Info,
        input: Annotated[
            CreateSyllabusInput,
            strawberry.argument(description="The new syllabus' code and title."),
        ],
    ) -> SyllabusPayload:
        return await payload(
            SyllabusPayload,
            series_cases.create_syllabus(info.context.actor, code=input.code, title=input.title),
            lambda s: SyllabusPayload(syllabus=SyllabusNode.of(s)),
        )

    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="The centre's exams officer (or its associate's) and board admins: enter a "
        "candidate for one or more syllabuses of a series; each entry gets an entry code. An "
        "existing username at the centre links the entries to that candidate.",
    )
    async def enter_candidate(
        self,
        info: Info,
        input: Annotated[
            EnterCandidateInput,
            strawberry.argument(
                description="The centre, series, syllabuses and the candidate's details."
            ),
        ],
    ) -> EnterCandidatePayload:
        return await payload(
            EnterCandidatePayload,
            entry_cases.enter_candidate(
                info.context.actor,
                centre_code=input.centre_code,
                series_code=input.series_code,
                syllabus_codes=input.syllabus_codes,
                username=input.username,
                first_name=input.first_name,
                last_name=input.last_name,
                password=input.password,
                candidate_number=input.candidate_number,
                uci=input.uci,
            ),
            lambda r: EnterCandidatePayload(
                candidate=CandidateNode.of(r.candidate),
                # Fresh or reinstated entries: no released result to show yet.
                entries=[EntryNode.of(e, results_visible=False) for e in r.entries],
                outcome=r.outcome,
                message=_enrolment_message(r),
                warnings=[EntryWarning.of(w) for w in r.warnings],
            ),
        )

    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="The centre's exams officer (or its associate's) and board admins: withdraw "
        "an entry; it stays in the list as WITHDRAWN, and the candidate's results website "
        "access for the series ends if no entered entry is left in it.",
    )
    async def withdraw_entry(
        self,
        info: Info,
        input: Annotated[
            WithdrawEntryInput, strawberry.argument(description="The entry to withdraw.")
        ],
    ) -> EntryPayload:
        async def work() -> entry_cases.EntryView:
            return await entry_cases.withdraw_entry(
                info.context.actor, entry_id=_entry_id(input.entry_id)
            )

        return await payload(
            EntryPayload,
            work(),
            lambda v: EntryPayload(entry=EntryNode.of(v.entry, results_visible=v.results_visible)),
        )

    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="Board admins: load (or replace) the result of an entry.",
    )
    async def load_result(
        self,
        info: Info,
        input: Annotated[
            LoadResultInput, strawberry.argument(description="The entry, and its grade and mark.")
        ],
    ) -> LoadResultPayload:
        async def work() -> tuple[Entry, Result]:
            return await result_cases.load_result(
                info.context.actor,
                entry_id=_entry_id(input.entry_id),
                grade=input.grade,
                mark=input.mark,
            )

        return await payload(
            LoadResultPayload,
            work(),
            lambda r: LoadResultPayload(
                entry=EntryNode.of(r[0], results_visible=True), result=ResultNode.of(r[1])
            ),
        )


@strawberry.type
class BulkMutations:
    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="The centre's exams officer: enter many candidates from a CSV file, every "
        "row checked as enterCandidate checks one. All or nothing: any row error writes "
        "nothing. A good file queues a job that writes them (payload.job).",
    )
    async def enter_candidates_from_csv(
        self,
        info: Info,
        input: Annotated[
            EnterCandidatesFromCsvInput,
            strawberry.argument(
                description="The centre, the series, the file, and whether this is a dry run."
            ),
        ],
    ) -> EnterCandidatesFromCsvPayload:
        async def upload() -> entry_uploads.CandidateUpload:
            content = await upload_bytes(input.file)
            return await entry_uploads.enter_candidates_from_csv(
                info.context.actor,
                centre_code=input.centre_code,
                series_code=input.series_code,
                content=content,
                filename=upload_name(input.file),
                dry_run=input.dry_run,
            )

        return await payload(
            EnterCandidatesFromCsvPayload,
            upload(),
            EnterCandidatesFromCsvPayload.of,
            dry_run=input.dry_run,
        )

    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="Board admins: load (or replace) a series' results from a CSV file, every "
        "row checked as loadResult checks one. All or nothing, in one transaction.",
    )
    async def load_results_from_csv(
        self,
        info: Info,
        input: Annotated[
            LoadResultsFromCsvInput,
            strawberry.argument(description="The series, the file, and whether this is a dry run."),
        ],
    ) -> LoadResultsFromCsvPayload:
        async def upload() -> result_uploads.ResultUpload:
            content = await upload_bytes(input.file)
            return await result_uploads.load_results_from_csv(
                info.context.actor,
                series_code=input.series_code,
                content=content,
                filename=upload_name(input.file),
                dry_run=input.dry_run,
            )

        return await payload(
            LoadResultsFromCsvPayload,
            upload(),
            LoadResultsFromCsvPayload.of,
            dry_run=input.dry_run,
        )
