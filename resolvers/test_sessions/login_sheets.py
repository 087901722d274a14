"""'Generating the candidate log in information': a session's log-in sheet, for its exams
officer to print and hand out (the blocks are drawn by login_sheet_pages.py).

The exams officer of the session's venue (or of its associate) asks for it; a background job
writes the PDF (a block per candidate, ascending candidate number) and the CSV of the same rows
as the job's files, downloaded by signed link. Withdrawn entries are left out. The passwords
are unsealed only inside the job, only to print them.
"""

import asyncio
import unicodedata
from typing import Any

from tortoise.transactions import in_transaction

from models.exams import Entry, EntryStatus
from models.jobs import Job
from models.test_sessions import TestSession, session_ends_at
from policies import ELSEWHERE, Actor, Authorizer, Target
from policies.viewer_can import DOWNLOAD_LOGIN_SHEETS
from resolvers.core import audit, candidate_passwords, jobs
from resolvers.core.errors import DomainError, ErrorCode
from resolvers.test_sessions.login_sheet_pages import (
    NOT_AVAILABLE,
    Block,
    SessionDetails,
    render_csv,
    render_pdf,
)

KIND = "test_sessions.login_sheet"


def _entered(session_id: int) -> Any:
    return Entry.filter(test_session_id=session_id, status=EntryStatus.ENTERED)


async def create_login_sheet(actor: Actor, *, test_session_id: int) -> Job:
    """Queue the log-in sheet of every candidate entered in the session."""
    Authorizer(actor).require_signed_in()
    session = await TestSession.get_or_none(id=test_session_id).select_related("centre")
    if session is None:
        # The same refusal as for another centre's session: ids say nothing.
        raise Authorizer(actor).refusal(*DOWNLOAD_LOGIN_SHEETS, ELSEWHERE)
    Authorizer(actor).require(*DOWNLOAD_LOGIN_SHEETS, Target.of(session.centre))
    count = await _entered(session.id).count()
    if count == 0:
        raise DomainError.one(
            ErrorCode.NO_SESSION_ENTRIES,
            f"No candidate is entered in the session '{session.name}' yet.",
            "input",
            "testSessionId",
        )
    async with in_transaction():
        job = await jobs.enqueue(
            actor,
            KIND,
            organisation_id=session.centre_id,
            payload={"testSessionId": session.id},
            total=count,
        )
        await audit.record(
            actor,
            "test_session.login_sheet_request",
            organisation_id=session.centre_id,
            target_type="TestSession",
            target_id=session.id,
            after={"jobId": job.id, "session": session.name, "candidates": count},
        )
    jobs.wake_workers()
    return job


def _password(sealed: str | None) -> str:
    if sealed is None:
        return NOT_AVAILABLE
    try:
        return candidate_passwords.unseal(sealed)
    except ValueError:
        # Sealed under a secret key the server no longer has: as lost as one never kept.
        return NOT_AVAILABLE


def _blocks(rows: list[dict[str, Any]]) -> list[Block]:
    return [
        Block(
            candidate_name=unicodedata.normalize(
                "NFC", f"{row['candidate__first_name']} {row['candidate__last_name']}".strip()
            ),
            candidate_number=row["candidate__candidate_number"],
            username=row["candidate__username"],
            password=_password(row["candidate__password_sealed"]),
            entry_code=row["entry_code"],
        )
        for row in rows
    ]


def _render(session: SessionDetails, rows: list[dict[str, Any]]) -> tuple[bytes, bytes]:
    """Runs in a worker thread: unseal, then draw both files."""
    blocks = _blocks(rows)
    return render_pdf(session, blocks), render_csv(session, blocks)


async def render_login_sheet(run: jobs.JobRun) -> dict[str, Any]:
    """The job: the session's entered candidates in two queries, both files off the loop."""
    session = await TestSession.get(id=run.payload["testSessionId"]).select_related(
        "centre", "syllabus"
    )
    rows = (
        await _entered(session.id)
        .order_by("candidate__candidate_number")
        .values(
            "entry_code",
            "candidate_id",
            "candidate__candidate_number",
            "candidate__first_name",
            "candidate__last_name",
            "candidate__username",
            "candidate__password_sealed",
        )
    )
    if not rows:
        raise DomainError.one(
            ErrorCode.NO_SESSION_ENTRIES,
            f"No candidate is entered in the session '{session.name}' any more.",
        )
    await run.progress(0, len(rows), "Writing the log-in sheet")
    details = SessionDetails(
        name=session.name,
        syllabus=f"{session.syllabus.code} {session.syllabus.title}",
        starts_at=session.starts_at,
        ends_at=session_ends_at(session),
        venue=f"{session.centre.name} ({session.centre.code})",
    )
    pdf, csv = await asyncio.to_thread(_render, details, rows)
    stem = f"login-sheet-{session.centre.code}-{session.id}"
    async with in_transaction():
        await run.add_file(f"{stem}.pdf", "application/pdf", pdf)
        await run.add_file(f"{stem}.csv", "text/csv", csv)
    await run.progress(len(rows), len(rows), "Done")
    return {
        "testSession": session.id,
        "centre": session.centre.code,
        "candidates": len(rows),
        "candidateIds": [row["candidate_id"] for row in rows],
        "files": {f"{stem}.pdf": len(pdf), f"{stem}.csv": len(csv)},
    }
