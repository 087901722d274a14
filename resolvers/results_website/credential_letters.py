"""One candidate's 'Confidential examination results information' letter as a PDF page: their
results website username and password, when their results come out, and whom to ask."""

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from importlib import resources
from pathlib import Path

from fpdf import FPDF

TITLE = "Confidential examination results information"
WARNING = (
    "The results displayed are for information only. You must not print screenshots of your "
    "results from the candidate results website to share with universities."
)
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


def combined_pdf(letter: Letter, sheets: list[Sheet]) -> bytes:
    """One PDF with a page per sheet, in their order (run in the CPU pool's processes)."""
    pdf = new_pdf()
    try:
        for sheet in sheets:
            render_page(pdf, letter, sheet)
    except BaseException:
        close_fonts(pdf)
        raise
    return finish(pdf)


def single_pdfs(letter: Letter, sheets: list[Sheet]) -> list[tuple[str, bytes]]:
    """A PDF of each sheet, named as in the zip (run in the CPU pool's processes)."""
    return [(member_name(sheet), render_single(letter, sheet)) for sheet in sheets]
