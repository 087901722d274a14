"""What a change to a centre's results access must satisfy, each check reporting every error
of the input at once: the choice of status with the centre's contact for queries, and a change
to the selected candidates."""

import re
from dataclasses import dataclass

from models.exams import Entry, EntryStatus, Series
from models.organisations import Organisation
from models.results_access import AccessStatus, ResultsAccess
from resolvers.core import clock
from resolvers.core.errors import DomainError, ErrorCode, UserError
from resolvers.core.exam_lookups import find_series
from resolvers.identity.accounts import check_email
from resolvers.results_website.access_state import has_valid_entry, no_valid_entry

MAX_DELAY_HOURS = 720
MAX_CONTACT_NAME = 200
_PHONE_CHARACTERS = re.compile(r"^\+?[0-9 ()\-]+$")
MIN_PHONE_DIGITS, MAX_PHONE_DIGITS = 7, 15


@dataclass(frozen=True)
class Contact:
    """Who answers the candidates' queries about results, as typed (spaces tidied)."""

    name: str
    phone: str | None
    email: str | None


def check_phone(phone: str, *field: str) -> str:
    """A plausible international number: digits, spaces, +, - and brackets; 7 to 15 digits."""
    cleaned = " ".join(phone.split())
    digits = sum(ch.isdigit() for ch in cleaned)
    if (
        not _PHONE_CHARACTERS.match(cleaned)
        or not MIN_PHONE_DIGITS <= digits <= MAX_PHONE_DIGITS
        or cleaned.count("(") != cleaned.count(")")
    ):
        raise DomainError.one(
            ErrorCode.PHONE_INVALID,
            "Enter a telephone number with its country code, e.g. +65 6123 4567 "
            f"({MIN_PHONE_DIGITS} to {MAX_PHONE_DIGITS} digits).",
            *field,
        )
    return cleaned


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
    if series is not None and not await has_valid_entry(centre.id, series.id):
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
