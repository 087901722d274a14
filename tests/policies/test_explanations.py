"""Why a decision went as it did (policies/explanation.py): the reason codes, that they never
tell an organisation one has nothing to do with from one that does not exist, and that the
explanation and the cached decision always agree."""

import itertools

import pytest

from models.sessions import SessionStage
from policies import ELSEWHERE, Actor, Authorizer, Forbidden, Reason, RequestMeta, Role, Target
from policies.policy_table import policy_table
from tests.policies.helpers import (
    AA101,
    AS100,
    AS101,
    BOARD,
    TARGETS,
    actor,
    deleted,
    placement,
)

EO_AA101 = actor(placement(AA101, Role.EXAMS_OFFICER))
PAIRS = [(row.obj, row.act) for row in policy_table()]


def reason(who: Actor, obj: str, act: str, target: Target | None) -> Reason | None:
    return Authorizer(who).explain(obj, act, target).reason


def test_an_allowed_decision_names_the_line_that_allowed_it() -> None:
    explanation = Authorizer(EO_AA101).explain("entries", "read", TARGETS["AA101"])
    assert explanation.allowed
    assert explanation.reason is None
    # The exams officer inherits SLT, whose line allows reading entries.
    assert explanation.rule is not None
    assert explanation.rule.text == "p, SLT, org, entries, read"
    assert explanation.rule.line > 0
    subjects = {(s.role, s.relation) for s in explanation.subjects}
    assert subjects == {("MEMBER", "self"), ("EXAMS_OFFICER", "self")}


@pytest.mark.parametrize(
    ("who", "obj", "act", "target", "expected"),
    [
        # Another centre, a missing one (ELSEWHERE) and a deleted other one look the same.
        (EO_AA101, "users", "manage", TARGETS["BB202"], Reason.NO_ROLE_HERE),
        (EO_AA101, "users", "manage", ELSEWHERE, Reason.NO_ROLE_HERE),
        (EO_AA101, "users", "manage", deleted(TARGETS["BB202"]), Reason.NO_ROLE_HERE),
        (EO_AA101, "series", "manage", TARGETS["AA101"], Reason.ROLE_NOT_ENOUGH),
        (EO_AA101, "users", "manage", deleted(TARGETS["AA101"]), Reason.ORGANISATION_DELETED),
        (
            actor(placement(AA101, Role.EXAMS_OFFICER, deleted=True)),
            "users",
            "manage",
            TARGETS["AA101"],
            Reason.ORGANISATION_DELETED,
        ),
        # Global Listening granted directly opens nothing.
        (
            actor(placement(AA101, Role.GLOBAL_LISTENING)),
            "service:GLOBAL_LISTENING",
            "open",
            TARGETS["AA101"],
            Reason.INHERITED_ONLY,
        ),
        # The associate's exams officer opens Global Listening at the associate alone.
        (
            actor(placement(AS100, Role.EXAMS_OFFICER)),
            "service:GLOBAL_LISTENING",
            "open",
            TARGETS["AS101"],
            Reason.OWN_ORGANISATION_ONLY,
        ),
        (
            actor(placement(AA101, Role.SLT), stage=SessionStage.PASSWORD_CHANGE_REQUIRED),
            "entries",
            "read",
            TARGETS["AA101"],
            Reason.STAGE_INCOMPLETE,
        ),
        (Actor(request=RequestMeta("r")), "entries", "read", TARGETS["AA101"], None),
        # The board's own lists name no organisation: nothing to hide.
        (EO_AA101, "organisations", "list", None, Reason.ROLE_NOT_ENOUGH),
    ],
)
def test_reasons(
    who: Actor, obj: str, act: str, target: Target | None, expected: Reason | None
) -> None:
    got = reason(who, obj, act, target)
    assert got == (expected or Reason.NOT_SIGNED_IN)


def test_require_raises_forbidden_with_the_reason() -> None:
    with pytest.raises(Forbidden) as refused:
        Authorizer(EO_AA101).require("users", "manage", TARGETS["BB202"])
    assert refused.value.reason is Reason.NO_ROLE_HERE


@pytest.mark.parametrize(
    "who",
    [
        actor(placement(AA101, Role.USER_MANAGEMENT)),
        actor(placement(AS100, Role.EXAMS_OFFICER)),
        actor(placement(BOARD, "SLT")),  # at the board without BOARD_ADMIN
        actor(placement(BOARD, Role.BOARD_ADMIN)),
        actor(placement(AS101, Role.SLT, deleted=True)),
    ],
    ids=["centre", "associate", "board-member", "board-admin", "deleted-own"],
)
def test_a_missing_organisation_is_refused_as_somebody_elses(who: Actor) -> None:
    """For every object and action: what someone learns at an organisation of nobody they know
    is what they learn for one that does not exist, deleted or not."""
    for (obj, act), target in itertools.product(
        PAIRS, [TARGETS["BB202"], deleted(TARGETS["BB202"])]
    ):
        assert reason(who, obj, act, target) == reason(who, obj, act, ELSEWHERE), (obj, act)


@pytest.mark.parametrize("code", sorted(TARGETS))
@pytest.mark.parametrize(
    "who",
    [
        actor(placement(BOARD, Role.BOARD_ADMIN)),
        actor(placement(AS100, Role.EXAMS_OFFICER), placement(AA101, Role.INVIGILATOR)),
        actor(placement(AS100, Role.USER_MANAGEMENT, deleted=True), placement(AA101, Role.SLT)),
        actor(placement(AA101, Role.GLOBAL_LISTENING, Role.SFA_TEACHER)),
    ],
    ids=["board", "associate-and-centre", "deleted-associate", "direct-gl"],
)
def test_the_explanation_agrees_with_the_decision(who: Actor, code: str) -> None:
    for (obj, act), target in itertools.product(PAIRS, [TARGETS[code], deleted(TARGETS[code])]):
        explanation = Authorizer(who).explain(obj, act, target)
        assert explanation.allowed == Authorizer(who).allows(obj, act, target), (obj, act)
        assert (explanation.rule is not None) == explanation.allowed
        assert (explanation.reason is None) == explanation.allowed


def test_the_associate_reaches_its_centres_and_says_how() -> None:
    explanation = Authorizer(actor(placement(AS100, Role.USER_MANAGEMENT))).explain(
        "users", "manage", TARGETS["AS101"]
    )
    assert explanation.allowed
    assert explanation.rule is not None
    assert explanation.rule.scope == "org"
    assert {s.relation for s in explanation.subjects} == {"parent"}
