"""Inputs of the network: the organisations filter, centre edits, centres' users and the centres
spreadsheet."""

import strawberry
from strawberry import relay
from strawberry.file_uploads import Upload

from schema.core.described import CENTRE_CODE
from schema.core.enums import OrganisationKind, Role
from schema.core.uploads import SEND_FILE
from schema.network.descriptions import DRY_RUN, EMAIL, USER_ID

_NEW_CENTRE_CODE = (
    "The new centre's number: 2 to 16 letters and digits, e.g. AA101, kept upper-case; unique "
    "among all organisations (else CENTRE_CODE_TAKEN)."
)
_ADDRESS = "The centre's street address; empty if not known."
_CITY = "The centre's town or city; empty if not known."
_COUNTRY = "The centre's country; empty if not known."


@strawberry.input(description="Which organisations the board's `organisations` list shows.")
class OrganisationFilter:
    search: str | None = strawberry.field(
        default=None,
        description="Words (case ignored) that must each appear in the organisation's code or "
        "name; null or empty for every organisation.",
    )
    kind: OrganisationKind | None = strawberry.field(
        default=None, description="Only organisations of this kind; null for every kind."
    )
    include_deleted: bool = strawberry.field(
        default=False, description="True to list soft-deleted organisations too."
    )


@strawberry.input(description="A new centre, for createCentre.")
class CreateCentreInput:
    code: str = strawberry.field(description=_NEW_CENTRE_CODE)
    name: str = strawberry.field(description="The centre's name, as candidates and staff see it.")
    address: str = strawberry.field(default="", description=_ADDRESS)
    city: str = strawberry.field(default="", description=_CITY)
    country: str = strawberry.field(default="", description=_COUNTRY)
    associate_code: str | None = strawberry.field(
        default=None,
        description="The number of an associate (NOT_AN_ASSOCIATE if it is not one): the new "
        "centre becomes its associate centre, and the associate's staff reach it. Null for an "
        "independent centre.",
    )


@strawberry.input(description="A centre's new details, for updateCentre. What is not given stays.")
class UpdateCentreInput:
    code: str = strawberry.field(description=CENTRE_CODE)
    name: str | None = strawberry.field(
        default=None, description="The new name; null keeps the current one."
    )
    address: str | None = strawberry.field(
        default=None, description="The new street address; null keeps it, empty clears it."
    )
    city: str | None = strawberry.field(
        default=None, description="The new town or city; null keeps it, empty clears it."
    )
    country: str | None = strawberry.field(
        default=None, description="The new country; null keeps it, empty clears it."
    )


@strawberry.input(description="One centre, by number, for deleteCentre and undoDeleteCentre.")
class CentreCodeInput:
    code: str = strawberry.field(description=CENTRE_CODE)


@strawberry.input(description="A new user of a centre, for addCentreUser.")
class AddCentreUserInput:
    code: str = strawberry.field(description=CENTRE_CODE)
    email: str = strawberry.field(
        description="The new user's email address; no account may have it yet (EMAIL_IN_USE)."
    )
    first_name: str | None = strawberry.field(
        default=None, description="Their first name; null or empty leaves it for them to give."
    )
    last_name: str | None = strawberry.field(
        default=None, description="Their last name; null or empty leaves it for them to give."
    )
    roles: list[Role] = strawberry.field(
        default_factory=list,
        description="Roles at the centre; may be empty. EXAMS_OFFICER and GLOBAL_LISTENING "
        "are refused (ROLE_NOT_GRANTABLE): designateExamsOfficer gives those.",
    )


@strawberry.input(description="A user to take out of a centre, for removeCentreUser.")
class RemoveCentreUserInput:
    code: str = strawberry.field(description=CENTRE_CODE)
    user_id: relay.GlobalID = strawberry.field(description=USER_ID)


@strawberry.input(description="Several centres at once, by number (at most 1,000).")
class CentreCodesInput:
    codes: list[str] = strawberry.field(
        description='1 to 1,000 centre numbers, e.g. ["AA101", "AA102"]; all are acted on or none.'
    )


@strawberry.input(description="A user's place at a centre.")
class CentrePlaceInput:
    code: str = strawberry.field(description=CENTRE_CODE)
    user_id: relay.GlobalID = strawberry.field(description=USER_ID)


@strawberry.input(description="Several users' places at centres at once (at most 1,000).")
class CentrePlacesInput:
    places: list[CentrePlaceInput] = strawberry.field(
        description="1 to 1,000 places; all are acted on or none, and each error's `field` "
        'names the place, e.g. ["input", "places", "3", "userId"].'
    )


@strawberry.input(description="Whose activation email to send again, for resendActivationEmail.")
class ResendActivationInput:
    code: str = strawberry.field(description=CENTRE_CODE)
    user_id: relay.GlobalID = strawberry.field(description=USER_ID)


@strawberry.input(description="A centres spreadsheet, for uploadCentres.")
class UploadCentresInput:
    file: Upload = strawberry.field(
        description="An Excel workbook (.xlsx, first sheet) or UTF-8 CSV file with a header row: "
        "centre_number, centre_name, address, city, country, and optionally user_email, "
        "user_first_name, user_last_name, user_roles; one row per user of a centre; up to "
        f"20,000 rows. {SEND_FILE}"
    )
    dry_run: bool = strawberry.field(default=False, description=DRY_RUN)


@strawberry.input(description="A caller's account and the PIN they read out, for checkUserPin.")
class CheckUserPinInput:
    email: str = strawberry.field(description=EMAIL + " Case is ignored.")
    pin: str = strawberry.field(description="The 6 digits the caller reads out.")
