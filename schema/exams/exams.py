"""Exams: series, syllabuses, candidates, entries and results: types, root fields, payloads."""

from datetime import datetime

import strawberry
from strawberry import relay

from models.exams import Candidate, Entry, Result, Series, Syllabus
from models.exams import EntryStatus as EntryStatusValue
from models.exams import SeriesMonth as SeriesMonthValue
from resolvers.core import clock
from resolvers.exams import candidate_list as candidate_cases
from resolvers.exams import entries as entry_cases
from resolvers.exams import results as result_cases
from resolvers.exams import series as series_cases
from schema.core.context import Info
from schema.core.errors import UserError, payload
from schema.core.ids import node_id
from schema.core.pagination import Connection, connection, offset_after
from schema.core.permissions import SignedIn
from schema.core.selections import selects
from schema.exams.dataloaders import EntriesByCandidateIdLoader, EntryRow, ResultByEntryIdLoader
from schema.network.dataloaders import OrganisationByIdLoader
from schema.network.organisations import OrganisationNode

SeriesMonth = strawberry.enum(SeriesMonthValue)
EntryStatus = strawberry.enum(EntryStatusValue)
EntryOutcome = strawberry.enum(entry_cases.EntryOutcome, description="What enterCandidate did.")

# An entry whose result nobody has loaded yet (None is "loaded, and there is none").
_NOT_LOADED = object()


@strawberry.type(name="Series", description="An exam series, e.g. 2026-JUN, and its key times.")
class SeriesNode(relay.Node):
    id: relay.NodeID[int]
    code: str
    month: SeriesMonth
    year: int
    credentials_open_at: datetime = strawberry.field(
        description="From when centres may create candidates' results credentials."
    )
    results_release_at: datetime = strawberry.field(
        description="From when centres see the results."
    )

    @strawberry.field(description="Whether the release time has passed.")
    def results_released(self) -> bool:
        return clock.now() >= self.results_release_at

    @classmethod
    def of(cls, row: Series) -> "SeriesNode":
        return cls(
            id=row.id,
            code=row.code,
            month=row.month,
            year=row.year,
            credentials_open_at=row.credentials_open_at,
            results_release_at=row.results_release_at,
        )


@strawberry.type(name="Syllabus")
class SyllabusNode(relay.Node):
    id: relay.NodeID[int]
    code: str = strawberry.field(description="e.g. 0580.")
    title: str

    @classmethod
    def of(cls, row: Syllabus) -> "SyllabusNode":
        return cls(id=row.id, code=row.code, title=row.title)


@strawberry.type(name="Candidate", description="A candidate at a centre. No password is shown.")
class CandidateNode(relay.Node):
    id: relay.NodeID[int]
    candidate_number: str = strawberry.field(description="Four digits, e.g. 0042.")
    uci: str | None = strawberry.field(description="Unique Candidate Identifier.")
    first_name: str
    last_name: str
    username: str
    centre_id: strawberry.Private[int]

    @strawberry.field
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @strawberry.field
    async def centre(self, info: Info) -> OrganisationNode:
        centre = await OrganisationByIdLoader.of(info.context).load(self.centre_id)
        assert centre is not None  # a foreign key: the centre exists
        return OrganisationNode.of(centre)

    @strawberry.field(
        description="The candidate's entries, by series (oldest first) then syllabus code; "
        "for those who may read entries at the centre. Each result as for `entries`."
    )
    async def entries(self, info: Info, series_code: str | None = None) -> list["EntryNode"]:
        context = info.context
        centre = await OrganisationByIdLoader.of(context).load(self.centre_id)
        assert centre is not None  # a foreign key: the centre exists
        candidate_cases.require_entries_read(context.actor, centre)
        rows = await EntriesByCandidateIdLoader.of(context).load(self.id)
        if series_code is not None:
            wanted = series_code.strip().upper()
            rows = [row for row in rows if row.series.code == wanted]
        visible = [entry_cases.results_visible(context.actor, centre, row.series) for row in rows]
        results: dict[int, Result | None] = {}
        if any(visible) and selects(info, "result"):
            # Every candidate on the page asks at once: one batch for the whole page.
            ids = [row.id for row, shown in zip(rows, visible, strict=True) if shown]
            loaded = await ResultByEntryIdLoader.of(context).load_many(ids)
            results = dict(zip(ids, loaded, strict=True))
        return [
            EntryNode.of(
                row,
                candidate=self,
                results_visible=shown,
                loaded_result=results.get(row.id, _NOT_LOADED),
            )
            for row, shown in zip(rows, visible, strict=True)
        ]

    @classmethod
    def of(cls, row: Candidate) -> "CandidateNode":
        return cls(
            id=row.id,
            candidate_number=row.candidate_number,
            uci=row.uci,
            first_name=row.first_name,
            last_name=row.last_name,
            username=row.username,
            centre_id=row.centre_id,
        )


@strawberry.type(name="Result", description="The result of one entry.")
class ResultNode(relay.Node):
    id: relay.NodeID[int]
    grade: str
    mark: int | None = strawberry.field(description="Percentage uniform mark, if given.")
    loaded_at: datetime

    @classmethod
    def of(cls, row: Result) -> "ResultNode":
        return cls(id=row.id, grade=row.grade, mark=row.mark, loaded_at=row.loaded_at)


@strawberry.type(name="Entry", description="A candidate entered for a syllabus in a series.")
class EntryNode(relay.Node):
    id: relay.NodeID[int]
    entry_code: str = strawberry.field(
        description="What the candidate types to sit the test, e.g. K7QX-4MPA."
    )
    status: EntryStatus
    withdrawn_at: datetime | None
    candidate: CandidateNode
    series: SeriesNode
    syllabus: SyllabusNode
    results_visible: strawberry.Private[bool]
    # Set when the list that built this entry already loaded the results of its rows (through
    # ResultByEntryIdLoader, in one batch): the field then needs no awaiting per row.
    loaded_result: strawberry.Private[Result | object | None] = _NOT_LOADED

    @strawberry.field(
        description="Null until a result is loaded and, for the centre, until the series' "
        "release time."
    )
    def result(self, info: Info) -> ResultNode | None:
        # Not `async`: on a big list, thousands of awaits cost more than the rest of the row.
        # Without a loaded result this returns the loader's awaitable, which graphql-core awaits.
        if not self.results_visible:
            return None
        if self.loaded_result is _NOT_LOADED:
            return self._load_result(info)  # type: ignore[return-value]
        return self._shown(info, self.loaded_result)  # type: ignore[arg-type]

    async def _load_result(self, info: Info) -> ResultNode | None:
        return self._shown(info, await ResultByEntryIdLoader.of(info.context).load(self.id))

    def _shown(self, info: Info, row: Result | None) -> ResultNode | None:
        if row is None:
            return None
        # Who looked: noted here, whichever field led to this entry; written once at the end.
        info.context.results_reads.note(
            centre_id=self.candidate.centre_id, candidate_id=self.candidate.id, entry_id=self.id
        )
        return ResultNode.of(row)

    @classmethod
    def of(
        cls,
        row: Entry | EntryRow,
        *,
        results_visible: bool,
        candidate: CandidateNode | None = None,
        loaded_result: Result | object | None = _NOT_LOADED,
    ) -> "EntryNode":
        return cls(
            id=row.id,
            entry_code=row.entry_code,
            status=row.status,
            withdrawn_at=row.withdrawn_at,
            candidate=(
                candidate if candidate is not None else CandidateNode.of(row.candidate)  # type: ignore[union-attr]
            ),
            series=SeriesNode.of(row.series),
            syllabus=SyllabusNode.of(row.syllabus),
            results_visible=results_visible,
            loaded_result=loaded_result,
        )


@strawberry.type
class EntryConnection(Connection[EntryNode]):
    results_visible: bool = strawberry.field(
        description="Whether you see this series' results here now (centres: from the release "
        "time)."
    )


@strawberry.input
class CandidateFilter:
    search: str | None = strawberry.field(
        default=None,
        description="Words that must each appear in the candidate's name, number, UCI or username.",
    )
    series_code: str | None = strawberry.field(
        default=None, description="Only candidates with an entry in this series, e.g. 2026-JUN."
    )


@strawberry.input
class SyllabusFilter:
    search: str | None = strawberry.field(default=None, description="Part of a code or title.")


@strawberry.input
class EntryFilter:
    status: EntryStatus | None = None
    syllabus_code: str | None = None
    search: str | None = strawberry.field(
        default=None,
        description="Words that must each appear in the candidate's name, number, UCI or username.",
    )


@strawberry.type
class ExamQueries:
    @strawberry.field(permission_classes=[SignedIn], description="Exam series, latest first.")
    async def series(
        self, info: Info, first: int = 15, after: str | None = None
    ) -> Connection[SeriesNode]:
        page = await series_cases.list_series(
            info.context.actor, limit=first, offset=offset_after(after)
        )
        return connection(page, SeriesNode.of)

    @strawberry.field(permission_classes=[SignedIn], description="One series, e.g. 2026-JUN.")
    async def series_by_code(self, info: Info, code: str) -> SeriesNode | None:
        found = await series_cases.get_series(info.context.actor, code)
        return SeriesNode.of(found) if found else None

    @strawberry.field(permission_classes=[SignedIn], description="Syllabuses, by code.")
    async def syllabuses(
        self,
        info: Info,
        filter: SyllabusFilter | None = None,
        first: int = 15,
        after: str | None = None,
    ) -> Connection[SyllabusNode]:
        page = await series_cases.list_syllabuses(
            info.context.actor,
            search=(filter or SyllabusFilter()).search,
            limit=first,
            offset=offset_after(after),
        )
        return connection(page, SyllabusNode.of)

    @strawberry.field(
        permission_classes=[SignedIn],
        description="A series' entries at a centre, by candidate number, with results once "
        "released.",
    )
    async def entries(
        self,
        info: Info,
        centre_code: str,
        series_code: str,
        filter: EntryFilter | None = None,
        first: int = 50,
        after: str | None = None,
    ) -> EntryConnection:
        criteria = filter or EntryFilter()
        found = await entry_cases.list_entries(
            info.context.actor,
            centre_code=centre_code,
            series_code=series_code,
            status=criteria.status,
            syllabus_code=criteria.syllabus_code,
            search=criteria.search,
            limit=first,
            offset=offset_after(after),
        )
        base = connection(
            found.page, lambda e: EntryNode.of(e, results_visible=found.results_visible)
        )
        return EntryConnection(
            edges=base.edges,
            page_info=base.page_info,
            total_count=base.total_count,
            results_visible=found.results_visible,
        )

    @strawberry.field(
        permission_classes=[SignedIn],
        description="A centre's candidates by candidate number, 50 a page by default (up to "
        "500), for those who may read its entries; each with their entries and results.",
    )
    async def candidates(
        self,
        info: Info,
        centre_code: str,
        filter: CandidateFilter | None = None,
        first: int = 50,
        after: str | None = None,
    ) -> Connection[CandidateNode]:
        criteria = filter or CandidateFilter()
        context = info.context
        centre, page = await candidate_cases.list_candidates(
            context.actor,
            centre_code=centre_code,
            search=criteria.search,
            series_code=criteria.series_code,
            limit=first,
            offset=offset_after(after),
        )
        # The rows' entries need no query for the centre; the Authorizer already holds the
        # decision made for the list.
        OrganisationByIdLoader.of(context).prime(centre.id, centre)
        return connection(page, CandidateNode.of)


@strawberry.input
class CreateSeriesInput:
    year: int
    month: SeriesMonth
    results_release_at: datetime
    credentials_open_at: datetime | None = strawberry.field(
        default=None,
        description="Defaults to 25 March for the March and June series, 5 October for November.",
    )


@strawberry.input
class UpdateSeriesInput:
    series_code: str
    credentials_open_at: datetime | None = None
    results_release_at: datetime | None = None


@strawberry.type
class SeriesPayload:
    series: SeriesNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class CreateSyllabusInput:
    code: str
    title: str


@strawberry.type
class SyllabusPayload:
    syllabus: SyllabusNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class EnterCandidateInput:
    centre_code: str
    series_code: str
    syllabus_codes: list[str]
    username: str = strawberry.field(
        description="Unique at the centre. 1 to 500 letters, digits, @ _ - . or supported "
        "accented letters. An existing username links these entries to that candidate."
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
    uci: str | None = None


@strawberry.type
class EnterCandidatePayload:
    candidate: CandidateNode | None = None
    entries: list[EntryNode] = strawberry.field(default_factory=list)
    outcome: EntryOutcome | None = None
    message: str | None = strawberry.field(default=None, description="What happened, in words.")
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class WithdrawEntryInput:
    entry_id: relay.GlobalID


@strawberry.type
class EntryPayload:
    entry: EntryNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class LoadResultInput:
    entry_id: relay.GlobalID
    grade: str = strawberry.field(description="A* to G or U, 9 to 1, or a to e.")
    mark: int | None = strawberry.field(default=None, description="Percentage, 0 to 100.")


@strawberry.type
class LoadResultPayload:
    entry: EntryNode | None = None
    result: ResultNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


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
    @strawberry.mutation(permission_classes=[SignedIn], description="Board admins: a series.")
    async def create_series(self, info: Info, input: CreateSeriesInput) -> SeriesPayload:
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
    async def update_series(self, info: Info, input: UpdateSeriesInput) -> SeriesPayload:
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

    @strawberry.mutation(permission_classes=[SignedIn], description="Board admins: a syllabus.")
    async def create_syllabus(self, info: Info, input: CreateSyllabusInput) -> SyllabusPayload:
        return await payload(
            SyllabusPayload,
            series_cases.create_syllabus(info.context.actor, code=input.code, title=input.title),
            lambda s: SyllabusPayload(syllabus=SyllabusNode.of(s)),
        )

    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="Single candidate entry: enter a candidate for one or more syllabuses of "
        "a series; each entry gets an entry code.",
    )
    async def enter_candidate(
        self, info: Info, input: EnterCandidateInput
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
            ),
        )

    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="Withdraw an entry; it stays in the list as WITHDRAWN.",
    )
    async def withdraw_entry(self, info: Info, input: WithdrawEntryInput) -> EntryPayload:
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
    async def load_result(self, info: Info, input: LoadResultInput) -> LoadResultPayload:
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


__all__ = [
    "CandidateFilter",
    "CandidateNode",
    "EntryNode",
    "ExamMutations",
    "ExamQueries",
    "ResultNode",
    "SeriesNode",
    "SyllabusNode",
]
