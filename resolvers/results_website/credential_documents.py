"""'Confidential examination results information' PDFs: the job that makes them (the page
itself is drawn by credential_letters.py).

For a centre and series, the exams officer asks for the documents of every candidate holding an
active results credential; a background job renders one PDF with a page per candidate (ascending
candidate number) and a zip with one PDF per candidate, and keeps both as the job's files. The
passwords are unsealed only inside the job, only to print them.
"""

import asyncio
import io
import unicodedata
import zipfile
from typing import Any

from tortoise.expressions import Subquery
from tortoise.transactions import in_transaction

from models.exams import Series
from models.jobs import Job
from models.organisations import Organisation
from models.results_access import ResultsAccess, ResultsCredential
from policies import Actor
from policies.viewer_can import DOWNLOAD_RESULTS_CREDENTIALS
from resolvers.core import audit, cpu, credential_secrets, jobs
from resolvers.core.config import current
from resolvers.core.errors import DomainError, ErrorCode
from resolvers.core.exam_lookups import find_series
from resolvers.network.organisations import require_centre
from resolvers.results_website.access_state import available_from, live_credentials
from resolvers.results_website.credential_letters import (
    Letter,
    Sheet,
    combined_pdf,
    single_pdfs,
)

KIND = "results_credentials.documents"
# Single PDFs drawn per call to the CPU pool: big enough to be cheap, small enough for fresh
# progress.
CHUNK = 50


def _sheets(rows: list[dict[str, Any]]) -> list[Sheet]:
    sheets = []
    for row in rows:
        try:
            password = credential_secrets.unseal(row["password_sealed"])
        except ValueError:
            raise DomainError.one(
                ErrorCode.CREDENTIALS_UNREADABLE,
                "The stored passwords cannot be read (the server's secret key changed). "
                "Reissue the candidates' passwords (updateResultsAccessSelection with "
                "reissue), then ask again.",
            ) from None
        sheets.append(
            Sheet(
                candidate_id=row["candidate_id"],
                candidate_number=row["candidate__candidate_number"],
                first_name=unicodedata.normalize("NFC", row["candidate__first_name"]),
                last_name=unicodedata.normalize("NFC", row["candidate__last_name"]),
                username=row["username"],
                password=password,
            )
        )
    return sheets


def _active_credentials(centre_id: int, series_id: int) -> Any:
    """The credentials to print: a withdrawn candidate's never are."""
    live = live_credentials(series_id=series_id, candidate__centre_id=centre_id)
    return ResultsCredential.filter(id__in=Subquery(live.values("id")))


async def create_documents(actor: Actor, *, centre_code: str, series_code: str) -> Job:
    """Queue the PDFs of every candidate with an active results credential at the centre."""
    centre = await require_centre(
        actor, centre_code, *DOWNLOAD_RESULTS_CREDENTIALS, "input", "centreCode"
    )
    series = await find_series(series_code, "input", "seriesCode")
    count = await _active_credentials(centre.id, series.id).count()
    if count == 0:
        raise DomainError.one(
            ErrorCode.NO_ACTIVE_CREDENTIALS,
            f"No candidate at {centre.name} has results sign-in details for {series.code}: give "
            "candidates access to the candidate results website first (ALL or SELECTED).",
            "input",
            "seriesCode",
        )
    async with in_transaction():
        job = await jobs.enqueue(
            actor,
            KIND,
            organisation_id=centre.id,
            payload={"centreId": centre.id, "seriesId": series.id},
            total=count,
        )
        await audit.record(
            actor,
            "results_credentials.documents_request",
            organisation_id=centre.id,
            target_type="Job",
            target_id=job.id,
            after={"centre": centre.code, "series": series.code, "candidates": count},
        )
    jobs.wake_workers()
    return job


def _letter(centre: Organisation, series: Series, access: ResultsAccess | None) -> Letter:
    """What every candidate's letter says, from the centre's choice for the series."""
    return Letter(
        centre_name=centre.name,
        centre_code=centre.code,
        series_code=series.code,
        website=current().public_url.rstrip("/"),
        available_from=available_from(series, access),
        contact_name=access.contact_name if access is not None else "",
        contact_phone=access.contact_phone if access is not None else None,
        contact_email=access.contact_email if access is not None else None,
    )


def _zipped(members: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members:
            archive.writestr(name, content)
    return buffer.getvalue()


async def _render(run: jobs.JobRun, letter: Letter, sheets: list[Sheet]) -> tuple[bytes, bytes]:
    """One PDF of every letter and a ZIP of one PDF each, drawn in the CPU pool: the combined
    PDF in one of its processes (one document, drawn in order), the single PDFs CHUNK at a time
    in the others meanwhile; progress counts the single PDFs."""
    total = len(sheets)
    await run.progress(0, total, "Writing PDFs")
    combined = cpu.submit(combined_pdf, letter, sheets)
    members: list[tuple[str, bytes]] = []

    async def rendered(chunk: list[tuple[str, bytes]]) -> None:
        members.extend(chunk)
        await run.progress(len(members), total, "Writing PDFs")

    try:
        chunks = [(letter, sheets[start : start + CHUNK]) for start in range(0, total, CHUNK)]
        await cpu.run_each(single_pdfs, chunks, rendered)
        await run.progress(total, total, "Saving files")
        return await combined, await asyncio.to_thread(_zipped, members)
    finally:
        combined.cancel()


async def render_documents(run: jobs.JobRun) -> dict[str, Any]:
    """The job: load everything in four queries, render in chunks, keep two files."""
    centre = await Organisation.get(id=run.payload["centreId"])
    series = await Series.get(id=run.payload["seriesId"])
    access = await ResultsAccess.get_or_none(centre_id=centre.id, series_id=series.id)
    rows = (
        await _active_credentials(centre.id, series.id)
        .order_by("candidate__candidate_number")
        .values(
            "username",
            "password_sealed",
            "candidate_id",
            "candidate__candidate_number",
            "candidate__first_name",
            "candidate__last_name",
        )
    )
    if not rows:
        raise DomainError.one(
            ErrorCode.NO_ACTIVE_CREDENTIALS,
            f"No candidate has results sign-in details for {series.code} any more.",
        )
    letter = _letter(centre, series, access)
    total = len(rows)
    # Unsealed here, where the server's key is: the pool's processes only draw.
    sheets = await asyncio.to_thread(_sheets, rows)
    combined, archive_bytes = await _render(run, letter, sheets)
    stem = f"results-credentials-{centre.code}-{series.code}"
    async with in_transaction():
        await run.add_file(f"{stem}.pdf", "application/pdf", combined)
        await run.add_file(f"{stem}.zip", "application/zip", archive_bytes)
    return {
        "centre": centre.code,
        "series": series.code,
        "candidates": total,
        "candidateIds": [sheet.candidate_id for sheet in sheets],
        "files": {f"{stem}.pdf": len(combined), f"{stem}.zip": len(archive_bytes)},
    }
