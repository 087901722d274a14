"""Delivers the outbox: by SMTP when a URL is set, otherwise (outside production) into the log.

A message that cannot be delivered is tried again with a capped exponential back-off (1 minute,
doubling, at most an hour apart) until it has been queued for longer than the give-up window
(EXAMDESK_MAIL_GIVE_UP_HOURS, 3 days by default), so an SMTP outage of hours or a weekend
loses nothing. Then it is FAILED, kept with its last error for board admins to see and send
again (resolvers/admin/outbox.py).
"""

import logging
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any
from urllib.parse import unquote, urlsplit

import aiosmtplib

from examdesk.background import BackgroundLoop
from models.mail import DeliveryStatus, OutboxMessage
from resolvers.core import clock
from resolvers.core.mail import on_outbox_write

log = logging.getLogger("examdesk.mail")

BATCH = 50
# Long enough that another process will not pick up a message this one is sending.
CLAIM = timedelta(minutes=5)
FIRST_RETRY = timedelta(minutes=1)
MAX_RETRY = timedelta(hours=1)
DEFAULT_GIVE_UP_AFTER = timedelta(days=3)


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failed attempt: 1, 2, 4... minutes, then hourly."""
    # The exponent is bounded so that a message retried for days does not build a huge number.
    return min(MAX_RETRY, FIRST_RETRY * 2 ** min(attempts - 1, 16))


def _describe(exc: Exception) -> str:
    """The error as a board admin reads it: the server's reply, or why it could not be reached."""
    if isinstance(exc, aiosmtplib.SMTPResponseException):
        return f"{exc.code} {exc.message}"
    return f"{type(exc).__name__}: {exc}"


class NoMailServer(Exception):
    """Production has no SMTP server to send through, and will not write emails to its log."""


class MailDelivery:
    def __init__(
        self,
        smtp_url: str | None,
        mail_from: str,
        poll_seconds: float = 1.0,
        give_up_after: timedelta = DEFAULT_GIVE_UP_AFTER,
        *,
        log_without_smtp: bool = True,
    ) -> None:
        self.smtp_url = smtp_url
        # Development writes the emails it cannot send into the log, where their links and codes
        # can be read. Production never does: its logs are collected and kept, and a sign-in
        # code or a reset link there would open the account to whoever reads them.
        self.log_without_smtp = log_without_smtp
        self.mail_from = mail_from
        self.give_up_after = give_up_after
        self._loop = BackgroundLoop(
            "examdesk-mail-delivery", self.deliver_due, on_outbox_write, poll_seconds
        )

    def start(self) -> None:
        self._loop.start()

    async def stop(self) -> None:
        await self._loop.stop()

    async def deliver_due(self) -> int:
        # The resolvers' clock, which queued the messages: a message is due when its
        # next_attempt_at (written with that clock) has passed on the same clock.
        now = clock.now()
        due = (
            await OutboxMessage.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
            .order_by("id")
            .limit(BATCH)
        )
        delivered = 0
        for message in due:
            claimed = await OutboxMessage.filter(
                id=message.id,
                status=DeliveryStatus.PENDING,
                next_attempt_at=message.next_attempt_at,
            ).update(next_attempt_at=now + CLAIM)
            if not claimed:
                continue
            try:
                await self._send(message)
            except (aiosmtplib.SMTPException, OSError, NoMailServer) as exc:
                await self._failed(message, now, exc)
                continue
            await OutboxMessage.filter(id=message.id).update(
                status=DeliveryStatus.SENT,
                sent_at=clock.now(),
                last_attempt_at=now,
                attempts=message.attempts + 1,
                last_error=None,
            )
            delivered += 1
        return delivered

    async def _failed(self, message: OutboxMessage, now: datetime, exc: Exception) -> None:
        attempts = message.attempts + 1
        changes: dict[str, Any] = {
            "attempts": attempts,
            "last_error": _describe(exc)[:2000],
            "last_attempt_at": now,
        }
        if now - message.queued_at >= self.give_up_after:
            # Kept, not deleted: board admins see it in undeliveredEmails and may resend it.
            await OutboxMessage.filter(id=message.id).update(
                status=DeliveryStatus.FAILED, failed_at=now, **changes
            )
            log.error(
                "mail %s to %s failed for good after %s attempts since %s: %s",
                message.id,
                message.recipient,
                attempts,
                message.queued_at,
                changes["last_error"],
            )
            return
        await OutboxMessage.filter(id=message.id).update(
            next_attempt_at=now + retry_delay(attempts), **changes
        )
        log.warning(
            "mail %s to %s failed (attempt %s): %s",
            message.id,
            message.recipient,
            attempts,
            changes["last_error"],
        )

    async def _send(self, message: OutboxMessage) -> None:
        if not self.smtp_url and not self.log_without_smtp:
            # Kept PENDING and tried again, as for a server that is down: sent once
            # EXAMDESK_SMTP_URL is set, shown to board admins in undeliveredEmails meanwhile.
            raise NoMailServer(
                "no EXAMDESK_SMTP_URL is set, and production writes no email to its log"
            )
        if not self.smtp_url:
            log.info(
                "mail (no SMTP configured) to %s\nSubject: %s\n\n%s",
                message.recipient,
                message.subject,
                message.body,
            )
            return
        email = EmailMessage()
        email["From"] = self.mail_from
        email["To"] = message.recipient
        email["Subject"] = message.subject
        email.set_content(message.body)
        url = urlsplit(self.smtp_url)
        await aiosmtplib.send(
            email,
            hostname=url.hostname or "127.0.0.1",
            port=url.port or (465 if url.scheme == "smtps" else 25),
            username=unquote(url.username) if url.username else None,
            password=unquote(url.password) if url.password else None,
            use_tls=url.scheme == "smtps",
            start_tls=True if url.scheme == "smtp+starttls" else None,
            timeout=30,
        )
