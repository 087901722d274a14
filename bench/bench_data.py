"""The comparison benchmarks' database: one centre with many candidates, their entries and results,
a page of staff, and results website credentials for every candidate (bench/compare.py,
bench/results_day.py).

Written with the project's models (bulk inserts, as bench/candidates_list.py does): through the
API, 10,000 candidates would take many minutes of password hashing. The servers read it only
through HTTP. Fixed names and passwords, so that a run can sign in with them:

- centre ZZ900 with N candidates numbered 0000 upwards, each entered for three syllabuses in
  2024-NOV (results released an hour before the seeding) and every other one also for three in
  2024-JUN, a result for every entry (10,000 candidates: 45,000 entries);
- ALL candidates given results access for both series; candidate n signs in to the results
  website as `zz900-<n>-nov` (and `-jun`) with `candidate_password(n)`;
- the exams officer eo@zz900.example (STAFF_PASSWORD) and STAFF other users with various roles.
"""

import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg

# The project root holds the packages; a script run by path only has bench/ on sys.path.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


from examdesk.app import resolver_config
from examdesk.database import close_database, open_database
from examdesk.settings import Settings
from models.exams import (
    MONTH_NUMBERS,
    Candidate,
    Entry,
    Result,
    Series,
    SeriesMonth,
    Syllabus,
)
from models.organisations import Organisation, OrganisationKind
from models.results_access import AccessStatus, ResultsAccess, ResultsCredential
from models.users import Membership, User, UserStatus
from resolvers.core import clock, credential_secrets
from resolvers.core.config import configure
from resolvers.exams.entry_rules import ENTRY_CODE_ALPHABET
from resolvers.identity.passwords import hash_password

CENTRE = "ZZ900"
OFFICER = "eo@zz900.example"
STAFF_PASSWORD = "Bench-Staff-Pass-2024"
MAX_CANDIDATES = 10_000  # four-digit candidate numbers
STAFF = 150
SYLLABUSES = (
    ("0500", "First Language English"),
    ("0580", "Mathematics"),
    ("0610", "Biology"),
    ("0620", "Chemistry"),
    ("0625", "Physics"),
    ("0470", "History"),
)
GRADES = ("A*", "A", "B", "C", "D", "E")
STAFF_ROLES = (["SFA_TEACHER"], ["INVIGILATOR"], ["SLT", "ACCESS_ARRANGEMENTS"], [])
_BATCH = 1000


@dataclass(frozen=True)
class Seeded:
    candidates: int
    entries: int
    seconds: float


def candidate_username(number: int, series: str = "nov") -> str:
    return f"{CENTRE.lower()}-{number:04d}-{series}"


def candidate_password(number: int) -> str:
    """A results password as the website generates them (10 letters and digits, no look-alikes),
    but one a run can work out again."""
    alphabet = credential_secrets.ALPHABET
    digits = []
    value = number * 7_919 + 1_000_003
    for _ in range(credential_secrets.PASSWORD_LENGTH):
        value, digit = divmod(value * 31 + 7, len(alphabet))
        digits.append(alphabet[digit])
    return "".join(digits)


def _entry_code(index: int) -> str:
    """A unique code of the entries' shape (XXXX-XXXX)."""
    alphabet = ENTRY_CODE_ALPHABET
    chars = []
    for _ in range(8):
        index, digit = divmod(index, len(alphabet))
        chars.append(alphabet[digit])
    return f"{''.join(chars[:4])}-{''.join(chars[4:])}"


async def _world(now: datetime) -> tuple[Organisation, list[Series], list[Syllabus]]:
    await Organisation.create(kind=OrganisationKind.BOARD, code="EXB", name="Bench Exam Board")
    centre = await Organisation.create(
        kind=OrganisationKind.CENTRE, code=CENTRE, name="Results Day Academy", country="Peru"
    )
    syllabuses = [await Syllabus.create(code=c, title=t) for c, t in SYLLABUSES]
    series = []
    # June's results came out long ago; November's an hour ago: results day.
    releases = (
        ("2024-JUN", SeriesMonth.JUNE, datetime(2024, 8, 13, 6, tzinfo=UTC)),
        ("2024-NOV", SeriesMonth.NOVEMBER, now - timedelta(hours=1)),
    )
    for code, month, released in releases:
        series.append(
            await Series.create(
                code=code,
                month=month,
                month_number=MONTH_NUMBERS[month],
                year=2024,
                credentials_open_at=datetime(2024, 3, 25, tzinfo=UTC),
                results_release_at=released,
            )
        )
    return centre, series, syllabuses


async def _staff(centre: Organisation, now: datetime) -> None:
    password_hash = hash_password(STAFF_PASSWORD)
    people = [(OFFICER, "Anakin", "Skywalker", ["EXAMS_OFFICER"])] + [
        (f"staff{i:04d}@zz900.example", f"Staff{i:04d}", "Bench", STAFF_ROLES[i % 4])
        for i in range(STAFF)
    ]
    await User.bulk_create(
        [
            User(
                email=email,
                first_name=first,
                last_name=last,
                password_hash=password_hash,
                status=UserStatus.ACTIVE,
                email_verified_at=now,
            )
            for email, first, last, _ in people
        ],
        batch_size=_BATCH,
    )
    ids = dict(await User.filter(email__endswith="@zz900.example").values_list("email", "id"))
    await Membership.bulk_create(
        [
            Membership(user_id=ids[email], organisation_id=centre.id, roles=roles)
            for email, _, _, roles in people
        ],
        batch_size=_BATCH,
    )


async def _candidates(centre: Organisation, count: int) -> list[int]:
    # Hashed once: the candidates' own test passwords play no part here.
    password_hash = hash_password("Bench2024pass")
    await Candidate.bulk_create(
        [
            Candidate(
                centre_id=centre.id,
                candidate_number=f"{n:04d}",
                uci=f"ZZ90024{n:04d}X",
                first_name=f"Pupil{n:04d}",
                last_name="Bench",
                username=f"bench.{n:04d}",
                password_hash=password_hash,
            )
            for n in range(count)
        ],
        batch_size=_BATCH,
    )
    rows = await Candidate.filter(centre_id=centre.id).order_by("candidate_number")
    return [c.id for c in rows]


async def _entries(
    candidate_ids: list[int], series: list[Series], syllabuses: list[Syllabus]
) -> int:
    june, november = series
    wanted = []
    for number, candidate_id in enumerate(candidate_ids):
        # Three syllabuses each, not all the same three.
        taken = [syllabuses[(number + k) % len(syllabuses)].id for k in range(6)]
        wanted += [(candidate_id, november.id, s) for s in taken[:3]]
        if number % 2 == 0:
            wanted += [(candidate_id, june.id, s) for s in taken[3:]]
    await Entry.bulk_create(
        [
            Entry(candidate_id=c, series_id=s, syllabus_id=y, entry_code=_entry_code(i))
            for i, (c, s, y) in enumerate(wanted)
        ],
        batch_size=_BATCH,
    )
    entry_ids = await Entry.filter(candidate_id__in=candidate_ids).values_list("id", flat=True)
    await Result.bulk_create(
        [
            Result(
                entry_id=entry_id,
                grade=GRADES[entry_id % len(GRADES)],
                mark=entry_id % 100,
                loaded_at=datetime(2024, 8, 6, tzinfo=UTC),
            )
            for entry_id in entry_ids
        ],
        batch_size=_BATCH,
    )
    return len(entry_ids)


async def _results_access(
    centre: Organisation, series: list[Series], candidate_ids: list[int], now: datetime
) -> None:
    officer = await User.get(email=OFFICER)
    for one in series:
        await ResultsAccess.create(
            centre_id=centre.id,
            series_id=one.id,
            status=AccessStatus.ALL,
            agreed_at=now,
            agreed_by_id=officer.id,
            contact_name="Exams Office",
            contact_email="exams@zz900.example",
            updated_at=now,
            updated_by_id=officer.id,
        )
    june, november = series
    credentials = []
    for number, candidate_id in enumerate(candidate_ids):
        password = candidate_password(number)
        for code, one in (("nov", november), ("jun", june)):
            if code == "jun" and number % 2:
                continue
            credentials.append(
                ResultsCredential(
                    candidate_id=candidate_id,
                    series_id=one.id,
                    username=candidate_username(number, code),
                    password_digest=credential_secrets.digest(password),
                    password_sealed=credential_secrets.seal(password),
                    created_at=now,
                )
            )
    await ResultsCredential.bulk_create(credentials, batch_size=_BATCH)


async def wipe_postgres(database_url: str) -> None:
    """Empty a PostgreSQL database (every table of the public schema) before seeding it."""
    connection = await asyncpg.connect(database_url)
    try:
        await connection.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    finally:
        await connection.close()


async def seed(settings: Settings, candidates: int) -> Seeded:
    """Create the schema and the data on an empty database."""
    if not 1 <= candidates <= MAX_CANDIDATES:
        raise SystemExit(f"--candidates must be 1 to {MAX_CANDIDATES:,} (four-digit numbers)")
    configure(resolver_config(settings))
    if settings.database_url.startswith("postgres"):
        await wipe_postgres(settings.database_url)
    started = datetime.now(UTC)
    await open_database(settings.database_url)
    try:
        now = clock.now()
        centre, series, syllabuses = await _world(now)
        await _staff(centre, now)
        candidate_ids = await _candidates(centre, candidates)
        entries = await _entries(candidate_ids, series, syllabuses)
        await _results_access(centre, series, candidate_ids, now)
    finally:
        await close_database()
    return Seeded(candidates, entries, (datetime.now(UTC) - started).total_seconds())
