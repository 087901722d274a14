"""Enums of board administration: sign-in outcomes, email delivery states, error kinds."""

from models.audit import SignInOutcome as SignInOutcomeValue
from models.mail import DeliveryStatus as DeliveryStatusValue
from resolvers.admin.error_report import ErrorKind as ErrorKindValue
from schema.core.described import described_enum

_Outcome = SignInOutcomeValue
SignInOutcome = described_enum(
    _Outcome,
    "What one sign-in attempt came to. Staff, results website candidates (CANDIDATE_) and test "
    "starts (TEST_START_) are throttled apart, each counting only its own failures.",
    {
        _Outcome.SUCCEEDED: "A member of staff signed in.",
        _Outcome.INVALID_CREDENTIALS: "Wrong or unknown email, or wrong password.",
        _Outcome.THROTTLED: "Refused without checking: too many failures lately "
        "(SIGN_IN_THROTTLED).",
        _Outcome.TOTP_FAILED: "The right password with a wrong authenticator code.",
        _Outcome.SIGNED_OUT: "A session was ended with signOut.",
        _Outcome.PASSWORD_SET: "A password was chosen through an emailed link or code (reset or "
        "activation); earlier failures stop counting towards the throttle.",
        _Outcome.TEMPORARY_PASSWORD_EXPIRED: "The right temporary password, past its time; not "
        "counted as a failure.",
        _Outcome.CANDIDATE_SUCCEEDED: "A candidate signed in to the results website (`email` "
        "holds their results username).",
        _Outcome.CANDIDATE_INVALID_CREDENTIALS: "A wrong results username or password.",
        _Outcome.CANDIDATE_THROTTLED: "A results website sign-in refused: too many failures "
        "lately.",
        _Outcome.CANDIDATE_SIGNED_OUT: "A candidate signed out of the results website.",
        _Outcome.TEST_START_SUCCEEDED: "A candidate started a test (`email` holds the entry code "
        "typed).",
        _Outcome.TEST_START_INVALID_CREDENTIALS: "A test start with wrong details.",
        _Outcome.TEST_START_THROTTLED: "A test start refused: too many failures lately.",
    },
)


DeliveryStatus = described_enum(
    DeliveryStatusValue,
    "Where an email is in the outbox.",
    {
        DeliveryStatusValue.PENDING: "Queued, or being retried after a failure.",
        DeliveryStatusValue.SENT: "Delivered to the mail server.",
        DeliveryStatusValue.FAILED: "Given up on after the retry window; resendEmail sends it "
        "again.",
    },
)


ErrorKind = described_enum(
    ErrorKindValue,
    "The errors report's lists.",
    {
        ErrorKindValue.ENTRY: "Entry Errors: entries at deleted centres, results on withdrawn "
        "entries.",
        ErrorKindValue.KEY_TIME: "Key Time Errors: key times out of order, results missing "
        "after their release.",
        ErrorKindValue.OTHER: "Other Errors: failed jobs and undelivered email.",
    },
)
