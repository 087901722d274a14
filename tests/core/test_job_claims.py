"""Several processes share the queue and the outbox: each job is claimed by one of them alone,
and each email sent once. Processes racing are claims racing on the database, which these tests
start at once on separate connections (PostgreSQL: its pool; SQLite: one writer at a time)."""

import asyncio

from starlette.applications import Starlette
from tortoise.transactions import in_transaction

from examdesk.demo import seed_demo
from examdesk.mailer import MailDelivery
from models.jobs import Job, JobStatus
from models.mail import DeliveryStatus, OutboxMessage
from models.organisations import Organisation
from models.users import User
from policies import Actor, RequestMeta
from resolvers.core import clock, jobs
from tests.helpers import blocking_job
from tests.helpers.app import AppFactory
from tests.helpers.mail import Mailbox


async def queue_blocking(count: int) -> list[int]:
    user = await User.get(email="eo@aa101.example")
    centre = await Organisation.get(code="AA101")
    actor = Actor(request=RequestMeta(request_id="test-claims"), user_id=user.id)
    async with in_transaction():
        return [
            (
                await jobs.enqueue(
                    actor, blocking_job.KIND, organisation_id=centre.id, payload={"release": "-"}
                )
            ).id
            for _ in range(count)
        ]


async def test_each_queued_job_is_claimed_by_one_claimant_alone(make_app: AppFactory) -> None:
    # The app runs no jobs itself: the claimants below are the only ones.
    await make_app(run_worker=False)
    await seed_demo()
    queued = await queue_blocking(6)
    claimed = await asyncio.gather(*(jobs.claim_next() for _ in range(10)))
    ids = [job.id for job in claimed if job is not None]
    assert sorted(ids) == sorted(queued)
    rows = await Job.filter(id__in=queued)
    assert {(row.status, row.runs) for row in rows} == {(JobStatus.RUNNING, 1)}
    assert all(row.lease_expires_at is not None for row in rows)
    assert await jobs.claim_next() is None


async def test_each_email_is_sent_once_by_several_deliverers(
    make_app: AppFactory, mailbox: Mailbox
) -> None:
    app: Starlette = await make_app(run_worker=False)
    assert app.state.settings.run_worker is False
    await OutboxMessage.bulk_create(
        [
            OutboxMessage(
                recipient=f"person{i}@aa101.example",
                subject="Hello",
                body="Hello there.",
                template="INVITATION",
                queued_at=clock.now(),
                next_attempt_at=clock.now(),
            )
            for i in range(12)
        ]
    )
    deliverers = [MailDelivery(mailbox.url, "examdesk <a@b.example>") for _ in range(3)]  # type: ignore[attr-defined]
    delivered = await asyncio.gather(*(d.deliver_due() for d in deliverers))
    assert sum(delivered) == 12
    assert await OutboxMessage.filter(status=DeliveryStatus.SENT).count() == 12
    assert sorted(m["To"] for m in mailbox.messages) == sorted(
        f"person{i}@aa101.example" for i in range(12)
    )
