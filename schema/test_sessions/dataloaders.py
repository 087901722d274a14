"""The test sessions' per-request DataLoaders (see schema/core/dataloaders.py): a session's
entries with their candidates."""

from collections.abc import Sequence
from dataclasses import dataclass

from models.exams import Entry
from resolvers.exams.candidate_list import CandidateRow
from schema.core.dataloaders import RequestLoader
from schema.exams.dataloaders import EntryRow, SeriesByIdLoader, SyllabusByIdLoader


@dataclass(frozen=True, slots=True)
class SessionEntryRow:
    entry: EntryRow
    candidate: CandidateRow


_FIELDS = (
    "id",
    "candidate_id",
    "series_id",
    "syllabus_id",
    "entry_code",
    "status",
    "withdrawn_at",
    "test_session_id",
    "candidate__centre_id",
    "candidate__candidate_number",
    "candidate__uci",
    "candidate__first_name",
    "candidate__last_name",
    "candidate__username",
)


class EntriesByTestSessionIdLoader(RequestLoader[int, list[SessionEntryRow]]):
    """A session's entries (withdrawn ones too) by candidate number, with their candidates,
    series and syllabus. The caller authorizes the session's centre.

    One query for the entries and candidates of every session asked for, plain values, then the
    series and syllabuses through their own loaders: three queries however many entries.
    """

    async def load_batch(self, session_ids: Sequence[int]) -> list[list[SessionEntryRow]]:
        rows = (
            await Entry.filter(test_session_id__in=list(session_ids))
            .order_by("candidate__candidate_number", "id")
            .values(*_FIELDS)
        )
        series_ids = sorted({r["series_id"] for r in rows})
        syllabus_ids = sorted({r["syllabus_id"] for r in rows})
        series = dict(
            zip(
                series_ids,
                await SeriesByIdLoader.of(self.context).load_many(series_ids),
                strict=True,
            )
        )
        syllabuses = dict(
            zip(
                syllabus_ids,
                await SyllabusByIdLoader.of(self.context).load_many(syllabus_ids),
                strict=True,
            )
        )
        grouped: dict[int, list[SessionEntryRow]] = {i: [] for i in session_ids}
        for r in rows:
            # Foreign keys: the series and syllabus exist.
            entry = EntryRow(
                id=r["id"],
                candidate_id=r["candidate_id"],
                entry_code=r["entry_code"],
                status=r["status"],
                withdrawn_at=r["withdrawn_at"],
                series=series[r["series_id"]],
                syllabus=syllabuses[r["syllabus_id"]],
            )
            candidate = CandidateRow(
                id=r["candidate_id"],
                centre_id=r["candidate__centre_id"],
                candidate_number=r["candidate__candidate_number"],
                uci=r["candidate__uci"],
                first_name=r["candidate__first_name"],
                last_name=r["candidate__last_name"],
                username=r["candidate__username"],
            )
            grouped[r["test_session_id"]].append(SessionEntryRow(entry, candidate))
        return [grouped[i] for i in session_ids]
