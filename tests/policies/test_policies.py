"""Truth tables for the permission rules: straight on the Casbin enforcer (model.conf and
policy.csv), then through the Authorizer with hand-built actors, placements and targets."""

import itertools

import pytest

from models.sessions import SessionStage
from policies import (
    Actor,
    Authorizer,
    Forbidden,
    NotSignedIn,
    RequestMeta,
    Role,
    Service,
    Target,
)
from policies.authorizer import MEMBER
from policies.enforcer import get_enforcer
from tests.policies.helpers import (
    AA101,
    AS100,
    AS101,
    BB202,
    BOARD,
    TARGETS,
    actor,
    deleted,
    placement,
)

RELATIONS = ("self", "parent", "board")
SUBJECTS = (MEMBER, *Role)

# The foundation's objects and actions: organisations, users, role grants and services.
ORG_READ = ("organisation", "read")
ORG_LIST = ("organisations", "list")
DESIGNATE = ("exams_officer", "designate")
REGISTER = ("users", "register")
USERS_READ = ("users", "read")
USERS_MANAGE = ("users", "manage")


def grant(role: Role) -> tuple[str, str]:
    return (f"role:{role}", "grant")


def open_(service: Service) -> tuple[str, str]:
    return (f"service:{service}", "open")


OPERATIONS = (
    ORG_READ,
    ORG_LIST,
    DESIGNATE,
    REGISTER,
    USERS_READ,
    USERS_MANAGE,
    *(grant(role) for role in Role),
    *(open_(service) for service in Service),
)

# The six roles a user manager may hand out: never EXAMS_OFFICER (the board designates one)
# nor GLOBAL_LISTENING (the exams officer's alone), and BOARD_ADMIN only at the board.
CENTRE_GRANTS = frozenset(
    grant(role)
    for role in (
        Role.USER_MANAGEMENT,
        Role.SFA_EXAMS_OFFICER,
        Role.SFA_TEACHER,
        Role.ACCESS_ARRANGEMENTS,
        Role.SLT,
        Role.INVIGILATOR,
    )
)
USER_MANAGER = frozenset({USERS_READ, USERS_MANAGE, open_(Service.USER_MANAGEMENT)}) | CENTRE_GRANTS
CENTRE_OFFICER = USER_MANAGER | {
    open_(Service.SUBMIT_FOR_ASSESSMENT),
    open_(Service.ACCESS_ARRANGEMENTS),
}
NOTHING: frozenset[tuple[str, str]] = frozenset()

# The truth table: (subject, relation) -> every operation allowed; all others are denied.
ALLOWED: dict[tuple[str, str], frozenset[tuple[str, str]]] = {
    (MEMBER, "self"): frozenset({ORG_READ}),
    (MEMBER, "parent"): frozenset({ORG_READ}),
    (MEMBER, "board"): NOTHING,
    (Role.BOARD_ADMIN, "self"): NOTHING,
    (Role.BOARD_ADMIN, "parent"): NOTHING,
    (Role.BOARD_ADMIN, "board"): frozenset(
        {ORG_READ, ORG_LIST, DESIGNATE, REGISTER, USERS_READ, USERS_MANAGE, grant(Role.BOARD_ADMIN)}
        | CENTRE_GRANTS
    ),
    # Only at their own organisation does the exams officer open Global Listening.
    (Role.EXAMS_OFFICER, "self"): CENTRE_OFFICER | {open_(Service.GLOBAL_LISTENING)},
    (Role.EXAMS_OFFICER, "parent"): CENTRE_OFFICER,
    (Role.EXAMS_OFFICER, "board"): NOTHING,
    (Role.USER_MANAGEMENT, "self"): USER_MANAGER,
    (Role.USER_MANAGEMENT, "parent"): USER_MANAGER,
    (Role.USER_MANAGEMENT, "board"): NOTHING,
    (Role.SFA_EXAMS_OFFICER, "self"): frozenset({open_(Service.SUBMIT_FOR_ASSESSMENT)}),
    (Role.SFA_EXAMS_OFFICER, "parent"): frozenset({open_(Service.SUBMIT_FOR_ASSESSMENT)}),
    (Role.SFA_EXAMS_OFFICER, "board"): NOTHING,
    (Role.SFA_TEACHER, "self"): frozenset({open_(Service.SUBMIT_FOR_ASSESSMENT)}),
    (Role.SFA_TEACHER, "parent"): frozenset({open_(Service.SUBMIT_FOR_ASSESSMENT)}),
    (Role.SFA_TEACHER, "board"): NOTHING,
    (Role.ACCESS_ARRANGEMENTS, "self"): frozenset({open_(Service.ACCESS_ARRANGEMENTS)}),
    (Role.ACCESS_ARRANGEMENTS, "parent"): frozenset({open_(Service.ACCESS_ARRANGEMENTS)}),
    (Role.ACCESS_ARRANGEMENTS, "board"): NOTHING,
    # The role the exams officer opens Global Listening through; the Authorizer never lets a
    # directly held GLOBAL_LISTENING count (see test_a_direct_global_listening_grant_opens_nothing).
    (Role.GLOBAL_LISTENING, "self"): frozenset({open_(Service.GLOBAL_LISTENING)}),
    (Role.GLOBAL_LISTENING, "parent"): NOTHING,
    (Role.GLOBAL_LISTENING, "board"): NOTHING,
    (Role.SLT, "self"): NOTHING,
    (Role.SLT, "parent"): NOTHING,
    (Role.SLT, "board"): NOTHING,
    (Role.INVIGILATOR, "self"): NOTHING,
    (Role.INVIGILATOR, "parent"): NOTHING,
    (Role.INVIGILATOR, "board"): NOTHING,
}


def test_the_table_covers_every_subject_and_relation() -> None:
    assert set(ALLOWED) == set(itertools.product(SUBJECTS, RELATIONS))


@pytest.mark.parametrize(("subject", "relation"), list(ALLOWED))
def test_enforcer_truth_table(subject: str, relation: str) -> None:
    enforcer = get_enforcer()
    wrong = [
        (obj, act, "allowed" if allowed else "denied")
        for obj, act in OPERATIONS
        if (allowed := enforcer.enforce(str(subject), relation, obj, act))
        != ((obj, act) in ALLOWED[(subject, relation)])
    ]
    assert wrong == [], f"{subject} with relation {relation}"


def _every_subject() -> set[str]:
    """Every name the policy knows as a subject or role, and the ones we pass in."""
    enforcer = get_enforcer()
    names = {str(s) for s in SUBJECTS}
    names.update(enforcer.get_all_subjects())
    for rule in enforcer.get_named_grouping_policy("g"):
        names.update(rule)
    return names


def test_only_the_exams_officer_opens_global_listening_and_only_at_home() -> None:
    enforcer = get_enforcer()
    openers = {
        (subject, relation)
        for subject in _every_subject()
        for relation in (*RELATIONS, "org", "own")
        if enforcer.enforce(subject, relation, f"service:{Service.GLOBAL_LISTENING}", "open")
    }
    # "own" is the policy's scope name, not a relation the Authorizer ever sends.
    assert {(s, r) for s, r in openers if r != "own"} == {
        (Role.EXAMS_OFFICER, "self"),
        (Role.GLOBAL_LISTENING, "self"),
    }
    # The exams officer reaches it through inheriting GLOBAL_LISTENING, nothing else does.
    assert enforcer.get_users_for_role(Role.GLOBAL_LISTENING) == [Role.EXAMS_OFFICER]
    assert enforcer.get_users_for_role(Role.EXAMS_OFFICER) == []


@pytest.mark.parametrize("role", [Role.GLOBAL_LISTENING, Role.EXAMS_OFFICER])
def test_nobody_may_grant_the_exams_officers_roles(role: Role) -> None:
    enforcer = get_enforcer()
    granters = [
        (subject, relation)
        for subject in _every_subject()
        for relation in (*RELATIONS, "org", "own")
        if enforcer.enforce(subject, relation, f"role:{role}", "grant")
    ]
    assert granters == []


def test_a_board_admin_opens_no_global_listening_anywhere() -> None:
    enforcer = get_enforcer()
    for relation in (*RELATIONS, "org", "own"):
        assert not enforcer.enforce(
            Role.BOARD_ADMIN, relation, f"service:{Service.GLOBAL_LISTENING}", "open"
        )


# --- The Authorizer: placements and targets -> relations -> Casbin ---------------------------


def allows(who: Actor, operation: tuple[str, str], target: Target | None) -> bool:
    return Authorizer(who).allows(*operation, target)


GL = open_(Service.GLOBAL_LISTENING)


@pytest.mark.parametrize(
    ("who", "target", "expected"),
    [
        pytest.param(actor(placement(AA101, Role.EXAMS_OFFICER)), "AA101", True, id="eo-home"),
        pytest.param(actor(placement(AA101, Role.EXAMS_OFFICER)), "BB202", False, id="eo-other"),
        pytest.param(actor(placement(AS100, Role.EXAMS_OFFICER)), "AS100", True, id="assoc-eo"),
        pytest.param(
            actor(placement(AS100, Role.EXAMS_OFFICER)),
            "AS101",
            False,
            id="assoc-eo-at-associate-centre",
        ),
        pytest.param(actor(placement(BOARD, Role.BOARD_ADMIN)), "AA101", False, id="board-admin"),
        pytest.param(
            actor(placement(BOARD, Role.BOARD_ADMIN)), "EXB", False, id="board-admin-at-board"
        ),
        pytest.param(
            actor(
                placement(
                    AA101,
                    *(r for r in Role if r not in (Role.EXAMS_OFFICER, Role.GLOBAL_LISTENING)),
                )
            ),
            "AA101",
            False,
            id="every-other-role",
        ),
        pytest.param(
            actor(placement(AA101, Role.EXAMS_OFFICER, deleted=True)),
            "AA101",
            False,
            id="eo-of-deleted-centre",
        ),
        pytest.param(
            actor(placement(AA101, Role.EXAMS_OFFICER), stage=SessionStage.VERIFICATION_REQUIRED),
            "AA101",
            False,
            id="eo-not-fully-signed-in",
        ),
    ],
)
def test_global_listening_is_the_exams_officers_alone(
    who: Actor, target: str, expected: bool
) -> None:
    assert allows(who, GL, TARGETS[target]) is expected


def test_a_direct_global_listening_grant_opens_nothing() -> None:
    # Global Listening cannot be granted; a grant that got into the database some other way
    # (an import, a hand edit) must not open the confidential materials.
    stray = actor(placement(AA101, Role.GLOBAL_LISTENING))
    assert not allows(stray, GL, TARGETS["AA101"])
    # It still counts as membership: they may see their organisation.
    assert allows(stray, ORG_READ, TARGETS["AA101"])


@pytest.mark.parametrize("role", [Role.GLOBAL_LISTENING, Role.EXAMS_OFFICER])
@pytest.mark.parametrize(
    "who",
    [
        actor(placement(BOARD, Role.BOARD_ADMIN)),
        actor(placement(AA101, *Role)),
        actor(placement(AS100, *Role)),
    ],
    ids=["board-admin", "centre-with-every-role", "associate-with-every-role"],
)
def test_nobody_may_grant_global_listening_or_exams_officer(who: Actor, role: Role) -> None:
    for target in TARGETS.values():
        assert not allows(who, grant(role), target)


def test_a_board_admin_reaches_every_organisation_but_not_global_listening() -> None:
    admin = actor(placement(BOARD, Role.BOARD_ADMIN))
    assert allows(admin, ORG_LIST, None)
    for target in TARGETS.values():
        for operation in (ORG_READ, USERS_MANAGE, DESIGNATE, REGISTER, grant(Role.SLT)):
            assert allows(admin, operation, target)
            # Soft-deleted organisations stay within the board's reach (to undo the delete).
            assert allows(admin, operation, deleted(target))
        assert not allows(admin, GL, target)
        assert not allows(admin, GL, deleted(target))


def test_a_soft_deleted_placement_grants_nothing() -> None:
    for who in (
        actor(placement(AA101, *Role, deleted=True)),
        actor(placement(AS100, *Role, deleted=True)),
        actor(placement(BOARD, Role.BOARD_ADMIN, deleted=True)),
    ):
        assert not allows(who, ORG_LIST, None)
        for target, operation in itertools.product(TARGETS.values(), OPERATIONS):
            assert not allows(who, operation, target), (who.placements, target, operation)


def test_a_soft_deleted_placement_leaves_the_others_working() -> None:
    who = actor(
        placement(AA101, Role.USER_MANAGEMENT, deleted=True), placement(BB202, Role.USER_MANAGEMENT)
    )
    assert not allows(who, USERS_MANAGE, TARGETS["AA101"])
    assert allows(who, USERS_MANAGE, TARGETS["BB202"])


@pytest.mark.parametrize(
    ("who", "relation"),
    [
        (actor(placement(AS101, *Role)), "self"),
        (actor(placement(AS100, *Role)), "parent"),
        (actor(placement(BOARD, Role.BOARD_ADMIN)), "board"),
    ],
    ids=["self", "parent", "board"],
)
def test_a_soft_deleted_target_admits_only_the_board(who: Actor, relation: str) -> None:
    target = deleted(TARGETS["AS101"])
    allowed = {operation for operation in OPERATIONS if allows(who, operation, target)}
    assert allowed == (ALLOWED[(Role.BOARD_ADMIN, "board")] if relation == "board" else set())


def _allowed_at(who: Actor, target: Target) -> set[tuple[str, str]]:
    return {operation for operation in OPERATIONS if allows(who, operation, target)}


@pytest.mark.parametrize("role", [r for r in Role if r is not Role.BOARD_ADMIN])
def test_an_associates_grants_reach_its_associate_centres_only(role: Role) -> None:
    who = actor(placement(AS100, role))
    expected_parent = set().union(*(ALLOWED[(s, "parent")] for s in (MEMBER, role)))
    assert _allowed_at(who, TARGETS["AS101"]) == expected_parent
    assert _allowed_at(who, TARGETS["AS102"]) == expected_parent
    for other in ("AA101", "BB202", "EXB"):
        assert _allowed_at(who, TARGETS[other]) == set(), other


def test_an_associate_centres_grants_reach_neither_its_associate_nor_its_siblings() -> None:
    who = actor(placement(AS101, *Role))
    for other in ("AS100", "AS102", "AA101"):
        assert _allowed_at(who, TARGETS[other]) == set(), other


@pytest.mark.parametrize("role", [r for r in Role if r is not Role.BOARD_ADMIN])
def test_a_centres_grants_stay_at_that_centre(role: Role) -> None:
    who = actor(placement(AA101, role))
    own = set().union(*(ALLOWED[(s, "self")] for s in (MEMBER, role)))
    # A direct GLOBAL_LISTENING grant is ignored (test_a_direct_global_listening_grant...).
    if role is Role.GLOBAL_LISTENING:
        own.discard(GL)
    assert _allowed_at(who, TARGETS["AA101"]) == own
    for other in ("AS100", "AS101", "BB202", "EXB"):
        assert _allowed_at(who, TARGETS[other]) == set(), other


@pytest.mark.parametrize("stage", [s for s in SessionStage if s is not SessionStage.FULL] + [None])
def test_sessions_short_of_full_get_nothing(stage: SessionStage | None) -> None:
    who = actor(placement(BOARD, Role.BOARD_ADMIN), placement(AA101, *Role), stage=stage)
    assert not allows(who, ORG_LIST, None)
    for target, operation in itertools.product(TARGETS.values(), OPERATIONS):
        assert not allows(who, operation, target)
    with pytest.raises(Forbidden):
        Authorizer(who).require(*ORG_READ, TARGETS["AA101"])


def test_anonymous_callers_must_sign_in() -> None:
    anonymous = Actor(request=RequestMeta(request_id="test"))
    with pytest.raises(NotSignedIn):
        Authorizer(anonymous).require(*ORG_READ, TARGETS["AA101"])
    assert not allows(anonymous, ORG_READ, TARGETS["AA101"])


def test_decisions_are_cached_per_target() -> None:
    # The cache must tell a live organisation from the same one soft-deleted.
    who = actor(placement(AA101, Role.USER_MANAGEMENT))
    assert allows(who, USERS_MANAGE, TARGETS["AA101"])
    assert not allows(who, USERS_MANAGE, deleted(TARGETS["AA101"]))
    assert allows(who, USERS_MANAGE, TARGETS["AA101"])
