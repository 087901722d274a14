"""Payloads of training's mutations."""

import strawberry

from resolvers.core.errors import ErrorCode as E
from schema.core.errors import UserError, errors_field
from schema.core.payloads import job_payload
from schema.people.types import UserNode
from schema.training.types import AssessmentAccess, AssessmentNode, AttemptNode

_CENTRE_CODES = (E.NOT_FOUND, E.NOT_A_CENTRE, E.ORGANISATION_DELETED)
_HIDING_CODES = (
    *_CENTRE_CODES,
    E.NOT_A_MEMBER,
    E.NOT_AN_INVIGILATOR,
    E.NOT_AN_INVIGILATORS_ASSESSMENT,
)


@strawberry.type(description="What writing, publishing or unpublishing an assessment did.")
class AssessmentPayload:
    assessment: AssessmentNode | None = strawberry.field(
        default=None,
        description="The assessment as it is now, with its sections; null when errors is not "
        "empty.",
    )
    errors: list[UserError] = errors_field(E.ASSESSMENT_INVALID, E.NOT_FOUND)


@strawberry.type(description="What starting a section, or submitting its answers, did.")
class AttemptPayload:
    attempt: AttemptNode | None = strawberry.field(
        default=None,
        description="The attempt: its questions once started, its score and result once "
        "submitted; null when errors is not empty.",
    )
    errors: list[UserError] = errors_field(
        *_CENTRE_CODES,
        E.ASSESSMENT_NOT_AVAILABLE,
        E.SECTION_ALREADY_PASSED,
        E.ATTEMPT_ALREADY_SUBMITTED,
        E.ANSWERS_INVALID,
    )


@strawberry.type(description="What hiding or showing an assessment to an invigilator did.")
class AssessmentVisibilityPayload:
    user: UserNode | None = strawberry.field(
        default=None, description="The invigilator; null when errors is not empty."
    )
    assessment: AssessmentNode | None = strawberry.field(
        default=None,
        description="The assessment (without its sections); null when errors is not empty.",
    )
    hidden: bool | None = strawberry.field(
        default=None,
        description="Whether it is now hidden from them; null when errors is not empty.",
    )
    errors: list[UserError] = errors_field(*_HIDING_CODES)


@strawberry.type(description="What saving a person's Assessment Access screen did.")
class AssessmentAccessPayload:
    access: AssessmentAccess | None = strawberry.field(
        default=None,
        description="The screen as saved, to show again; null when errors is not empty.",
    )
    errors: list[UserError] = errors_field(*_HIDING_CODES)


AssessmentJobPayload = job_payload(
    "AssessmentJobPayload", "Poll `job(id)`; once SUCCEEDED its `files` hold the download."
)
