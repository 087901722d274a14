"""The network as the API shows it: organisations and their roles and services, centres' users,
and the report of a centres spreadsheet."""

from datetime import datetime

import strawberry
from strawberry import relay

from models.organisations import Organisation
from policies import Role as RoleValue
from resolvers.network import centre_upload as upload_cases
from resolvers.network import centre_users, user_search
from schema.core.context import Info
from schema.core.enums import OrganisationKind, Role, UserStatus
from schema.core.ids import value_id
from schema.core.jobs import JobNode
from schema.network.dataloaders import OrganisationByIdLoader


@strawberry.type(name="Organisation", description="The exam board, an associate or a centre.")
class OrganisationNode(relay.Node):
    id: relay.NodeID[int]
    kind: OrganisationKind
    code: str = strawberry.field(description="Centre or associate number, e.g. AA101.")
    name: str
    address: str
    city: str
    country: str
    deleted_at: datetime | None
    parent_id: strawberry.Private[int | None]

    @strawberry.field(description="Soft-deleted: its users have no access until undone.")
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @strawberry.field(description="The associate of an associate centre.")
    async def parent(self, info: Info) -> "OrganisationNode | None":
        if self.parent_id is None:
            return None
        parent = await OrganisationByIdLoader.of(info.context).load(self.parent_id)
        return OrganisationNode.of(parent) if parent else None

    @classmethod
    def of(cls, organisation: Organisation) -> "OrganisationNode":
        return cls(
            id=organisation.id,
            kind=organisation.kind,
            code=organisation.code,
            name=organisation.name,
            address=organisation.address,
            city=organisation.city,
            country=organisation.country,
            deleted_at=organisation.deleted_at,
            parent_id=organisation.parent_id,
        )


@strawberry.type(description="A centre's user as the exam board sees them.")
class CentreUser:
    user_id: relay.GlobalID = strawberry.field(description="The User's id, for removeCentreUser.")
    email: str
    first_name: str
    last_name: str
    status: UserStatus
    pin: str | None = strawberry.field(description="The 6-digit PIN given with the account.")
    last_login_at: datetime | None = strawberry.field(description="Last logged in.")
    roles: list[Role] = strawberry.field(description="The roles held at this centre.")
    centre_id: strawberry.Private[int]

    @strawberry.field(
        description="Stable and unique across types, for client caches (not for `node`)."
    )
    def id(self) -> strawberry.ID:
        return value_id("CentreUser", self.centre_id, self.user_id.node_id)

    @strawberry.field
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @classmethod
    def of(cls, row: centre_users.CentreUserRow) -> "CentreUser":
        return cls(
            centre_id=row.centre_id,
            user_id=relay.GlobalID("User", str(row.user_id)),
            email=row.email,
            first_name=row.first_name,
            last_name=row.last_name,
            status=row.status,
            pin=row.pin,
            last_login_at=row.last_login_at,
            roles=[RoleValue(role) for role in row.roles],
        )


@strawberry.type(description="One of a person's places: an organisation and the roles there.")
class PersonPlace:
    organisation_code: str
    organisation_name: str
    roles: list[Role]
    organisation_deleted: bool


@strawberry.type(description="A person found by the board's users search, with every place.")
class PersonAcrossCentres:
    user_id: relay.GlobalID
    email: str
    first_name: str
    last_name: str
    status: UserStatus
    pin: str | None
    last_login_at: datetime | None
    places: list[PersonPlace] = strawberry.field(description="By organisation code.")

    @strawberry.field
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @classmethod
    def of(cls, person: user_search.PersonPlaces) -> "PersonAcrossCentres":
        return cls(
            user_id=relay.GlobalID("User", str(person.user_id)),
            email=person.email,
            first_name=person.first_name,
            last_name=person.last_name,
            status=person.status,
            pin=person.pin,
            last_login_at=person.last_login_at,
            places=[
                PersonPlace(
                    organisation_code=p.organisation_code,
                    organisation_name=p.organisation_name,
                    roles=[RoleValue(r) for r in p.roles],
                    organisation_deleted=p.deleted,
                )
                for p in person.places
            ],
        )


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
        description="The mutation to call: removeCentreUser(input: {code, userId}), or "
        "removeCentreUsers for several at once."
    )
    spreadsheet_emails: list[str] = strawberry.field(
        description="Spreadsheet Email: the emails the file lists at that centre."
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
    def of(cls, report: upload_cases.CentreUploadReport) -> "CentreUploadReport":
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
                    spreadsheet_emails=u.spreadsheet_emails,
                )
                for u in report.extra_users
            ],
            duplicated_users=[
                DuplicatedCentreUser(email=d.email, centre_codes=d.centre_codes, in_file=d.in_file)
                for d in report.duplicated_users
            ],
        )


@strawberry.type(description="The outcome of a centres upload job.")
class CentreUploadResult:
    job: JobNode
    report: CentreUploadReport | None = strawberry.field(
        description="Null until the job has SUCCEEDED."
    )
