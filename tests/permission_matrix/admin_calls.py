"""How the admin domain's operations in the permission matrix are called and checked: the
undelivered emails and sending one again."""

from typing import Any

from strawberry import relay

from models.mail import DeliveryStatus, OutboxMessage
from models.organisations import OrganisationKind
from resolvers.core import clock
from tests.permission_matrix.world import ERRORS, Call, Preparer, unique


async def _failed_email() -> tuple[OutboxMessage, str]:
    """An email given up on, and its id in the API."""
    failed = await OutboxMessage.create(
        recipient=f"{unique('undelivered')}@example.test",
        subject="Lost",
        body="secret",
        template="INVITATION",
        status=DeliveryStatus.FAILED,
        queued_at=clock.now(),
        next_attempt_at=clock.now(),
        attempts=3,
        last_error="451 try later",
        failed_at=clock.now(),
    )
    email_id = relay.to_base64("UndeliveredEmail", failed.id)
    return failed, email_id


async def _undelivered_emails(code: str, kind: OrganisationKind, role: str, expected: str) -> Call:
    _, email_id = await _failed_email()

    async def verify(data: Any) -> None:
        assert email_id in [n["id"] for n in data["nodes"]]

    return Call(
        "{ undeliveredEmails(filter: {failedOnly: true}, first: 100) "
        "{ totalCount nodes { id recipient lastError } } }",
        {},
        "undeliveredEmails",
        verify,
    )


async def _resend_email(code: str, kind: OrganisationKind, role: str, expected: str) -> Call:
    failed, email_id = await _failed_email()

    async def verify(data: Any) -> None:
        assert data["errors"] == []
        assert data["email"] == {"id": email_id, "status": "PENDING"}
        assert (await OutboxMessage.get(id=failed.id)).status is not DeliveryStatus.FAILED

    return Call(
        f"mutation($input: ResendEmailInput!) {{ resendEmail(input: $input) "
        f"{{ email {{ id status }} {ERRORS} }} }}",
        {"input": {"id": email_id}},
        "resendEmail",
        verify,
    )


CALLS: dict[str, Preparer] = {
    "undeliveredEmails": _undelivered_emails,
    "resendEmail": _resend_email,
}
