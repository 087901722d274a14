"""The exams as the API shows them: series, syllabuses, candidates, entries and results (the
rows of the candidates and results files are in csv_rows.py)."""

from datetime import datetime
from typing import Annotated

import strawberry
from strawberry import relay

from models.exams import Candidate, Entry, Result, Series, Syllabus
from models.organisations import Organisation
from resolvers.core import clock
from resolvers.exams import candidate_list as candidate_cases
from resolvers.exams import entries as entry_cases
from schema.core.context import Context, Info
from schema.core.dataloaders import MISSING, Missing
from schema.core.described import SERIES_CODE, SYLLABUS_CODE
from schema.core.pagination import Connection
from schema.core.selections import selects
from schema.core.viewer_can import CandidateViewerCan, EntryViewerCan
from schema.exams.dataloaders import (
    EntriesByCandidateIdLoader,
    EntryRow,
    ResultByEntryIdLoader,
    ResultRow,
    result_time,
)
from schema.exams.enums import EntryStatus, SeriesMonth
from schema.network.dataloaders import OrganisationByIdLoader, at_centre
from schema.network.descriptions import CANDIDATE_NUMBER
from schema.network.types import OrganisationNode, organisation_node

_AS_IN_FILE = "As the row gives it; null if the row leaves it out."
_CANDIDATE_USERNAME = (
    "The username the candidate signs in to the test portal with, unique at the centre: letters, "
    "digits, @ _ - . and supported accented letters."
)


@strawberry.type(
    name="Series",
    description="An exam series, e.g. 2026-JUN, and its key times. Every signed-in user may "
    "read series; board admins create and change them.",
)
class SeriesNode(relay.Node):
    id: relay.NodeID[int]
    code: str = strawberry.field(description=SERIES_CODE)
    month: SeriesMonth = strawberry.field(description="The month the series is sat in.")
    year: int = strawberry.field(description="The year the series is sat in, e.g. 2026.")
    credentials_open_at: datetime = strawberry.field(
        description="From when centres may create candidates' results website credentials "
        "(ISO 8601, UTC)."
    )
    results_release_at: datetime = strawberry.field(
        description="From when centres see the series' results (ISO 8601, UTC)."
    )

    @strawberry.field(
        description="Whether the results release time has passed, by the server's clock."
    )
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


@strawberry.type(
    name="Syllabus",
    description="A subject candidates are entered for, e.g. 0580 Mathematics. Every signed-in "
    "user may read syllabuses; board admins create them.",
)
class SyllabusNode(relay.Node):
    id: relay.NodeID[int]
    code: str = strawberry.field(description=SYLLABUS_CODE)
    title: str = strawberry.field(description="The syllabus' name, e.g. Mathematics.")

    @classmethod
    def of(cls, row: Syllabus) -> "SyllabusNode":
        return cls(id=row.id, code=row.code, title=row.title)


@strawberry.type(
    name="Candidate",
    description="A candidate at a centre, for those who may read the centre's entries (its "
    "exams officer and SLT, and board admins). No password is ever shown.",
)
class CandidateNode(relay.Node):
    id: relay.NodeID[int]
    candidate_number: str = strawberry.field(description=CANDIDATE_NUMBER)
    uci: str | None = strawberry.field(
        description="Unique Candidate Identifier: up to 20 upper-case letters and digits, one "
        "candidate's across the board; null if not given."
    )
    first_name: str = strawberry.field(description="The candidate's first name.")
    last_name: str = strawberry.field(description="The candidate's last name.")
    username: str = strawberry.field(description=_CANDIDATE_USERNAME)
    centre_id: strawberry.Private[int]

    @strawberry.field(description="First and last name joined by a space.")
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @strawberry.field(description="The centre the candidate belongs to.")
    def centre(self, info: Info) -> OrganisationNode:
        # Not `async`: the lists of a centre's candidates and entries have read the centre
        # already (otherwise this returns the awaitable that loads it).
        return OrganisationByIdLoader.of(info.context).now_or_later(  # type: ignore[return-value]
            self.centre_id, organisation_node
        )

    @strawberry.field(description="What you may do for this candidate.")
    def viewer_can(self, info: Info) -> CandidateViewerCan:  # type: ignore[valid-type]
        # Not `async`, as `centre`: one decision per action for the whole list, from the centre
        # the list read already.
        return at_centre(info, self.centre_id, CandidateViewerCan)

    @strawberry.field(
        description="The candidate's entries, by series (oldest first) then syllabus code; "
        "for those who may read entries at the centre. Each result as for `entries`."
    )
    def entries(
        self,
        info: Info,
        series_code: Annotated[
            str | None,
            strawberry.argument(description="Only this series' entries; null for every series."),
        ] = None,
    ) -> list["EntryNode"]:
        # Not `async`: the candidates list loads its page's entries first (fill_entries), so
        # each row's are built without awaiting. Reached any other way, this returns the
        # awaitable that loads them, which graphql-core awaits.
        context = info.context
        centre = OrganisationByIdLoader.of(context).peek(self.centre_id)
        rows = EntriesByCandidateIdLoader.of(context).peek(self.id)
        if centre is MISSING or rows is MISSING:
            return self._load_entries(info, series_code)  # type: ignore[return-value]
        return self._entry_nodes(info, centre, rows, series_code)  # type: ignore[arg-type]

    async def _load_entries(self, info: Info, series_code: str | None) -> list["EntryNode"]:
        context = info.context
        centre = await OrganisationByIdLoader.of(context).load(self.centre_id)
        assert centre is not None  # a foreign key: the centre exists
        candidate_cases.require_entries_read(context.actor, centre)
        rows = _of_series(await EntriesByCandidateIdLoader.of(context).load(self.id), series_code)
        if selects(info, "result"):
            # Every candidate on the page asks at once: one batch for the whole page.
            await _load_results(context, centre, rows)
        return self._entry_nodes(info, centre, rows, None)

    def _entry_nodes(
        self, info: Info, centre: Organisation, rows: list[EntryRow], series_code: str | None
    ) -> list["EntryNode"]:
        actor = info.context.actor
        candidate_cases.require_entries_read(actor, centre)
        results = ResultByEntryIdLoader.of(info.context)
        # One answer per series: the rows of a series share it.
        visible: dict[int, bool] = {}
        nodes = []
        for row in _of_series(rows, series_code):
            shown = visible.get(row.series.id)
            if shown is None:
                shown = visible[row.series.id] = entry_cases.results_visible(
                    actor, centre, row.series
                )
            nodes.append(
                EntryNode.of(
                    row,
                    candidate=self,
                    results_visible=shown,
                    loaded_result=results.peek(row.id) if shown else MISSING,
                )
            )
        return nodes

    @classmethod
    def of(cls, row: Candidate | candidate_cases.CandidateRow) -> "CandidateNode":
        return cls(
            id=row.id,
            candidate_number=row.candidate_number,
            uci=row.uci,
            first_name=row.first_name,
            last_name=row.last_name,
            username=row.username,
            centre_id=row.centre_id,
        )


async def fill_entries(info: Info, centre: Organisation, candidate_ids: list[int]) -> None:
    """Load the entries of a page of the centre's candidates, and the results of them the actor
    sees, if the query asks for them: one batch each, so that every row's `entries` resolves
    without awaiting. The caller has authorized the list (entries/read at the centre)."""
    if not candidate_ids or not selects(info, "entries", deep=True):
        return
    context = info.context
    pages = await EntriesByCandidateIdLoader.of(context).fill(candidate_ids)
    if selects(info, "result", deep=True):
        await _load_results(context, centre, [row for rows in pages for row in rows])


async def _load_results(context: Context, centre: Organisation, rows: list[EntryRow]) -> None:
    """The results of the rows whose results the actor sees now, into ResultByEntryIdLoader."""
    visible: dict[int, bool] = {}
    ids = []
    for row in rows:
        shown = visible.get(row.series.id)
        if shown is None:
            shown = visible[row.series.id] = entry_cases.results_visible(
                context.actor, centre, row.series
            )
        if shown:
            ids.append(row.id)
    if ids:
        await ResultByEntryIdLoader.of(context).fill(ids)


def _of_series(rows: list[EntryRow], series_code: str | None) -> list[EntryRow]:
    if series_code is None:
        return rows
    wanted = series_code.strip().upper()
    return [row for row in rows if row.series.code == wanted]


@strawberry.type(
    name="Result",
    description="The result of one entry: board admins see it once loaded, the centre from the "
    "series' release time.",
)
class ResultNode(relay.Node):
    id: relay.NodeID[int]
    grade: str = strawberry.field(description="A* to G or U, 9 to 1, or a to e.")
    mark: int | None = strawberry.field(
        description="The percentage uniform mark, 0 to 100; null if the board gave none."
    )
    # A datetime, or the time as a list read it from the database (ResultRow).
    stored_loaded_at: strawberry.Private[datetime | str]

    @strawberry.field(description="When the board last loaded (or replaced) it (ISO 8601, UTC).")
    def loaded_at(self) -> datetime:
        return result_time(self.stored_loaded_at)

    @classmethod
    def of(cls, row: ResultRow | Result) -> "ResultNode":
        stored = row.stored_loaded_at if isinstance(row, ResultRow) else row.loaded_at
        return cls(id=row.id, grade=row.grade, mark=row.mark, stored_loaded_at=stored)


@strawberry.type(
    name="Entry",
    description="A candidate entered for a syllabus in a series, for those who may read the "
    "centre's entries.",
)
class EntryNode(relay.Node):
    id: relay.NodeID[int]
    entry_code: str = strawberry.field(
        description="What the candidate types to sit the test: 8 characters shown as "
        "XXXX-XXXX, e.g. K7QX-4MPA (no 0, O, 1, I or L); unique, kept when re-entered."
    )
    status: EntryStatus = strawberry.field(description="Entered or withdrawn.")
    withdrawn_at: datetime | None = strawberry.field(
        description="When it was last withdrawn (ISO 8601, UTC); null if it never was."
    )
    candidate: CandidateNode = strawberry.field(description="The candidate entered.")
    series: SeriesNode = strawberry.field(description="The series entered for.")
    syllabus: SyllabusNode = strawberry.field(description="The syllabus entered for.")
    results_visible: strawberry.Private[bool]
    # Set when the list that built this entry already loaded the results of its rows (through
    # ResultByEntryIdLoader, in one batch): the field then needs no awaiting per row. MISSING
    # until loaded; None when loaded and there is none.
    loaded_result: strawberry.Private[ResultRow | Result | Missing | None] = MISSING

    @strawberry.field(description="What you may do to this entry.")
    def viewer_can(self, info: Info) -> EntryViewerCan:  # type: ignore[valid-type]
        return at_centre(info, self.candidate.centre_id, EntryViewerCan)

    @strawberry.field(
        description="Null until a result is loaded and, for the centre, until the series' "
        "release time."
    )
    def result(self, info: Info) -> ResultNode | None:
        # Not `async`: on a big list, thousands of awaits cost more than the rest of the row.
        # Without a loaded result this returns the loader's awaitable, which graphql-core awaits.
        if not self.results_visible:
            return None
        if self.loaded_result is MISSING:
            return self._load_result(info)  # type: ignore[return-value]
        return self._shown(info, self.loaded_result)  # type: ignore[arg-type]

    async def _load_result(self, info: Info) -> ResultNode | None:
        return self._shown(info, await ResultByEntryIdLoader.of(info.context).load(self.id))

    def _shown(self, info: Info, row: ResultRow | Result | None) -> ResultNode | None:
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
        loaded_result: ResultRow | Result | Missing | None = MISSING,
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


@strawberry.type(description="A page of a centre's entries in a series.")
class EntryConnection(Connection[EntryNode]):
    results_visible: bool = strawberry.field(
        description="Whether you see this series' results here now (centres: from the release "
        "time)."
    )
