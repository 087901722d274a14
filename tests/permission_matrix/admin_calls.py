"""How the admin domain's operations in the permission matrix are called and checked: the
undelivered emails and sending one again, access explained and the policy table."""

from typing import Any

from strawberry import relay

from models.audit import AuditEvent
from models.mail import DeliveryStatus, OutboxMessage
from models.organisations import Organisation, OrganisationKind
from models.users import User
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


async def _explain_access(code: str, kind: OrganisationKind, role: str, expected: str) -> Call:
    # The demo's exams officer of AA101, asked about wherever the column names.
    person = await User.get(email="eo@aa101.example")
    before = await AuditEvent.filter(action="access.explain").count()

    async def verify(data: Any) -> None:
        assert data["organisationCode"] == code
        assert data["userId"] == relay.to_base64("User", person.id)
        # Theirs, unless the cell soft-deleted it.
        deleted = (await Organisation.get(code=code)).deleted_at is not None
        assert data["allowed"] == (code == "AA101" and not deleted)
        assert await AuditEvent.filter(action="access.explain").count() == before + 1

    return Call(
        "query($u: ID!, $c: String!) { explainAccess(userId: $u, organisationCode: $c, "
        'object: "users", action: "manage") { userId organisationCode allowed reason } }',
        {"u": relay.to_base64("User", person.id), "c": code},
        "explainAccess",
        verify,
    )


async def _policy_table(code: str, kind: OrganisationKind, role: str, expected: str) -> Call:
    async def verify(data: Any) -> None:
        assert ("series", "manage") in {(r["object"], r["action"]) for r in data["rows"]}

    return Call(
        "{ policyTable { rows { object action } } }",
        {},
        "policyTable",
        verify,
    )


CALLS: dict[str, Preparer] = {
    "undeliveredEmails": _undelivered_emails,
    "resendEmail": _resend_email,
    "explainAccess": _explain_access,
    "policyTable": _policy_table,
}
