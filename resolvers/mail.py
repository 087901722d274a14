"""Email templates and the outbox.

A message is written to the outbox inside the caller's transaction, so it is sent only if the
change that caused it is committed. The app shell's delivery task sends it.
"""

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from string import Template

from models.mail import OutboxMessage
from resolvers import clock

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
        "If you were not expecting this invitation, you can ignore this email.\n",
        frozenset({"first_name", "inviter_name", "organisation_name", "organisation_code",
                   "sign_in_url", "email", "temporary_password"}),
    ),
    MailTemplate.VERIFICATION_CODE: TemplateText(
        "Your examdesk verification code: $code",
        "Hello $first_name,\n\n"
        "Your verification code is $code\n\n"
        "Enter it in examdesk to finish signing in. It expires in $minutes minutes.\n"
        "If you did not just sign in, change your password.\n",
        frozenset({"first_name", "code", "minutes"}),
    ),
    MailTemplate.PASSWORD_RESET: TemplateText(
        "Reset your examdesk password",
        "Hello $first_name,\n\n"
        "Someone asked to reset the password of your examdesk account. To choose a new one, "
        "open this link:\n\n$reset_url\n\n"
        "or enter this code with your email address: $code\n\n"
        "The link and code expire in $minutes minutes. If you did not ask for this, ignore "
        "this email: your password has not changed.\n",
        frozenset({"first_name", "reset_url", "code", "minutes"}),
    ),
    MailTemplate.ACCOUNT_ACTIVATION: TemplateText(
        "Activate your examdesk account",
        "Hello $first_name,\n\n"
        "Your email address has been registered with examdesk. To activate your account and "
        "choose a password, open this link:\n\n$activation_url\n\n"
        "or enter this code with your email address: $code\n\n"
        "The link and code expire in $minutes minutes.\n",
        frozenset({"first_name", "activation_url", "code", "minutes"}),
    ),
    MailTemplate.EXAMS_OFFICER_DESIGNATED: TemplateText(
        "You are now the exams officer of $organisation_name",
        "Hello $first_name,\n\n"
        "The exam board has made you the exams officer of $organisation_name "
        "($organisation_code). You can now manage its users and open every service there, "
        "Global Listening included.\n",
        frozenset({"first_name", "organisation_name", "organisation_code"}),
    ),
}


def render(template: MailTemplate, values: dict[str, str]) -> tuple[str, str]:
    text = DEFAULT_TEMPLATES[template]
    return Template(text.subject).substitute(values), Template(text.body).substitute(values)


async def queue_email(recipient: str, template: MailTemplate, **values: str) -> OutboxMessage:
    subject, body = render(template, values)
    message = await OutboxMessage.create(
        recipient=recipient,
        subject=subject,
        body=body,
        template=template.value,
        next_attempt_at=clock.now(),
    )
    for listener in list(_outbox_listeners):
        listener()
    return message
