"""Runs queued jobs in the background of each app process, one at a time."""

from examdesk.background import BackgroundLoop
from resolvers import jobs


async def _pass() -> None:
    await jobs.fail_stale()
    await jobs.run_queued()


def job_worker(poll_seconds: float = 2.0) -> BackgroundLoop:
    return BackgroundLoop("examdesk-jobs", _pass, jobs.on_enqueue, poll_seconds)
