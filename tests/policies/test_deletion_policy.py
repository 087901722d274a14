"""Truth table for policies/deletion.py: whose account a caller may delete for good.

Only where the caller may delete accounts at all (user managers, the exams officer inheriting
it), never their own, never the exams officer's, never an account that belongs elsewhere too,
and never someone holding a role the caller could not grant. Straight on the policy with
hand-built actors, holdings and targets.
"""

import pytest

from policies import DeletionRefusal, Holding, Role, deletion_refusal
from tests.policies.helpers import AA101, AS101, BOARD, TARGETS, actor, deleted, placement

ACTORS = {
    "board": actor(placement(BOARD, Role.BOARD_ADMIN)),
    "eo": actor(placement(AA101, Role.EXAMS_OFFICER)),
    "users": actor(placement(AA101, Role.USER_MANAGEMENT)),
    "teacher": actor(placement(AA101, Role.SFA_TEACHER)),
    "as_users": actor(placement(TARGETS["AS100"].id, Role.USER_MANAGEMENT)),
    "gone_users": actor(placement(AA101, Role.USER_MANAGEMENT, deleted=True)),
}
PERSON = 99  # not the actors' user id (helpers.actor: 7)


def holding(code: str, *roles: str, gone: bool = False) -> Holding:
    target = deleted(TARGETS[code]) if gone else TARGETS[code]
    return Holding(target, code, frozenset(roles))


# person, acting at -> each actor's refusal (None: may delete); actors not named: NOT_PERMITTED.
R = DeletionRefusal
CASES = {
    "slt_here": ([holding("AA101", Role.SLT)], AA101, {"eo": None, "users": None}),
    "no_roles_here": ([holding("AA101")], AA101, {"eo": None, "users": None}),
    "another_user_manager": (
        [holding("AA101", Role.USER_MANAGEMENT)],
        AA101,
        {"eo": None, "users": None},
    ),
    "exams_officer": (
        [holding("AA101", Role.EXAMS_OFFICER)],
        AA101,
        {"eo": R.EXAMS_OFFICER, "users": R.EXAMS_OFFICER},
    ),
    "stray_global_listening": (
        [holding("AA101", Role.GLOBAL_LISTENING, Role.SLT)],
        AA101,
        {"eo": R.ROLE_OUT_OF_REACH, "users": R.ROLE_OUT_OF_REACH},
    ),
    "also_at_another_centre": (
        [holding("AA101", Role.SLT), holding("BB202", Role.SLT)],
        AA101,
        {"eo": R.SHARED, "users": R.SHARED},
    ),
    "also_placed_elsewhere_without_roles": (
        [holding("AA101", Role.SLT), holding("BB202")],
        AA101,
        {"eo": R.SHARED, "users": R.SHARED},
    ),
    "also_at_a_deleted_centre": (
        [holding("AA101", Role.SLT), holding("BB202", Role.SLT, gone=True)],
        AA101,
        {"eo": R.SHARED, "users": R.SHARED},
    ),
    "also_board_admin": (
        [holding("AA101", Role.SLT), holding("EXB", Role.BOARD_ADMIN)],
        AA101,
        {"eo": R.SHARED, "users": R.SHARED},
    ),
    "associate_centre_staff": ([holding("AS101", Role.SLT)], AS101, {"as_users": None}),
    "associate_centre_officer": (
        [holding("AS101", Role.EXAMS_OFFICER)],
        AS101,
        {"as_users": R.EXAMS_OFFICER},
    ),
    "not_a_member_here": ([holding("BB202", Role.SLT)], AA101, {}),
}


@pytest.mark.parametrize("who", list(ACTORS))
@pytest.mark.parametrize("case", list(CASES))
def test_truth_table(case: str, who: str) -> None:
    holdings, acting_at, expected = CASES[case]
    refusal = deletion_refusal(ACTORS[who], PERSON, holdings, acting_at=acting_at)
    want = expected.get(who, R.NOT_PERMITTED)
    assert (refusal.reason if refusal else None) == want, refusal


@pytest.mark.parametrize("who", ["eo", "users"])
def test_never_ones_own_account(who: str) -> None:
    me = ACTORS[who].user_id
    assert me is not None
    refusal = deletion_refusal(ACTORS[who], me, [holding("AA101", Role.SLT)], acting_at=AA101)
    assert refusal is not None
    assert refusal.reason is DeletionRefusal.SELF


def test_the_refusals_name_neither_another_organisation_nor_more_than_needed() -> None:
    shared = deletion_refusal(
        ACTORS["users"],
        PERSON,
        [holding("AA101", Role.SLT), holding("BB202", Role.SLT)],
        acting_at=AA101,
    )
    assert shared is not None
    assert "BB202" not in shared.message
    out = deletion_refusal(
        ACTORS["users"], PERSON, [holding("AA101", Role.GLOBAL_LISTENING)], acting_at=AA101
    )
    assert out is not None
    assert "GLOBAL_LISTENING" in out.message
