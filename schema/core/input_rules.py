"""The one table of what a text input may hold: its maximum length and whether it is free text.

Every String and ID argument and input field gets a rule, by its schema coordinate
(`InviteUserInput.email`, `Query.seriesByCode(code)`) when the table names it, else by its name
(`email`, `seriesCode`), else the default. Lengths of what the database looks up or stores are
never above its column (models/), so a longer value is refused here instead of failing there.
Only free text (descriptions, notes, email bodies) may hold line breaks and tabs; no input may
hold any other control character or a lone UTF-16 surrogate. Times have one range too.
schema/core/input_checks.py applies the table to every request and writes each rule into the SDL
description of the input it governs.
"""

from dataclasses import dataclass
from datetime import UTC, datetime

from resolvers.services import access_arrangements, resources, submissions


@dataclass(frozen=True)
class TextRule:
    max_length: int
    free_text: bool = False

    def description(self) -> str:
        if self.free_text:
            return (
                f"At most {self.max_length:,} characters; line breaks and tabs allowed, no "
                "other control characters."
            )
        return f"At most {self.max_length:,} characters, on one line (no control characters)."


ID = TextRule(100)
CURSOR = TextRule(64)
ORGANISATION_CODE = TextRule(32)  # models.organisations.Organisation.code
SERIES_CODE = TextRule(16)  # models.exams: Series.code and Syllabus.code
SHORT = TextRule(32)  # emailed codes, authenticator codes, confirmations, candidate numbers
TEMPLATE_KEY = TextRule(64)  # models.mail.EmailTemplate.key
# The test portal's limit (models.exams.Candidate.username); also what signInCandidate takes,
# which answers every failure alike, a too long username included.
CANDIDATE_USERNAME = TextRule(500)
EMAIL = TextRule(254)  # RFC 5321's longest address
NAME = TextRule(100)  # first and last names, cities, countries
PHONE = TextRule(40)
PASSWORD = TextRule(128)  # the password policy's longest (README "Password policy")
SEARCH = TextRule(100)
ADDRESS = TextRule(300)
DEFAULT = TextRule(200)  # titles, organisation names, email subjects, tokens and the rest
FREE_TEXT = TextRule(10_000, free_text=True)
EMAIL_BODY = TextRule(20_000, free_text=True)

BY_NAME: dict[str, TextRule] = {
    "after": CURSOR,
    "before": CURSOR,
    "organisationCode": ORGANISATION_CODE,
    "centreCode": ORGANISATION_CODE,
    "centreCodes": ORGANISATION_CODE,
    "codes": ORGANISATION_CODE,  # centres' codes, unless the coordinate says otherwise
    "associateCode": ORGANISATION_CODE,
    "code": ORGANISATION_CODE,  # a centre's code, unless the coordinate says otherwise
    "seriesCode": SERIES_CODE,
    "syllabusCode": SERIES_CODE,
    "syllabusCodes": SERIES_CODE,
    "candidateNumber": SHORT,
    "uci": SHORT,
    "grade": SHORT,
    "totpCode": SHORT,
    "pin": SHORT,
    "confirmation": SHORT,
    "key": TEMPLATE_KEY,
    "action": TextRule(64),  # models.audit.AuditEvent.action
    "username": CANDIDATE_USERNAME,
    "email": EMAIL,
    "actorEmail": EMAIL,
    "contactEmail": EMAIL,
    "firstName": NAME,
    "lastName": NAME,
    "city": NAME,
    "country": NAME,
    "contactPhone": PHONE,
    "password": PASSWORD,
    "newPassword": PASSWORD,
    "currentPassword": PASSWORD,
    "search": SEARCH,
    "address": ADDRESS,
    "description": FREE_TEXT,
    "note": FREE_TEXT,
    "reasons": FREE_TEXT,
    "text": FREE_TEXT,
    "body": EMAIL_BODY,
}

BY_COORDINATE: dict[str, TextRule] = {
    "Query.seriesByCode(code)": SERIES_CODE,
    "CreateSyllabusInput.code": SERIES_CODE,
    "CodeInput.code": SHORT,
    "SetPasswordWithCodeInput.code": SHORT,
    # Free text whose use case has its own, smaller, limit: the same number, checked first here.
    "SubmitForAssessmentInput.note": TextRule(submissions.MAX_NOTE, free_text=True),
    "SubmitAccessArrangementInput.reasons": TextRule(access_arrangements.MAX_TEXT, free_text=True),
    "DecideAccessArrangementInput.note": TextRule(access_arrangements.MAX_TEXT, free_text=True),
    "UploadResourceInput.description": TextRule(resources.MAX_DESCRIPTION, free_text=True),
    "UpdateResourceInput.description": TextRule(resources.MAX_DESCRIPTION, free_text=True),
}


# Every DateTime input: within these years (UTC), so that no time moved by a zone or a delay
# leaves what Python and the databases can hold (PostgreSQL failed on year 0 and year 10000).
EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
END = datetime(3000, 1, 1, tzinfo=UTC)
TIME_RANGE_DESCRIPTION = "From the year 1900 to 2999 (UTC)."


def rule_for(coordinate: str, name: str, *, is_id: bool = False) -> TextRule:
    """The rule of the input at `coordinate` (`Type.field` or `Type.field(argument)`)."""
    if is_id:
        return ID
    return BY_COORDINATE.get(coordinate) or BY_NAME.get(name) or DEFAULT
