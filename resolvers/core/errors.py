"""Expected failures: they reach the client as typed errors in a mutation's payload."""

from dataclasses import dataclass, field
from enum import StrEnum


class ErrorCode(StrEnum):
    INVALID_INPUT = "INVALID_INPUT"
    # Any text input (schema/core/input_rules.py): longer than its limit, or holding a control
    # character (line breaks and tabs are allowed in free text only) or a lone surrogate.
    INPUT_TOO_LONG = "INPUT_TOO_LONG"
    INVALID_CHARACTERS = "INVALID_CHARACTERS"
    NOT_FOUND = "NOT_FOUND"
    INVALID_CREDENTIALS = "INVALID_CREDENTIALS"
    SIGN_IN_THROTTLED = "SIGN_IN_THROTTLED"
    # The right temporary password, refused because it is past its time: ask for a new one.
    TEMPORARY_PASSWORD_EXPIRED = "TEMPORARY_PASSWORD_EXPIRED"
    PASSWORD_TOO_WEAK = "PASSWORD_TOO_WEAK"
    PASSWORD_INCORRECT = "PASSWORD_INCORRECT"
    PASSWORD_REUSED = "PASSWORD_REUSED"
    CODE_INVALID = "CODE_INVALID"
    CODE_EXPIRED = "CODE_EXPIRED"
    TOO_MANY_ATTEMPTS = "TOO_MANY_ATTEMPTS"
    # The board resends an activation email: only to an account still waiting, a few an hour.
    NOT_PENDING_ACTIVATION = "NOT_PENDING_ACTIVATION"
    TOO_MANY_EMAILS = "TOO_MANY_EMAILS"
    TOKEN_INVALID = "TOKEN_INVALID"
    EMAIL_INVALID = "EMAIL_INVALID"
    EMAIL_IN_USE = "EMAIL_IN_USE"
    NAME_REQUIRED = "NAME_REQUIRED"
    ROLES_REQUIRED = "ROLES_REQUIRED"
    ROLE_NOT_GRANTABLE = "ROLE_NOT_GRANTABLE"
    NOT_A_MEMBER = "NOT_A_MEMBER"
    # An undo of a place taken away that was never taken, or is back already.
    NOT_REMOVED = "NOT_REMOVED"
    # The board's errors report: a problem marked resolved once already.
    ALREADY_RESOLVED = "ALREADY_RESOLVED"
    # Phone support checking a caller's PIN: too many wrong ones for the account this hour.
    PIN_LOCKED = "PIN_LOCKED"
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
    USERNAME_IN_USE_AT_VENUE = "USERNAME_IN_USE_AT_VENUE"
    CANDIDATE_PASSWORD_INVALID = "CANDIDATE_PASSWORD_INVALID"
    CANDIDATE_NUMBER_INVALID = "CANDIDATE_NUMBER_INVALID"
    CANDIDATE_NUMBER_TAKEN = "CANDIDATE_NUMBER_TAKEN"
    UCI_INVALID = "UCI_INVALID"
    UCI_IN_USE = "UCI_IN_USE"
    ALREADY_ENTERED = "ALREADY_ENTERED"
    ENTRY_NOT_FOUND = "ENTRY_NOT_FOUND"
    ENTRY_WITHDRAWN = "ENTRY_WITHDRAWN"
    GRADE_INVALID = "GRADE_INVALID"
    MARK_INVALID = "MARK_INVALID"
    CONCURRENT_CHANGE = "CONCURRENT_CHANGE"
    # The candidate results website (resolvers/results_website/results_access.py).
    RESULTS_AGREEMENT_REQUIRED = "RESULTS_AGREEMENT_REQUIRED"
    CONTACT_NAME_REQUIRED = "CONTACT_NAME_REQUIRED"
    CONTACT_DETAILS_REQUIRED = "CONTACT_DETAILS_REQUIRED"
    PHONE_INVALID = "PHONE_INVALID"
    DELAY_INVALID = "DELAY_INVALID"
    CREDENTIALS_NOT_OPEN = "CREDENTIALS_NOT_OPEN"
    NO_VALID_ENTRY = "NO_VALID_ENTRY"
    RESULTS_ACCESS_NOT_SELECTED = "RESULTS_ACCESS_NOT_SELECTED"
    CANDIDATE_NOT_ENTERED = "CANDIDATE_NOT_ENTERED"
    # Bulk CSV uploads (resolvers/core/csv_files.py, bulk_entries.py, bulk_results.py).
    FILE_EMPTY = "FILE_EMPTY"
    FILE_UNREADABLE = "FILE_UNREADABLE"
    CSV_COLUMNS_INVALID = "CSV_COLUMNS_INVALID"
    CSV_ROW_MALFORMED = "CSV_ROW_MALFORMED"
    TOO_MANY_ROWS = "TOO_MANY_ROWS"
    DUPLICATE_IN_FILE = "DUPLICATE_IN_FILE"
    # A downloaded template's example row, uploaded as it came.
    EXAMPLE_ROW = "EXAMPLE_ROW"
    ROWS_INVALID = "ROWS_INVALID"
    # Confidential examination results information PDFs
    # (resolvers/results_website/credential_documents.py).
    NO_ACTIVE_CREDENTIALS = "NO_ACTIVE_CREDENTIALS"
    CREDENTIALS_UNREADABLE = "CREDENTIALS_UNREADABLE"
    # Email templates (resolvers/admin/templates.py).
    UNKNOWN_PLACEHOLDER = "UNKNOWN_PLACEHOLDER"
    REQUIRED_PLACEHOLDER_MISSING = "REQUIRED_PLACEHOLDER_MISSING"
    PLACEHOLDER_INVALID = "PLACEHOLDER_INVALID"
    # Undelivered email (resolvers/admin/outbox.py) and interrupted jobs (resolvers/core/jobs.py).
    EMAIL_NOT_FAILED = "EMAIL_NOT_FAILED"
    JOB_NOT_RERUNNABLE = "JOB_NOT_RERUNNABLE"
    # Board administration of centres (resolvers/network/centres.py).
    CENTRE_CODE_INVALID = "CENTRE_CODE_INVALID"
    CENTRE_CODE_TAKEN = "CENTRE_CODE_TAKEN"
    NOT_AN_ASSOCIATE = "NOT_AN_ASSOCIATE"
    ORGANISATION_NOT_DELETED = "ORGANISATION_NOT_DELETED"
    # Resources and their releases (resolvers/services/resources.py and releases.py).
    RELEASE_ALREADY_OUT = "RELEASE_ALREADY_OUT"
    RELEASE_CANCELLED = "RELEASE_CANCELLED"
    # Managing resources (resolvers/services/resource_changes.py): a released resource is
    # withdrawn, never deleted; a withdrawn one is kept for the record and changed no more.
    RESOURCE_WITHDRAWN = "RESOURCE_WITHDRAWN"
    RESOURCE_RELEASED = "RESOURCE_RELEASED"
    RESOURCE_RELEASE_SCHEDULED = "RESOURCE_RELEASE_SCHEDULED"
    RESOURCE_NOT_RELEASED = "RESOURCE_NOT_RELEASED"
    # Help documents (resolvers/services/help_documents.py): everyone, or at least one role.
    AUDIENCE_REQUIRED = "AUDIENCE_REQUIRED"
    # Submit for Assessment and Access Arrangements (resolvers/services/submissions.py,
    # resolvers/services/access_arrangements.py, resolvers/services/service_files.py).
    CANDIDATE_NOT_FOUND = "CANDIDATE_NOT_FOUND"
    CANDIDATE_REQUIRED = "CANDIDATE_REQUIRED"
    NO_ENTRIES_FOR_SYLLABUS = "NO_ENTRIES_FOR_SYLLABUS"
    FILES_REQUIRED = "FILES_REQUIRED"
    TOO_MANY_FILES = "TOO_MANY_FILES"
    FILE_TOO_LARGE = "FILE_TOO_LARGE"
    FILE_TYPE_NOT_ALLOWED = "FILE_TYPE_NOT_ALLOWED"
    REASONS_REQUIRED = "REASONS_REQUIRED"
    APPLICATION_EXISTS = "APPLICATION_EXISTS"
    APPLICATION_NOT_SUBMITTED = "APPLICATION_NOT_SUBMITTED"
    DECISION_NOTE_REQUIRED = "DECISION_NOTE_REQUIRED"
    # Staff accounts (resolvers/people/staff_accounts.py, resolvers/people/staff_upload.py).
    VALUE_REQUIRED = "VALUE_REQUIRED"
    ROLE_UNKNOWN = "ROLE_UNKNOWN"
    EMAIL_CHANGE_OWN_REFUSED = "EMAIL_CHANGE_OWN_REFUSED"
    PASSWORD_CHANGE_OWN_REFUSED = "PASSWORD_CHANGE_OWN_REFUSED"
    DELETE_NOT_CONFIRMED = "DELETE_NOT_CONFIRMED"
    CANNOT_DELETE_SELF = "CANNOT_DELETE_SELF"
    ACCOUNT_SHARED = "ACCOUNT_SHARED"
    ACCOUNT_HAS_RECORDS = "ACCOUNT_HAS_RECORDS"
    # resendInvitation for someone who is not waiting on an invitation (resolvers/people/users.py).
    ACCOUNT_NOT_INVITED = "ACCOUNT_NOT_INVITED"
    # Staff assessments and certificates (resolvers/training/assessments.py, assessment_attempts.py,
    # certificates.py).
    ASSESSMENT_INVALID = "ASSESSMENT_INVALID"
    ASSESSMENT_NOT_AVAILABLE = "ASSESSMENT_NOT_AVAILABLE"
    SECTION_ALREADY_PASSED = "SECTION_ALREADY_PASSED"
    ATTEMPT_ALREADY_SUBMITTED = "ATTEMPT_ALREADY_SUBMITTED"
    ANSWERS_INVALID = "ANSWERS_INVALID"
    NOT_AN_INVIGILATOR = "NOT_AN_INVIGILATOR"
    NOT_AN_INVIGILATORS_ASSESSMENT = "NOT_AN_INVIGILATORS_ASSESSMENT"
    NO_CERTIFICATES = "NO_CERTIFICATES"
    # Test sessions, starting a test and the log-in sheets (resolvers/test_sessions/).
    TEST_SESSION_NOT_FOUND = "TEST_SESSION_NOT_FOUND"
    TEST_SESSION_HAS_ENTRIES = "TEST_SESSION_HAS_ENTRIES"
    DURATION_INVALID = "DURATION_INVALID"
    ENTRY_NOT_IN_TEST_SESSION = "ENTRY_NOT_IN_TEST_SESSION"
    TEST_SESSION_CANCELLED = "TEST_SESSION_CANCELLED"
    TEST_NOT_OPEN_YET = "TEST_NOT_OPEN_YET"
    TEST_SESSION_ENDED = "TEST_SESSION_ENDED"
    NO_SESSION_ENTRIES = "NO_SESSION_ENTRIES"


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
