"""Enums of the services: resources' services, releases and key times, submissions and access
arrangements."""

from enum import Enum

import strawberry

from models.releases import ResourceService as ResourceServiceValue
from models.services import ApplicationStatus as ApplicationStatusValue
from models.services import ArrangementType as ArrangementTypeValue
from models.services import SubmissionKind as SubmissionKindValue
from models.services import SubmissionStatus as SubmissionStatusValue
from resolvers.services import releases as release_cases

ResourceService = strawberry.enum(
    ResourceServiceValue,
    description="The service a resource belongs to: at a centre, only those who may open that "
    "service see it (Global Listening: the centre's exams officer alone). GENERAL: every member.",
)


ReleaseStatus = strawberry.enum(release_cases.ReleaseStatus)


KeyTimeKind = strawberry.enum(release_cases.KeyTimeKind)


SubmissionKind = strawberry.enum(
    SubmissionKindValue, description="WORK: a candidate's work. SAMPLE: a moderation sample."
)


SubmissionStatus = strawberry.enum(SubmissionStatusValue)


ArrangementType = strawberry.enum(ArrangementTypeValue)


ApplicationStatus = strawberry.enum(ApplicationStatusValue)


@strawberry.enum(description="What the board decides about an access arrangement application.")
class ArrangementDecision(Enum):
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"
