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
from schema.core.described import described_enum

ResourceService = described_enum(
    ResourceServiceValue,
    description="The service a resource belongs to: at a centre, only those who may open that "
    "service see it (Global Listening: the centre's exams officer alone). GENERAL: every member.",
    values={
        "GENERAL": "For every member of a centre it is released to (not invigilators, who "
        "read no resources).",
        "SUBMIT_FOR_ASSESSMENT": "For those who may open Submit for Assessment at the centre: "
        "SFA exams officers, SFA teachers and the exams officer.",
        "ACCESS_ARRANGEMENTS": "For those who may open Access Arrangements at the centre: the "
        "nominated ACCESS_ARRANGEMENTS users and the exams officer.",
        "GLOBAL_LISTENING": "Global Listening materials: for the centre's exams officer alone.",
    },
)


ReleaseStatus = described_enum(
    release_cases.ReleaseStatus,
    description="Where a release stands now, worked out from its release time, whether it was "
    "cancelled and whether its resource was withdrawn.",
    values={
        "SCHEDULED": "Its release time is still to come: centres do not see the resource yet, "
        "and the board may still cancel it.",
        "RELEASED": "Its release time has passed: the centres it is for see the resource.",
        "CANCELLED": "Cancelled by the board before its release time; it never went out.",
        "WITHDRAWN": "It went out, then the board withdrew the resource: centres no longer see it.",
    },
)


KeyTimeKind = described_enum(
    release_cases.KeyTimeKind,
    description="What happens at a key time of a series.",
    values={
        "CREDENTIALS_OPEN": "From then on the exams officer may create the candidates' results "
        "credentials for the series.",
        "RESULTS_RELEASE": "The series' results are released to centres and candidates.",
        "RESOURCE_RELEASE": "A resource is released (its releaseId and service are set).",
    },
)


SubmissionKind = described_enum(
    SubmissionKindValue,
    description="WORK: a candidate's work. SAMPLE: a moderation sample.",
    values={
        "WORK": "One candidate's work: candidateNumber is required.",
        "SAMPLE": "A sample of the centre's work for moderation; it may name a candidate or not.",
    },
)


SubmissionStatus = described_enum(
    SubmissionStatusValue,
    description="Where a submission stands. Assessing it is the board's business, outside "
    "examdesk, so a submission stays SUBMITTED.",
    values={"SUBMITTED": "Received by the board, with every file stored."},
)


ArrangementType = described_enum(
    ArrangementTypeValue,
    description="The access arrangement applied for, as named in the emails.",
    values={
        "EXTRA_TIME_25": "25% extra time.",
        "EXTRA_TIME_50": "50% extra time.",
        "READER": "A reader, who reads the questions aloud to the candidate.",
        "SCRIBE": "A scribe, who writes the candidate's answers down.",
        "WORD_PROCESSOR": "A word processor instead of handwriting.",
        "SEPARATE_ROOM": "A room apart from the other candidates.",
        "OTHER": "Another arrangement: say which in the reasons.",
    },
)


ApplicationStatus = described_enum(
    ApplicationStatusValue,
    description="Where an access arrangement application stands. A candidate has at most one "
    "SUBMITTED or APPROVED application per arrangement and series.",
    values={
        "SUBMITTED": "Waiting for the board's decision; the centre may still withdraw it.",
        "WITHDRAWN": "Withdrawn by the centre before the board decided.",
        "APPROVED": "Approved by the board; the applicant was emailed.",
        "REJECTED": "Rejected by the board, with a note saying why; the applicant was emailed.",
    },
)


@strawberry.enum(description="What the board decides about an access arrangement application.")
class ArrangementDecision(Enum):
    APPROVED = strawberry.enum_value(
        "APPROVED", description="Grant the arrangement; a note is optional."
    )
    REJECTED = strawberry.enum_value(
        "REJECTED", description="Refuse the arrangement; a note saying why is required."
    )
