"""The background work of examdesk: queued jobs, jobs whose process went away, and the outbox.

`examdesk serve` does it beside the web requests unless told not to (--no-worker, for a
deployment whose web processes leave it to workers); `examdesk worker` does only it, in as many
processes as wanted. Nothing is done twice: a job is claimed by one process alone
(resolvers/core/jobs.py), and so is an outbox message (examdesk/mailer.py).

A worker stops on SIGTERM or SIGINT: it claims nothing more, hands the job it is running back to
the queue (QUEUED, for another worker or itself when started again), stops the CPU pool's
processes and closes the database. One killed outright leaves its job to the lease: another
process's poller fails it as interrupted within a minute.
"""

import asyncio
import logging
import os
import signal

from examdesk.database import close_database, open_database
from examdesk.jobs import job_worker, lost_job_poller
from examdesk.mailer import MailDelivery
from examdesk.settings import Settings
from resolvers.core import cpu, jobs
from resolvers.core.config import ResolverConfig, configure
from resolvers.job_kinds import JOB_KINDS

log = logging.getLogger("examdesk")


class BackgroundWork:
    """The loops a process runs to do the background work, started and stopped together."""

    def __init__(self, settings: Settings) -> None:
        self.mail = MailDelivery(
            settings.smtp_url,
            settings.mail_from,
            settings.mail_poll_seconds,
            settings.mail_give_up_after,
            log_without_smtp=not settings.production,
        )
        self._jobs = job_worker()
        self._lost_jobs = lost_job_poller()

    def start(self) -> None:
        self.mail.start()
        self._jobs.start()
        self._lost_jobs.start()

    async def stop(self) -> None:
        # The job loop first: its running job goes back to the queue while the database is open.
        await self._jobs.stop()
        await self._lost_jobs.stop()
        await self.mail.stop()
        await cpu.shutdown()


async def work_until_stopped(
    settings: Settings, config: ResolverConfig, stop: asyncio.Event | None = None
) -> None:
    """The `examdesk worker` process: the background work until SIGTERM or SIGINT (or `stop`)."""
    configure(config)
    jobs.install(JOB_KINDS)
    await open_database(settings.database_url)
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for signal_number in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signal_number, stop.set)
    work = BackgroundWork(settings)
    try:
        work.start()
        log.info("examdesk worker started (pid %s, CPU pool of %s)", os.getpid(), cpu.cores())
        await stop.wait()
        log.info("examdesk worker stopping")
    finally:
        for signal_number in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(signal_number)
        await work.stop()
        await close_database()
    log.info("examdesk worker stopped")
