"""Staff accounts: created with a chosen password, in bulk, edited and deleted."""

import strawberry
from strawberry import relay
from strawberry.file_uploads import Upload

from resolvers.core.csv_files import upload_bytes, upload_name
from resolvers.people import staff_accounts, staff_upload
from schema.core.context import Info
from schema.core.downloads import FileDownload
from schema.core.enums import Role
from schema.core.errors import UserError, payload
from schema.core.ids import with_user_id
from schema.core.jobs import JobNode
from schema.core.permissions import SignedIn
from schema.core.uploads import CsvRowError, rows_invalid
from schema.people.users import OrganisationUser

UserUploadTemplateFormat = strawberry.enum(
    staff_upload.TemplateFormat,
    name="UserUploadTemplateFormat",
    description="The file type of the user upload template.",
)


@strawberry.input
class CreateUserAccountInput:
    organisation_code: str
    first_name: str
    last_name: str
    email: str
    password: str = strawberry.field(
        description="Chosen by you; the user must change it at their first sign-in."
    )
    roles: list[Role]


@strawberry.type
class CreateUserAccountPayload:
    organisation_user: OrganisationUser | None = None
    reminder: str | None = strawberry.field(
        default=None,
        description="What you must now do: pass the login details on to the user.",
    )
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class UpdateUserAccountInput:
    organisation_code: str
    user_id: relay.GlobalID
    first_name: str | None = None
    last_name: str | None = None
    password: str | None = strawberry.field(
        default=None,
        description="A new password: the user must change it at their next sign-in, and "
        "their sessions end.",
    )
    email: str | None = strawberry.field(
        default=None,
        description="The Centre Admin (exams officer) only, and never their own.",
    )


@strawberry.type
class UpdateUserAccountPayload:
    organisation_user: OrganisationUser | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class DeleteUserAccountInput:
    organisation_code: str
    user_id: relay.GlobalID
    confirmation: str = strawberry.field(description="Exactly DELETE, in capitals.")


@strawberry.type
class DeleteUserAccountPayload:
    deleted_user_id: relay.GlobalID | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class UploadUsersInput:
    organisation_code: str
    file: Upload = strawberry.field(
        description="The UserUploadTemplate (userUploadTemplate), as .xlsx or UTF-8 CSV: "
        "columns first_name, last_name, email, password, role (EO, SLT, INV or role codes, "
        "several separated by ;); up to 5,000 rows. Send it as a GraphQL multipart request "
        "with the headers `Authorization: Bearer <token>` and `X-Examdesk-Upload: 1`."
    )
    dry_run: bool = strawberry.field(
        default=False, description="Check the file and report, writing nothing."
    )


@strawberry.type(description="One row of a file of users: its account, or what is wrong.")
class UserUploadRow:
    row_number: int = strawberry.field(
        description="As a spreadsheet numbers it: the header is row 1."
    )
    email: str
    roles: list[Role]
    errors: list[CsvRowError]

    @classmethod
    def of(cls, row: staff_upload.UserRowReport) -> "UserUploadRow":
        return cls(
            row_number=row.number,
            email=row.email,
            roles=[Role(r) for r in row.roles],
            errors=[CsvRowError.of(p) for p in row.problems],
        )


@strawberry.type
class UploadUsersPayload:
    rows_read: int = 0
    rows_with_errors: int = 0
    rows: list[UserUploadRow] = strawberry.field(default_factory=list)
    dry_run: bool = False
    job: JobNode | None = strawberry.field(
        default=None,
        description="The job creating the accounts: poll job(id) until SUCCEEDED. Null for a "
        "dry run or errors.",
    )
    reminder: str | None = strawberry.field(
        default=None, description="What you must do once the accounts exist."
    )
    errors: list[UserError] = strawberry.field(default_factory=list)

    @classmethod
    def of(cls, upload: staff_upload.UserUpload) -> "UploadUsersPayload":
        bad = upload.rows_with_errors
        return cls(
            rows_read=upload.rows_read,
            rows_with_errors=bad,
            rows=[UserUploadRow.of(r) for r in upload.rows],
            dry_run=upload.dry_run,
            job=JobNode.of(upload.job) if upload.job else None,
            reminder=None if bad else staff_upload.BULK_REMINDER,
            errors=rows_invalid(bad, upload.rows_read),
        )


@strawberry.type
class StaffAccountQueries:
    @strawberry.field(
        permission_classes=[SignedIn],
        description="User managers: the UserUploadTemplate for uploadUsers, as a download.",
    )
    async def user_upload_template(
        self, info: Info, format: UserUploadTemplateFormat = staff_upload.TemplateFormat.XLSX
    ) -> FileDownload:
        link = await staff_upload.user_upload_template(
            info.context.actor, staff_upload.TemplateFormat(format)
        )
        return FileDownload.of(link)


@strawberry.type
class StaffAccountMutations:
    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="User managers: create an account with a password you choose (seed 004). "
        "You then tell the user their login details (see reminder).",
    )
    async def create_user_account(
        self, info: Info, input: CreateUserAccountInput
    ) -> CreateUserAccountPayload:
        return await payload(
            CreateUserAccountPayload,
            staff_accounts.create_user_account(
                info.context.actor,
                organisation_code=input.organisation_code,
                first_name=input.first_name,
                last_name=input.last_name,
                email=input.email,
                password=input.password,
                roles=[r.value for r in input.roles],
            ),
            lambda c: CreateUserAccountPayload(
                organisation_user=OrganisationUser.of(c.membership), reminder=c.reminder
            ),
        )

    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="Edit a user's names and password (user managers) or email (the Centre "
        "Admin only, never their own). Fields left out stay as they are.",
    )
    async def update_user_account(
        self, info: Info, input: UpdateUserAccountInput
    ) -> UpdateUserAccountPayload:
        return await payload(
            UpdateUserAccountPayload,
            with_user_id(
                input.user_id,
                lambda user_id: staff_accounts.update_user_account(
                    info.context.actor,
                    organisation_code=input.organisation_code,
                    user_id=user_id,
                    first_name=input.first_name,
                    last_name=input.last_name,
                    password=input.password,
                    email=input.email,
                ),
            ),
            lambda m: UpdateUserAccountPayload(organisation_user=OrganisationUser.of(m)),
        )

    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="The Centre Admin: delete an account for good after typing DELETE. It "
        "cannot be recovered. Only for users who belong to this organisation alone.",
    )
    async def delete_user_account(
        self, info: Info, input: DeleteUserAccountInput
    ) -> DeleteUserAccountPayload:
        return await payload(
            DeleteUserAccountPayload,
            with_user_id(
                input.user_id,
                lambda user_id: staff_accounts.delete_user_account(
                    info.context.actor,
                    organisation_code=input.organisation_code,
                    user_id=user_id,
                    confirmation=input.confirmation,
                ),
            ),
            lambda _: DeleteUserAccountPayload(deleted_user_id=input.user_id),
        )

    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="User managers: create many accounts from the UserUploadTemplate. Every "
        "row is checked; any error writes nothing. A good file queues a job (payload.job).",
    )
    async def upload_users(self, info: Info, input: UploadUsersInput) -> UploadUsersPayload:
        async def upload() -> staff_upload.UserUpload:
            content = await upload_bytes(input.file)
            return await staff_upload.upload_users(
                info.context.actor,
                organisation_code=input.organisation_code,
                content=content,
                filename=upload_name(input.file),
                dry_run=input.dry_run,
            )

        return await payload(
            UploadUsersPayload, upload(), UploadUsersPayload.of, dry_run=input.dry_run
        )


__all__ = ["StaffAccountMutations", "StaffAccountQueries"]
