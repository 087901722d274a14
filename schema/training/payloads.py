"""Payloads of training's mutations."""

import strawberry

from schema.core.errors import UserError
from schema.core.payloads import job_payload
from schema.people.types import UserNode
from schema.training.types import AssessmentAccess, AssessmentNode, AttemptNode


@strawberry.type
class AssessmentPayload:
    assessment: AssessmentNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class AttemptPayload:
    attempt: AttemptNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class AssessmentVisibilityPayload:
    user: UserNode | None = None
    assessment: AssessmentNode | None = None
    hidden: bool | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class AssessmentAccessPayload:
    access: AssessmentAccess | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


AssessmentJobPayload = job_payload(
    "AssessmentJobPayload", "Poll `job(id)`; once SUCCEEDED its `files` hold the download."
)
