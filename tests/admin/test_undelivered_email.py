"""Nothing is lost when the mail server is down: retries with a capped back-off for the whole
give-up window, then a FAILED email kept for board admins to see and send again. Against the
real loopback SMTP server (tests/conftest.py mailbox), refusing mail during the outage."""

import asyncio
import logging
from datetime import timedelta

import httpx
import pytest
from strawberry import relay

from examdesk.demo import seed_demo
from examdesk.settings import Mode, Settings, SettingsError
from models.audit import AuditEvent
from models.mail import DeliveryStatus, OutboxMessage
from resolvers.core import clock
from resolvers.core.mail import MailTemplate
from tests.helpers.app import AppFactory
from tests.helpers.graphql import GraphQLClient
from tests.helpers.mail import Mailbox

OUTAGE = "451 4.3.0 Mail system unavailable"
INVITE = """
mutation($input: InviteUserInput!) { inviteUser(input: $input) { outcome errors { code } } }
"""
UNDELIVERED = """
query($failedOnly: Boolean!) {
  undeliveredEmails(filter: {failedOnly: $failedOnly}, first: 10) {
    totalCount
    nodes {
      id recipient subject template status attempts lastError createdAt queuedAt
      lastAttemptAt nextAttemptAt failedAt
    }
  }
}
"""
RESEND = """
mutation($input: ResendEmailInput!) {
  resendEmail(input: $input) {
    email { id status attempts lastError nextAttemptAt failedAt }
    errors { code field message }
  }
}
"""


async def invite(client: GraphQLClient, token: str, email: str) -> OutboxMessage:
    data = await client.ok(
        INVITE,
        {
            "input": {
                "organisationCode": "AA101",
                "firstName": "Olive",
                "lastName": "Outage",
                "email": email,
                "roles": ["SFA_TEACHER"],
            }
        },
        token,
    )
    assert data["inviteUser"] == {"outcome": "INVITED", "errors": []}
    return await OutboxMessage.get(recipient=email, template=MailTemplate.INVITATION.value)


async def next_attempt(message: OutboxMessage) -> OutboxMessage:
    """The message once the delivery task has tried it again (it polls every 50 ms)."""
    async with asyncio.timeout(10):
        while True:
            seen = await OutboxMessage.get(id=message.id)
            if seen.attempts > message.attempts or seen.status is not message.status:
                return seen
            await asyncio.sleep(0.02)


def global_id(message_id: int) -> str:
    return str(relay.GlobalID("UndeliveredEmail", str(message_id)))


async def test_an_outage_longer_than_the_retry_window_keeps_the_email_to_resend(
    mailbox: Mailbox, mail_client: GraphQLClient
) -> None:
    mailbox.refusal = OUTAGE
    eo = await mail_client.sign_in("eo@aa101.example")
    message = await invite(mail_client, eo, "olive.outage@aa101.example")
    message = await next_attempt(message)
    queued_at = message.queued_at

    # Move the clock to each retry as it falls due, until the delivery task gives up.
    gaps: list[timedelta] = []
    while message.status is DeliveryStatus.PENDING:
        assert message.last_attempt_at is not None
        gaps.append(message.next_attempt_at - message.last_attempt_at)
        clock.advance(message.next_attempt_at - clock.now() + timedelta(seconds=1))
        message = await next_attempt(message)
        assert len(gaps) < 200, "never gave up"

    # 1 minute doubling to an hour, then hourly: far more than the 8 tries (~64 minutes) that
    # used to lose the email, and for the whole give-up window (3 days) since it was queued.
    minutes = [round(gap.total_seconds() / 60) for gap in gaps]
    assert minutes[:7] == [1, 2, 4, 8, 16, 32, 60]
    assert set(minutes[6:]) == {60}
    assert message.status is DeliveryStatus.FAILED
    assert message.attempts == len(gaps) + 1 > 70
    assert message.failed_at is not None
    assert timedelta(days=3) <= message.failed_at - queued_at < timedelta(days=3, minutes=61)
    assert message.last_error is not None
    assert OUTAGE in message.last_error
    assert mailbox.to("olive.outage@aa101.example") == []

    # The board sees it, with the server's answer, and never the body (a temporary password).
    admin = await mail_client.sign_in("admin@exb.example")
    response = await mail_client.post(UNDELIVERED, {"failedOnly": True}, admin)
    assert "errors" not in response, response
    listed = response["data"]["undeliveredEmails"]
    assert listed["totalCount"] == 1
    [node] = listed["nodes"]
    assert node["id"] == global_id(message.id)
    assert (node["recipient"], node["template"], node["status"], node["attempts"]) == (
        "olive.outage@aa101.example",
        "INVITATION",
        "FAILED",
        message.attempts,
    )
    assert node["subject"] == message.subject
    assert OUTAGE in node["lastError"]
    assert node["failedAt"] is not None
    assert node["nextAttemptAt"] is None
    assert "Temporary password" not in str(response)
    assert "Temporary password" in message.body

    # The server is back: resendEmail queues it again and it is delivered, once.
    mailbox.refusal = None
    resent = (await mail_client.ok(RESEND, {"input": {"id": node["id"]}}, admin))["resendEmail"]
    assert resent["errors"] == []
    assert resent["email"]["status"] == "PENDING"
    assert resent["email"]["failedAt"] is None
    [delivered] = await mailbox.wait_for("olive.outage@aa101.example")
    assert "Temporary password" in delivered.get_content()
    async with asyncio.timeout(10):
        # The delivery task writes SENT after the server's reply: poll the row.
        while (await OutboxMessage.get(id=message.id)).status is not DeliveryStatus.SENT:  # noqa: ASYNC110
            await asyncio.sleep(0.02)
    sent = await OutboxMessage.get(id=message.id)
    assert (sent.attempts, sent.last_error) == (1, None)
    await asyncio.sleep(0.3)
    assert len(mailbox.to("olive.outage@aa101.example")) == 1
    event = await AuditEvent.get(action="email.resend")
    assert event.target_id == str(message.id)
    assert event.after is not None
    assert event.after["recipient"] == "olive.outage@aa101.example"

    after = await mail_client.ok(UNDELIVERED, {"failedOnly": False}, admin)
    assert after["undeliveredEmails"]["totalCount"] == 0
    again = (await mail_client.ok(RESEND, {"input": {"id": node["id"]}}, admin))["resendEmail"]
    assert [e["code"] for e in again["errors"]] == ["EMAIL_NOT_FAILED"]
    assert again["email"] is None


async def test_emails_still_being_retried_are_listed_but_not_resent(
    mailbox: Mailbox, mail_client: GraphQLClient
) -> None:
    mailbox.refusal = OUTAGE
    eo = await mail_client.sign_in("eo@aa101.example")
    admin = await mail_client.sign_in("admin@exb.example")
    message = await next_attempt(await invite(mail_client, eo, "rita.retry@aa101.example"))

    pending = await mail_client.ok(UNDELIVERED, {"failedOnly": False}, admin)
    [node] = pending["undeliveredEmails"]["nodes"]
    assert (node["status"], node["attempts"]) == ("PENDING", message.attempts)
    assert node["nextAttemptAt"] is not None
    assert node["failedAt"] is None
    assert OUTAGE in node["lastError"]
    failed = await mail_client.ok(UNDELIVERED, {"failedOnly": True}, admin)
    assert failed["undeliveredEmails"]["totalCount"] == 0

    events = await AuditEvent.all().count()
    body = (await mail_client.ok(RESEND, {"input": {"id": node["id"]}}, admin))["resendEmail"]
    assert [(e["code"], e["field"]) for e in body["errors"]] == [
        ("EMAIL_NOT_FAILED", ["input", "id"])
    ]
    missing = global_id(999999)
    body = (await mail_client.ok(RESEND, {"input": {"id": missing}}, admin))["resendEmail"]
    assert [e["code"] for e in body["errors"]] == ["NOT_FOUND"]
    assert await AuditEvent.all().count() == events


async def test_only_board_admins_see_and_resend_undelivered_email(
    mailbox: Mailbox, mail_client: GraphQLClient
) -> None:
    mailbox.refusal = OUTAGE
    eo = await mail_client.sign_in("eo@aa101.example")
    message = await next_attempt(await invite(mail_client, eo, "fay.forbidden@aa101.example"))
    await OutboxMessage.filter(id=message.id).update(
        status=DeliveryStatus.FAILED, failed_at=clock.now()
    )
    for token in (eo, await mail_client.sign_in("users@aa101.example"), None):
        expected = "FORBIDDEN" if token else "UNAUTHENTICATED"
        listed = await mail_client.post(UNDELIVERED, {"failedOnly": False}, token)
        assert [e["extensions"]["code"] for e in listed["errors"]] == [expected]
        resent = await mail_client.post(RESEND, {"input": {"id": global_id(message.id)}}, token)
        assert [e["extensions"]["code"] for e in resent["errors"]] == [expected]
    assert (await OutboxMessage.get(id=message.id)).status is DeliveryStatus.FAILED


def test_the_give_up_window_is_three_days_unless_configured() -> None:
    assert Settings.from_env({}).mail_give_up_after == timedelta(days=3)
    configured = Settings.from_env({"EXAMDESK_MAIL_GIVE_UP_HOURS": "120"})
    assert configured.mail_give_up_after == timedelta(hours=120)
    for wrong in ("soon", "0", "-5"):
        with pytest.raises(SettingsError):
            Settings.from_env({"EXAMDESK_MAIL_GIVE_UP_HOURS": wrong})


async def test_every_failed_email_is_listed_as_the_error_report_and_resend_take_it(
    demo: object, gql: GraphQLClient
) -> None:
    # A FAILED email however it got there, with no attempt counted (written by hand, or
    # restored): the error report links to it and resendEmail takes it, so the list shows it.
    def message(status: DeliveryStatus, **fields: object) -> OutboxMessage:
        return OutboxMessage(
            recipient=f"{status.value.lower()}@aa101.example",
            subject="Your invitation",
            body="secret",
            template="INVITATION",
            status=status,
            queued_at=clock.now(),
            next_attempt_at=clock.now() + timedelta(days=1),
            **fields,
        )

    failed = message(DeliveryStatus.FAILED, failed_at=clock.now(), last_error="550 No such user")
    await failed.save()
    # Queued and never tried: not undelivered yet.
    await message(DeliveryStatus.PENDING).save()
    admin = await gql.sign_in("admin@exb.example")
    for failed_only in (True, False):
        listed = (await gql.ok(UNDELIVERED, {"failedOnly": failed_only}, admin))[
            "undeliveredEmails"
        ]
        assert [n["id"] for n in listed["nodes"]] == [global_id(failed.id)], failed_only
        assert listed["totalCount"] == 1
    resent = (await gql.ok(RESEND, {"input": {"id": global_id(failed.id)}}, admin))["resendEmail"]
    assert resent["errors"] == []


async def test_production_without_a_mail_server_keeps_emails_out_of_its_log(
    make_app: AppFactory, caplog: pytest.LogCaptureFixture
) -> None:
    # Development writes such emails to its log; production's log is collected and kept, and an
    # invitation's temporary password there would open the account to whoever reads it.
    app = await make_app(mode=Mode.PRODUCTION, secret_key="a-production-secret-" + "x" * 24)
    await seed_demo()
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://examdesk.test") as http:
        client = GraphQLClient(http)
        token = await client.sign_in("users@aa101.example")
        # INFO, as production logs (the ORM's DEBUG lines hold every statement's values).
        with caplog.at_level(logging.INFO):
            message = await invite(client, token, "quiet@aa101.example")
            for _ in range(200):
                await asyncio.sleep(0.05)
                await message.refresh_from_db()
                if message.attempts:
                    break
    assert message.status is DeliveryStatus.PENDING
    assert message.attempts == 1
    assert message.last_error is not None
    assert "no EXAMDESK_SMTP_URL" in message.last_error
    assert "quiet@aa101.example" in caplog.text  # the failure is logged...
    for line in message.body.splitlines():
        if len(line) > 12:
            assert line not in caplog.text  # ...but nothing of the email itself
