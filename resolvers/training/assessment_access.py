"""The Assessment Access screen (the training hub's "Hiding Assessments"): for one person at a
centre, the invigilators' assessments with a tick against each one hidden from them, and Save,
which sets the whole set of ticks at once.

The screen lists the published invigilators' assessments and any hidden from the person since
unpublished, so that saving the ticks as shown keeps them. The Centre Admin alone, as for
hideAssessment (policy `assessment_visibility, manage`). Hiding is for invigilators; ticks may
be cleared for anyone, so that a person who no longer invigilates can be given back what was
hidden from them while they did.
"""

from dataclasses import dataclass

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from models.assessments import Assessment, Audience, HiddenAssessment
from models.organisations import Organisation
from models.users import Membership
from policies import Actor, Role
from policies.viewer_can import MANAGE_ASSESSMENT_VISIBILITY
from resolvers.core import audit, clock
from resolvers.core.errors import DomainError, ErrorCode, UserError
from resolvers.network.organisations import require_centre


@dataclass(frozen=True)
class AccessItem:
    assessment: Assessment
    hidden: bool


@dataclass(frozen=True)
class AssessmentAccess:
    membership: Membership
    items: list[AccessItem]

    @property
    def invigilator(self) -> bool:
        return Role.INVIGILATOR in self.membership.roles


async def _centre_and_member(
    actor: Actor, organisation_code: str, user_id: int, *at: str
) -> tuple[Organisation, Membership]:
    organisation = await require_centre(
        actor, organisation_code, *MANAGE_ASSESSMENT_VISIBILITY, *at, "organisationCode"
    )
    membership = await Membership.get_or_none(
        organisation_id=organisation.id, user_id=user_id
    ).select_related("user")
    if membership is None:
        raise DomainError.one(
            ErrorCode.NOT_A_MEMBER,
            f"That user does not belong to {organisation.name}.",
            *at,
            "userId",
        )
    return organisation, membership


async def _hidden_ids(organisation: Organisation, user_id: int) -> set[int]:
    return set(
        await HiddenAssessment.filter(organisation_id=organisation.id, user_id=user_id).values_list(
            "assessment_id", flat=True
        )
    )


async def _listed(hidden: set[int]) -> list[AccessItem]:
    """The screen's rows, by title: what may be ticked, and what is."""
    rows = await Assessment.filter(audience=Audience.INVIGILATORS).filter(
        Q(published_at__not_isnull=True) | Q(id__in=sorted(hidden) or [0])
    )
    return [
        AccessItem(assessment, assessment.id in hidden)
        for assessment in sorted(rows, key=lambda a: (a.title, a.id))
    ]


async def assessment_access(
    actor: Actor, *, organisation_code: str, user_id: int
) -> AssessmentAccess:
    """The person's Assessment Access screen at the centre."""
    organisation, membership = await _centre_and_member(actor, organisation_code, user_id)
    items = await _listed(await _hidden_ids(organisation, user_id))
    return AssessmentAccess(membership, items)


def _id_errors(
    assessment_ids: list[int], found: dict[int, Assessment], hidden: set[int]
) -> list[UserError]:
    """Every id that is not a tick the screen could show, by its place in the list."""
    errors: list[UserError] = []
    for index, assessment_id in enumerate(assessment_ids):
        at = ("input", "assessmentIds", str(index))
        assessment = found.get(assessment_id)
        # A draft the board has not published is no more than an unknown id to a centre.
        if assessment is None or (not assessment.published and assessment_id not in hidden):
            errors.append(UserError(ErrorCode.NOT_FOUND, "There is no such assessment.", at))
        elif assessment.audience is not Audience.INVIGILATORS:
            errors.append(
                UserError(
                    ErrorCode.NOT_AN_INVIGILATORS_ASSESSMENT,
                    f"{assessment.title} is for all staff: "
                    "only invigilators' assessments can be hidden.",
                    at,
                )
            )
    return errors


def _titles(ids: set[int], found: dict[int, Assessment]) -> list[dict[str, object]]:
    return [{"assessmentId": i, "assessment": found[i].title} for i in sorted(ids)]


async def set_hidden_assessments(
    actor: Actor, *, organisation_code: str, user_id: int, assessment_ids: list[int]
) -> AssessmentAccess:
    """Save the screen: exactly these assessments hidden from the person at the centre.

    Every id is checked first; one bad id changes nothing. The set is replaced in one
    transaction, audited with the hidden assessments before and after.
    """
    organisation, membership = await _centre_and_member(actor, organisation_code, user_id, "input")
    was_hidden = await _hidden_ids(organisation, user_id)
    wanted = set(assessment_ids)
    found = {a.id: a for a in await Assessment.filter(id__in=sorted(wanted | was_hidden) or [0])}
    errors = _id_errors(assessment_ids, found, was_hidden)
    if wanted - was_hidden and Role.INVIGILATOR not in membership.roles:
        errors.insert(
            0,
            UserError(
                ErrorCode.NOT_AN_INVIGILATOR,
                f"{membership.user.full_name} is not an invigilator at {organisation.name}: "
                "assessments can be hidden only from invigilators (ticks can be cleared).",
                ("input", "userId"),
            ),
        )
    if errors:
        raise DomainError(errors)
    keys = {"organisation_id": organisation.id, "user_id": user_id}
    async with in_transaction():
        # The audit event first: on SQLite a transaction must begin with its write.
        await audit.record(
            actor,
            "assessment.set_hidden",
            organisation_id=organisation.id,
            target_type="User",
            target_id=user_id,
            before={"hidden": _titles(was_hidden, found)},
            after={"hidden": _titles(wanted, found)},
        )
        # Two saves for the same person at once (PostgreSQL) wait for each other here.
        await Membership.filter(id=membership.id).select_for_update().first()
        unticked = HiddenAssessment.filter(**keys)
        if wanted:
            unticked = unticked.exclude(assessment_id__in=sorted(wanted))
        await unticked.delete()
        kept = set(await HiddenAssessment.filter(**keys).values_list("assessment_id", flat=True))
        await HiddenAssessment.bulk_create(
            [
                HiddenAssessment(
                    **keys, assessment_id=i, hidden_by_id=actor.user_id, hidden_at=clock.now()
                )
                for i in sorted(wanted - kept)
            ]
        )
    return AssessmentAccess(membership, await _listed(wanted))
