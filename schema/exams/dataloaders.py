"""The exams' per-request DataLoaders (see schema/core/dataloaders.py): series, syllabuses, a
candidate's entries and an entry's result."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from tortoise.expressions import RawSQL

from models.exams import Entry, EntryStatus, Result, Series, Syllabus
from schema.core.dataloaders import RequestLoader


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


@dataclass(frozen=True, slots=True)
class ResultRow:
    """An entry's result as a list shows it: plain values, no model built per row. The time
    is as the database holds it (text on SQLite): read with `result_time` when asked for,
    since turning it into a datetime costs more than the rest of the row."""

    id: int
    entry_id: int
    grade: str
    mark: int | None
    stored_loaded_at: datetime | str


# The model's own reading of a stored time (a datetime in UTC), for ResultRow.
result_time = Result._meta.fields_map["loaded_at"].to_python_value


_ENTRY_FIELDS = (
    "id",
    "candidate_id",
    "series_id",
    "syllabus_id",
    "entry_code",
    "status",
    "withdrawn_at",
)


class ResultByEntryIdLoader(RequestLoader[int, ResultRow | None]):
    """Only for entries whose results the resolver has already said the actor may see."""

    async def load_batch(self, entry_ids: Sequence[int]) -> list[ResultRow | None]:
        found = (
            await Result.filter(entry_id__in=list(entry_ids))
            .annotate(stored_loaded_at=RawSQL('"loaded_at"'))
            .values("id", "entry_id", "grade", "mark", "stored_loaded_at")
        )
        rows = {r["entry_id"]: ResultRow(**r) for r in found}
        return [rows.get(i) for i in entry_ids]


class SeriesByIdLoader(RequestLoader[int, Series | None]):
    async def load_batch(self, ids: Sequence[int]) -> list[Series | None]:
        rows = {s.id: s for s in await Series.filter(id__in=list(ids))}
        return [rows.get(i) for i in ids]


class SyllabusByIdLoader(RequestLoader[int, Syllabus | None]):
    async def load_batch(self, ids: Sequence[int]) -> list[Syllabus | None]:
        rows = {s.id: s for s in await Syllabus.filter(id__in=list(ids))}
        return [rows.get(i) for i in ids]


class EntriesByCandidateIdLoader(RequestLoader[int, list[EntryRow]]):
    """A candidate's entries, by series (oldest first) then syllabus code, with their series and
    syllabus. The caller authorizes the centre.

    One query for the entries of every candidate asked for, plain values rather than models
    (a page of 500 candidates holds thousands of entries), then their series and syllabuses
    through their own loaders: three queries however many candidates.
    """

    async def load_batch(self, candidate_ids: Sequence[int]) -> list[list[EntryRow]]:
        rows = await Entry.filter(candidate_id__in=list(candidate_ids)).values(*_ENTRY_FIELDS)
        series_ids = sorted({r["series_id"] for r in rows})
        syllabus_ids = sorted({r["syllabus_id"] for r in rows})
        series_loader = SeriesByIdLoader.of(self.context)
        syllabus_loader = SyllabusByIdLoader.of(self.context)
        series = dict(zip(series_ids, await series_loader.fill(series_ids), strict=True))
        syllabuses = dict(zip(syllabus_ids, await syllabus_loader.fill(syllabus_ids), strict=True))
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
