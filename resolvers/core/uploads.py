"""The one bulk-upload pipeline: file -> rows -> each row checked -> one report -> a dry run, or
one transaction (in the request, or in a queued job).

Every upload (centres, candidates' entries, staff accounts, results) is these steps with its own
rules: reading the file is resolvers/core/spreadsheets.py's read_spreadsheet; each row gets a
report that starts with the problems reading found (`row_reports`), the upload's own checks add
to it (`RowReport.check`, `repeated`, and look-ups for the whole file: `found_by`), and the
upload's report (`Upload`) counts the rows and the rows with errors. A file with any row error
writes nothing: problems with the file as a whole raise DomainError, problems with rows come
back in the report. A good file is written in one transaction (`one_transaction`), or queued as
a job (`queue_checked`, `queue_upload`) whose run hashes the sealed passwords in the CPU pool's
processes (`Passwords`) and then writes everything in one transaction (`job_transaction`),
checking first that nothing was `taken` meanwhile. A write that collides with another change (a
unique index) becomes CONCURRENT_CHANGE with the upload's own message, and the upload is
recorded in the audit log, dry run or not.
"""

import asyncio
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from tortoise.exceptions import IntegrityError
from tortoise.models import Model
from tortoise.transactions import in_transaction

from models.jobs import Job
from policies import Actor
from resolvers.core import audit, clock, cpu, jobs
from resolvers.core.config import current
from resolvers.core.credential_secrets import sealer
from resolvers.core.csv_export import csv_bytes
from resolvers.core.csv_files import CsvRow, RowProblem, in_batches, problems_of
from resolvers.core.errors import DomainError, ErrorCode
from resolvers.core.spreadsheets import xlsx_bytes

T = TypeVar("T")


@dataclass(kw_only=True)
class RowReport:
    """One row of a file: its number as a spreadsheet shows it, and what is wrong with it."""

    number: int
    problems: list[RowProblem] = field(default_factory=list)

    def check(self, column: str, check: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
        """A cell checked as the single-item mutation checks it: what the check gives, or
        None and its errors as this row's problems on `column`."""
        try:
            return check(*args, **kwargs)
        except DomainError as error:
            self.problems.extend(problems_of(error, column))
            return None


R = TypeVar("R", bound=RowReport)
U = TypeVar("U", bound="Upload[Any]")


@dataclass(kw_only=True)
class Upload(Generic[R]):
    """Every upload's report: its rows, whether it was a dry run, and the job writing it."""

    rows: list[R]
    dry_run: bool
    job: Job | None = None

    @property
    def rows_read(self) -> int:
        return len(self.rows)

    @property
    def rows_with_errors(self) -> int:
        return sum(1 for row in self.rows if row.problems)


def row_reports(rows: Sequence[CsvRow], report: Callable[..., R], **cells: str) -> list[R]:
    """A report per row, holding the problems reading the row found (too many cells, say) and
    the cells named (report field=column) as the file has them."""
    return [
        report(
            number=row.number,
            problems=list(row.problems),
            **{name: row.get(column) for name, column in cells.items()},
        )
        for row in rows
    ]


def repeated(first_row_of: dict[Any, int], key: Any, number: int) -> int | None:
    """The earlier row of the file that has `key` already, if any; else row `number` has it."""
    first = first_row_of.setdefault(key, number)
    return None if first == number else first


@asynccontextmanager
async def one_transaction(concurrent: str, *field_path: str) -> AsyncIterator[None]:
    """All the upload's writes, or none; a unique index hit meanwhile says `concurrent`."""
    try:
        async with in_transaction():
            yield
    except IntegrityError as exc:
        raise DomainError.one(ErrorCode.CONCURRENT_CHANGE, concurrent, *field_path) from exc


@dataclass(frozen=True)
class JobWrite:
    """A job writing a checked file, for whom it writes."""

    run: jobs.JobRun
    actor: Actor

    async def record(
        self,
        event: str,
        *,
        organisation_id: int | None,
        after: dict[str, Any],
        before: dict[str, Any] | None = None,
    ) -> None:
        """What the job wrote, in the audit log against the job."""
        await audit.record(
            self.actor,
            event,
            organisation_id=organisation_id,
            target_type="Job",
            target_id=self.run.job.id,
            before=before,
            after=after,
        )

    async def record_at_each(self, event: str, after_at: dict[int, dict[str, Any]]) -> None:
        """What the job wrote at each organisation, in that organisation's audit log."""
        await audit.record_at_each(
            self.actor, event, after_at, target_type="Job", target_id=self.run.job.id
        )


@asynccontextmanager
async def job_transaction(
    run: jobs.JobRun, concurrent: str, stage: str | None = None
) -> AsyncIterator[JobWrite]:
    """A job's writes in one transaction that starts with a write (SQLite: take the write lock
    first), naming the stage it is at; the job's actor is read just before."""
    write = JobWrite(run, await run.actor())
    async with one_transaction(concurrent):
        stage_named = {"stage": stage} if stage else {}
        await Job.filter(id=run.job.id).update(**stage_named, heartbeat_at=clock.now())
        yield write


async def queue_upload(
    actor: Actor,
    *,
    kind: str,
    event: str,
    dry_run: bool,
    organisation_id: int | None,
    payload: Callable[[], dict[str, Any]],
    total: int | None,
    after: dict[str, Any],
) -> Job | None:
    """A checked file's job (none for a dry run), recorded as `event` either way."""
    job = None
    async with in_transaction():
        if not dry_run:
            job = await jobs.enqueue(
                actor, kind, organisation_id=organisation_id, total=total, payload=payload()
            )
        await audit.record(
            actor,
            event,
            organisation_id=organisation_id,
            target_type="Job" if job else None,
            target_id=job.id if job else None,
            after=after,
        )
    if job is not None:
        jobs.wake_workers()
    return job


async def queue_checked(actor: Actor, upload: U, **queuing: Any) -> U:
    """The checked file's report, with the job that writes it (queue_upload) if every row is
    right."""
    if not upload.rows_with_errors:
        upload.job = await queue_upload(actor, dry_run=upload.dry_run, **queuing)
    return upload


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def starter_file(
    name: str,
    file_format: str,
    rows: Sequence[Sequence[str]],
    *,
    title: str,
    more: Sequence[tuple[str, Sequence[Sequence[str]]]] = (),
) -> tuple[str, str, bytes]:
    """An upload's sample or template file as (name, content type, bytes), as "CSV" or "XLSX"
    (the sheet `title`, then the `more` sheets)."""
    if file_format == "CSV":
        return f"{name}.csv", "text/csv", csv_bytes(rows)
    return f"{name}.xlsx", XLSX_TYPE, xlsx_bytes(rows, title=title, more=more)


@dataclass(frozen=True)
class Passwords:
    """How an upload's passwords wait in its job and are hashed there: sealed with the server's
    key for `purpose` (resolvers/core/credential_secrets.sealer), then hashed `chunk` at a time
    by `hash_passwords` (passwords, fast_password_hashing) in the CPU pool's processes, every
    chunk handed to the pool at once, so all the cores hash, progress shows and requests go
    on."""

    purpose: str
    chunk: int
    hash_passwords: Callable[[Sequence[str], bool], list[str]]

    def sealed(self, items: Sequence[dict[str, Any]], key: str) -> list[dict[str, Any]]:
        """`items` as they wait in the job's payload: their `key`, where given, sealed."""
        fernet = sealer(self.purpose)
        return [
            {**item, key: fernet.encrypt(item[key].encode()).decode() if item[key] else None}
            for item in items
        ]

    async def hashed(
        self, run: jobs.JobRun, items: Sequence[dict[str, Any]], key: str
    ) -> list[str]:
        """The hashes of the items' sealed `key`, in their order."""
        fernet = sealer(self.purpose)
        await run.progress(0, len(items), "Hashing passwords")
        # Thousands of them: unsealed off the event loop.
        passwords = await asyncio.to_thread(
            lambda: [fernet.decrypt(item[key].encode()).decode() for item in items]
        )
        fast = current().fast_password_hashing
        chunks = [
            (passwords[start : start + self.chunk], fast)
            for start in range(0, len(passwords), self.chunk)
        ]
        hashes: list[str] = []

        async def hashed_chunk(chunk_hashes: list[str]) -> None:
            hashes.extend(chunk_hashes)
            await run.progress(len(hashes), len(items))

        await cpu.run_each(self.hash_passwords, chunks, hashed_chunk)
        return hashes


M = TypeVar("M", bound=Model)


def _where(model: type[M], key: str, filters: dict[str, Any]) -> Callable[[Sequence[Any]], Any]:
    """The query for `model` rows whose `key` is one of a batch of the file's values."""
    return lambda chunk: model.filter(**{f"{key}__in": chunk}, **filters)


async def found_by(model: type[M], key: str, values: Sequence[Any], **filters: Any) -> dict[Any, M]:
    """The rows that exist already for the file's values of `key`, by that value."""
    return {
        getattr(found, key): found
        for found in await in_batches(values, _where(model, key, filters))
    }


async def taken(model: type[Model], key: str, values: Sequence[Any], **filters: Any) -> set[Any]:
    """The file's values of `key` that rows hold already (written meanwhile, say)."""
    where = _where(model, key, filters)
    return set(await in_batches(values, lambda chunk: where(chunk).values_list(key, flat=True)))


async def ids_of(
    model: type[Model], key: str, values: Sequence[Any], **filters: Any
) -> dict[Any, int]:
    """The ids of rows just written, by `key`: bulk_create does not hand them back on every
    backend."""
    where = _where(model, key, filters)
    return dict(await in_batches(values, lambda chunk: where(chunk).values_list(key, "id")))
