"""Runs queued jobs in the background of a process (a server's, or `examdesk worker`), one at a
time, and watches for jobs whose process went away (a separate loop, so that it keeps watching
while a long job runs)."""

from examdesk.background import BackgroundLoop
from resolvers.core import interrupted_jobs, jobs


def job_worker(poll_seconds: float = 2.0) -> BackgroundLoop:
    return BackgroundLoop("examdesk-jobs", jobs.run_queued, jobs.on_enqueue, poll_seconds)


def lost_job_poller(poll_seconds: float = jobs.RENEW_EVERY.total_seconds()) -> BackgroundLoop:
    """Fails jobs whose lease ran out: with a 45 s lease, within a minute of their process
    going. Woken with the worker too, so a process that starts looks at once."""
    return BackgroundLoop(
        "examdesk-lost-jobs", interrupted_jobs.interrupt_lost_jobs, jobs.on_enqueue, poll_seconds
    )
