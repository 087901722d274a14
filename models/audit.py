from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class AuditEvent(Model):
    """Who did what, where, with the state before and after."""

    id = fields.IntField(primary_key=True)
    at = fields.DatetimeField(auto_now_add=True, db_index=True)
    # Kept as plain values, not foreign keys, so the trail outlives what it describes.
    actor_user_id = fields.IntField(null=True, db_index=True)
    actor_email = fields.CharField(max_length=254, null=True)
    action = fields.CharField(max_length=64, db_index=True)
    organisation_id = fields.IntField(null=True, db_index=True)
    target_type = fields.CharField(max_length=64, null=True)
    target_id = fields.CharField(max_length=64, null=True)
    before = fields.JSONField(null=True)
    after = fields.JSONField(null=True)
    request_id = fields.CharField(max_length=64, null=True, db_index=True)

    class Meta:
        table = "audit_event"


class SignInOutcome(StrEnum):
    SUCCEEDED = "SUCCEEDED"
    INVALID_CREDENTIALS = "INVALID_CREDENTIALS"
    THROTTLED = "THROTTLED"
    TOTP_FAILED = "TOTP_FAILED"
    SIGNED_OUT = "SIGNED_OUT"
    # A password chosen through an emailed link or code (reset or activation): the person has
    # proved they own the email, so earlier failures stop counting towards the throttle.
    PASSWORD_SET = "PASSWORD_SET"
    # The right temporary password, past its time (EXAMDESK_TEMPORARY_PASSWORD_DAYS): not a
    # wrong guess, so it does not count towards the throttle.
    TEMPORARY_PASSWORD_EXPIRED = "TEMPORARY_PASSWORD_EXPIRED"
    # Candidates on the results website: logged with their results username in `email`, and
    # kept apart from the staff outcomes so that neither throttle counts the other's failures.
    CANDIDATE_SUCCEEDED = "CANDIDATE_SUCCEEDED"
    CANDIDATE_INVALID_CREDENTIALS = "CANDIDATE_INVALID_CREDENTIALS"
    CANDIDATE_THROTTLED = "CANDIDATE_THROTTLED"
    CANDIDATE_SIGNED_OUT = "CANDIDATE_SIGNED_OUT"
    # Candidates starting a test (startTest): logged with the entry code they typed in `email`,
    # apart from the others again, so that each throttle counts its own failures.
    TEST_START_SUCCEEDED = "TEST_START_SUCCEEDED"
    TEST_START_INVALID_CREDENTIALS = "TEST_START_INVALID_CREDENTIALS"
    TEST_START_THROTTLED = "TEST_START_THROTTLED"


class SignInEvent(Model):
    """The sign-in event log: every attempt, successful or not."""

    id = fields.IntField(primary_key=True)
    at = fields.DatetimeField(auto_now_add=True, db_index=True)
    email = fields.CharField(max_length=254, db_index=True)
    user_id = fields.IntField(null=True)
    outcome = fields.CharEnumField(SignInOutcome, max_length=32)
    ip_address = fields.CharField(max_length=64, null=True, db_index=True)
    user_agent = fields.CharField(max_length=300, null=True)
    request_id = fields.CharField(max_length=64, null=True)

    class Meta:
        table = "sign_in_event"


class ErrorResolution(Model):
    """A problem of the board's errors report marked resolved: the report works the problems
    out afresh each time, and this, by the problem's key, says someone has dealt with it."""

    id = fields.IntField(primary_key=True)
    # The problem's stable key, e.g. "JOB_FAILED:Job:12" (resolvers/admin/error_report.py).
    key = fields.CharField(max_length=128, unique=True)
    resolved_at = fields.DatetimeField()
    resolved_by_id = fields.IntField(null=True)
    resolved_by_email = fields.CharField(max_length=254, null=True)
    note = fields.TextField(default="")

    class Meta:
        table = "error_resolution"
