"""Expected failures: they reach the client as typed errors in a mutation's payload."""

from dataclasses import dataclass, field
from enum import StrEnum


class ErrorCode(StrEnum):
    INVALID_INPUT = "INVALID_INPUT"
    NOT_FOUND = "NOT_FOUND"
    INVALID_CREDENTIALS = "INVALID_CREDENTIALS"
    SIGN_IN_THROTTLED = "SIGN_IN_THROTTLED"
    PASSWORD_TOO_WEAK = "PASSWORD_TOO_WEAK"
    PASSWORD_INCORRECT = "PASSWORD_INCORRECT"
    PASSWORD_REUSED = "PASSWORD_REUSED"
    CODE_INVALID = "CODE_INVALID"
    CODE_EXPIRED = "CODE_EXPIRED"
    TOO_MANY_ATTEMPTS = "TOO_MANY_ATTEMPTS"
    TOKEN_INVALID = "TOKEN_INVALID"
    EMAIL_INVALID = "EMAIL_INVALID"
    EMAIL_IN_USE = "EMAIL_IN_USE"
    NAME_REQUIRED = "NAME_REQUIRED"
    ROLES_REQUIRED = "ROLES_REQUIRED"
    ROLE_NOT_GRANTABLE = "ROLE_NOT_GRANTABLE"
    NOT_A_MEMBER = "NOT_A_MEMBER"
    CANNOT_REMOVE_SELF = "CANNOT_REMOVE_SELF"
    CANNOT_REMOVE_EXAMS_OFFICER = "CANNOT_REMOVE_EXAMS_OFFICER"
    ORGANISATION_DELETED = "ORGANISATION_DELETED"
    TOTP_NOT_ENROLLED = "TOTP_NOT_ENROLLED"
    TOTP_ALREADY_ENABLED = "TOTP_ALREADY_ENABLED"
    SERIES_NOT_FOUND = "SERIES_NOT_FOUND"
    SERIES_EXISTS = "SERIES_EXISTS"
    SYLLABUS_NOT_FOUND = "SYLLABUS_NOT_FOUND"
    SYLLABUS_EXISTS = "SYLLABUS_EXISTS"
    NOT_A_CENTRE = "NOT_A_CENTRE"
    USERNAME_INVALID = "USERNAME_INVALID"
    CANDIDATE_PASSWORD_INVALID = "CANDIDATE_PASSWORD_INVALID"
    CANDIDATE_NUMBER_INVALID = "CANDIDATE_NUMBER_INVALID"
    CANDIDATE_NUMBER_TAKEN = "CANDIDATE_NUMBER_TAKEN"
    UCI_INVALID = "UCI_INVALID"
    ALREADY_ENTERED = "ALREADY_ENTERED"
    ENTRY_NOT_FOUND = "ENTRY_NOT_FOUND"
    ENTRY_WITHDRAWN = "ENTRY_WITHDRAWN"
    GRADE_INVALID = "GRADE_INVALID"
    MARK_INVALID = "MARK_INVALID"
    CONCURRENT_CHANGE = "CONCURRENT_CHANGE"


@dataclass(frozen=True)
class UserError:
    code: ErrorCode
    message: str
    field: tuple[str, ...] = ()


@dataclass
class DomainError(Exception):
    errors: list[UserError] = field(default_factory=list)

    @classmethod
    def one(cls, code: ErrorCode, message: str, *field_path: str) -> "DomainError":
        return cls([UserError(code, message, tuple(field_path))])

    def __str__(self) -> str:
        return "; ".join(f"{e.code}: {e.message}" for e in self.errors)
