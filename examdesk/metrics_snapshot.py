"""The metrics read from the database when /metrics is scraped (examdesk/metrics.py): the job
queue and the email outbox are tables, so every process reports the same, whichever process
runs the jobs or delivers the mail; and this process's database connections.

Each reading is a few indexed counts; a scraper every 15 seconds costs next to nothing."""

import logging
from datetime import timedelta
from typing import Any

from prometheus_client.core import GaugeMetricFamily, SummaryMetricFamily
from tortoise import Tortoise
from tortoise.functions import Count, Min

from models.jobs import Job, JobStatus
from models.mail import DeliveryStatus, OutboxMessage
from resolvers.core import clock

log = logging.getLogger("examdesk.metrics")

# Durations are reported for the jobs that finished this recently.
RECENT = timedelta(hours=1)
# At most this many recent jobs are read for their durations.
RECENT_JOBS = 2000


async def _job_queue() -> list[Any]:
    depth = GaugeMetricFamily(
        "examdesk_jobs", "Jobs waiting or running, by status", labels=["status"]
    )
    rows = await (
        Job.filter(status__in=[JobStatus.QUEUED, JobStatus.RUNNING])
        .annotate(count=Count("id"), oldest=Min("created_at"))
        .group_by("status")
        .values("status", "count", "oldest")
    )
    found = {row["status"]: row for row in rows}
    oldest = GaugeMetricFamily(
        "examdesk_job_oldest_waiting_seconds",
        "How long the oldest job waiting to start has waited (0: none waits)",
    )
    now = clock.now()
    for status in (JobStatus.QUEUED, JobStatus.RUNNING):
        depth.add_metric([status.value], found.get(status, {}).get("count", 0))
    waiting = found.get(JobStatus.QUEUED, {}).get("oldest")
    oldest.add_metric([], max((now - waiting).total_seconds(), 0.0) if waiting else 0.0)
    return [depth, oldest]


async def _job_durations() -> list[Any]:
    rows = await (
        Job.filter(finished_at__gte=clock.now() - RECENT, started_at__isnull=False)
        .order_by("-finished_at")
        .limit(RECENT_JOBS)
        .values_list("kind", "status", "started_at", "finished_at")
    )
    totals: dict[tuple[str, str], list[float]] = {}
    for kind, status, started, finished in rows:
        seconds = max((finished - started).total_seconds(), 0.0)
        count_and_sum = totals.setdefault((kind, str(status)), [0, 0.0])
        count_and_sum[0] += 1
        count_and_sum[1] += seconds
    family = SummaryMetricFamily(
        "examdesk_job_duration_seconds_last_hour",
        "Jobs finished in the last hour: how many and their total run time, by kind and status",
        labels=["kind", "status"],
    )
    for (kind, status), (count, total) in sorted(totals.items()):
        family.add_metric([kind, status], count_value=count, sum_value=total)
    return [family]


async def _outbox() -> list[Any]:
    rows = await (
        OutboxMessage.filter(status__in=[DeliveryStatus.PENDING, DeliveryStatus.FAILED])
        .annotate(count=Count("id"), oldest=Min("queued_at"))
        .group_by("status")
        .values("status", "count", "oldest")
    )
    found = {row["status"]: row for row in rows}
    undelivered = GaugeMetricFamily(
        "examdesk_mail_undelivered",
        "Emails not delivered: PENDING (being tried) or FAILED (given up on)",
        labels=["status"],
    )
    for status in (DeliveryStatus.PENDING, DeliveryStatus.FAILED):
        undelivered.add_metric([status.value], found.get(status, {}).get("count", 0))
    oldest = GaugeMetricFamily(
        "examdesk_mail_oldest_pending_seconds",
        "How long the oldest email still being tried has waited (0: none)",
    )
    pending = found.get(DeliveryStatus.PENDING, {}).get("oldest")
    oldest.add_metric([], max((clock.now() - pending).total_seconds(), 0.0) if pending else 0.0)
    return [undelivered, oldest]


def _pool() -> list[Any]:
    """This process's connections: asyncpg's pool on PostgreSQL, the one connection (and its
    lock, held by a query or a transaction) on SQLite."""
    connection = Tortoise.get_connection("default")
    pool = getattr(connection, "_pool", None)
    if pool is not None:
        size, idle, limit = pool.get_size(), pool.get_idle_size(), pool.get_max_size()
    else:
        lock = getattr(connection, "_lock", None)
        size = 1 if getattr(connection, "_connection", None) is not None else 0
        idle = size - (1 if lock is not None and lock.locked() else 0)
        limit = 1
    family = GaugeMetricFamily(
        "examdesk_database_connections",
        "This process's database connections, by state",
        labels=["state"],
    )
    family.add_metric(["in_use"], size - idle)
    family.add_metric(["idle"], idle)
    maximum = GaugeMetricFamily(
        "examdesk_database_connections_max", "The most database connections this process opens"
    )
    maximum.add_metric([], limit)
    return [family, maximum]


async def snapshot() -> list[Any]:
    """The readings, or none when the database cannot give them: the counts kept in the process
    are all the more wanted during an outage, so the scrape goes on without them."""
    readable = GaugeMetricFamily(
        "examdesk_database_readings_ok",
        "1 if this scrape read the job queue and the outbox from the database, 0 if it could not",
    )
    try:
        readings = [*await _job_queue(), *await _job_durations(), *await _outbox(), *_pool()]
    except Exception:
        log.warning("the metrics could not be read from the database", exc_info=True)
        readable.add_metric([], 0)
        return [readable]
    readable.add_metric([], 1)
    return [*readings, readable]
