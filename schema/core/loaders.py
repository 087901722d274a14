"""Per-request DataLoaders, named <Target>By<Key>Loader. Never share one across requests."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from strawberry.dataloader import DataLoader

from models.exams import Entry, EntryStatus, Result, Series, Syllabus
from models.organisations import Organisation


async def _organisations_by_id(ids: Sequence[int]) -> list[Organisation | None]:
    rows = {o.id: o for o in await Organisation.filter(id__in=list(ids))}
    return [rows.get(i) for i in ids]


async def _results_by_entry_id(entry_ids: Sequence[int]) -> list[Result | None]:
    rows = {r.entry_id: r for r in await Result.filter(entry_id__in=list(entry_ids))}
    return [rows.get(i) for i in entry_ids]


@dataclass(frozen=True, slots=True)
class EntryRow:
    """An entry as a list shows it: plain values, with its series and syllabus (shared by every
    row of the same series or syllabus, not built once per row)."""

    id: int
    candidate_id: int
    entry_code: str
    status: EntryStatus
    withdrawn_at: datetime | None
    series: Series
    syllabus: Syllabus


_ENTRY_FIELDS = (
    "id",
    "candidate_id",
    "series_id",
    "syllabus_id",
    "entry_code",
    "status",
    "withdrawn_at",
)


async def _series_by_id(ids: Sequence[int]) -> list[Series | None]:
    rows = {s.id: s for s in await Series.filter(id__in=list(ids))}
    return [rows.get(i) for i in ids]


async def _syllabuses_by_id(ids: Sequence[int]) -> list[Syllabus | None]:
    rows = {s.id: s for s in await Syllabus.filter(id__in=list(ids))}
    return [rows.get(i) for i in ids]


class OrganisationByIdLoader(DataLoader[int, Organisation | None]):
    def __init__(self) -> None:
        super().__init__(load_fn=_organisations_by_id)


class ResultByEntryIdLoader(DataLoader[int, Result | None]):
    """Only for entries whose results the resolver has already said the actor may see."""

    def __init__(self) -> None:
        super().__init__(load_fn=_results_by_entry_id)


class SeriesByIdLoader(DataLoader[int, Series | None]):
    def __init__(self) -> None:
        super().__init__(load_fn=_series_by_id)


class SyllabusByIdLoader(DataLoader[int, Syllabus | None]):
    def __init__(self) -> None:
        super().__init__(load_fn=_syllabuses_by_id)


class EntriesByCandidateIdLoader(DataLoader[int, list[EntryRow]]):
    """A candidate's entries, by series (oldest first) then syllabus code, with their series and
    syllabus. The caller authorizes the centre.

    One query for the entries of every candidate asked for, plain values rather than models
    (a page of 500 candidates holds thousands of entries), then their series and syllabuses
    through their own loaders: three queries however many candidates.
    """

    def __init__(self, series: SeriesByIdLoader, syllabuses: SyllabusByIdLoader) -> None:
        super().__init__(load_fn=self._load)
        self._series = series
        self._syllabuses = syllabuses

    async def _load(self, candidate_ids: Sequence[int]) -> list[list[EntryRow]]:
        rows = await Entry.filter(candidate_id__in=list(candidate_ids)).values(*_ENTRY_FIELDS)
        series_ids = sorted({r["series_id"] for r in rows})
        syllabus_ids = sorted({r["syllabus_id"] for r in rows})
        series = dict(zip(series_ids, await self._series.load_many(series_ids), strict=True))
        syllabuses = dict(
            zip(syllabus_ids, await self._syllabuses.load_many(syllabus_ids), strict=True)
        )
        grouped: dict[int, list[EntryRow]] = {i: [] for i in candidate_ids}
        for r in rows:
            # Foreign keys: the series and syllabus exist.
            grouped[r["candidate_id"]].append(
                EntryRow(
                    id=r["id"],
                    candidate_id=r["candidate_id"],
                    entry_code=r["entry_code"],
                    status=r["status"],
                    withdrawn_at=r["withdrawn_at"],
                    series=series[r["series_id"]],
                    syllabus=syllabuses[r["syllabus_id"]],
                )
            )
        for entries in grouped.values():
            entries.sort(key=_entry_order)
        return [grouped[i] for i in candidate_ids]


def _entry_order(row: EntryRow) -> tuple[int, int, str, int]:
    return (row.series.year, row.series.month_number, row.syllabus.code, row.id)


class Loaders:
    def __init__(self) -> None:
        self.organisation_by_id = OrganisationByIdLoader()
        self.result_by_entry_id = ResultByEntryIdLoader()
        self.series_by_id = SeriesByIdLoader()
        self.syllabus_by_id = SyllabusByIdLoader()
        self.entries_by_candidate_id = EntriesByCandidateIdLoader(
            self.series_by_id, self.syllabus_by_id
        )


__all__ = [
    "EntriesByCandidateIdLoader",
    "EntryRow",
    "Loaders",
    "OrganisationByIdLoader",
    "ResultByEntryIdLoader",
    "SeriesByIdLoader",
    "SyllabusByIdLoader",
]
