"""Demo data: a board with an admin, an associate with two associate centres, three centres,
and at each centre an exams officer and staff holding the different roles."""

from dataclasses import dataclass

from tortoise.transactions import in_transaction

from models.organisations import Organisation, OrganisationKind
from models.users import Membership, User, UserStatus
from policies import Role
from resolvers import clock
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
    return True
