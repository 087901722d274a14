"""Truth table for policies/credentials.py: who may set whose password or email address.

The caller must be able to give the person every role they hold, at every organisation they
belong to; the exams officer's role (and the Global Listening that comes with it) is the board's
to designate. Straight on the policy with hand-built actors, holdings and targets.
"""

import pytest

from policies import Forbidden, Holding, Role, require_may_set_credentials
from policies.credentials import credentials_refusal
from tests.policies.helpers import AA101, AS101, BOARD, TARGETS, actor, deleted, placement

ACTORS = {
    "board": actor(placement(BOARD, Role.BOARD_ADMIN)),
    "eo": actor(placement(AA101, Role.EXAMS_OFFICER)),
    "users": actor(placement(AA101, Role.USER_MANAGEMENT)),
    "teacher": actor(placement(AA101, Role.SFA_TEACHER)),
    "as_users": actor(placement(TARGETS["AS100"].id, Role.USER_MANAGEMENT)),
}


def holding(code: str, *roles: str, gone: bool = False) -> Holding:
    target = deleted(TARGETS[code]) if gone else TARGETS[code]
    return Holding(target, code, frozenset(roles))


# (person, acting at) -> the actors who may set their credentials; everyone else is refused.
CASES = {
    "slt_here": ([holding("AA101", Role.SLT)], AA101, {"board", "eo", "users"}),
    "no_roles_here": ([holding("AA101")], AA101, {"board", "eo", "users"}),
    "exams_officer": ([holding("AA101", Role.EXAMS_OFFICER)], AA101, {"board"}),
    "stray_global_listening": (
        [holding("AA101", Role.GLOBAL_LISTENING, Role.SLT)],
        AA101,
        {"board"},
    ),
    "also_at_another_centre": (
        [holding("AA101", Role.SLT), holding("BB202", Role.SLT)],
        AA101,
        {"board"},
    ),
    "also_board_admin": (
        [holding("AA101", Role.SLT), holding("EXB", Role.BOARD_ADMIN)],
        AA101,
        {"board"},
    ),
    "also_at_a_deleted_centre": (
        [holding("AA101", Role.SLT), holding("BB202", Role.SLT, gone=True)],
        AA101,
        {"board"},
    ),
    "associate_centre_staff": ([holding("AS101", Role.SLT)], AS101, {"board", "as_users"}),
    "associate_centre_officer": ([holding("AS101", Role.EXAMS_OFFICER)], AS101, {"board"}),
}


@pytest.mark.parametrize("who", list(ACTORS))
@pytest.mark.parametrize("case", list(CASES))
def test_truth_table(case: str, who: str) -> None:
    holdings, acting_at, allowed = CASES[case]
    reason = credentials_refusal(ACTORS[who], holdings, acting_at=acting_at)
    assert (reason is None) == (who in allowed), reason
    if reason is not None:
        with pytest.raises(Forbidden) as refused:
            require_may_set_credentials(ACTORS[who], holdings, acting_at=acting_at)
        assert str(refused.value) == reason


def test_the_reason_names_the_exams_officer_and_keeps_other_organisations_unnamed() -> None:
    users = ACTORS["users"]
    officer = credentials_refusal(users, [holding("AA101", Role.EXAMS_OFFICER)], acting_at=AA101)
    assert officer == (
        "This person is the exams officer of AA101: only the exam board may set their "
        "password or email address."
    )
    elsewhere = credentials_refusal(
        users, [holding("AA101", Role.SLT), holding("BB202", Role.SLT)], acting_at=AA101
    )
    assert elsewhere is not None
    assert "another organisation" in elsewhere
    assert "BB202" not in elsewhere
