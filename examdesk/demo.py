"""Demo data: a board with an admin, an associate with two associate centres, three centres,
and at each centre an exams officer and staff holding the different roles; then exam series
(past, current, future), syllabuses, and candidates at AA101 and BB202 with entries and results."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from tortoise.transactions import in_transaction

from models.exams import (
    MONTH_NUMBERS,
    Candidate,
    Entry,
    EntryStatus,
    Result,
    Series,
    SeriesMonth,
    Syllabus,
)
from models.organisations import Organisation, OrganisationKind
from models.users import Membership, User, UserStatus
from policies import Role
from resolvers import clock
from resolvers.entries import ENTRY_CODE_ALPHABET
from resolvers.passwords import hash_password

DEMO_PASSWORD = "Exam-Desk-Demo-2026"


@dataclass(frozen=True)
class DemoSignIn:
    email: str
    organisation: str
    roles: tuple[str, ...]


_ORGANISATIONS = (
    ("EXB", OrganisationKind.BOARD, "examdesk Exam Board", "United Kingdom", None),
    ("AS100", OrganisationKind.ASSOCIATE, "Northbridge Associates", "Kenya", None),
    ("AS101", OrganisationKind.CENTRE, "Northbridge Lakeside School", "Kenya", "AS100"),
    ("AS102", OrganisationKind.CENTRE, "Northbridge Hill Academy", "Kenya", "AS100"),
    ("AA101", OrganisationKind.CENTRE, "AA Dummy Centre A", "Singapore", None),
    ("BB202", OrganisationKind.CENTRE, "Bayview International School", "Malaysia", None),
    ("CC303", OrganisationKind.CENTRE, "Cedar College", "Argentina", None),
)

_CENTRE_STAFF = (
    ("eo", "Anakin", "Skywalker", (Role.EXAMS_OFFICER,)),
    ("users", "Buzz", "Lightyear", (Role.USER_MANAGEMENT,)),
    ("sfa.eo", "Captain", "America", (Role.SFA_EXAMS_OFFICER,)),
    ("teacher", "Donald", "Duck", (Role.SFA_TEACHER,)),
    ("aa", "Ella", "Fitzgerald", (Role.ACCESS_ARRANGEMENTS,)),
    ("slt", "Frida", "Kahlo", (Role.SLT,)),
    ("inv", "Grace", "Hopper", (Role.INVIGILATOR,)),
)

_ASSOCIATE_STAFF = (
    ("eo", "Wangari", "Maathai", (Role.EXAMS_OFFICER,)),
    ("users", "Chinua", "Achebe", (Role.USER_MANAGEMENT,)),
)


def _people() -> list[tuple[str, str, str, str, tuple[Role, ...]]]:
    people: list[tuple[str, str, str, str, tuple[Role, ...]]] = [
        ("admin@exb.example", "Ada", "Lovelace", "EXB", (Role.BOARD_ADMIN,)),
    ]
    for local, first, last, roles in _ASSOCIATE_STAFF:
        people.append((f"{local}@as100.example", first, last, "AS100", roles))
    for code in ("AA101", "BB202", "CC303"):
        for local, first, last, roles in _CENTRE_STAFF:
            people.append((f"{local}@{code.lower()}.example", first, last, code, roles))
    people.append(("eo@as101.example", "Ngugi", "Thiong'o", "AS101", (Role.EXAMS_OFFICER,)))
    return people


def demo_sign_ins() -> list[DemoSignIn]:
    return [
        DemoSignIn(email, code, tuple(r.value for r in roles))
        for email, _, _, code, roles in _people()
    ]


async def seed_demo() -> bool:
    """Create the demo data on an empty database; return False if it is already there."""
    if await Organisation.exists(code="EXB"):
        return False
    password_hash = hash_password(DEMO_PASSWORD)
    now = clock.now()
    async with in_transaction():
        created: dict[str, Organisation] = {}
        for code, kind, name, country, parent in _ORGANISATIONS:
            created[code] = await Organisation.create(
                code=code, kind=kind, name=name, country=country,
                parent=created[parent] if parent else None,
            )
        for email, first, last, code, roles in _people():
            user = await User.create(
                email=email, first_name=first, last_name=last, password_hash=password_hash,
                status=UserStatus.ACTIVE, email_verified_at=now,
            )
            await Membership.create(
                user=user, organisation=created[code], roles=[r.value for r in roles]
            )
        # Registered by the board and not yet activated: try "Activate your account".
        pending = await User.create(
            email="new.teacher@cc303.example", first_name="Hedy", last_name="Lamarr",
            status=UserStatus.PENDING_ACTIVATION,
        )
        await Membership.create(
            user=pending, organisation=created["CC303"], roles=[Role.SFA_TEACHER.value]
        )
        # Added after the users, so that their ids stay as they were.
        await _seed_exams(created)
        await _seed_results_access(created)
        await _seed_assessments()
    return True


DEMO_CANDIDATE_PASSWORD = "Candidate2026"

# (code, month, year, credentials open, results released): past, current and future series.
_SERIES = (
    ("2025-NOV", SeriesMonth.NOVEMBER, 2025, datetime(2025, 10, 5, tzinfo=UTC),
     datetime(2026, 1, 14, 6, tzinfo=UTC)),
    ("2026-JUN", SeriesMonth.JUNE, 2026, datetime(2026, 3, 25, tzinfo=UTC),
     datetime(2026, 8, 11, 6, tzinfo=UTC)),
    ("2026-NOV", SeriesMonth.NOVEMBER, 2026, datetime(2026, 10, 5, tzinfo=UTC),
     datetime(2027, 1, 13, 6, tzinfo=UTC)),
)

_SYLLABUSES = (
    ("0500", "First Language English"),
    ("0580", "Mathematics"),
    ("0610", "Biology"),
    ("0620", "Chemistry"),
)

# (centre, number, first, last, username, uci, {series: [(syllabus, grade or None)]}).
# A grade is loaded only for the released series; "-" marks a withdrawn entry.
_CANDIDATES: tuple[tuple[str, str, str, str, str, str | None,
                         dict[str, list[tuple[str, str | None]]]], ...] = (
    ("AA101", "0001", "Amara", "Okafor", "AA101_Cand001", "AA101260001A",
     {"2025-NOV": [("0580", "B")],
      "2026-JUN": [("0500", "A"), ("0580", "A*"), ("0610", "B")],
      "2026-NOV": [("0620", None)]}),
    ("AA101", "0002", "José", "García", "josé.garcía", "AA101260002B",
     {"2026-JUN": [("0500", "C"), ("0610", "-")],
      "2026-NOV": [("0580", None), ("0610", None)]}),
    ("AA101", "0003", "Siti", "Rahman", "AA101_Cand003", None,
     {"2026-JUN": [("0580", "B"), ("0620", "C")]}),
    ("AA101", "0004", "Björn", "Åkesson", "björn.åkesson@aa101", None,
     {"2026-NOV": [("0500", None), ("0580", None)]}),
    ("BB202", "0001", "Mei Ling", "Tan", "BB202_Cand001", "BB202260001C",
     {"2025-NOV": [("0500", "A")],
      "2026-JUN": [("0580", "A"), ("0610", "A*")]}),
    ("BB202", "0002", "Arjun", "Nair", "BB202_Cand002", None,
     {"2026-JUN": [("0500", "B"), ("0580", "C")],
      "2026-NOV": [("0620", None)]}),
    ("BB202", "0007", "Zoë", "Lim", "zoë_lim", None,
     {"2026-NOV": [("0610", None)]}),
)


async def _seed_exams(created: dict[str, Organisation]) -> None:
    """Series, syllabuses, candidates at AA101 and BB202, their entries, and results for the
    released series. Entry codes come from a fixed seed so the demo is the same every time."""
    series = {
        code: await Series.create(
            code=code, month=month, month_number=MONTH_NUMBERS[month], year=year,
            credentials_open_at=opens, results_release_at=released,
        )
        for code, month, year, opens, released in _SERIES
    }
    syllabuses = {code: await Syllabus.create(code=code, title=title)
                  for code, title in _SYLLABUSES}
    password_hash = hash_password(DEMO_CANDIDATE_PASSWORD)
    codes = random.Random(2026)
    for centre, number, first, last, username, uci, entered in _CANDIDATES:
        candidate = await Candidate.create(
            centre=created[centre], candidate_number=number, first_name=first, last_name=last,
            username=username, uci=uci, password_hash=password_hash,
        )
        for series_code, subjects in entered.items():
            for syllabus_code, grade in subjects:
                raw = "".join(codes.choice(ENTRY_CODE_ALPHABET) for _ in range(8))
                withdrawn = grade == "-"
                entry = await Entry.create(
                    candidate=candidate, series=series[series_code],
                    syllabus=syllabuses[syllabus_code], entry_code=f"{raw[:4]}-{raw[4:]}",
                    status=EntryStatus.WITHDRAWN if withdrawn else EntryStatus.ENTERED,
                    withdrawn_at=series[series_code].credentials_open_at if withdrawn else None,
                )
                if grade is not None and not withdrawn:
                    await Result.create(
                        entry=entry, grade=grade,
                        loaded_at=series[series_code].results_release_at - timedelta(days=7),
                    )


# The candidate results website: AA101 gave ALL its 2026-JUN candidates access. The usernames
# are fixed here and share one password, so that the demo (and graphql_examples/) can sign in.
DEMO_RESULTS_PASSWORD = "EXAMS26RSX"
_RESULTS_CREDENTIALS = (
    ("AA101", "0001", "2026-JUN", "aa101-0001-k7qm"),
    ("AA101", "0002", "2026-JUN", "aa101-0002-w4hd"),
    ("AA101", "0003", "2026-JUN", "aa101-0003-p9tc"),
)


@dataclass(frozen=True)
class DemoCandidateSignIn:
    username: str
    centre: str
    candidate_number: str
    series: str


def demo_candidate_sign_ins() -> list[DemoCandidateSignIn]:
    return [DemoCandidateSignIn(username, centre, number, series)
            for centre, number, series, username in _RESULTS_CREDENTIALS]


async def _seed_results_access(created: dict[str, Organisation]) -> None:
    from models.results_access import AccessStatus, ResultsAccess, ResultsCredential
    from resolvers import credential_secrets

    now = clock.now()
    officer = await User.get(email="eo@aa101.example")
    for centre, series_code in sorted({(c, s) for c, _, s, _ in _RESULTS_CREDENTIALS}):
        series = await Series.get(code=series_code)
        await ResultsAccess.create(
            centre=created[centre], series=series, status=AccessStatus.ALL, agreed_at=now,
            agreed_by_id=officer.id, contact_name=f"{officer.first_name} {officer.last_name}",
            contact_phone="+65 6123 4567", contact_email=officer.email, delay_hours=0,
            updated_at=now, updated_by_id=officer.id,
        )
    for centre, number, series_code, username in _RESULTS_CREDENTIALS:
        candidate = await Candidate.get(centre=created[centre], candidate_number=number)
        await ResultsCredential.create(
            candidate=candidate, series=await Series.get(code=series_code), username=username,
            password_digest=credential_secrets.digest(DEMO_RESULTS_PASSWORD),
            password_sealed=credential_secrets.seal(DEMO_RESULTS_PASSWORD), created_at=now,
        )


# Staff assessments (seed 004): two for invigilators and one for all staff, published, each with
# a couple of sections (graphql_examples/32-39 use them). (text, options, correct indexes)
_ASSESSMENTS = (
    ("Invigilation essentials", "What every invigilator must know, start to finish.",
     "INVIGILATORS", (
         ("Before the exam", None, 3, (
             ("When may candidates enter the exam room?",
              ("Whenever they like", "When the invigilator lets them in", "After the start"),
              (1,)),
             ("What must be on display in the room?",
              ("The JCQ notices and a clock", "Last year's papers", "Nothing"), (0,)),
             ("Which items must candidates leave outside?",
              ("Mobile phones", "Smart watches", "Clear pencil cases"), (0, 1)),
         )),
         ("During the exam", 10, 3, (
             ("May an invigilator explain a question?", ("Yes", "No"), (1,)),
             ("How often should invigilators walk the room?",
              ("Never", "Regularly and quietly", "Only at the end"), (1,)),
             ("A candidate feels unwell: you...",
              ("Ignore it", "Follow the centre's procedure and log it"), (1,)),
             ("Who signs the seating plan?", ("The lead invigilator", "A candidate"), (0,)),
         )),
     )),
    ("Emergencies in the exam room", "Fire alarms, evacuations and other interruptions.",
     "INVIGILATORS", (
         ("Evacuation", None, 2, (
             ("On a fire alarm, first you...",
              ("Stop the exam and note the time", "Let candidates finish"), (0,)),
             ("Candidates leave their papers...", ("In the room", "In their bags"), (0,)),
         )),
         ("Resuming", 5, 1, (
             ("After an evacuation the exam time is...",
              ("Lost", "Restored from the time noted"), (1,)),
         )),
     )),
    ("Exam regulations for all staff", "The JCQ rules every member of staff should know.",
     "ALL_STAFF", (
         ("Confidential materials", None, 2, (
             ("Where are question papers kept before the exam?",
              ("In the secure room", "In the staff room"), (0,)),
             ("Who may open a paper packet early?", ("Nobody", "Any teacher"), (0,)),
         )),
         ("Malpractice", None, 1, (
             ("Suspected malpractice is reported to...",
              ("The exams officer", "Nobody"), (0,)),
         )),
     )),
)


async def _seed_assessments() -> None:
    from models.assessments import Assessment, Audience, Question, Section

    now = clock.now()
    for title, description, audience, sections in _ASSESSMENTS:
        assessment = await Assessment.create(
            title=title, description=description, audience=Audience(audience),
            published_at=now, created_at=now,
        )
        for order, (section_title, minutes, pass_mark, questions) in enumerate(sections, 1):
            section = await Section.create(
                assessment=assessment, order=order, title=section_title,
                duration_minutes=minutes, pass_mark=pass_mark, question_count=len(questions),
            )
            for q_order, (text, options, correct) in enumerate(questions, 1):
                await Question.create(section=section, order=q_order, text=text,
                                      options=list(options), correct=list(correct))
