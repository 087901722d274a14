"""Inputs of the network: the organisations filter, centre edits, centres' users and the centres
spreadsheet."""

import strawberry
from strawberry import relay
from strawberry.file_uploads import Upload

from schema.core.enums import OrganisationKind, Role
from schema.core.uploads import SEND_FILE


@strawberry.input
class OrganisationFilter:
    search: str | None = strawberry.field(default=None, description="Part of a code or name.")
    kind: OrganisationKind | None = None
    include_deleted: bool = False


@strawberry.input
class CreateCentreInput:
    code: str = strawberry.field(description="The centre number: 2 to 16 letters and digits.")
    name: str
    address: str = ""
    city: str = ""
    country: str = ""
    associate_code: str | None = strawberry.field(
        default=None, description="Makes it an associate centre of this associate."
    )


@strawberry.input(description="What is not given stays as it is.")
class UpdateCentreInput:
    code: str
    name: str | None = None
    address: str | None = None
    city: str | None = None
    country: str | None = None


@strawberry.input
class CentreCodeInput:
    code: str


@strawberry.input
class AddCentreUserInput:
    code: str
    email: str
    first_name: str | None = None
    last_name: str | None = None
    roles: list[Role] = strawberry.field(default_factory=list)


@strawberry.input
class RemoveCentreUserInput:
    code: str
    user_id: relay.GlobalID


@strawberry.input(description="Several centres at once, by number (at most 1,000).")
class CentreCodesInput:
    codes: list[str]


@strawberry.input(description="A user's place at a centre.")
class CentrePlaceInput:
    code: str = strawberry.field(description="The centre number.")
    user_id: relay.GlobalID


@strawberry.input(description="Several users' places at centres at once (at most 1,000).")
class CentrePlacesInput:
    places: list[CentrePlaceInput]


@strawberry.input
class ResendActivationInput:
    code: str = strawberry.field(description="The centre number.")
    user_id: relay.GlobalID


@strawberry.input
class UploadCentresInput:
    file: Upload = strawberry.field(
        description="An Excel workbook (.xlsx, first sheet) or UTF-8 CSV file with a header row: "
        "centre_number, centre_name, address, city, country, and optionally user_email, "
        "user_first_name, user_last_name, user_roles; one row per user of a centre; up to "
        f"20,000 rows. {SEND_FILE}"
    )
    dry_run: bool = strawberry.field(
        default=False, description="Check the file and report, writing nothing."
    )


@strawberry.input
class CheckUserPinInput:
    email: str
    pin: str = strawberry.field(description="The 6 digits the caller reads out.")
