"""Long work (bulk uploads, PDF batches) run in the background, and the files it makes."""

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from models.organisations import Organisation


class JobStatus(StrEnum):
    QUEUED = "QUEUED"
    RUNNING = "RUNNING"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"


class Job(Model):
    id = fields.IntField(primary_key=True)
    kind = fields.CharField(max_length=64)
    # Where the work happens: who may follow it is decided against this organisation.
    organisation: fields.ForeignKeyNullableRelation[Organisation] = fields.ForeignKeyField(
        "models.Organisation", related_name="jobs", null=True, on_delete=fields.CASCADE
    )
    organisation_id: int | None
    created_by_id = fields.IntField(null=True)
    request_id = fields.CharField(max_length=64, null=True)
    status = fields.CharEnumField(JobStatus, max_length=16, default=JobStatus.QUEUED)
    done = fields.IntField(default=0)
    total = fields.IntField(default=0)
    # What the job is doing now, in words ("Hashing passwords", "Writing PDFs").
    stage = fields.CharField(max_length=200, default="Waiting to start")
    payload = fields.JSONField(default=dict)
    result = fields.JSONField(null=True)
    error_code = fields.CharField(max_length=64, null=True)
    error_message = fields.TextField(null=True)
    created_at = fields.DatetimeField()
    started_at = fields.DatetimeField(null=True)
    # Moved on at every progress report: when the job last did something.
    heartbeat_at = fields.DatetimeField(null=True)
    # Renewed by the process running the job (resolvers/core/jobs.py): a RUNNING job whose lease
    # has passed has lost its process, and any process's poller fails it as interrupted.
    lease_expires_at = fields.DatetimeField(null=True, db_index=True)
    # How many times a process took the job: a process that lost its lease must not write
    # over a later run's status.
    runs = fields.IntField(default=0)
    # An interrupted job's input, sealed, kept only so its creator can run it again before
    # rerun_until; purged then. The readable payload is emptied when the job ends, as always.
    sealed_input = fields.TextField(null=True)
    rerun_until = fields.DatetimeField(null=True)
    finished_at = fields.DatetimeField(null=True)

    class Meta:
        table = "job"


class JobFile(Model):
    """A file a job made, kept in the database so any app process can serve it."""

    id = fields.IntField(primary_key=True)
    job: fields.ForeignKeyRelation[Job] = fields.ForeignKeyField(
        "models.Job", related_name="files", on_delete=fields.CASCADE
    )
    job_id: int
    name = fields.CharField(max_length=200)
    content_type = fields.CharField(max_length=100)
    size = fields.IntField()
    content = fields.BinaryField()
    created_at = fields.DatetimeField()

    class Meta:
        table = "job_file"
        unique_together = (("job", "name"),)
