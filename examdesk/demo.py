"""Demo data: a board with an admin, an associate with two associate centres, three centres,
and at each centre an exams officer and staff holding the different roles; then three exam
series placed around the day the demo is created (one before the released one, the released one,
and one whose results come out later), syllabuses, candidates at AA101 and BB202 with entries
and results, and a test session running at AA101."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tortoise.transactions import in_transaction

from examdesk.demo_assessments import seed_assessments
from examdesk.demo_test_sessions import seed_test_session
from examdesk.document_registry import Registered, read_documents, register_documents
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
from resolvers.core import clock
from resolvers.exams.entry_rules import ENTRY_CODE_ALPHABET
from resolvers.exams.series import default_credentials_open_at, series_code
from resolvers.identity.passwords import hash_password

DEMO_PASSWORD = "Exam-Desk-Demo-2026"
# Known PINs, so that phone support's checkUserPin can be tried (graphql_examples/).
DEMO_PENDING_PIN = "246810"


def demo_pin(number: int) -> str:
    """The demo's nth person's PIN: 6 digits, different for each."""
    return f"{100000 + number * 7919 % 900000:06d}"


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


# The documented flows, which a demo frontend may send by hash (they are its trusted documents).
DEMO_DOCUMENTS = Path(__file__).resolve().parents[1] / "graphql_examples"


async def register_demo_documents() -> Registered:
    if not DEMO_DOCUMENTS.is_dir():  # installed without the repository's examples
        return Registered(added=0, already_there=0)
    return await register_documents(read_documents([DEMO_DOCUMENTS]))


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
                code=code,
                kind=kind,
                name=name,
                country=country,
                parent=created[parent] if parent else None,
            )
        for number, (email, first, last, code, roles) in enumerate(_people(), start=1):
            user = await User.create(
                email=email,
                first_name=first,
                last_name=last,
                password_hash=password_hash,
                status=UserStatus.ACTIVE,
                email_verified_at=now,
                pin=demo_pin(number),
            )
            await Membership.create(
                user=user, organisation=created[code], roles=[r.value for r in roles]
            )
        # Registered by the board and not yet activated: try "Activate your account".
        pending = await User.create(
            email="new.teacher@cc303.example",
            first_name="Hedy",
            last_name="Lamarr",
            status=UserStatus.PENDING_ACTIVATION,
            pin=DEMO_PENDING_PIN,
        )
        await Membership.create(
            user=pending, organisation=created["CC303"], roles=[Role.SFA_TEACHER.value]
        )
        # Added after the users, so that their ids stay as they were.
        series = await _seed_exams(created)
        await _seed_results_access(created, series["released"])
        await seed_test_session(created["AA101"], series["upcoming"])
        await seed_assessments()
    return True


DEMO_CANDIDATE_PASSWORD = "Candidate2026"


@dataclass(frozen=True)
class DemoSeries:
    code: str
    month: SeriesMonth
    year: int
    credentials_open_at: datetime
    results_release_at: datetime


def _sitting(year: int, month: SeriesMonth) -> DemoSeries:
    """A June or November series with the board's usual key times: credentials open on the
    createSeries default, results out in mid-August or mid-January."""
    released = (
        datetime(year + 1, 1, 13, 6, tzinfo=UTC)
        if month is SeriesMonth.NOVEMBER
        else datetime(year, 8, 11, 6, tzinfo=UTC)
    )
    return DemoSeries(
        series_code(year, month), month, year, default_credentials_open_at(year, month), released
    )


def demo_series(now: datetime) -> dict[str, DemoSeries]:
    """The demo's three series as seen from `now`: "upcoming" is the first whose results come
    out after now, "released" the one before it and "past" the one before that, so that the
    demo tells the same story on any day."""
    sittings = [
        _sitting(year, month)
        for year in range(now.year - 3, now.year + 2)
        for month in (SeriesMonth.JUNE, SeriesMonth.NOVEMBER)
    ]
    upcoming = next(i for i, s in enumerate(sittings) if s.results_release_at > now)
    return {
        "past": sittings[upcoming - 2],
        "released": sittings[upcoming - 1],
        "upcoming": sittings[upcoming],
    }


_SYLLABUSES = (
    ("0500", "First Language English"),
    ("0580", "Mathematics"),
    ("0610", "Biology"),
    ("0620", "Chemistry"),
)

# (centre, number, first, last, username, uci, {series: [(syllabus, grade or None)]}), the series
# named by its place in demo_series. A grade is loaded only for the released series (and the past
# one); "-" marks a withdrawn entry.
_CANDIDATES: tuple[
    tuple[str, str, str, str, str, str | None, dict[str, list[tuple[str, str | None]]]], ...
] = (
    (
        "AA101",
        "0001",
        "Amara",
        "Okafor",
        "AA101_Cand001",
        "AA101260001A",
        {
            "past": [("0580", "B")],
            "released": [("0500", "A"), ("0580", "A*"), ("0610", "B")],
            "upcoming": [("0620", None)],
        },
    ),
    (
        "AA101",
        "0002",
        "José",
        "García",
        "josé.garcía",
        "AA101260002B",
        {"released": [("0500", "C"), ("0610", "-")], "upcoming": [("0580", None), ("0610", None)]},
    ),
    (
        "AA101",
        "0003",
        "Siti",
        "Rahman",
        "AA101_Cand003",
        None,
        {"released": [("0580", "B"), ("0620", "C")]},
    ),
    (
        "AA101",
        "0004",
        "Björn",
        "Åkesson",
        "björn.åkesson@aa101",
        None,
        {"upcoming": [("0500", None), ("0580", None)]},
    ),
    (
        "BB202",
        "0001",
        "Mei Ling",
        "Tan",
        "BB202_Cand001",
        "BB202260001C",
        {"past": [("0500", "A")], "released": [("0580", "A"), ("0610", "A*")]},
    ),
    (
        "BB202",
        "0002",
        "Arjun",
        "Nair",
        "BB202_Cand002",
        None,
        {"released": [("0500", "B"), ("0580", "C")], "upcoming": [("0620", None)]},
    ),
    ("BB202", "0007", "Zoë", "Lim", "zoë_lim", None, {"upcoming": [("0610", None)]}),
)


async def _seed_exams(created: dict[str, Organisation]) -> dict[str, Series]:
    """Series, syllabuses, candidates at AA101 and BB202, their entries, and results for the
    released series. Entry codes come from a fixed seed so the demo is the same every time."""
    series = {
        place: await Series.create(
            code=plan.code,
            month=plan.month,
            month_number=MONTH_NUMBERS[plan.month],
            year=plan.year,
            credentials_open_at=plan.credentials_open_at,
            results_release_at=plan.results_release_at,
        )
        for place, plan in demo_series(clock.now()).items()
    }
    syllabuses = {
        code: await Syllabus.create(code=code, title=title) for code, title in _SYLLABUSES
    }
    password_hash = hash_password(DEMO_CANDIDATE_PASSWORD)
    codes = random.Random(2026)
    for centre, number, first, last, username, uci, entered in _CANDIDATES:
        candidate = await Candidate.create(
            centre=created[centre],
            candidate_number=number,
            first_name=first,
            last_name=last,
            username=username,
            uci=uci,
            password_hash=password_hash,
        )
        for place, subjects in entered.items():
            for syllabus_code, grade in subjects:
                raw = "".join(codes.choice(ENTRY_CODE_ALPHABET) for _ in range(8))
                withdrawn = grade == "-"
                entry = await Entry.create(
                    candidate=candidate,
                    series=series[place],
                    syllabus=syllabuses[syllabus_code],
                    entry_code=f"{raw[:4]}-{raw[4:]}",
                    status=EntryStatus.WITHDRAWN if withdrawn else EntryStatus.ENTERED,
                    withdrawn_at=series[place].credentials_open_at if withdrawn else None,
                )
                if grade is not None and not withdrawn:
                    await Result.create(
                        entry=entry,
                        grade=grade,
                        loaded_at=series[place].results_release_at - timedelta(days=7),
                    )
    return series


# The candidate results website: AA101 gave ALL its candidates in the released series access.
# The usernames are fixed here and share one password, so that the demo (and graphql_examples/)
# can sign in.
DEMO_RESULTS_PASSWORD = "EXAMS26RSX"
_RESULTS_CENTRE = "AA101"
_RESULTS_CREDENTIALS = (
    ("0001", "aa101-0001-k7qm"),
    ("0002", "aa101-0002-w4hd"),
    ("0003", "aa101-0003-p9tc"),
)


@dataclass(frozen=True)
class DemoCandidateSignIn:
    username: str
    centre: str
    candidate_number: str


def demo_candidate_sign_ins() -> list[DemoCandidateSignIn]:
    return [
        DemoCandidateSignIn(username, _RESULTS_CENTRE, number)
        for number, username in _RESULTS_CREDENTIALS
    ]


async def demo_results_series() -> str | None:
    """The code of the series the demo candidates' results credentials are for: the one that was
    released on the day the demo was created."""
    from models.results_access import ResultsCredential

    username = _RESULTS_CREDENTIALS[0][1]
    credential = await ResultsCredential.get_or_none(username=username).prefetch_related("series")
    return credential.series.code if credential else None


async def _seed_results_access(created: dict[str, Organisation], released: Series) -> None:
    from models.results_access import AccessStatus, ResultsAccess, ResultsCredential
    from resolvers.core import credential_secrets

    now = clock.now()
    centre = created[_RESULTS_CENTRE]
    officer = await User.get(email="eo@aa101.example")
    await ResultsAccess.create(
        centre=centre,
        series=released,
        status=AccessStatus.ALL,
        agreed_at=now,
        agreed_by_id=officer.id,
        contact_name=f"{officer.first_name} {officer.last_name}",
        contact_phone="+6561234567",
        contact_email=officer.email,
        delay_hours=0,
        updated_at=now,
        updated_by_id=officer.id,
    )
    for number, username in _RESULTS_CREDENTIALS:
        candidate = await Candidate.get(centre=centre, candidate_number=number)
        await ResultsCredential.create(
            candidate=candidate,
            series=released,
            username=username,
            password_digest=credential_secrets.digest(DEMO_RESULTS_PASSWORD),
            password_sealed=credential_secrets.seal(DEMO_RESULTS_PASSWORD),
            created_at=now,
        )
