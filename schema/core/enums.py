"""Enums shared across the schema's areas."""

from models.organisations import OrganisationKind as _OrganisationKind
from models.sessions import SessionStage as _SessionStage
from models.users import UserStatus as _UserStatus
from policies import ROLE_INFO, SERVICE_NAMES
from policies import Role as _Role
from policies import Service as _Service
from schema.core.described import described_enum

OrganisationKind = described_enum(
    _OrganisationKind,
    "What an organisation is in the exam board's network.",
    {
        _OrganisationKind.BOARD: "The exam board itself: its members are board admins.",
        _OrganisationKind.ASSOCIATE: "An associate: a group of associate centres. Roles held "
        "here also count at each of its associate centres.",
        _OrganisationKind.CENTRE: "An exam centre (a school or college), on its own or as an "
        "associate centre of an associate (see `parent`).",
    },
)
UserStatus = described_enum(
    _UserStatus,
    "Where a person's account is in its life.",
    {
        _UserStatus.PENDING_ACTIVATION: "Registered by the exam board (registerUser): the person "
        "has yet to activate it with requestAccountActivation and activateAccount.",
        _UserStatus.INVITED: "Invited (inviteUser, designateExamsOfficer) with an emailed "
        "temporary password, and not signed in since: the first sign-in must set a new one.",
        _UserStatus.ACTIVE: "In use. An account a user manager made with a password "
        "(createUserAccount, uploadUsers) is ACTIVE at once; its first sign-in must still "
        "replace that password.",
        _UserStatus.DISABLED: "May not sign in.",
    },
)
SessionStage = described_enum(
    _SessionStage,
    "How far a session has got: only FULL sessions may do anything but finish signing in.",
    {
        _SessionStage.PASSWORD_CHANGE_REQUIRED: "Signed in with a temporary password: call "
        "setNewPassword next.",
        _SessionStage.VERIFICATION_REQUIRED: "A code was emailed: call verifyEmailCode next "
        "(resendVerificationCode sends another).",
        _SessionStage.TOTP_REQUIRED: "The account has an authenticator app: call verifyTotpCode "
        "next.",
        _SessionStage.FULL: "Signed in: the token may do everything its roles allow.",
    },
)
Role = described_enum(
    _Role,
    "Roles are granted per organisation; `roles(organisationCode:)` gives their names and says "
    "which you may grant there. EXAMS_OFFICER and GLOBAL_LISTENING are never granted through "
    "user management (ROLE_NOT_GRANTABLE).",
    {role: info.description for role, info in ROLE_INFO.items()},
)
Service = described_enum(
    _Service,
    "A service an organisation's users may open, given the right role; "
    "`services(organisationCode:)` says which you may. The exams officer holds every centre "
    "role, so may open them all.",
    {
        _Service.SUBMIT_FOR_ASSESSMENT: f"{SERVICE_NAMES[_Service.SUBMIT_FOR_ASSESSMENT]}: "
        "uploading candidates' work and samples. Opened by SFA_EXAMS_OFFICER and SFA_TEACHER.",
        _Service.ACCESS_ARRANGEMENTS: f"{SERVICE_NAMES[_Service.ACCESS_ARRANGEMENTS]}: applying "
        "for candidates' access arrangements. Opened by ACCESS_ARRANGEMENTS.",
        _Service.GLOBAL_LISTENING: f"{SERVICE_NAMES[_Service.GLOBAL_LISTENING]}: confidential "
        "exam materials. Opened by the exams officer alone.",
        _Service.USER_MANAGEMENT: f"{SERVICE_NAMES[_Service.USER_MANAGEMENT]}: the "
        "organisation's users and their roles. Opened by USER_MANAGEMENT.",
    },
)
