"""Enums of board administration: sign-in outcomes, email delivery states, error kinds."""

import strawberry

from models.audit import SignInOutcome as SignInOutcomeValue
from models.mail import DeliveryStatus as DeliveryStatusValue
from resolvers.admin.error_report import ErrorKind as ErrorKindValue

SignInOutcome = strawberry.enum(SignInOutcomeValue)


DeliveryStatus = strawberry.enum(
    DeliveryStatusValue,
    description="PENDING: queued, or being retried after a failure. SENT: delivered to the "
    "mail server. FAILED: given up on after the retry window; it can be sent again.",
)


ErrorKind = strawberry.enum(
    ErrorKindValue,
    description="The errors report's lists: ENTRY (Entry Errors), KEY_TIME (Key Time Errors), "
    "OTHER (Other Errors: failed jobs, undelivered email).",
)
