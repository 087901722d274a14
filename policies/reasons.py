"""Why a call was refused: the short code a FORBIDDEN (or UNAUTHENTICATED) error carries in
extensions.reason, and explainAccess answers.

Each code says what the caller could do about it, never what exists elsewhere: a refusal at an
organisation the caller has nothing to do with is NO_ROLE_HERE whether it exists or not, is
deleted or not, and whatever anyone holds there (policies/explanation.py chooses).
"""

from enum import StrEnum


class Reason(StrEnum):
    NOT_SIGNED_IN = "NOT_SIGNED_IN"
    STAGE_INCOMPLETE = "STAGE_INCOMPLETE"
    WRONG_SESSION_KIND = "WRONG_SESSION_KIND"
    NO_ROLE_HERE = "NO_ROLE_HERE"
    ORGANISATION_DELETED = "ORGANISATION_DELETED"
    ROLE_NOT_ENOUGH = "ROLE_NOT_ENOUGH"
    OWN_ORGANISATION_ONLY = "OWN_ORGANISATION_ONLY"
    INHERITED_ONLY = "INHERITED_ONLY"
    NOT_GRANTABLE = "NOT_GRANTABLE"
    NOT_YOURS = "NOT_YOURS"
    NOT_PERMITTED = "NOT_PERMITTED"


MEANINGS: dict[Reason, str] = {
    Reason.NOT_SIGNED_IN: "No session, or one expired, revoked or unknown: sign in.",
    Reason.STAGE_INCOMPLETE: "The session still has first sign-in steps to do (the message "
    "names the next one).",
    Reason.WRONG_SESSION_KIND: "A candidate's token on a staff field, or a staff token on a "
    "candidate's field.",
    Reason.NO_ROLE_HERE: "Nothing the caller holds reaches this organisation, or it does not "
    "exist: the two look the same.",
    Reason.ORGANISATION_DELETED: "The caller's roles would reach it, but their organisation, or "
    "this one, is soft-deleted.",
    Reason.ROLE_NOT_ENOUGH: "The caller's roles reach this organisation (or the board's "
    "lists), but none of them allows this.",
    Reason.OWN_ORGANISATION_ONLY: "A role held at the associate allows this only where it is "
    "held, not at its associate centres.",
    Reason.INHERITED_ONLY: "A role that counts only when it comes with another (Global "
    "Listening, with the exams officer) was granted on its own.",
    Reason.NOT_GRANTABLE: "The person acted on holds a role, or belongs somewhere, beyond what "
    "the caller could grant or manage.",
    Reason.NOT_YOURS: "Only its owner may (a job, an attempt); a missing id is refused the same "
    "way.",
    Reason.NOT_PERMITTED: "Another rule of the operation; its message says which.",
}
