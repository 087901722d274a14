"""Accounts and places are opened in one module (resolvers/people/accounts.py), with one set of
rules and one wording for a refused role, and the people and network packages do not lean on
each other both ways."""

import ast
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from starlette.applications import Starlette

from models.organisations import Organisation, OrganisationKind
from models.users import Membership, User, UserStatus
from policies import Actor, RequestMeta
from resolvers.core.errors import DomainError
from resolvers.core.rights import holder
from resolvers.people import accounts, role_grants

GRANTOR = role_grants.Grantor(1, "admin@exb.example", datetime(2026, 11, 1, 9, 0, tzinfo=UTC))
GRANTED = {"byId": 1, "byEmail": "admin@exb.example", "at": "2026-11-01T09:00:00+00:00"}

ROOT = Path(__file__).resolve().parents[2]
ACCOUNTS = ROOT / "resolvers" / "people" / "accounts.py"
ROWS = {"User", "Membership"}
WRITES = {"create", "bulk_create", "get_or_create", "update_or_create"}


def account_writes(path: Path) -> list[str]:
    """Where the module creates a User or Membership row: `User.create(...)` and its kin, or a
    new `User(...)` to be saved or bulk-created."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id in ROWS:
            found.append(f"{func.id}(...) at line {node.lineno}")
        elif (
            isinstance(func, ast.Attribute)
            and func.attr in WRITES
            and isinstance(func.value, ast.Name)
            and func.value.id in ROWS
        ):
            found.append(f"{func.value.id}.{func.attr}(...) at line {node.lineno}")
    return found


def test_only_the_accounts_module_creates_users_or_memberships() -> None:
    # examdesk/ (the demo data and the CLI's first board admin) is the app shell, not a use case.
    offenders = [
        f"{path.relative_to(ROOT)}: {write}"
        for path in sorted((ROOT / "resolvers").rglob("*.py"))
        if path != ACCOUNTS
        for write in account_writes(path)
    ]
    assert not offenders, "Open accounts with resolvers/people/accounts.py:\n" + "\n".join(
        offenders
    )
    assert account_writes(ACCOUNTS), "the accounts module no longer writes: is the check stale?"


def test_the_check_sees_every_way_of_creating_a_row(tmp_path: Path) -> None:
    module = tmp_path / "module.py"
    module.write_text(
        "async def f(rows):\n"
        "    await User.create(email='a')\n"
        "    await Membership.bulk_create(rows)\n"
        "    await Membership.get_or_create(user_id=1)\n"
        "    User(email='b')\n"
        "    await User.filter(id=1).update(pin=None)\n"
    )
    assert len(account_writes(module)) == 4


def package_imports(package: str) -> set[str]:
    """The other resolvers packages that modules of `package` import."""
    found: set[str] = set()
    for path in (ROOT / "resolvers" / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            found.update(
                name.split(".")[1]
                for name in names
                if name.startswith("resolvers.") and name.split(".")[1] != package
            )
    return found


def test_people_does_not_import_network() -> None:
    """network/ manages centres and their users through people/; people/ finds organisations
    through resolvers/core/organisation_access.py, so the edge goes one way only."""
    assert "people" in package_imports("network")
    assert "network" not in package_imports("people")


# --- the rules --------------------------------------------------------------------------------


def grant_nothing(role: str) -> bool:
    return False


def grant_everything(role: str) -> bool:
    return True


@pytest.mark.parametrize(
    ("role", "kind", "may_grant", "reason"),
    [
        ("SLT", OrganisationKind.CENTRE, grant_everything, None),
        ("SLT", OrganisationKind.CENTRE, grant_nothing, "You cannot grant the role SLT here."),
        (
            "WIZARD",
            OrganisationKind.CENTRE,
            grant_nothing,
            "The role WIZARD does not exist at a centre.",
        ),
        (
            "WIZARD",
            OrganisationKind.CENTRE,
            grant_everything,
            "The role WIZARD does not exist at a centre; use one or more of "
            "ACCESS_ARRANGEMENTS, INVIGILATOR, SFA_EXAMS_OFFICER, SFA_TEACHER, SLT, "
            "USER_MANAGEMENT.",
        ),
        (
            "BOARD_ADMIN",
            OrganisationKind.CENTRE,
            grant_everything,
            "The role BOARD_ADMIN does not exist at a centre; use one or more of "
            "ACCESS_ARRANGEMENTS, INVIGILATOR, SFA_EXAMS_OFFICER, SFA_TEACHER, SLT, "
            "USER_MANAGEMENT.",
        ),
        (
            "GLOBAL_LISTENING",
            OrganisationKind.CENTRE,
            grant_everything,
            "Global Listening cannot be given to anyone: only the exams officer can access it.",
        ),
        (
            "EXAMS_OFFICER",
            OrganisationKind.CENTRE,
            grant_everything,
            "The exams officer is designated by the exam board.",
        ),
    ],
)
def test_a_refused_role_reads_the_same_everywhere(
    role: str, kind: OrganisationKind, may_grant: object, reason: str | None
) -> None:
    assert accounts.role_refusal(role, kind, may_grant) == reason  # type: ignore[arg-type]


def test_a_person_is_checked_all_at_once() -> None:
    values, errors = accounts.check_person("  Ada  ", "", "not an email")
    assert values == {"first_name": "Ada"}
    assert [(e.code, e.field) for e in errors] == [
        ("NAME_REQUIRED", ("input", "lastName")),
        ("EMAIL_INVALID", ("input", "email")),
    ]
    # None means "not given": not checked, not in the result.
    assert accounts.check_person(None, None, " Ada@Example.org ") == (
        {"email": "ada@example.org"},
        [],
    )


def test_a_pin_is_six_digits() -> None:
    pins = {accounts.new_pin() for _ in range(50)}
    assert all(len(pin) == 6 and pin.isdigit() for pin in pins)


# --- against the database ---------------------------------------------------------------------


async def manager_at_aa101() -> tuple[Actor, Organisation]:
    user = await User.get(email="users@aa101.example")
    actor = await holder(user.id, RequestMeta(request_id="test-accounts"))
    assert actor is not None
    return actor, await Organisation.get(code="AA101")


async def test_a_newcomer_with_every_problem_is_refused_once(demo: Starlette) -> None:
    actor, centre = await manager_at_aa101()
    with pytest.raises(DomainError) as refused:
        await accounts.check_newcomer(
            actor,
            centre,
            first_name="",
            last_name="Lovelace",
            email="TEACHER@aa101.example",
            roles=["SLT", "EXAMS_OFFICER"],
            roles_required=True,
            password="short",
        )
    assert [(e.code, e.field) for e in refused.value.errors] == [
        ("NAME_REQUIRED", ("input", "firstName")),
        ("ROLE_NOT_GRANTABLE", ("input", "roles", "1")),
        ("PASSWORD_TOO_WEAK", ("input", "password")),
        ("EMAIL_IN_USE", ("input", "email")),
    ]
    # Without email_taken an existing account may be given the place (inviteUser).
    values = await accounts.check_newcomer(
        actor,
        centre,
        first_name="Ada",
        last_name="Lovelace",
        email="TEACHER@aa101.example",
        roles=["SLT"],
        roles_required=True,
        email_taken=None,
    )
    assert values == {
        "first_name": "Ada",
        "last_name": "Lovelace",
        "email": "teacher@aa101.example",
    }


async def test_accounts_start_as_their_path_says(demo: Starlette) -> None:
    centre = await Organisation.get(code="AA101")
    registered = await accounts.register(
        {"email": "r@aa101.example", "first_name": "R", "last_name": "S"}, pin="123456"
    )
    assert (registered.status, registered.pin, registered.password_hash) == (
        UserStatus.PENDING_ACTIVATION,
        "123456",
        None,
    )
    opened = await accounts.open_with_password(
        {"email": "o@aa101.example", "first_name": "O", "last_name": "P"}, "hash"
    )
    assert (opened.status, opened.must_change_password) == (UserStatus.ACTIVE, True)
    membership = await accounts.place(opened, centre, ["SLT", "INVIGILATOR", "SLT"], by=GRANTOR)
    assert membership.roles == ["INVIGILATOR", "SLT"]
    assert membership.role_grants == {"INVIGILATOR": GRANTED, "SLT": GRANTED}


async def test_accounts_in_bulk_come_back_with_their_ids(demo: Starlette) -> None:
    centre = await Organisation.get(code="AA101")
    people = [
        {"email": f"bulk{n}@aa101.example", "first_name": "Bulk", "last_name": str(n)}
        for n in range(3)
    ]
    ids = await accounts.register_many(people, {p["email"]: "000000" for p in people})
    assert set(ids) == {p["email"] for p in people}
    first, *others = ids.values()
    earlier = {"SLT": {"byId": None, "byEmail": "before@exb.example", "at": "2020-01-01T00:00"}}
    await accounts.place_many(
        ((user_id, centre.id, ["SLT"]) for user_id in ids.values()),
        by=GRANTOR,
        kept={(first, centre.id): earlier},
    )
    places = await Membership.filter(user_id__in=list(ids.values()))
    assert sorted((m.organisation_id, m.roles) for m in places) == [(centre.id, ["SLT"])] * 3
    # A place given back keeps the grants it had; the others are granted now.
    assert {m.user_id: m.role_grants for m in places} == {
        first: earlier,
        **{user_id: {"SLT": GRANTED} for user_id in others},
    }
    assert {u.status for u in await User.filter(id__in=list(ids.values()))} == {
        UserStatus.PENDING_ACTIVATION
    }


async def test_adding_roles_keeps_those_held(demo: Starlette) -> None:
    centre = await Organisation.get(code="AA101")
    teacher = await User.get(email="teacher@aa101.example")
    held = (await Membership.get(user_id=teacher.id, organisation_id=centre.id)).roles
    membership, before = await accounts.add_roles(teacher, centre, ["SLT"], by=GRANTOR)
    assert before == sorted(held)
    assert membership.roles == sorted({*held, "SLT"})
    assert membership.role_grants["SLT"] == GRANTED
    elsewhere = await Organisation.get(code="BB202")
    membership, before = await accounts.add_roles(teacher, elsewhere, ["INVIGILATOR"], by=GRANTOR)
    assert (before, membership.roles) == ([], ["INVIGILATOR"])
    assert membership.role_grants == {"INVIGILATOR": GRANTED}
    # Roles held keep their grant; one given later is recorded with its own granter.
    later = role_grants.Grantor(7, "later@exb.example", GRANTOR.at + timedelta(days=1))
    membership, _ = await accounts.add_roles(teacher, elsewhere, ["SLT"], by=later)
    assert membership.role_grants == {"INVIGILATOR": GRANTED, "SLT": later.record()}


def test_a_role_taken_away_loses_its_grant() -> None:
    grants = {"SLT": GRANTED, "INVIGILATOR": GRANTED}
    held = ["INVIGILATOR", "SLT", "SFA_TEACHER"]
    assert role_grants.regranted(grants, held, ["SLT"], None) == {"SLT": GRANTED}
    # A role held with no record (granted before grants were recorded) is not given one.
    assert role_grants.regranted(grants, held, ["SLT", "SFA_TEACHER"], GRANTOR) == {"SLT": GRANTED}
    assert role_grants.regranted(grants, ["SLT"], ["SLT", "SFA_TEACHER"], GRANTOR) == {
        "SLT": GRANTED,
        "SFA_TEACHER": GRANTED,
    }
