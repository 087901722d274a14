"""What a change to a centre's results access must satisfy, each check reporting every error
of the input at once: the choice of status with the centre's contact for queries, and a change
to the selected candidates."""

import re
from dataclasses import dataclass

import phonenumbers

from models.exams import Entry, EntryStatus, Series
from models.organisations import Organisation
from models.results_access import AccessStatus, ResultsAccess
from resolvers.core import clock
from resolvers.core.errors import DomainError, ErrorCode, UserError
from resolvers.core.exam_lookups import find_series
from resolvers.identity.accounts import check_email
from resolvers.results_website.access_state import has_valid_entry, is_offered, no_valid_entry

MAX_DELAY_HOURS = 720
MAX_CONTACT_NAME = 200
# Separators people write between digit groups; letters (vanity numbers, "ext") are refused.
_PHONE_CHARACTERS = re.compile(r"^\+?[0-9 ()./\-]+$")
# Candidates anywhere may call the centre, so a national form such as 01223 553554 is ambiguous.
_PHONE_EXAMPLE = "e.g. +44 1223 553554 or 0044 1223 553554"


@dataclass(frozen=True)
class Contact:
    """Who answers the candidates' queries about results: as typed (spaces tidied), and as
    stored once checked (the telephone number in E.164, the email address normalised)."""

    name: str
    phone: str | None
    email: str | None


def check_phone(phone: str, *field: str) -> str:
    """The number in E.164 (+441223553554), written in any common way with its country code:
    +44 1223 553554, +44 (0)1223 553554, 0044 1223 553554, +1 (202) 555-0143."""
    cleaned = " ".join(phone.split())
    number = _parse_international(cleaned, field)
    if not phonenumbers.is_valid_number(number):
        raise _phone_invalid(
            f"That is not a valid telephone number for country code +{number.country_code}: "
            f"check the digits, {_PHONE_EXAMPLE}.",
            field,
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _parse_international(cleaned: str, field: tuple[str, ...]) -> phonenumbers.PhoneNumber:
    """The number as written after + or the international prefix 00, which the country code
    must follow: without a default region, phonenumbers refuses a national form."""
    if (
        not _PHONE_CHARACTERS.match(cleaned)
        or not any(ch.isdigit() for ch in cleaned)
        or cleaned.count("(") != cleaned.count(")")
    ):
        raise _phone_invalid(
            "Enter a telephone number with its country code, using digits, spaces, brackets, "
            f"dashes or dots, {_PHONE_EXAMPLE}.",
            field,
        )
    # 00 is the international prefix in most countries, so 0044 can only mean +44.
    if cleaned.startswith("00"):
        cleaned = "+" + cleaned[2:]
    if not cleaned.startswith("+"):
        raise _phone_invalid(
            "This number has no country code: write it with + and the country code, e.g. "
            "01223 553554 in the UK is +44 1223 553554 (or 0044 1223 553554).",
            field,
        )
    try:
        return phonenumbers.parse(cleaned)
    except phonenumbers.NumberParseException as error:
        if error.error_type == phonenumbers.NumberParseException.INVALID_COUNTRY_CODE:
            message = f"The number does not start with a known country code, {_PHONE_EXAMPLE}."
        else:
            message = f"Enter a telephone number with its country code, {_PHONE_EXAMPLE}."
        raise _phone_invalid(message, field) from error


def _phone_invalid(message: str, field: tuple[str, ...]) -> DomainError:
    return DomainError.one(ErrorCode.PHONE_INVALID, message, *field)


def _opens(series: Series) -> str:
    at = series.credentials_open_at
    return f"{at.day} {at:%B %Y}, {at:%H:%M} UTC"


def _not_open(series: Series, *field: str) -> UserError:
    return UserError(
        ErrorCode.CREDENTIALS_NOT_OPEN,
        f"Candidate credentials for {series.code} can be created from {_opens(series)}.",
        tuple(field),
    )


async def check_update(
    centre: Organisation,
    series_code: str,
    status: AccessStatus,
    agreed: bool,
    contact: Contact,
    delay_hours: int,
) -> tuple[Series, Contact]:
    """The series and the contact as stored, or every error of the input at once."""
    errors: list[UserError] = []
    series: Series | None
    try:
        series = await find_series(series_code, "input", "seriesCode")
    except DomainError as error:
        errors.extend(error.errors)
        series = None
    # Giving access needs a candidate entered; taking it away only needs it to be on.
    offered = is_offered if status is AccessStatus.NONE else has_valid_entry
    if series is not None and not await offered(centre.id, series.id):
        errors.extend(no_valid_entry(centre, series, "input", "seriesCode").errors)
    if status is not AccessStatus.NONE:
        errors.extend(_agreement_errors(agreed, contact, series))
    contact = _check_contact_details(contact, errors)
    if not 0 <= delay_hours <= MAX_DELAY_HOURS:
        errors.append(
            UserError(
                ErrorCode.DELAY_INVALID,
                f"The delay is a number of hours from 0 to {MAX_DELAY_HOURS} (30 days).",
                ("input", "delayHours"),
            )
        )
    if errors:
        raise DomainError(errors)
    assert series is not None
    return series, contact


def _agreement_errors(agreed: bool, contact: Contact, series: Series | None) -> list[UserError]:
    """Giving access needs the centre's agreement, a contact and the credentials window open."""
    errors: list[UserError] = []
    if not agreed:
        errors.append(
            UserError(
                ErrorCode.RESULTS_AGREEMENT_REQUIRED,
                "Tick the box to agree to manage your candidates' queries.",
                ("input", "agreed"),
            )
        )
    if not contact.name:
        errors.append(
            UserError(
                ErrorCode.CONTACT_NAME_REQUIRED,
                "Enter the name of the person who will manage candidates' queries.",
                ("input", "contactName"),
            )
        )
    elif len(contact.name) > MAX_CONTACT_NAME:
        errors.append(
            UserError(
                ErrorCode.INVALID_INPUT,
                f"The contact name must be at most {MAX_CONTACT_NAME} characters.",
                ("input", "contactName"),
            )
        )
    if contact.phone is None and contact.email is None:
        errors.append(
            UserError(
                ErrorCode.CONTACT_DETAILS_REQUIRED,
                "Enter a telephone number or an email address for candidates' queries.",
                ("input", "contactPhone"),
            )
        )
    if series is not None and clock.now() < series.credentials_open_at:
        errors.append(_not_open(series, "input", "status"))
    return errors


def _check_contact_details(contact: Contact, errors: list[UserError]) -> Contact:
    """The telephone number and email address as stored, their errors added to `errors`."""
    phone, email = contact.phone, contact.email
    if phone is not None:
        try:
            phone = check_phone(phone, "input", "contactPhone")
        except DomainError as error:
            errors.extend(error.errors)
    if email is not None:
        try:
            email = check_email(email, "input", "contactEmail")
        except DomainError as error:
            errors.extend(error.errors)
    return Contact(contact.name, phone, email)


async def selected_access(centre: Organisation, series: Series) -> ResultsAccess:
    """The centre's access for the series, which must be for SELECTED candidates."""
    access = await ResultsAccess.get_or_none(centre_id=centre.id, series_id=series.id)
    if access is None or access.status is not AccessStatus.SELECTED:
        raise DomainError.one(
            ErrorCode.RESULTS_ACCESS_NOT_SELECTED,
            f"Choose 'Selected candidates' for {series.code} first (updateResultsAccess).",
            "input",
            "seriesCode",
        )
    return access


async def check_selection(
    centre: Organisation, series: Series, add: list[int], remove: list[int]
) -> None:
    """Each candidate added or removed is entered in the series at the centre, and in one list."""
    errors: list[UserError] = []
    if add and clock.now() < series.credentials_open_at:
        errors.append(_not_open(series, "input", "add"))
    wanted = set(add) | set(remove)
    entered = (
        set(
            await Entry.filter(
                candidate__centre_id=centre.id,
                series_id=series.id,
                status=EntryStatus.ENTERED,
                candidate_id__in=list(wanted),
            ).values_list("candidate_id", flat=True)
        )
        if wanted
        else set()
    )
    for name, ids in (("add", add), ("remove", remove)):
        for index, candidate_id in enumerate(ids):
            if candidate_id not in entered:
                errors.append(
                    UserError(
                        ErrorCode.CANDIDATE_NOT_ENTERED,
                        f"That candidate is not entered in {series.code} at {centre.code}.",
                        ("input", name, str(index)),
                    )
                )
            elif name == "remove" and candidate_id in add:
                errors.append(
                    UserError(
                        ErrorCode.INVALID_INPUT,
                        "A candidate cannot be both added and removed.",
                        ("input", name, str(index)),
                    )
                )
    if errors:
        raise DomainError(errors)
