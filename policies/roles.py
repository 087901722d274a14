"""The role and service catalogue: names, meanings and where each role applies."""

from dataclasses import dataclass
from enum import StrEnum

from models.organisations import OrganisationKind


class Role(StrEnum):
    BOARD_ADMIN = "BOARD_ADMIN"
    EXAMS_OFFICER = "EXAMS_OFFICER"
    USER_MANAGEMENT = "USER_MANAGEMENT"
    SFA_EXAMS_OFFICER = "SFA_EXAMS_OFFICER"
    SFA_TEACHER = "SFA_TEACHER"
    ACCESS_ARRANGEMENTS = "ACCESS_ARRANGEMENTS"
    GLOBAL_LISTENING = "GLOBAL_LISTENING"
    SLT = "SLT"
    INVIGILATOR = "INVIGILATOR"


class Service(StrEnum):
    SUBMIT_FOR_ASSESSMENT = "SUBMIT_FOR_ASSESSMENT"
    ACCESS_ARRANGEMENTS = "ACCESS_ARRANGEMENTS"
    GLOBAL_LISTENING = "GLOBAL_LISTENING"
    USER_MANAGEMENT = "USER_MANAGEMENT"


@dataclass(frozen=True)
class RoleInfo:
    role: Role
    name: str
    description: str
    applies_to: frozenset[OrganisationKind]


_CENTRES = frozenset({OrganisationKind.CENTRE, OrganisationKind.ASSOCIATE})

ROLE_CATALOGUE: tuple[RoleInfo, ...] = (
    RoleInfo(
        Role.BOARD_ADMIN,
        "Board administrator",
        "Exam-board staff: runs centres, associates, exams officers, series, releases, "
        "templates and the audit trail everywhere.",
        frozenset({OrganisationKind.BOARD}),
    ),
    RoleInfo(
        Role.EXAMS_OFFICER,
        "Exams officer",
        "The organisation's Centre Admin, designated by the exam board. Holds every other role "
        "here and alone may open Global Listening.",
        _CENTRES,
    ),
    RoleInfo(
        Role.USER_MANAGEMENT,
        "User Management",
        "Can create, edit and delete other accounts at your centre or your associate centres, "
        "and manage access to available services.",
        _CENTRES,
    ),
    RoleInfo(
        Role.SFA_EXAMS_OFFICER,
        "Submit for Assessment: Exams Officer",
        "Can upload and submit candidate work and samples for the centre, and receives all "
        "Submit for Assessment notification emails.",
        _CENTRES,
    ),
    RoleInfo(
        Role.SFA_TEACHER,
        "Submit for Assessment: Teacher",
        "Can upload and submit candidate work and samples for the centre; receives notification "
        "emails only about work they submitted.",
        _CENTRES,
    ),
    RoleInfo(
        Role.ACCESS_ARRANGEMENTS,
        "Access Arrangements nominated user",
        "Can use Apply for Access Arrangements to submit and manage candidates' access "
        "arrangement applications.",
        _CENTRES,
    ),
    RoleInfo(
        Role.GLOBAL_LISTENING,
        "Global Listening",
        "Confidential exam materials: only the exams officer can access Global Listening, and "
        "access cannot be given to anyone else.",
        _CENTRES,
    ),
    RoleInfo(
        Role.SLT,
        "Senior leadership (SLT)",
        "Can read staff progress, entries and results for the centre.",
        _CENTRES,
    ),
    RoleInfo(
        Role.INVIGILATOR,
        "Invigilator (INV)",
        "Sees only the staff assessments meant for invigilators that are not hidden from them.",
        _CENTRES,
    ),
)

# What every member of an organisation holds there besides their roles (policy.csv: p, MEMBER).
MEMBER = "MEMBER"
# Roles that count only when inherited (policy.csv: g, EXAMS_OFFICER, GLOBAL_LISTENING). Global
# Listening belongs to the exams officer alone; a direct grant, however it reached the database
# (an import, a hand edit), must not open the confidential materials.
INHERITED_ONLY = frozenset({"GLOBAL_LISTENING"})

ROLE_INFO: dict[Role, RoleInfo] = {info.role: info for info in ROLE_CATALOGUE}

SERVICE_NAMES: dict[Service, str] = {
    Service.SUBMIT_FOR_ASSESSMENT: "Submit for Assessment",
    Service.ACCESS_ARRANGEMENTS: "Access Arrangements",
    Service.GLOBAL_LISTENING: "Global Listening",
    Service.USER_MANAGEMENT: "User Management",
}
