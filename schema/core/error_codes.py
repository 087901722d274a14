"""What each stable error code means, for the clients that act on them (ErrorCode in the SDL).

Every code may come back in a mutation payload's `errors` (and, for queries, as a GraphQL
error's extensions.code); the message next to it is for people and may change, the code is not.
"""

from resolvers.core.errors import ErrorCode

MEANINGS: dict[ErrorCode, str] = {
    ErrorCode.INVALID_INPUT: "An input is malformed or out of range (e.g. a time outside "
    "1900-2999, an id of the wrong type); `field` points to it.",
    ErrorCode.INPUT_TOO_LONG: "A text input is longer than its limit (each input's description "
    "gives it); nothing was changed.",
    ErrorCode.INVALID_CHARACTERS: "A text input holds a control character (line breaks and tabs "
    "are allowed in free text only) or a lone UTF-16 surrogate.",
    ErrorCode.NOT_FOUND: "The thing named does not exist, or is not one you may see.",
    ErrorCode.INVALID_CREDENTIALS: "Wrong email, password or authenticator code; the answer "
    "never says which.",
    ErrorCode.SIGN_IN_THROTTLED: "Too many failed sign-ins for this email or address lately: "
    "wait and try again.",
    ErrorCode.TEMPORARY_PASSWORD_EXPIRED: "The right temporary password, but past its time: ask "
    "for a new one (an invitation sent again, or a password reset).",
    ErrorCode.PASSWORD_TOO_WEAK: "The new password breaks the password policy (README "
    '"Password policy"); the message says how.',
    ErrorCode.PASSWORD_INCORRECT: "Your current password, given to confirm the change, is wrong.",
    ErrorCode.PASSWORD_REUSED: "The new password is one used before on this account.",
    ErrorCode.CODE_INVALID: "The emailed or authenticator code is wrong.",
    ErrorCode.CODE_EXPIRED: "The emailed code is past its time: ask for a new one.",
    ErrorCode.TOO_MANY_ATTEMPTS: "Too many wrong codes, or too many codes asked for: ask for a "
    "new one later.",
    ErrorCode.NOT_PENDING_ACTIVATION: "The board resends activation emails only to accounts "
    "still waiting to be activated.",
    ErrorCode.TOO_MANY_EMAILS: "Too many of these emails were sent to this address this hour.",
    ErrorCode.TOKEN_INVALID: "The link's token, or the email and code, are not valid or have "
    "expired: ask for a new link.",
    ErrorCode.EMAIL_INVALID: "Not an email address.",
    ErrorCode.EMAIL_IN_USE: "Another account has this email address.",
    ErrorCode.NAME_REQUIRED: "Give both a first and a last name.",
    ErrorCode.ROLES_REQUIRED: "Give at least one role.",
    ErrorCode.ROLE_NOT_GRANTABLE: "A role you may not grant here: EXAMS_OFFICER and "
    "GLOBAL_LISTENING never are, other roles need the right role of your own.",
    ErrorCode.NOT_A_MEMBER: "That user does not belong to the organisation.",
    ErrorCode.NOT_REMOVED: "There is nothing to undo: the user was not removed, or is back "
    "already.",
    ErrorCode.ALREADY_RESOLVED: "The errors report's problem was marked resolved already.",
    ErrorCode.PIN_LOCKED: "Too many wrong account PINs for this account this hour.",
    ErrorCode.CANNOT_REMOVE_SELF: "You cannot remove yourself from an organisation.",
    ErrorCode.CANNOT_REMOVE_EXAMS_OFFICER: "The exams officer cannot be removed; the board "
    "designates another one instead.",
    ErrorCode.ORGANISATION_DELETED: "The organisation is soft-deleted: nothing can be done there "
    "until the deletion is undone.",
    ErrorCode.TOTP_NOT_ENROLLED: "No authenticator app is set up (or being set up) for this "
    "account.",
    ErrorCode.TOTP_ALREADY_ENABLED: "An authenticator app is set up already: disable it first.",
    ErrorCode.SERIES_NOT_FOUND: "No exam series has that code.",
    ErrorCode.SERIES_EXISTS: "An exam series with that code exists already.",
    ErrorCode.SYLLABUS_NOT_FOUND: "No syllabus has that code in the series.",
    ErrorCode.SYLLABUS_EXISTS: "A syllabus with that code exists already in the series.",
    ErrorCode.NOT_A_CENTRE: "The organisation is not a centre (the board or an associate).",
    ErrorCode.USERNAME_INVALID: "The candidate's test username is empty or not allowed.",
    ErrorCode.USERNAME_IN_USE_AT_VENUE: "Another candidate at the same venue has that username.",
    ErrorCode.CANDIDATE_PASSWORD_INVALID: "The candidate's password is not allowed.",
    ErrorCode.CANDIDATE_NUMBER_INVALID: "Not a candidate number (the message gives the format).",
    ErrorCode.CANDIDATE_NUMBER_TAKEN: "Another candidate at the centre has that number.",
    ErrorCode.UCI_INVALID: "Not a unique candidate identifier (UCI).",
    ErrorCode.UCI_IN_USE: "Another candidate has that unique candidate identifier.",
    ErrorCode.ALREADY_ENTERED: "The candidate is entered for that syllabus in that series already.",
    ErrorCode.ENTRY_NOT_FOUND: "No such entry, or none you may see.",
    ErrorCode.ENTRY_WITHDRAWN: "The entry is withdrawn: it takes no results or sessions.",
    ErrorCode.GRADE_INVALID: "Not one of the syllabus's grades.",
    ErrorCode.MARK_INVALID: "The mark is a percentage, from 0 to 100.",
    ErrorCode.CONCURRENT_CHANGE: "Someone changed the same thing at the same moment: nothing "
    "was changed; read it again and retry.",
    ErrorCode.RESULTS_AGREEMENT_REQUIRED: "Tick the box agreeing to manage your candidates' "
    "queries about the candidate results website.",
    ErrorCode.CONTACT_NAME_REQUIRED: "Give the name of the contact for candidates' queries.",
    ErrorCode.CONTACT_DETAILS_REQUIRED: "Give a telephone number or an email address for "
    "candidates' queries.",
    ErrorCode.PHONE_INVALID: "Not a telephone number.",
    ErrorCode.DELAY_INVALID: "The results delay is a whole number of hours from 0 to 720 (30 "
    "days).",
    ErrorCode.CREDENTIALS_NOT_OPEN: "Candidate credentials for the series cannot be created yet; "
    "the message says from when.",
    ErrorCode.NO_VALID_ENTRY: "Credentials need a series in which the centre has candidates "
    "entered.",
    ErrorCode.RESULTS_ACCESS_NOT_SELECTED: "Choose 'Selected candidates' for the series first "
    "(updateResultsAccess).",
    ErrorCode.CANDIDATE_NOT_ENTERED: "The candidate is not entered for the series or syllabus.",
    ErrorCode.FILE_EMPTY: "The uploaded file holds no rows.",
    ErrorCode.FILE_UNREADABLE: "The uploaded file is not a readable .xlsx or UTF-8 CSV.",
    ErrorCode.CSV_COLUMNS_INVALID: "The file's header row is not the template's columns.",
    ErrorCode.CSV_ROW_MALFORMED: "A row has the wrong number of columns or cannot be parsed.",
    ErrorCode.TOO_MANY_ROWS: "More rows than one upload or export may hold (the message gives "
    "the limit).",
    ErrorCode.DUPLICATE_IN_FILE: "The same thing appears twice in the file.",
    ErrorCode.EXAMPLE_ROW: "The template's example row was uploaded as it came: replace or "
    "delete it.",
    ErrorCode.ROWS_INVALID: "Some rows of the uploaded file have errors (see each row's "
    "`errors`): nothing was written.",
    ErrorCode.NO_ACTIVE_CREDENTIALS: "No candidate has results sign-in details for the series: "
    "give candidates access to the candidate results website first.",
    ErrorCode.CREDENTIALS_UNREADABLE: "The stored candidate passwords cannot be read (the "
    "server's secret key changed): reissue them.",
    ErrorCode.UNKNOWN_PLACEHOLDER: "The wording uses a placeholder this email does not offer.",
    ErrorCode.REQUIRED_PLACEHOLDER_MISSING: "The wording drops a placeholder the email exists "
    "to deliver (its `requiredPlaceholders`).",
    ErrorCode.PLACEHOLDER_INVALID: "A $ that starts no placeholder: write $$ for a dollar sign.",
    ErrorCode.EMAIL_NOT_FAILED: "Only an email given up on (FAILED) can be sent again.",
    ErrorCode.JOB_NOT_RERUNNABLE: "The job was not interrupted, is past its `rerunnableUntil`, "
    "or is not yours to run again.",
    ErrorCode.CENTRE_CODE_INVALID: "Not a centre code (the message gives the format).",
    ErrorCode.CENTRE_CODE_TAKEN: "Another organisation has that code.",
    ErrorCode.NOT_AN_ASSOCIATE: "The organisation given as the parent is not an associate.",
    ErrorCode.ORGANISATION_NOT_DELETED: "The organisation is not deleted: there is nothing to "
    "undo.",
    ErrorCode.RELEASE_ALREADY_OUT: "The release has gone out already and can no longer change.",
    ErrorCode.RELEASE_CANCELLED: "The release is cancelled.",
    ErrorCode.RESOURCE_WITHDRAWN: "The resource is withdrawn: it is kept for the record and "
    "changes no more.",
    ErrorCode.RESOURCE_RELEASED: "The resource is released: withdraw it instead of deleting it.",
    ErrorCode.RESOURCE_RELEASE_SCHEDULED: "The resource has a release scheduled: cancel the "
    "release first.",
    ErrorCode.RESOURCE_NOT_RELEASED: "The resource was never released, so there is nothing to "
    "withdraw.",
    ErrorCode.AUDIENCE_REQUIRED: "Say who the help document is for: everyone, or at least one "
    "role.",
    ErrorCode.CANDIDATE_NOT_FOUND: "No candidate with that number at the centre.",
    ErrorCode.CANDIDATE_REQUIRED: "Say whose work it is: give the candidate number.",
    ErrorCode.NO_ENTRIES_FOR_SYLLABUS: "The centre has no candidates entered for the syllabus "
    "in the series.",
    ErrorCode.FILES_REQUIRED: "Attach at least one file.",
    ErrorCode.TOO_MANY_FILES: "More files than one submission or application may hold.",
    ErrorCode.FILE_TOO_LARGE: "A file is larger than allowed (the message gives the limit).",
    ErrorCode.FILE_TYPE_NOT_ALLOWED: "A file of a type that is not accepted here.",
    ErrorCode.REASONS_REQUIRED: "Give the reasons for the access arrangement.",
    ErrorCode.APPLICATION_EXISTS: "The candidate has an application for that arrangement in the "
    "series already.",
    ErrorCode.APPLICATION_NOT_SUBMITTED: "The application is no longer waiting for a decision "
    "(decided or withdrawn).",
    ErrorCode.DECISION_NOTE_REQUIRED: "Refusing an application needs a note saying why.",
    ErrorCode.VALUE_REQUIRED: "A required value is empty (e.g. an email or a password).",
    ErrorCode.ROLE_UNKNOWN: "A role in the file is neither a role code nor EO, SLT or INV.",
    ErrorCode.EMAIL_CHANGE_OWN_REFUSED: "Nobody may change their own email address here.",
    ErrorCode.PASSWORD_CHANGE_OWN_REFUSED: "Change your own password with changePassword.",
    ErrorCode.DELETE_NOT_CONFIRMED: "Type DELETE, in capitals, to confirm.",
    ErrorCode.CANNOT_DELETE_SELF: "You cannot delete your own account.",
    ErrorCode.ACCOUNT_SHARED: "The person belongs to other organisations too: remove them "
    "from this one instead.",
    ErrorCode.ACCOUNT_HAS_RECORDS: "The account has records that must be kept: remove the user "
    "instead.",
    ErrorCode.ACCOUNT_NOT_INVITED: "The person is not waiting on an invitation (they have "
    "signed in already).",
    ErrorCode.ASSESSMENT_INVALID: "The assessment is incomplete or inconsistent (titles, "
    "sections, questions, pass marks); `field` points to the part.",
    ErrorCode.ASSESSMENT_NOT_AVAILABLE: "The assessment is not open to you (hidden, or not meant "
    "for your role).",
    ErrorCode.SECTION_ALREADY_PASSED: "You have passed that section already.",
    ErrorCode.ATTEMPT_ALREADY_SUBMITTED: "That attempt was submitted already.",
    ErrorCode.ANSWERS_INVALID: "Answer every question, with options that exist.",
    ErrorCode.NOT_AN_INVIGILATOR: "The user does not hold the INVIGILATOR role here.",
    ErrorCode.NOT_AN_INVIGILATORS_ASSESSMENT: "The assessment is not one meant for invigilators.",
    ErrorCode.NO_CERTIFICATES: "Nobody asked for has a certificate yet.",
    ErrorCode.TEST_SESSION_NOT_FOUND: "No such test session, or none you may see.",
    ErrorCode.TEST_SESSION_HAS_ENTRIES: "Candidates are entered into the session: its series "
    "and syllabus stay; create another session instead.",
    ErrorCode.DURATION_INVALID: "The duration is outside the allowed minutes (the message "
    "gives them).",
    ErrorCode.ENTRY_NOT_IN_TEST_SESSION: "The entry is not in a test session: ask the exams "
    "officer.",
    ErrorCode.TEST_SESSION_CANCELLED: "The test session is cancelled.",
    ErrorCode.TEST_NOT_OPEN_YET: "The test session has not started yet.",
    ErrorCode.TEST_SESSION_ENDED: "The test session is over.",
    ErrorCode.NO_SESSION_ENTRIES: "No candidate is entered in the test session.",
}
