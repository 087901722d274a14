"""Email templates and the outbox.

A message is written to the outbox inside the caller's transaction, so it is sent only if the
change that caused it is committed. The app shell's delivery task sends it.
"""

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from string import Template

from models.mail import EmailTemplate, OutboxMessage
from resolvers.core import clock

log = logging.getLogger("examdesk.mail")

# Wake-up calls of the delivery task; it also polls, so a missed wake-up only delays a message.
_outbox_listeners: list[Callable[[], None]] = []


def on_outbox_write(listener: Callable[[], None]) -> Callable[[], None]:
    """Call `listener` whenever a message is queued; returns the function that stops it."""
    _outbox_listeners.append(listener)
    return lambda: _outbox_listeners.remove(listener)


class MailTemplate(StrEnum):
    INVITATION = "INVITATION"
    VERIFICATION_CODE = "VERIFICATION_CODE"
    PASSWORD_RESET = "PASSWORD_RESET"
    ACCOUNT_ACTIVATION = "ACCOUNT_ACTIVATION"
    EXAMS_OFFICER_DESIGNATED = "EXAMS_OFFICER_DESIGNATED"
    # Submit for Assessment and Access Arrangements (resolvers/services/submissions.py,
    # resolvers/services/access_arrangements.py).
    SUBMISSION_RECEIVED = "SUBMISSION_RECEIVED"
    SUBMISSION_CONFIRMATION = "SUBMISSION_CONFIRMATION"
    ACCESS_ARRANGEMENT_DECISION = "ACCESS_ARRANGEMENT_DECISION"
    # A person's credentials changed (resolvers/identity/credentials.py): told who did it.
    PASSWORD_CHANGED = "PASSWORD_CHANGED"
    EMAIL_CHANGED = "EMAIL_CHANGED"


@dataclass(frozen=True)
class TemplateText:
    subject: str
    body: str
    placeholders: frozenset[str]


DEFAULT_TEMPLATES: dict[MailTemplate, TemplateText] = {
    MailTemplate.INVITATION: TemplateText(
        "You have been invited to examdesk by $inviter_name",
        "Hello $first_name,\n\n"
        "$inviter_name has invited you to examdesk for $organisation_name ($organisation_code).\n\n"
        "Sign in to your account at $sign_in_url with this email address and the temporary "
        "password below. You will be asked to choose a new password, and we will then email you "
        "a verification code.\n\n"
        "Email address: $email\n"
        "Temporary password: $temporary_password\n\n"
        "The temporary password works until $expires_on. After that, ask $inviter_name to send "
        "the invitation again.\n\n"
        "If you were not expecting this invitation, you can ignore this email.\n",
        frozenset(
            {
                "expires_on",
                "first_name",
                "inviter_name",
                "organisation_name",
                "organisation_code",
                "sign_in_url",
                "email",
                "temporary_password",
            }
        ),
    ),
    MailTemplate.VERIFICATION_CODE: TemplateText(
        "Your examdesk verification code: $code",
        "Hello $first_name,\n\n"
        "Your verification code is $code\n\n"
        "Enter it in examdesk to finish signing in. It expires in $expires_in.\n"
        "If you did not just sign in, change your password.\n",
        frozenset({"first_name", "code", "expires_in"}),
    ),
    MailTemplate.PASSWORD_RESET: TemplateText(
        "Reset your examdesk password",
        "Hello $first_name,\n\n"
        "Someone asked to reset the password of your examdesk account. To choose a new one, "
        "open this link:\n\n$reset_url\n\n"
        "or enter this code with your email address: $code\n\n"
        "The link and code expire in $expires_in. If you did not ask for this, ignore "
        "this email: your password has not changed.\n",
        frozenset({"first_name", "reset_url", "code", "expires_in"}),
    ),
    MailTemplate.ACCOUNT_ACTIVATION: TemplateText(
        "Activate your examdesk account",
        "Hello $first_name,\n\n"
        "Your email address has been registered with examdesk. To activate your account and "
        "choose a password, open this link:\n\n$activation_url\n\n"
        "or enter this code with your email address: $code\n\n"
        "The link and code expire in $expires_in.\n",
        frozenset({"first_name", "activation_url", "code", "expires_in"}),
    ),
    MailTemplate.EXAMS_OFFICER_DESIGNATED: TemplateText(
        "You are now the exams officer of $organisation_name",
        "Hello $first_name,\n\n"
        "The exam board has made you the exams officer of $organisation_name "
        "($organisation_code). You can now manage its users and open every service there, "
        "Global Listening included.\n",
        frozenset({"first_name", "organisation_name", "organisation_code"}),
    ),
    MailTemplate.SUBMISSION_RECEIVED: TemplateText(
        "Submit for Assessment: $kind for $syllabus_code submitted at $organisation_code",
        "Hello $first_name,\n\n"
        "$submitter_name has made a submission for $organisation_name ($organisation_code):\n\n"
        "Submitted: $kind\n"
        "Series: $series_code\n"
        "Syllabus: $syllabus_code $syllabus_title\n"
        "Candidate: $candidate\n"
        "Files: $file_names\n"
        "Reference: $reference\n\n"
        "You receive every Submit for Assessment notification of your centre.\n",
        frozenset(
            {
                "first_name",
                "submitter_name",
                "kind",
                "organisation_name",
                "organisation_code",
                "series_code",
                "syllabus_code",
                "syllabus_title",
                "candidate",
                "file_names",
                "reference",
            }
        ),
    ),
    MailTemplate.SUBMISSION_CONFIRMATION: TemplateText(
        "We have received your $kind for $syllabus_code",
        "Hello $first_name,\n\n"
        "Your submission for $organisation_name ($organisation_code) has been received:\n\n"
        "Series: $series_code\n"
        "Syllabus: $syllabus_code $syllabus_title\n"
        "Candidate: $candidate\n"
        "Files: $file_names\n"
        "Reference: $reference\n",
        frozenset(
            {
                "first_name",
                "kind",
                "organisation_name",
                "organisation_code",
                "series_code",
                "syllabus_code",
                "syllabus_title",
                "candidate",
                "file_names",
                "reference",
            }
        ),
    ),
    MailTemplate.ACCESS_ARRANGEMENT_DECISION: TemplateText(
        "Access arrangement $decision: $candidate, $series_code",
        "Hello $first_name,\n\n"
        "The exam board has $decision your application for $arrangement for $candidate "
        "at $organisation_name ($organisation_code) in the $series_code series.\n\n"
        "Note from the exam board: $note\n\n"
        "Reference: $reference\n",
        frozenset(
            {
                "first_name",
                "decision",
                "arrangement",
                "candidate",
                "organisation_name",
                "organisation_code",
                "series_code",
                "note",
                "reference",
            }
        ),
    ),
    MailTemplate.PASSWORD_CHANGED: TemplateText(
        "The password of your examdesk account was changed",
        "Hello $first_name,\n\n"
        "The password of your examdesk account ($email) was changed by $changed_by on "
        "$changed_at.\n\n"
        "A password set by someone else is temporary: the next sign-in with it asks you to "
        "choose your own and to enter a code we email you.\n\n"
        "If you did not expect this change, tell your exams officer or the exam board at "
        "once.\n",
        frozenset({"first_name", "email", "changed_by", "changed_at"}),
    ),
    MailTemplate.EMAIL_CHANGED: TemplateText(
        "The email address of your examdesk account was changed",
        "Hello $first_name,\n\n"
        "The email address of your examdesk account was changed from $old_email to $new_email "
        "by $changed_by on $changed_at.\n\n"
        "From now on examdesk writes to $new_email only, and the next sign-in asks for a code "
        "sent there.\n\n"
        "If you did not expect this change, tell your exams officer or the exam board at "
        "once.\n",
        frozenset({"first_name", "old_email", "new_email", "changed_by", "changed_at"}),
    ),
}


def describe_lifetime(lifetime: timedelta) -> str:
    """How long a link or code lasts, as an email says it: "10 minutes", "24 hours"."""
    minutes = int(lifetime.total_seconds() // 60)
    if minutes % 60:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    hours = minutes // 60
    return f"{hours} hour{'s' if hours != 1 else ''}"


def render(
    template: MailTemplate, values: dict[str, str], text: TemplateText | None = None
) -> tuple[str, str]:
    """The subject and body of `text` (by default the template's default wording)."""
    text = text or DEFAULT_TEMPLATES[template]
    return Template(text.subject).substitute(values), Template(text.body).substitute(values)


async def current_text(template: MailTemplate) -> TemplateText:
    """The wording in force: the board's edit (resolvers/admin/templates.py) if any, else the
    default.

    Read from the database each time, not cached, so that every app process sends the new
    wording from the moment it is saved.
    """
    default = DEFAULT_TEMPLATES[template]
    edited = await EmailTemplate.get_or_none(key=template.value)
    if edited is None:
        return default
    return TemplateText(edited.subject, edited.body, default.placeholders)


async def queue_email(recipient: str, template: MailTemplate, **values: str) -> OutboxMessage:
    message = _message(template, await current_text(template), recipient, values)
    await message.save()
    wake_delivery()
    return message


async def queue_emails(
    template: MailTemplate, letters: Sequence[tuple[str, dict[str, str]]]
) -> None:
    """Many emails of one template in a few writes: a file's thousands of new users, say."""
    text = await current_text(template)
    messages = [_message(template, text, recipient, values) for recipient, values in letters]
    await OutboxMessage.bulk_create(messages, batch_size=500)
    if messages:
        wake_delivery()


def _message(
    template: MailTemplate, text: TemplateText, recipient: str, values: dict[str, str]
) -> OutboxMessage:
    if "first_name" in values and not values["first_name"].strip():
        # The board may add a person by email alone: greet them without a blank name.
        values = {**values, "first_name": "there"}
    try:
        subject, body = render(template, values, text)
    except (KeyError, ValueError):
        if text is DEFAULT_TEMPLATES[template]:
            raise
        # Edits are checked against the placeholders when saved; one that still fails (a
        # placeholder the code stopped offering) must not stop a password reset or an
        # invitation, so the default wording goes out and the failure is logged.
        log.exception("edited email template %s failed to render; sent the default", template)
        subject, body = render(template, values)
    return OutboxMessage(
        recipient=recipient,
        subject=subject,
        body=body,
        template=template.value,
        queued_at=clock.now(),
        next_attempt_at=clock.now(),
    )


def wake_delivery() -> None:
    """Tell this process's delivery task that a message is due now."""
    for listener in list(_outbox_listeners):
        listener()
