"""The board's centres spreadsheet: uploadCentres, its report, and the sample file."""

from datetime import datetime

import strawberry
from strawberry import relay
from strawberry.file_uploads import Upload

from resolvers.core.csv_files import upload_bytes, upload_name
from resolvers.network import centre_upload as cases
from schema.core.context import Info
from schema.core.downloads import FileDownload
from schema.core.errors import UserError, payload
from schema.core.ids import node_id
from schema.core.jobs import JobNode
from schema.core.permissions import SignedIn

SampleFormat = strawberry.enum(cases.SampleFormat, description="A centres sample file's kind.")


@strawberry.type(description="On the site but not in the file. Soft delete it with the action.")
class MissingCentre:
    code: str
    name: str
    action: str = strawberry.field(description="The mutation to call: deleteCentre(input: {code}).")


@strawberry.type(
    description="A user placed on the site at a centre of the file, whom the file does not list "
    "there. Take them out of the centre with the action."
)
class ExtraCentreUser:
    centre_code: str
    user_id: relay.GlobalID
    email: str
    name: str
    last_login_at: datetime | None
    action: str = strawberry.field(
        description="The mutation to call: removeCentreUser(input: {code, userId})."
    )


@strawberry.type(
    description="A user placed at more than one centre, by the file or by the file and the site."
)
class DuplicatedCentreUser:
    email: str
    centre_codes: list[str] = strawberry.field(description="Every centre, file and site.")
    in_file: list[str] = strawberry.field(description="The centres the file lists them for.")


@strawberry.type(
    description='What a centres file does (a dry run) or did (the job): "Processed N row(s) in '
    'M minute(s). Created X centre(s) and Y user(s) (Z replaced)", and the issues to look at.'
)
class CentreUploadReport:
    rows_processed: int
    seconds: float = strawberry.field(description="Time taken to check (and write) the file.")
    centres_created: int
    centres_updated: int = strawberry.field(description="Existing centres whose name changed.")
    users_created: int = strawberry.field(
        description="New accounts waiting for activation, each with a PIN (the job's file)."
    )
    users_updated: int = strawberry.field(
        description="Existing accounts given a place at a centre, or roles there (the seed's "
        '"replaced"). Their names, status and PIN are kept; no role is taken away.'
    )
    missing_centres: list[MissingCentre]
    extra_users: list[ExtraCentreUser]
    duplicated_users: list[DuplicatedCentreUser]

    @classmethod
    def of(cls, report: cases.CentreUploadReport) -> "CentreUploadReport":
        return cls(
            rows_processed=report.rows_processed,
            seconds=report.seconds,
            centres_created=report.centres_created,
            centres_updated=report.centres_updated,
            users_created=report.users_created,
            users_updated=report.users_updated,
            missing_centres=[
                MissingCentre(code=m.code, name=m.name, action=m.action)
                for m in report.missing_centres
            ],
            extra_users=[
                ExtraCentreUser(
                    centre_code=u.centre_code,
                    user_id=relay.GlobalID("User", str(u.user_id)),
                    email=u.email,
                    name=u.name,
                    last_login_at=datetime.fromisoformat(u.last_login_at)
                    if u.last_login_at
                    else None,
                    action=u.action,
                )
                for u in report.extra_users
            ],
            duplicated_users=[
                DuplicatedCentreUser(email=d.email, centre_codes=d.centre_codes, in_file=d.in_file)
                for d in report.duplicated_users
            ],
        )


@strawberry.input
class UploadCentresInput:
    file: Upload = strawberry.field(
        description="An Excel workbook (.xlsx, first sheet) or UTF-8 CSV file with a header row: "
        "centre_number, centre_name, address, city, country, and optionally user_email, "
        "user_first_name, user_last_name, user_roles; one row per user of a centre; up to "
        "20,000 rows. Send it as a GraphQL multipart request with the headers "
        "`Authorization: Bearer <token>` and `X-Examdesk-Upload: 1`."
    )
    dry_run: bool = strawberry.field(
        default=False, description="Check the file and report, writing nothing."
    )


@strawberry.type
class UploadCentresPayload:
    dry_run: bool = False
    report: CentreUploadReport | None = strawberry.field(
        default=None,
        description="What the file does, as checked now. The job's own report, of what it "
        "did: centresUploadReport(job) once the job has SUCCEEDED.",
    )
    job: JobNode | None = strawberry.field(
        default=None,
        description="The job writing the file: poll job(id) until SUCCEEDED; its files hold the "
        "new users' PINs (CSV: email, centre, pin).",
    )
    errors: list[UserError] = strawberry.field(default_factory=list)

    @classmethod
    def of(cls, upload: cases.CentreUpload) -> "UploadCentresPayload":
        return cls(
            dry_run=upload.dry_run,
            report=CentreUploadReport.of(upload.report),
            job=JobNode.of(upload.job) if upload.job else None,
        )


@strawberry.type(description="The outcome of a centres upload job.")
class CentreUploadResult:
    job: JobNode
    report: CentreUploadReport | None = strawberry.field(
        description="Null until the job has SUCCEEDED."
    )


@strawberry.type
class CentreUploadQueries:
    @strawberry.field(
        permission_classes=[SignedIn],
        description="Board admins: a small valid centres file to start from.",
    )
    async def centres_upload_sample(
        self, info: Info, format: SampleFormat = cases.SampleFormat.XLSX
    ) -> FileDownload:
        return FileDownload.of(
            await cases.sample_file(info.context.actor, cases.SampleFormat(format))
        )

    @strawberry.field(
        permission_classes=[SignedIn],
        description="The report of a centres upload job you started (board admins: any).",
    )
    async def centres_upload_report(self, info: Info, job: relay.GlobalID) -> CentreUploadResult:
        found, report = await cases.upload_report(info.context.actor, node_id(job, "Job", "job"))
        return CentreUploadResult(
            job=JobNode.of(found), report=CentreUploadReport.of(report) if report else None
        )


@strawberry.type
class CentreUploadMutations:
    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="Board admins: add centres and their users from a spreadsheet. New centres "
        "get their name and location; existing ones have their NAME updated only. Every row is "
        "checked first: any problem writes nothing. A good file queues a job (payload.job).",
    )
    async def upload_centres(self, info: Info, input: UploadCentresInput) -> UploadCentresPayload:
        async def upload() -> cases.CentreUpload:
            content = await upload_bytes(input.file)
            return await cases.upload_centres(
                info.context.actor,
                content=content,
                filename=upload_name(input.file),
                dry_run=input.dry_run,
            )

        return await payload(
            UploadCentresPayload, upload(), UploadCentresPayload.of, dry_run=input.dry_run
        )


__all__ = ["CentreUploadMutations", "CentreUploadQueries"]
