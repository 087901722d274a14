"""The network as the API shows it: organisations and their roles and services, centres' users,
and the report of a centres spreadsheet."""

from datetime import datetime

import strawberry
from strawberry import relay

from models.organisations import Organisation
from policies import Role as RoleValue
from policies import Target
from resolvers.core.organisation_access import OrganisationRow
from resolvers.network import centre_upload as upload_cases
from resolvers.network import centre_users, user_search
from schema.core.context import Info
from schema.core.enums import OrganisationKind, Role, UserStatus
from schema.core.ids import VALUE_ID_DESCRIPTION, value_id
from schema.core.jobs import JobNode
from schema.core.selections import selects
from schema.core.viewer_can import OrganisationPermissions, answers_at
from schema.network.dataloaders import OrganisationByIdLoader
from schema.network.descriptions import (
    ACCOUNT_PIN,
    ACCOUNT_STATUS,
    EMAIL,
    FIRST_NAME,
    FULL_NAME,
    LAST_LOGIN_AT,
    LAST_NAME,
    REPORT_ACTION,
    USER_ID,
)

_ORGANISATION_ROLES = "The roles the person holds there."


@strawberry.type(
    name="Organisation",
    description="The exam board, an associate or a centre. Members see their own "
    "organisations; board admins see every one.",
)
class OrganisationNode(relay.Node):
    id: relay.NodeID[int]
    kind: OrganisationKind = strawberry.field(
        description="Whether this is the board, an associate or a centre."
    )
    code: str = strawberry.field(
        description="Centre or associate number, e.g. AA101: upper-case letters and digits."
    )
    name: str = strawberry.field(description="The organisation's name, e.g. Riverside School.")
    address: str = strawberry.field(description="Street address; empty if not known.")
    city: str = strawberry.field(description="Town or city; empty if not known.")
    country: str = strawberry.field(description="Country; empty if not known.")
    deleted_at: datetime | None = strawberry.field(
        description="When the board soft-deleted it (ISO 8601, UTC); null if it is live."
    )
    parent_id: strawberry.Private[int | None]

    @strawberry.field(description="Soft-deleted: its users have no access until undone.")
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @strawberry.field(
        description="What you may do at this organisation: as permissions(organisationCode:) "
        "answers for its code."
    )
    def viewer_can(self, info: Info) -> OrganisationPermissions:  # type: ignore[valid-type]
        return answers_at(info, OrganisationPermissions, self.target())

    @strawberry.field(
        description="The associate whose associate centre this is, whose staff reach it too; "
        "null for any other organisation."
    )
    def parent(self, info: Info) -> "OrganisationNode | None":
        # Not `async`: most organisations have no parent, and a list that read its rows'
        # parents first (fill_parent) has them at hand; otherwise this returns the awaitable
        # that loads the parent.
        if self.parent_id is None:
            return None
        return OrganisationByIdLoader.of(info.context).now_or_later(  # type: ignore[return-value]
            self.parent_id, organisation_node_or_none
        )

    def target(self) -> Target:
        """The organisation as the Authorizer takes it."""
        return Target(self.id, self.kind, self.parent_id, self.deleted_at is not None)

    async def fill_parent(self, info: Info) -> None:
        """Read the parent now, if the query asks for it, so that `parent` needs no awaiting."""
        if self.parent_id is not None and selects(info, "parent", deep=True):
            await OrganisationByIdLoader.of(info.context).fill([self.parent_id])

    @classmethod
    def of(cls, organisation: Organisation | OrganisationRow) -> "OrganisationNode":
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


def organisation_node(organisation: Organisation | None) -> OrganisationNode:
    """The node of an organisation a foreign key names (so it exists), as loaded."""
    assert organisation is not None  # a foreign key: the organisation exists
    return OrganisationNode.of(organisation)


def organisation_node_or_none(
    organisation: Organisation | OrganisationRow | None,
) -> OrganisationNode | None:
    """The node of an organisation, or None where none was found."""
    return OrganisationNode.of(organisation) if organisation else None


@strawberry.type(description="A centre's user as the exam board sees them (board admins only).")
class CentreUser:
    user_id: relay.GlobalID = strawberry.field(description=USER_ID)
    email: str = strawberry.field(description=EMAIL)
    first_name: str = strawberry.field(description=FIRST_NAME + " Empty until they give it.")
    last_name: str = strawberry.field(description=LAST_NAME + " Empty until they give it.")
    status: UserStatus = strawberry.field(description=ACCOUNT_STATUS)
    pin: str | None = strawberry.field(description=ACCOUNT_PIN)
    last_login_at: datetime | None = strawberry.field(description=LAST_LOGIN_AT)
    roles: list[Role] = strawberry.field(
        description="The roles held at this centre, by name; may be empty."
    )
    centre_id: strawberry.Private[int]

    @strawberry.field(description=VALUE_ID_DESCRIPTION)
    def id(self) -> strawberry.ID:
        return value_id("CentreUser", self.centre_id, self.user_id.node_id)

    @strawberry.field(description=FULL_NAME)
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
    organisation_code: str = strawberry.field(description="The organisation's code, e.g. AA101.")
    organisation_name: str = strawberry.field(description="The organisation's name.")
    roles: list[Role] = strawberry.field(description=_ORGANISATION_ROLES)
    organisation_deleted: bool = strawberry.field(
        description="True when the organisation is soft-deleted: the place opens nothing."
    )


@strawberry.type(description="A person found by the board's users search, with every place.")
class PersonAcrossCentres:
    user_id: relay.GlobalID = strawberry.field(description=USER_ID)
    email: str = strawberry.field(description=EMAIL)
    first_name: str = strawberry.field(description=FIRST_NAME)
    last_name: str = strawberry.field(description=LAST_NAME)
    status: UserStatus = strawberry.field(description=ACCOUNT_STATUS)
    pin: str | None = strawberry.field(description=ACCOUNT_PIN)
    last_login_at: datetime | None = strawberry.field(description=LAST_LOGIN_AT)
    places: list[PersonPlace] = strawberry.field(
        description="Every organisation the person belongs to, by organisation code."
    )

    @strawberry.field(description=FULL_NAME)
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
    code: str = strawberry.field(description="The centre's number, e.g. AA101.")
    name: str = strawberry.field(description="The centre's name on the site.")
    action: str = strawberry.field(
        description=REPORT_ACTION + " Here deleteCentre(input: {code}), or deleteCentres for "
        "several at once."
    )


@strawberry.type(
    description="A user placed on the site at a centre of the file, whom the file does not list "
    "there. Take them out of the centre with the action."
)
class ExtraCentreUser:
    centre_code: str = strawberry.field(description="The number of the centre they are placed at.")
    user_id: relay.GlobalID = strawberry.field(description=USER_ID)
    email: str = strawberry.field(description=EMAIL)
    name: str = strawberry.field(description=FULL_NAME)
    last_login_at: datetime | None = strawberry.field(description=LAST_LOGIN_AT)
    action: str = strawberry.field(
        description=REPORT_ACTION + " Here removeCentreUser(input: {code, userId}), or "
        "removeCentreUsers for several at once."
    )
    spreadsheet_emails: list[str] = strawberry.field(
        description="Spreadsheet Email: the emails the file lists at that centre."
    )


@strawberry.type(
    description="A user placed at more than one centre, by the file or by the file and the site."
)
class DuplicatedCentreUser:
    email: str = strawberry.field(
        description=EMAIL + " The file neither creates nor places this person anywhere."
    )
    centre_codes: list[str] = strawberry.field(description="Every centre, file and site.")
    in_file: list[str] = strawberry.field(description="The centres the file lists them for.")


@strawberry.type(
    description='What a centres file does (a dry run) or did (the job): "Processed N row(s) in '
    'M minute(s). Created X centre(s) and Y user(s) (Z replaced)", and the issues to look at.'
)
class CentreUploadReport:
    rows_processed: int = strawberry.field(description="Data rows read, the header not counted.")
    seconds: float = strawberry.field(description="Time taken to check (and write) the file.")
    centres_created: int = strawberry.field(description="Centre numbers new to the site.")
    centres_updated: int = strawberry.field(description="Existing centres whose name changed.")
    users_created: int = strawberry.field(
        description="New accounts waiting for activation, each with a PIN (the job's file)."
    )
    users_updated: int = strawberry.field(
        description="Existing accounts given a place at a centre, or roles there (the seed's "
        '"replaced"). Their names, status and PIN are kept; no role is taken away.'
    )
    missing_centres: list[MissingCentre] = strawberry.field(
        description="Live centres on the site that the file does not list; nothing is done to "
        "them unless you act."
    )
    extra_users: list[ExtraCentreUser] = strawberry.field(
        description="Users on the site at a centre of the file whom the file does not list there; "
        "they keep their place unless you act."
    )
    duplicated_users: list[DuplicatedCentreUser] = strawberry.field(
        description="Emails placed at more than one centre; correct the file or the site."
    )

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
    job: JobNode = strawberry.field(
        description="The upload job: its status, and once SUCCEEDED its file of the new users' "
        "PINs."
    )
    report: CentreUploadReport | None = strawberry.field(
        description="Null until the job has SUCCEEDED."
    )
