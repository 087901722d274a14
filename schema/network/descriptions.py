"""Descriptions that recur across the network, exams and results website schema: the codes that
name a centre or a series, a person's fields and a payload's errors.

One definition each, so an argument or input field that means the same thing says the same
thing everywhere; the length limits are added by schema/core/input_checks.py.
"""

ORGANISATION_CODE = "The organisation's code: a centre or associate number, e.g. AA101."
CANDIDATE_NUMBER = "The candidate's number at their centre: four digits, e.g. 0042."
CANDIDATE_SEARCH = (
    "Words (case and accents ignored) that must each appear in the candidate's name, candidate "
    "number, UCI or username."
)
DRY_RUN = (
    "True to check the file and report what it would do, writing nothing; false to do it (a "
    "file with any error writes nothing either way)."
)
ROW_NUMBER = "The row's number as a spreadsheet shows it: the header is row 1."
ROW_ERRORS = "What is wrong with this row (empty if nothing); any row error writes nothing."
ROWS_READ = "Data rows in the file, the header not counted."
ROWS_WITH_ERRORS = "Rows with at least one error; more than 0 means nothing was written."
_PAYLOAD_ERRORS = (
    "Why nothing was changed, one entry per problem with a stable `code` and the input `field` "
    "it is about; empty on success. Codes this mutation may return: "
)
USER_ID = "The person's User id (a global ID), as removeCentreUser and removeCentreUsers take it."
EMAIL = "The person's email address, which they sign in with."
FIRST_NAME = "The person's first (given) name."
LAST_NAME = "The person's last (family) name."
FULL_NAME = "First and last name joined by a space."
LAST_LOGIN_AT = "When the person last signed in (ISO 8601, UTC); null if never."
ACCOUNT_STATUS = (
    "Where the account stands: PENDING_ACTIVATION or INVITED until the person first sets "
    "their password, then ACTIVE; DISABLED accounts cannot sign in."
)
ACCOUNT_PIN = (
    "The 6-digit PIN given with the account, which phone support asks for (checkUserPin); "
    "null if it has none."
)
REPORT_ACTION = "The mutation to call to act on this line of the report, as text."


def payload_errors(*codes: str) -> str:
    """The description of a payload's `errors`, naming the codes its mutation may return."""
    return _PAYLOAD_ERRORS + ", ".join(codes) + "."
