"""The full summary download (the training hub's "User Summary ... full summary download"): one
row per person and assessment at the centre, with the status, result, date passed, certificate
number and the person's last sign-in.

Roles are named as the hub's template names them: USER_MANAGEMENT is EO, SLT is SLT and
INVIGILATOR is INV; the exams officer (the Centre Admin) holds EO too, and the `centre_admin`
column says which person that is. Roles the hub has no name for (SFA_EXAMS_OFFICER,
SFA_TEACHER, ACCESS_ARRANGEMENTS) keep their own codes, which the staff upload accepts as well;
GLOBAL_LISTENING, the exams officer's alone, adds nothing. Several are separated by `;`, as in
the upload.

A person's rows are the assessments they may take there and any they tried there, as
staffProgress shows them; someone with none still has one row, its assessment columns empty.
Everything is read in a fixed number of queries, however many people there are.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from models.assessments import Assessment, Attempt, Certificate, HiddenAssessment, Section
from models.organisations import Organisation
from models.users import Membership, User
from policies import Role
from resolvers.core.csv_export import csv_bytes
from resolvers.training.assessments import audiences_for

# Our roles as the hub names them; None: nothing to show.
HUB_ROLES: dict[str, str | None] = {
    Role.EXAMS_OFFICER: "EO",
    Role.USER_MANAGEMENT: "EO",
    Role.SLT: "SLT",
    Role.INVIGILATOR: "INV",
    Role.GLOBAL_LISTENING: None,
}
_HUB_ORDER = ("EO", "SLT", "INV")
# The statuses as the hub's progress screen writes them.
PASSED, IN_PROGRESS, NOT_STARTED = "Passed", "In Progress", "Not Started"
COLUMNS = (
    "first_name",
    "last_name",
    "email",
    "roles",
    "centre_admin",
    "last_sign_in",
    "assessment",
    "status",
    "result",
    "date_passed",
    "certificate_number",
)


def hub_roles(roles: Iterable[str]) -> str:
    """`EO;SLT`: the hub's names first, in its order, then any others."""
    names = {HUB_ROLES.get(role, role) for role in roles} - {None}
    ordered = [n for n in _HUB_ORDER if n in names]
    return ";".join(ordered + sorted(n for n in names if n and n not in _HUB_ORDER))


@dataclass(frozen=True)
class FullRow:
    user: User
    roles: list[str]
    assessment: Assessment | None = None
    status: str | None = None
    result: str | None = None
    passed_at: datetime | None = None
    certificate_number: str | None = None


@dataclass
class _Done:
    """What the members did at the centre, by user and by (user, assessment)."""

    hidden: dict[int, set[int]]
    tried: dict[int, set[int]]
    scores: dict[tuple[int, int], int]
    certificates: dict[tuple[int, int], Certificate]


async def _done_by(organisation: Organisation, user_ids: list[int]) -> _Done:
    done = _Done(defaultdict(set), defaultdict(set), defaultdict(int), {})
    for user_id, assessment_id in await HiddenAssessment.filter(
        organisation_id=organisation.id, user_id__in=user_ids
    ).values_list("user_id", "assessment_id"):
        done.hidden[user_id].add(assessment_id)
    for user_id, assessment_id, passed, score in await Attempt.filter(
        organisation_id=organisation.id, user_id__in=user_ids
    ).values_list("user_id", "section__assessment_id", "passed", "score"):
        done.tried[user_id].add(assessment_id)
        # A section is passed once (then closed): the passing attempts' scores make the result.
        if passed:
            done.scores[user_id, assessment_id] += score or 0
    for certificate in await Certificate.filter(
        organisation_id=organisation.id, user_id__in=user_ids
    ):
        done.certificates[certificate.user_id, certificate.assessment_id] = certificate
    return done


async def _assessments(tried: Iterable[set[int]]) -> tuple[list[Assessment], dict[int, int]]:
    """The published assessments and those tried, and each one's number of questions."""
    tried_ids = sorted(set().union(*tried))
    rows = list(await Assessment.filter(published_at__not_isnull=True))
    known = {a.id for a in rows}
    if set(tried_ids) - known:
        rows += await Assessment.filter(id__in=sorted(set(tried_ids) - known))
    questions: dict[int, int] = defaultdict(int)
    for assessment_id, count in await Section.filter(
        assessment_id__in=[a.id for a in rows] or [0]
    ).values_list("assessment_id", "question_count"):
        questions[assessment_id] += count
    return sorted(rows, key=lambda a: (a.title, a.id)), questions


async def full_rows(organisation: Organisation, members: list[Membership]) -> list[FullRow]:
    """Each member's rows, in the members' order, assessments by title."""
    done = await _done_by(organisation, [m.user_id for m in members])
    assessments, questions = await _assessments(done.tried.values())
    rows: list[FullRow] = []
    for member in members:
        user_id, roles = member.user_id, sorted(member.roles)
        audiences = audiences_for(frozenset(roles))
        shown = [
            a
            for a in assessments
            if a.id in done.tried[user_id]
            or (a.published and a.audience in audiences and a.id not in done.hidden[user_id])
        ]
        if not shown:
            rows.append(FullRow(member.user, roles))
        for a in shown:
            certificate = done.certificates.get((user_id, a.id))
            if certificate is not None:
                status = PASSED
            else:
                status = IN_PROGRESS if a.id in done.tried[user_id] else NOT_STARTED
            rows.append(
                FullRow(
                    member.user,
                    roles,
                    assessment=a,
                    status=status,
                    result=f"{done.scores[user_id, a.id]}/{questions[a.id]}",
                    passed_at=certificate.issued_at if certificate else None,
                    certificate_number=certificate.number if certificate else None,
                )
            )
    return rows


def full_csv(rows: list[FullRow]) -> bytes:
    """The rows as CSV, names, emails and titles kept from being read as formulas."""
    return csv_bytes(
        [
            COLUMNS,
            *(
                [
                    row.user.first_name,
                    row.user.last_name,
                    row.user.email,
                    hub_roles(row.roles),
                    "yes" if Role.EXAMS_OFFICER in row.roles else "no",
                    row.user.last_login_at.isoformat() if row.user.last_login_at else None,
                    row.assessment.title if row.assessment else None,
                    row.status,
                    row.result,
                    row.passed_at.date().isoformat() if row.passed_at else None,
                    row.certificate_number,
                ]
                for row in rows
            ),
        ]
    )
