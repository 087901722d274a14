"""The audit trail: every mutation records who, what, where, before and after."""

from typing import Any

from models.audit import AuditEvent, SignInEvent, SignInOutcome
from policies import Actor
from resolvers.core import clock


async def record(
    actor: Actor,
    action: str,
    *,
    organisation_id: int | None = None,
    target_type: str | None = None,
    target_id: int | str | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Write an audit event; call it inside the mutation's transaction."""
    return await AuditEvent.create(
        # From the resolvers' clock, as sign-ins are, so that reports filtered by time agree
        # with the times tests and the rest of the rules see.
        at=clock.now(),
        actor_user_id=actor.user_id,
        actor_email=actor.email,
        action=action,
        organisation_id=organisation_id,
        target_type=target_type,
        target_id=None if target_id is None else str(target_id),
        before=before,
        after=after,
        request_id=actor.request.request_id,
    )


async def record_at_each(
    actor: Actor,
    action: str,
    after_at: dict[int, dict[str, Any]],
    *,
    target_type: str | None = None,
    target_id: int | str | None = None,
) -> None:
    """One event per organisation (its own `after`), in a few writes: one change that reaches
    many organisations shows in each one's own audit log."""
    now = clock.now()
    await AuditEvent.bulk_create(
        [
            AuditEvent(
                at=now,
                actor_user_id=actor.user_id,
                actor_email=actor.email,
                action=action,
                organisation_id=organisation_id,
                target_type=target_type,
                target_id=None if target_id is None else str(target_id),
                after=after,
                request_id=actor.request.request_id,
            )
            for organisation_id, after in after_at.items()
        ],
        batch_size=500,
    )


async def record_sign_in(
    actor: Actor, email: str, outcome: SignInOutcome, user_id: int | None = None
) -> None:
    await SignInEvent.create(
        # Throttling compares these times with clock.now(): take them from the same clock.
        at=clock.now(),
        email=email,
        user_id=user_id,
        outcome=outcome,
        ip_address=actor.request.ip_address,
        user_agent=(actor.request.user_agent or "")[:300] or None,
        request_id=actor.request.request_id,
    )
