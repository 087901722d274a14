"""'Confidential examination results information' PDFs.

For a centre and series, the exams officer asks for the documents of every candidate holding an
active results credential; a background job renders one PDF with a page per candidate (ascending
candidate number) and a zip with one PDF per candidate, and keeps both as the job's files. The
passwords are unsealed only inside the job, only to print them.
"""

import asyncio
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import Any

from fpdf import FPDF
from tortoise.transactions import in_transaction

from models.exams import Series
from models.jobs import Job
from models.organisations import Organisation
from models.results_access import ResultsAccess, ResultsCredential
from policies import Actor
from resolvers.core import audit, credential_secrets, jobs
from resolvers.core.config import current
from resolvers.core.errors import DomainError, ErrorCode
from resolvers.core.exam_lookups import find_series
from resolvers.network.organisations import require_centre
from resolvers.results_website.access_state import available_from

KIND = "results_credentials.documents"
TITLE = "Confidential examination results information"
WARNING = (
    "The results displayed are for information only. You must not print screenshots of your "
    "results from the candidate results website to share with universities."
)
# Candidates rendered per thread hop: big enough to be cheap, small enough for fresh progress.
CHUNK = 50
# Names, usernames and contacts can be in any Latin, Greek or Cyrillic script: a Unicode font.
# The fixed English wording (ASCII) uses a PDF core font, which costs nothing to load or embed:
# loading and embedding a TrueType font is most of the time of a one-page PDF.
_UNICODE = "DejaVu"
_FIXED = "helvetica"


@dataclass(frozen=True)
class Letter:
    """What every page of one centre's documents shares."""

    centre_name: str
    centre_code: str
    series_code: str
    website: str
    available_from: datetime
    contact_name: str
    contact_phone: str | None
    contact_email: str | None


@dataclass(frozen=True)
class Sheet:
    """One candidate's page."""

    candidate_id: int
    candidate_number: str
    first_name: str
    last_name: str
    username: str
    password: str

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


# The letters that NFKD does not take apart into a base letter and accents.
_ASCII_FALLBACK = str.maketrans(
    {
        "Ł": "L",
        "ł": "l",
        "Ø": "O",
        "ø": "o",
        "Đ": "D",
        "đ": "d",
        "Ħ": "H",
        "ħ": "h",
        "ß": "ss",
        "Æ": "AE",
        "æ": "ae",
        "Œ": "OE",
        "œ": "oe",
        "Þ": "Th",
        "þ": "th",
        "\u0131": "i",
    }
)


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.translate(_ASCII_FALLBACK))
    plain = "".join(c for c in decomposed if c.isascii())
    return "-".join(re.findall(r"[A-Za-z0-9]+", plain))


def member_name(sheet: Sheet) -> str:
    """`0042-Surname-Firstname.pdf`: letters, digits and hyphens only."""
    parts = [sheet.candidate_number, _ascii(sheet.last_name), _ascii(sheet.first_name)]
    return "-".join(part for part in parts if part) + ".pdf"


def _font_file() -> Path:
    return Path(str(resources.files("examdesk") / "fonts" / "DejaVuSans.ttf"))


def new_pdf(*, unicode: bool = True) -> FPDF:
    """A4 with our margins; with the embedded Unicode font only when a page needs it, since
    loading and subsetting it is most of the cost of a one-page PDF."""
    pdf = FPDF(format="A4")
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(auto=True, margin=20)
    if unicode:
        pdf.add_font(_UNICODE, "", str(_font_file()))
    pdf.set_title(TITLE)
    pdf.set_creator("examdesk")
    return pdf


def _when(moment: datetime) -> str:
    return f"{moment.day} {moment:%B %Y} at {moment:%H:%M} UTC"


def _variable_font(pdf: FPDF) -> str:
    # fpdf2 keys its fonts by lower-cased family name.
    return _UNICODE if _UNICODE.lower() in pdf.fonts else _FIXED


def needs_unicode(letter: Letter, sheet: Sheet) -> bool:
    """Whether any text on the page is outside what the PDF core fonts can show (cp1252)."""
    values = (
        letter.centre_name,
        letter.contact_name,
        letter.contact_phone,
        letter.contact_email,
        letter.website,
        sheet.full_name,
        sheet.username,
    )
    try:
        for value in values:
            (value or "").encode("cp1252")
    except UnicodeEncodeError:
        return True
    return False


def render_page(pdf: FPDF, letter: Letter, sheet: Sheet) -> None:
    pdf.add_page()
    width = pdf.epw
    variable = _variable_font(pdf)

    def fixed(text: str, size: float = 11, bold: bool = False, gap: float = 1.5) -> None:
        pdf.set_font(_FIXED, "B" if bold else "", size)
        pdf.multi_cell(width, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(gap)

    def text(value: str, size: float = 11, gap: float = 1.5) -> None:
        pdf.set_font(variable, "", size)
        pdf.multi_cell(width, size * 0.5, value, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(gap)

    def field(label: str, value: str, size: float = 12) -> None:
        pdf.set_font(_FIXED, "", 10)
        pdf.cell(45, size * 0.6, label)
        pdf.set_font(variable, "", size)
        pdf.multi_cell(width - 45, size * 0.6, value, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)

    fixed(TITLE, 17, bold=True, gap=4)
    text(f"{letter.centre_name} (centre number {letter.centre_code})", gap=0.5)
    text(f"Exam series {letter.series_code}", gap=6)
    field("Candidate", sheet.full_name, 13)
    field("Candidate number", sheet.candidate_number, 13)
    pdf.ln(3)
    fixed("Your sign-in details for the candidate results website", 13, bold=True, gap=2)
    field("Username", sheet.username, 15)
    field("Password", sheet.password, 15)
    pdf.ln(3)
    fixed("How to see your results", 13, bold=True, gap=2)
    text(
        f"Go to {letter.website} and sign in with the username and password above. Your "
        f"results will be there from {_when(letter.available_from)}. Keep these details "
        "private: anyone who has them can read your results.",
    )
    pdf.ln(2)
    fixed("Questions", 13, bold=True, gap=2)
    fixed(
        "Your centre answers questions about the candidate results website, not the exam "
        "board. Contact:",
        gap=1,
    )
    text(letter.contact_name or "Your centre's exams office", 12, gap=0.5)
    if letter.contact_phone:
        text(f"Telephone: {letter.contact_phone}", gap=0.5)
    if letter.contact_email:
        text(f"Email: {letter.contact_email}", gap=0.5)
    pdf.ln(5)
    fixed("Important", 12, bold=True, gap=1)
    fixed(WARNING)


def close_fonts(pdf: FPDF) -> None:
    """fontTools reads the font files lazily and keeps them open: close them once done."""
    for font in pdf.fonts.values():
        ttfont = getattr(font, "ttfont", None)
        if ttfont is not None:
            ttfont.close()


def finish(pdf: FPDF) -> bytes:
    try:
        return bytes(pdf.output())
    finally:
        close_fonts(pdf)


def render_single(letter: Letter, sheet: Sheet) -> bytes:
    pdf = new_pdf(unicode=needs_unicode(letter, sheet))
    try:
        render_page(pdf, letter, sheet)
    except BaseException:
        close_fonts(pdf)
        raise
    return finish(pdf)


def _sheets(rows: list[dict[str, Any]]) -> list[Sheet]:
    sheets = []
    for row in rows:
        try:
            password = credential_secrets.unseal(row["password_sealed"])
        except ValueError:
            raise DomainError.one(
                ErrorCode.CREDENTIALS_UNREADABLE,
                "The stored passwords cannot be read (the server's secret key changed). Give "
                "the candidates access again to create new passwords, then ask again.",
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


def _render_chunk(
    combined: FPDF, archive: zipfile.ZipFile, letter: Letter, rows: list[dict[str, Any]]
) -> list[int]:
    """Runs in a worker thread: unseal, add the pages, write the single PDFs."""
    sheets = _sheets(rows)
    for sheet in sheets:
        render_page(combined, letter, sheet)
        archive.writestr(member_name(sheet), render_single(letter, sheet))
    return [sheet.candidate_id for sheet in sheets]


def _active_credentials(centre_id: int, series_id: int) -> Any:
    return ResultsCredential.filter(
        series_id=series_id, candidate__centre_id=centre_id, revoked_at=None
    )


async def create_documents(actor: Actor, *, centre_code: str, series_code: str) -> Job:
    """Queue the PDFs of every candidate with an active results credential at the centre."""
    centre = await require_centre(
        actor, centre_code, "results_credentials", "download", "input", "centreCode"
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


async def _render(
    run: jobs.JobRun, letter: Letter, rows: list[dict[str, Any]]
) -> tuple[bytes, bytes, list[int]]:
    """One PDF of every letter and a ZIP of one PDF each, rendered CHUNK rows at a time off the
    event loop; with the candidates rendered, in order."""
    total = len(rows)
    await run.progress(0, total, "Writing PDFs")
    combined = await asyncio.to_thread(new_pdf)
    buffer = io.BytesIO()
    candidate_ids: list[int] = []
    try:
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for start in range(0, total, CHUNK):
                chunk = rows[start : start + CHUNK]
                candidate_ids += await asyncio.to_thread(
                    _render_chunk, combined, archive, letter, chunk
                )
                await run.progress(len(candidate_ids), total, "Writing PDFs")
        await run.progress(total, total, "Saving files")
        combined_pdf = await asyncio.to_thread(finish, combined)
    finally:
        close_fonts(combined)
    return combined_pdf, buffer.getvalue(), candidate_ids


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
    combined_pdf, archive_bytes, candidate_ids = await _render(run, letter, rows)
    stem = f"results-credentials-{centre.code}-{series.code}"
    async with in_transaction():
        await run.add_file(f"{stem}.pdf", "application/pdf", combined_pdf)
        await run.add_file(f"{stem}.zip", "application/zip", archive_bytes)
    return {
        "centre": centre.code,
        "series": series.code,
        "candidates": total,
        "candidateIds": candidate_ids,
        "files": {f"{stem}.pdf": len(combined_pdf), f"{stem}.zip": len(archive_bytes)},
    }


__all__ = [
    "KIND",
    "TITLE",
    "WARNING",
    "Letter",
    "Sheet",
    "create_documents",
    "member_name",
    "render_documents",
    "render_page",
    "render_single",
]
