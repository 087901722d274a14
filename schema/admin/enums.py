"""Enums of board administration: sign-in outcomes and email delivery states."""

import strawberry

from models.audit import SignInOutcome as SignInOutcomeValue
from models.mail import DeliveryStatus as DeliveryStatusValue

SignInOutcome = strawberry.enum(SignInOutcomeValue)


DeliveryStatus = strawberry.enum(
    DeliveryStatusValue,
    description="PENDING: queued, or being retried after a failure. SENT: delivered to the "
    "mail server. FAILED: given up on after the retry window; it can be sent again.",
)
