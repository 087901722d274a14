"""The schema of examdesk's main branch when it first had migrations: every table, as
Tortoise.generate_schemas made them until then. A database made by generate_schemas at this
schema is recorded as migrated by `examdesk migrate`; one made before is not supported.
Over 400 lines: one table per model, as tortoise's makemigrations writes them.
"""

import functools
from json import dumps, loads

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

from models.assessments import Audience
from models.audit import SignInOutcome
from models.exams import EntryStatus, SeriesMonth
from models.jobs import JobStatus
from models.mail import DeliveryStatus
from models.organisations import OrganisationKind
from models.releases import ResourceService
from models.results_access import AccessStatus
from models.services import ApplicationStatus, ArrangementType, SubmissionKind, SubmissionStatus
from models.sessions import OneTimeCodePurpose, SessionStage
from models.test_sessions import TestSessionStatus
from models.users import UserStatus


class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name="Assessment",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("title", fields.CharField(max_length=200)),
                ("description", fields.TextField(unique=False)),
                (
                    "audience",
                    fields.CharEnumField(
                        description="ALL_STAFF: ALL_STAFF\nINVIGILATORS: INVIGILATORS",
                        enum_type=Audience,
                        max_length=16,
                    ),
                ),
                (
                    "published_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                ("created_by_id", fields.IntField(null=True)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={"table": "assessment", "app": "models", "pk_attr": "id"},
            bases=["Model"],
        ),
        ops.CreateModel(
            name="AuditEvent",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("at", fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True)),
                ("actor_user_id", fields.IntField(null=True, db_index=True)),
                ("actor_email", fields.CharField(null=True, max_length=254)),
                ("action", fields.CharField(db_index=True, max_length=64)),
                ("organisation_id", fields.IntField(null=True, db_index=True)),
                ("target_type", fields.CharField(null=True, max_length=64)),
                ("target_id", fields.CharField(null=True, max_length=64)),
                (
                    "before",
                    fields.JSONField(
                        null=True,
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                (
                    "after",
                    fields.JSONField(
                        null=True,
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                ("request_id", fields.CharField(null=True, db_index=True, max_length=64)),
            ],
            options={
                "table": "audit_event",
                "app": "models",
                "pk_attr": "id",
                "table_description": "Who did what, where, with the state before and after.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ErrorResolution",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("key", fields.CharField(unique=True, max_length=128)),
                ("resolved_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("resolved_by_id", fields.IntField(null=True)),
                ("resolved_by_email", fields.CharField(null=True, max_length=254)),
                ("note", fields.TextField(default="", unique=False)),
            ],
            options={
                "table": "error_resolution",
                "app": "models",
                "pk_attr": "id",
                "table_description": "A problem of the board's errors report marked resolved: the report works the problems",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="HelpDocument",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("title", fields.CharField(max_length=200)),
                ("for_everyone", fields.BooleanField()),
                ("uploaded_by_id", fields.IntField(null=True)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("updated_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={"table": "help_document", "app": "models", "pk_attr": "id"},
            bases=["Model"],
        ),
        ops.CreateModel(
            name="HelpDocumentRole",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "document",
                    fields.ForeignKeyField(
                        "models.HelpDocument",
                        source_field="document_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="roles",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("role", fields.CharField(max_length=32)),
            ],
            options={
                "table": "help_document_role",
                "app": "models",
                "unique_together": (("document", "role"),),
                "indexes": [Index(fields=["role", "document_id"])],
                "pk_attr": "id",
                "table_description": "A role (policies.Role) a help document is meant for: rows, so a list filters in SQL.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Organisation",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "kind",
                    fields.CharEnumField(
                        description="BOARD: BOARD\nASSOCIATE: ASSOCIATE\nCENTRE: CENTRE",
                        enum_type=OrganisationKind,
                        max_length=16,
                    ),
                ),
                ("code", fields.CharField(unique=True, max_length=32)),
                ("name", fields.CharField(max_length=200)),
                ("address", fields.CharField(default="", max_length=300)),
                ("city", fields.CharField(default="", max_length=100)),
                ("country", fields.CharField(default="", max_length=100)),
                (
                    "parent",
                    fields.ForeignKeyField(
                        "models.Organisation",
                        source_field="parent_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="children",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("deleted_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={"table": "organisation", "app": "models", "pk_attr": "id"},
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Candidate",
            fields=[
                ("search_name", fields.CharField(default="", max_length=201)),
                ("username_key", fields.CharField(default="", max_length=500)),
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "centre",
                    fields.ForeignKeyField(
                        "models.Organisation",
                        source_field="centre_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="candidates",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("candidate_number", fields.CharField(max_length=4)),
                ("uci", fields.CharField(null=True, unique=True, max_length=20)),
                ("first_name", fields.CharField(max_length=100)),
                ("last_name", fields.CharField(max_length=100)),
                ("username", fields.CharField(max_length=500)),
                ("password_hash", fields.CharField(max_length=255)),
                ("password_sealed", fields.TextField(null=True, unique=False)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "candidate",
                "app": "models",
                "unique_together": (("centre", "candidate_number"), ("centre", "username_key")),
                "pk_attr": "id",
                "table_description": "A candidate at one centre, known there by number and by username.",
            },
            bases=["SearchableName", "KeyedUsername", "Model"],
        ),
        ops.CreateModel(
            name="CandidateNumberLock",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "centre",
                    fields.OneToOneField(
                        "models.Organisation",
                        source_field="centre_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="candidate_number_lock",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("taken_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "candidate_number_lock",
                "app": "models",
                "pk_attr": "id",
                "table_description": "One row per centre, written first by each transaction that picks a candidate number",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Job",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("kind", fields.CharField(max_length=64)),
                (
                    "organisation",
                    fields.ForeignKeyField(
                        "models.Organisation",
                        source_field="organisation_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="jobs",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("created_by_id", fields.IntField(null=True)),
                ("request_id", fields.CharField(null=True, max_length=64)),
                (
                    "status",
                    fields.CharEnumField(
                        default=JobStatus.QUEUED,
                        description="QUEUED: QUEUED\nRUNNING: RUNNING\nSUCCEEDED: SUCCEEDED\nFAILED: FAILED",
                        enum_type=JobStatus,
                        max_length=16,
                    ),
                ),
                ("done", fields.IntField(default=0)),
                ("total", fields.IntField(default=0)),
                ("stage", fields.CharField(default="Waiting to start", max_length=200)),
                (
                    "payload",
                    fields.JSONField(
                        default=dict,
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                (
                    "result",
                    fields.JSONField(
                        null=True,
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                ("error_code", fields.CharField(null=True, max_length=64)),
                ("error_message", fields.TextField(null=True, unique=False)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("started_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                (
                    "heartbeat_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                (
                    "lease_expires_at",
                    fields.DatetimeField(
                        null=True, db_index=True, auto_now=False, auto_now_add=False
                    ),
                ),
                ("runs", fields.IntField(default=0)),
                ("sealed_input", fields.TextField(null=True, unique=False)),
                (
                    "rerun_until",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                (
                    "finished_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
            ],
            options={"table": "job", "app": "models", "pk_attr": "id"},
            bases=["Model"],
        ),
        ops.CreateModel(
            name="JobFile",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "job",
                    fields.ForeignKeyField(
                        "models.Job",
                        source_field="job_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="files",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("name", fields.CharField(max_length=200)),
                ("content_type", fields.CharField(max_length=100)),
                ("size", fields.IntField()),
                ("content", fields.BinaryField()),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "job_file",
                "app": "models",
                "unique_together": (("job", "name"),),
                "pk_attr": "id",
                "table_description": "A file a job made, kept in the database so any app process can serve it.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="OutboxMessage",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("recipient", fields.CharField(max_length=254)),
                ("subject", fields.CharField(max_length=300)),
                ("body", fields.TextField(unique=False)),
                ("template", fields.CharField(max_length=64)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                (
                    "status",
                    fields.CharEnumField(
                        default=DeliveryStatus.PENDING,
                        db_index=True,
                        description="PENDING: PENDING\nSENT: SENT\nFAILED: FAILED",
                        enum_type=DeliveryStatus,
                        max_length=16,
                    ),
                ),
                ("queued_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("next_attempt_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("attempts", fields.IntField(default=0)),
                ("last_error", fields.TextField(null=True, unique=False)),
                (
                    "last_attempt_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                (
                    "sent_at",
                    fields.DatetimeField(
                        null=True, db_index=True, auto_now=False, auto_now_add=False
                    ),
                ),
                ("failed_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "outbox_message",
                "app": "models",
                "pk_attr": "id",
                "table_description": "An email written in the same transaction as the change that causes it.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Section",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "assessment",
                    fields.ForeignKeyField(
                        "models.Assessment",
                        source_field="assessment_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="sections",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("order", fields.IntField()),
                ("title", fields.CharField(max_length=200)),
                ("duration_minutes", fields.IntField(null=True)),
                ("pass_mark", fields.IntField()),
                ("question_count", fields.IntField()),
            ],
            options={
                "table": "assessment_section",
                "app": "models",
                "unique_together": (("assessment", "order"),),
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Question",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "section",
                    fields.ForeignKeyField(
                        "models.Section",
                        source_field="section_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="questions",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("order", fields.IntField()),
                ("text", fields.TextField(unique=False)),
                (
                    "options",
                    fields.JSONField(
                        encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads
                    ),
                ),
                (
                    "correct",
                    fields.JSONField(
                        encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads
                    ),
                ),
            ],
            options={
                "table": "assessment_question",
                "app": "models",
                "unique_together": (("section", "order"),),
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Series",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("code", fields.CharField(unique=True, max_length=16)),
                (
                    "month",
                    fields.CharEnumField(
                        description="MARCH: MARCH\nJUNE: JUNE\nNOVEMBER: NOVEMBER",
                        enum_type=SeriesMonth,
                        max_length=16,
                    ),
                ),
                ("month_number", fields.SmallIntField()),
                ("year", fields.SmallIntField()),
                ("credentials_open_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("results_release_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "series",
                "app": "models",
                "unique_together": (("year", "month"),),
                "pk_attr": "id",
                "table_description": "An exam series such as 2026-JUN, with its key times.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Resource",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "series",
                    fields.ForeignKeyField(
                        "models.Series",
                        source_field="series_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="resources",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "service",
                    fields.CharEnumField(
                        description="GENERAL: GENERAL\nSUBMIT_FOR_ASSESSMENT: SUBMIT_FOR_ASSESSMENT\nACCESS_ARRANGEMENTS: ACCESS_ARRANGEMENTS\nGLOBAL_LISTENING: GLOBAL_LISTENING",
                        enum_type=ResourceService,
                        max_length=32,
                    ),
                ),
                ("title", fields.CharField(max_length=200)),
                ("description", fields.TextField(default="", unique=False)),
                ("uploaded_by_id", fields.IntField(null=True)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("updated_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                (
                    "withdrawn_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                ("withdrawn_by_id", fields.IntField(null=True)),
            ],
            options={
                "table": "resource",
                "app": "models",
                "indexes": [Index(fields=["series_id", "service"])],
                "pk_attr": "id",
                "table_description": 'One uploaded file with its title; the bytes are a StoredFile ("Resource", id).',
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Release",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "resource",
                    fields.ForeignKeyField(
                        "models.Resource",
                        source_field="resource_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="releases",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "release_at",
                    fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False),
                ),
                ("all_centres", fields.BooleanField()),
                ("created_by_id", fields.IntField(null=True)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                (
                    "cancelled_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                ("cancelled_by_id", fields.IntField(null=True)),
            ],
            options={
                "table": "resource_release",
                "app": "models",
                "pk_attr": "id",
                "table_description": "A resource opened to every centre (all_centres) or to the centres in ReleaseCentre, from",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ReleaseCentre",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "release",
                    fields.ForeignKeyField(
                        "models.Release",
                        source_field="release_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="centres",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "centre",
                    fields.ForeignKeyField(
                        "models.Organisation",
                        source_field="centre_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="releases",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
            ],
            options={
                "table": "resource_release_centre",
                "app": "models",
                "unique_together": (("release", "centre"),),
                "indexes": [Index(fields=["centre_id", "release_id"])],
                "pk_attr": "id",
                "table_description": "A centre a targeted release is for.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ResultsAccess",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "centre",
                    fields.ForeignKeyField(
                        "models.Organisation",
                        source_field="centre_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="results_access",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "series",
                    fields.ForeignKeyField(
                        "models.Series",
                        source_field="series_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="results_access",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "status",
                    fields.CharEnumField(
                        default=AccessStatus.NONE,
                        description="NONE: NONE\nALL: ALL\nSELECTED: SELECTED",
                        enum_type=AccessStatus,
                        max_length=16,
                    ),
                ),
                ("agreed_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("agreed_by_id", fields.IntField(null=True)),
                ("contact_name", fields.CharField(default="", max_length=200)),
                ("contact_phone", fields.CharField(null=True, max_length=40)),
                ("contact_email", fields.CharField(null=True, max_length=254)),
                ("delay_hours", fields.IntField(default=0)),
                ("updated_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("updated_by_id", fields.IntField(null=True)),
            ],
            options={
                "table": "results_access",
                "app": "models",
                "unique_together": (("centre", "series"),),
                "pk_attr": "id",
                "table_description": 'A centre\'s choice for one series; no row means "NO candidates have access".',
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ResultsCredential",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "candidate",
                    fields.ForeignKeyField(
                        "models.Candidate",
                        source_field="candidate_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="results_credentials",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "series",
                    fields.ForeignKeyField(
                        "models.Series",
                        source_field="series_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="results_credentials",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("username", fields.CharField(unique=True, max_length=64)),
                ("password_digest", fields.CharField(max_length=64)),
                ("password_sealed", fields.TextField(unique=False)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("revoked_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("failed_attempts", fields.IntField(default=0)),
                (
                    "locked_until",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
            ],
            options={
                "table": "results_credential",
                "app": "models",
                "unique_together": (("candidate", "series"),),
                "pk_attr": "id",
                "table_description": "A candidate's username and password for one series' results.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="CandidateSession",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("token_hash", fields.CharField(unique=True, max_length=64)),
                (
                    "credential",
                    fields.ForeignKeyField(
                        "models.ResultsCredential",
                        source_field="credential_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="sessions",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("expires_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("revoked_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "candidate_session",
                "app": "models",
                "pk_attr": "id",
                "table_description": "A candidate's signed-in session on the results website; the token is stored hashed.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="SignInEvent",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("at", fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True)),
                ("email", fields.CharField(db_index=True, max_length=254)),
                ("user_id", fields.IntField(null=True)),
                (
                    "outcome",
                    fields.CharEnumField(
                        description="SUCCEEDED: SUCCEEDED\nINVALID_CREDENTIALS: INVALID_CREDENTIALS\nTHROTTLED: THROTTLED\nTOTP_FAILED: TOTP_FAILED\nSIGNED_OUT: SIGNED_OUT\nPASSWORD_SET: PASSWORD_SET\nTEMPORARY_PASSWORD_EXPIRED: TEMPORARY_PASSWORD_EXPIRED\nCANDIDATE_SUCCEEDED: CANDIDATE_SUCCEEDED\nCANDIDATE_INVALID_CREDENTIALS: CANDIDATE_INVALID_CREDENTIALS\nCANDIDATE_THROTTLED: CANDIDATE_THROTTLED\nCANDIDATE_SIGNED_OUT: CANDIDATE_SIGNED_OUT\nTEST_START_SUCCEEDED: TEST_START_SUCCEEDED\nTEST_START_INVALID_CREDENTIALS: TEST_START_INVALID_CREDENTIALS\nTEST_START_THROTTLED: TEST_START_THROTTLED",
                        enum_type=SignInOutcome,
                        max_length=32,
                    ),
                ),
                ("ip_address", fields.CharField(null=True, db_index=True, max_length=64)),
                ("user_agent", fields.CharField(null=True, max_length=300)),
                ("request_id", fields.CharField(null=True, max_length=64)),
            ],
            options={
                "table": "sign_in_event",
                "app": "models",
                "pk_attr": "id",
                "table_description": "The sign-in event log: every attempt, successful or not.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="StoredFile",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("owner_type", fields.CharField(max_length=64)),
                ("owner_id", fields.IntField()),
                (
                    "organisation",
                    fields.ForeignKeyField(
                        "models.Organisation",
                        source_field="organisation_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="stored_files",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("name", fields.CharField(max_length=255)),
                ("content_type", fields.CharField(max_length=100)),
                ("size", fields.IntField()),
                ("sha256", fields.CharField(max_length=64)),
                ("content", fields.BinaryField()),
                ("uploaded_by_id", fields.IntField(null=True)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "stored_file",
                "app": "models",
                "indexes": [Index(fields=["owner_type", "owner_id"])],
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Syllabus",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("code", fields.CharField(unique=True, max_length=16)),
                ("title", fields.CharField(max_length=200)),
            ],
            options={"table": "syllabus", "app": "models", "pk_attr": "id"},
            bases=["Model"],
        ),
        ops.CreateModel(
            name="TestSession",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "centre",
                    fields.ForeignKeyField(
                        "models.Organisation",
                        source_field="centre_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="test_sessions",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "series",
                    fields.ForeignKeyField(
                        "models.Series",
                        source_field="series_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="test_sessions",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "syllabus",
                    fields.ForeignKeyField(
                        "models.Syllabus",
                        source_field="syllabus_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="test_sessions",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("name", fields.CharField(max_length=200)),
                ("starts_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("duration_minutes", fields.SmallIntField()),
                ("ends_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                (
                    "status",
                    fields.CharEnumField(
                        default=TestSessionStatus.SCHEDULED,
                        description="SCHEDULED: SCHEDULED\nCANCELLED: CANCELLED",
                        enum_type=TestSessionStatus,
                        max_length=16,
                    ),
                ),
                (
                    "cancelled_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "test_session",
                "app": "models",
                "pk_attr": "id",
                "table_description": "Candidates are entered into a session and start its test with their entry code while",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Entry",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "candidate",
                    fields.ForeignKeyField(
                        "models.Candidate",
                        source_field="candidate_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="entries",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "series",
                    fields.ForeignKeyField(
                        "models.Series",
                        source_field="series_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="entries",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "syllabus",
                    fields.ForeignKeyField(
                        "models.Syllabus",
                        source_field="syllabus_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="entries",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "test_session",
                    fields.ForeignKeyField(
                        "models.TestSession",
                        source_field="test_session_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="entries",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "status",
                    fields.CharEnumField(
                        default=EntryStatus.ENTERED,
                        description="ENTERED: ENTERED\nWITHDRAWN: WITHDRAWN",
                        enum_type=EntryStatus,
                        max_length=16,
                    ),
                ),
                (
                    "withdrawn_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                ("entry_code", fields.CharField(unique=True, max_length=9)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "entry",
                "app": "models",
                "unique_together": (("candidate", "series", "syllabus"),),
                "pk_attr": "id",
                "table_description": "A candidate entered for one syllabus in one series.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Result",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "entry",
                    fields.OneToOneField(
                        "models.Entry",
                        source_field="entry_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="result",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("grade", fields.CharField(max_length=4)),
                ("mark", fields.SmallIntField(null=True)),
                ("loaded_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "result",
                "app": "models",
                "pk_attr": "id",
                "table_description": "The result of one entry, loaded by the board.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="TestSitting",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("token_hash", fields.CharField(unique=True, max_length=64)),
                (
                    "entry",
                    fields.ForeignKeyField(
                        "models.Entry",
                        source_field="entry_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="test_sittings",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("expires_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "test_sitting",
                "app": "models",
                "pk_attr": "id",
                "table_description": "A candidate's start of their session's test (resolvers/test_sessions/test_start.py): the",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="TestStartLock",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "candidate",
                    fields.OneToOneField(
                        "models.Candidate",
                        source_field="candidate_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="test_start_lock",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("failed_attempts", fields.SmallIntField(default=0)),
                (
                    "locked_until",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
            ],
            options={
                "table": "test_start_lock",
                "app": "models",
                "pk_attr": "id",
                "table_description": "A candidate's failed test starts in a row: the MAX_FAILURES-th locks their starts for a",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="TrustedDocument",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("sha256", fields.CharField(unique=True, max_length=64)),
                ("document", fields.TextField(unique=False)),
                ("source", fields.CharField(max_length=255)),
                ("registered_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={"table": "trusted_document", "app": "models", "pk_attr": "id"},
            bases=["Model"],
        ),
        ops.CreateModel(
            name="User",
            fields=[
                ("search_name", fields.CharField(default="", max_length=201)),
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("email", fields.CharField(unique=True, max_length=254)),
                ("first_name", fields.CharField(max_length=100)),
                ("last_name", fields.CharField(max_length=100)),
                ("password_hash", fields.CharField(null=True, max_length=255)),
                (
                    "status",
                    fields.CharEnumField(
                        default=UserStatus.INVITED,
                        description="PENDING_ACTIVATION: PENDING_ACTIVATION\nINVITED: INVITED\nACTIVE: ACTIVE\nDISABLED: DISABLED",
                        enum_type=UserStatus,
                        max_length=24,
                    ),
                ),
                ("must_change_password", fields.BooleanField(default=False)),
                (
                    "temporary_password_expires_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                (
                    "email_verified_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                ("totp_secret", fields.CharField(null=True, max_length=64)),
                (
                    "totp_enabled_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                ("totp_last_step", fields.BigIntField(null=True)),
                ("pin", fields.CharField(null=True, max_length=16)),
                (
                    "last_login_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={"table": "user", "app": "models", "pk_attr": "id"},
            bases=["SearchableName", "Model"],
        ),
        ops.CreateModel(
            name="AccessArrangementApplication",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "centre",
                    fields.ForeignKeyField(
                        "models.Organisation",
                        source_field="centre_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="access_arrangements",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "candidate",
                    fields.ForeignKeyField(
                        "models.Candidate",
                        source_field="candidate_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="access_arrangements",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "series",
                    fields.ForeignKeyField(
                        "models.Series",
                        source_field="series_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="access_arrangements",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "arrangement",
                    fields.CharEnumField(
                        description="EXTRA_TIME_25: EXTRA_TIME_25\nEXTRA_TIME_50: EXTRA_TIME_50\nREADER: READER\nSCRIBE: SCRIBE\nWORD_PROCESSOR: WORD_PROCESSOR\nSEPARATE_ROOM: SEPARATE_ROOM\nOTHER: OTHER",
                        enum_type=ArrangementType,
                        max_length=24,
                    ),
                ),
                ("reasons", fields.TextField(unique=False)),
                (
                    "status",
                    fields.CharEnumField(
                        default=ApplicationStatus.SUBMITTED,
                        description="SUBMITTED: SUBMITTED\nWITHDRAWN: WITHDRAWN\nAPPROVED: APPROVED\nREJECTED: REJECTED",
                        enum_type=ApplicationStatus,
                        max_length=16,
                    ),
                ),
                (
                    "applicant",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="applicant_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="access_arrangement_applications",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("submitted_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                (
                    "withdrawn_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                (
                    "decided_by",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="decided_by_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="access_arrangement_decisions",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("decided_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("decision_note", fields.TextField(null=True, unique=False)),
            ],
            options={
                "table": "access_arrangement_application",
                "app": "models",
                "indexes": [
                    Index(fields=["centre_id", "status"]),
                    Index(fields=["status", "submitted_at"]),
                ],
                "pk_attr": "id",
                "table_description": "A centre's application for one arrangement for one candidate in one series.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Attempt",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "user",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="user_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="assessment_attempts",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "organisation",
                    fields.ForeignKeyField(
                        "models.Organisation",
                        source_field="organisation_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="assessment_attempts",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "section",
                    fields.ForeignKeyField(
                        "models.Section",
                        source_field="section_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="attempts",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("started_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                (
                    "submitted_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                (
                    "answers",
                    fields.JSONField(
                        null=True,
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                ("score", fields.IntField(null=True)),
                ("passed", fields.BooleanField(default=False)),
                ("timed_out", fields.BooleanField(default=False)),
            ],
            options={
                "table": "assessment_attempt",
                "app": "models",
                "indexes": [Index(fields=["organisation_id", "user_id"])],
                "pk_attr": "id",
                "table_description": "One go at a section, at the centre where it was taken. Failed attempts are kept.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Certificate",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "user",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="user_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="certificates",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "assessment",
                    fields.ForeignKeyField(
                        "models.Assessment",
                        source_field="assessment_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="certificates",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "organisation",
                    fields.ForeignKeyField(
                        "models.Organisation",
                        source_field="organisation_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="certificates",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("issued_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("number", fields.CharField(unique=True, max_length=32)),
            ],
            options={
                "table": "certificate",
                "app": "models",
                "unique_together": (("user", "assessment", "organisation"),),
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="EmailTemplate",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("key", fields.CharField(unique=True, max_length=64)),
                ("subject", fields.CharField(max_length=200)),
                ("body", fields.TextField(unique=False)),
                ("updated_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                (
                    "updated_by",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="updated_by_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
            ],
            options={
                "table": "email_template",
                "app": "models",
                "pk_attr": "id",
                "table_description": "A board admin's wording of one email (resolvers/core/mail.py MailTemplate).",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="HiddenAssessment",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "user",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="user_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="hidden_assessments",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "assessment",
                    fields.ForeignKeyField(
                        "models.Assessment",
                        source_field="assessment_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="hidden_from",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "organisation",
                    fields.ForeignKeyField(
                        "models.Organisation",
                        source_field="organisation_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="hidden_assessments",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("hidden_by_id", fields.IntField(null=True)),
                ("hidden_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "hidden_assessment",
                "app": "models",
                "unique_together": (("user", "assessment", "organisation"),),
                "pk_attr": "id",
                "table_description": "An invigilators' assessment the Centre Admin hid from one invigilator at the centre.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Membership",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "user",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="user_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="memberships",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "organisation",
                    fields.ForeignKeyField(
                        "models.Organisation",
                        source_field="organisation_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="memberships",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "roles",
                    fields.JSONField(
                        default=list,
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "membership",
                "app": "models",
                "unique_together": (("user", "organisation"),),
                "pk_attr": "id",
                "table_description": "A person's place at an organisation and the roles they hold there.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="OneTimeCode",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "user",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="user_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="one_time_codes",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "purpose",
                    fields.CharEnumField(
                        description="EMAIL_VERIFICATION: EMAIL_VERIFICATION\nPASSWORD_RESET: PASSWORD_RESET\nACCOUNT_ACTIVATION: ACCOUNT_ACTIVATION",
                        enum_type=OneTimeCodePurpose,
                        max_length=32,
                    ),
                ),
                ("token_hash", fields.CharField(unique=True, max_length=64)),
                ("hotp_secret", fields.CharField(max_length=64)),
                ("attempts", fields.IntField(default=0)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("expires_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("used_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "onetimecode",
                "app": "models",
                "pk_attr": "id",
                "table_description": "A short-lived secret sent by email: a link token and a six-digit code from one secret.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="RemovedPlace",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "user",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="user_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="removed_places",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "organisation",
                    fields.ForeignKeyField(
                        "models.Organisation",
                        source_field="organisation_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="removed_places",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "roles",
                    fields.JSONField(
                        default=list,
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                ("removed_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                (
                    "restored_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
            ],
            options={
                "table": "removed_place",
                "app": "models",
                "pk_attr": "id",
                "table_description": "A place the board took from a user at a centre, kept with its roles so that the undo",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Session",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("token_hash", fields.CharField(unique=True, max_length=64)),
                (
                    "user",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="user_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="sessions",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "stage",
                    fields.CharEnumField(
                        description="PASSWORD_CHANGE_REQUIRED: PASSWORD_CHANGE_REQUIRED\nVERIFICATION_REQUIRED: VERIFICATION_REQUIRED\nTOTP_REQUIRED: TOTP_REQUIRED\nFULL: FULL",
                        enum_type=SessionStage,
                        max_length=32,
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("expires_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("revoked_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={"table": "session", "app": "models", "pk_attr": "id"},
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Submission",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "centre",
                    fields.ForeignKeyField(
                        "models.Organisation",
                        source_field="centre_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="submissions",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "series",
                    fields.ForeignKeyField(
                        "models.Series",
                        source_field="series_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="submissions",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "syllabus",
                    fields.ForeignKeyField(
                        "models.Syllabus",
                        source_field="syllabus_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="submissions",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "kind",
                    fields.CharEnumField(
                        description="WORK: WORK\nSAMPLE: SAMPLE",
                        enum_type=SubmissionKind,
                        max_length=16,
                    ),
                ),
                (
                    "candidate",
                    fields.ForeignKeyField(
                        "models.Candidate",
                        source_field="candidate_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="submissions",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("note", fields.TextField(null=True, unique=False)),
                (
                    "submitted_by",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="submitted_by_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="submissions",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("submitted_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                (
                    "status",
                    fields.CharEnumField(
                        default=SubmissionStatus.SUBMITTED,
                        description="SUBMITTED: SUBMITTED",
                        enum_type=SubmissionStatus,
                        max_length=16,
                    ),
                ),
            ],
            options={
                "table": "submission",
                "app": "models",
                "indexes": [Index(fields=["centre_id", "submitted_at"])],
                "pk_attr": "id",
                "table_description": "Candidate work or a sample, uploaded for a syllabus in a series.",
            },
            bases=["Model"],
        ),
    ]
