"""A session's candidate log-in sheet as a printable PDF: one block per candidate (four to an A4
page, to be cut apart and handed out) with what they type to start the test, and the same rows
as CSV for the centre's own mail merge."""

from dataclasses import dataclass
from datetime import datetime

from fpdf import FPDF

from resolvers.core.csv_export import csv_bytes
from resolvers.results_website.credential_letters import close_fonts, finish, new_pdf

TITLE = "Candidate test log-in details"
# Printed for a candidate whose password was chosen before passwords were kept for printing.
NOT_AVAILABLE = "(not available: use the password your centre chose)"
_FIXED = "helvetica"
_UNICODE = "DejaVu"
_PER_PAGE = 4
_BLOCK_HEIGHT = 64.0
COLUMNS = (
    "candidate_name",
    "candidate_number",
    "username",
    "password",
    "entry_code",
    "session_name",
    "starts_at",
    "ends_at",
    "venue",
)


@dataclass(frozen=True)
class SessionDetails:
    """What every block of one session's sheet shares."""

    name: str
    syllabus: str
    starts_at: datetime
    ends_at: datetime
    venue: str


@dataclass(frozen=True)
class Block:
    """One candidate's details."""

    candidate_name: str
    candidate_number: str
    username: str
    password: str
    entry_code: str


def when(moment: datetime) -> str:
    return f"{moment.day} {moment:%B %Y}, {moment:%H:%M} UTC"


def _needs_unicode(session: SessionDetails, blocks: list[Block]) -> bool:
    """Whether any text is outside what the PDF core fonts can show (cp1252)."""
    values = [session.name, session.syllabus, session.venue]
    for block in blocks:
        values += [block.candidate_name, block.username, block.password]
    try:
        for value in values:
            value.encode("cp1252")
    except UnicodeEncodeError:
        return True
    return False


def _draw_block(pdf: FPDF, session: SessionDetails, block: Block, top: float) -> None:
    variable = _UNICODE if _UNICODE.lower() in pdf.fonts else _FIXED
    left, width = pdf.l_margin, pdf.epw
    # A dashed line to cut along.
    pdf.set_draw_color(150)
    pdf.set_dash_pattern(dash=2, gap=2)
    pdf.line(left, top, left + width, top)
    pdf.set_dash_pattern()
    pdf.set_xy(left, top + 4)
    pdf.set_font(_FIXED, "B", 12)
    pdf.cell(width, 6, TITLE, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(variable, "", 14)
    pdf.cell(width, 8, block.candidate_name, new_x="LMARGIN", new_y="NEXT")
    rows = (
        ("Candidate number", block.candidate_number),
        ("Username", block.username),
        ("Password", block.password),
        ("Entry code", block.entry_code),
        ("Session", f"{session.name} ({session.syllabus})"),
        ("Date and time", f"{when(session.starts_at)} to {session.ends_at:%H:%M} UTC"),
        ("Venue", session.venue),
    )
    for label, value in rows:
        pdf.set_font(_FIXED, "", 9)
        pdf.cell(38, 6, label)
        pdf.set_font(variable, "", 11)
        pdf.cell(width - 38, 6, value, new_x="LMARGIN", new_y="NEXT")


def render_pdf(session: SessionDetails, blocks: list[Block]) -> bytes:
    """The sheet: blocks in the order given, _PER_PAGE to a page."""
    pdf = new_pdf(unicode=_needs_unicode(session, blocks))
    try:
        pdf.set_title(TITLE)
        pdf.set_auto_page_break(auto=False)
        for index, block in enumerate(blocks):
            if index % _PER_PAGE == 0:
                pdf.add_page()
            _draw_block(pdf, session, block, pdf.t_margin + (index % _PER_PAGE) * _BLOCK_HEIGHT)
    except BaseException:
        close_fonts(pdf)
        raise
    return finish(pdf)


def render_csv(session: SessionDetails, blocks: list[Block]) -> bytes:
    """The same rows as a spreadsheet opens them, formula injection escaped."""
    return csv_bytes(
        [
            COLUMNS,
            *(
                (
                    block.candidate_name,
                    block.candidate_number,
                    block.username,
                    block.password,
                    block.entry_code,
                    session.name,
                    session.starts_at.isoformat(),
                    session.ends_at.isoformat(),
                    session.venue,
                )
                for block in blocks
            ),
        ]
    )
