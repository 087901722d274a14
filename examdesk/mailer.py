"""Delivers the outbox: by SMTP when a URL is set, otherwise into the log."""

import logging
from datetime import timedelta
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

import aiosmtplib

from examdesk.background import BackgroundLoop
from models.mail import OutboxMessage
from resolvers import clock
from resolvers.mail import on_outbox_write

log = logging.getLogger("examdesk.mail")

BATCH = 50
MAX_ATTEMPTS = 8
# Long enough that another process will not pick up a message this one is sending.
CLAIM = timedelta(minutes=5)


class MailDelivery:
    def __init__(self, smtp_url: str | None, mail_from: str, poll_seconds: float = 1.0) -> None:
        self.smtp_url = smtp_url
        self.mail_from = mail_from
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
        due = await OutboxMessage.filter(
            sent_at=None, next_attempt_at__lte=now, attempts__lt=MAX_ATTEMPTS
        ).order_by("id").limit(BATCH)
        delivered = 0
        for message in due:
            claimed = await OutboxMessage.filter(
                id=message.id, sent_at=None, next_attempt_at=message.next_attempt_at
            ).update(next_attempt_at=now + CLAIM)
            if not claimed:
                continue
            try:
                await self._send(message)
            except (aiosmtplib.SMTPException, OSError) as exc:
                attempts = message.attempts + 1
                backoff = timedelta(seconds=min(3600, 15 * 2**attempts))
                await OutboxMessage.filter(id=message.id).update(
                    attempts=attempts, last_error=str(exc)[:2000], next_attempt_at=now + backoff
                )
                log.warning("mail %s to %s failed (attempt %s): %s",
                            message.id, message.recipient, attempts, exc)
                continue
            await OutboxMessage.filter(id=message.id).update(
                sent_at=clock.now(), attempts=message.attempts + 1, last_error=None
            )
            delivered += 1
        return delivered

    async def _send(self, message: OutboxMessage) -> None:
        if not self.smtp_url:
            log.info("mail (no SMTP configured) to %s\nSubject: %s\n\n%s",
                     message.recipient, message.subject, message.body)
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
