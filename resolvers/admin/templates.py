"""Email templates (the board admin site's "E-mail Templates"): the board rewords the emails
examdesk sends.

The default wording of each email stays in code (resolvers/core/mail.py DEFAULT_TEMPLATES, which
also says which placeholders each email offers); an edit is a row that the outbox uses from the
moment it is saved, and resetting deletes the row. Placeholders are string.Template's: `$name`
or `${name}`, and `$$` for a dollar sign.

An edit may use only the placeholders its email offers (UNKNOWN_PLACEHOLDER names the stranger),
and must keep the ones the email exists to deliver (REQUIRED_PLACEHOLDER_MISSING):

- INVITATION: email, temporary_password and sign_in_url: how to sign in the first time.
- VERIFICATION_CODE: code.
- PASSWORD_RESET: reset_url and code: the two ways to finish a reset (resetPassword takes the
  link's token, or the email and code).
- ACCOUNT_ACTIVATION: activation_url and code, likewise.
- EXAMS_OFFICER_DESIGNATED: organisation_name: which organisation it is about.
- PASSWORD_CHANGED: changed_by: who changed it (the person must learn who can sign in as them).
- EMAIL_CHANGED: changed_by, old_email and new_email: who moved the account, and where to.
- Any template added later without an entry in GUIDES: every placeholder its default uses, so
  that nothing it was written to tell is lost until someone decides otherwise.
"""

from dataclasses import dataclass
from datetime import datetime
from string import Template

from tortoise.transactions import in_transaction

from models.mail import EmailTemplate
from models.users import User
from policies import Actor, Authorizer
from resolvers.core import audit, clock
from resolvers.core.config import current
from resolvers.core.errors import DomainError, ErrorCode, UserError
from resolvers.core.mail import DEFAULT_TEMPLATES, MailTemplate, TemplateText, current_text

SUBJECT_MAX = 200
BODY_MAX = 20_000


@dataclass(frozen=True)
class TemplateGuide:
    description: str
    required: frozenset[str]


GUIDES: dict[MailTemplate, TemplateGuide] = {
    MailTemplate.INVITATION: TemplateGuide(
        "Sent to a person invited to an organisation: their sign-in email and temporary password.",
        frozenset({"email", "temporary_password", "sign_in_url"}),
    ),
    MailTemplate.VERIFICATION_CODE: TemplateGuide(
        "The code a person enters to finish their first sign-in.", frozenset({"code"})
    ),
    MailTemplate.PASSWORD_RESET: TemplateGuide(
        "Forgotten password: the link and the code that let a person choose a new one.",
        frozenset({"reset_url", "code"}),
    ),
    MailTemplate.ACCOUNT_ACTIVATION: TemplateGuide(
        "Sent when the board registers an email address: the link and code that activate "
        "the account.",
        frozenset({"activation_url", "code"}),
    ),
    MailTemplate.EXAMS_OFFICER_DESIGNATED: TemplateGuide(
        "Tells a person who already has an account that the board made them the exams officer "
        "of an organisation.",
        frozenset({"organisation_name"}),
    ),
    MailTemplate.PASSWORD_CHANGED: TemplateGuide(
        "Tells a person their password was changed, and by whom (themselves, or someone who "
        "manages their account).",
        frozenset({"changed_by"}),
    ),
    MailTemplate.EMAIL_CHANGED: TemplateGuide(
        "Sent to the old and the new address when a person's email address is changed, naming "
        "who changed it.",
        frozenset({"changed_by", "old_email", "new_email"}),
    ),
}


def guide(template: MailTemplate) -> TemplateGuide:
    known = GUIDES.get(template)
    if known is not None:
        return known
    default = DEFAULT_TEMPLATES[template]
    used = _identifiers(default.subject) | _identifiers(default.body)
    return TemplateGuide(template.value.replace("_", " ").capitalize() + ".", frozenset(used))


def sample_values() -> dict[str, str]:
    """What a preview shows for each placeholder; one not listed here shows as [its_name]."""
    site = current().public_url.rstrip("/")
    return {
        "first_name": "Ada",
        "last_name": "Lovelace",
        "email": "ada.lovelace@aa101.example",
        "inviter_name": "Grace Hopper",
        "organisation_name": "Example Centre",
        "organisation_code": "AA101",
        "sign_in_url": f"{site}/graphql",
        "temporary_password": "Sample-Temporary-Password",
        "code": "123456",
        "expires_in": "30 minutes",
        "reset_url": f"{site}/reset-password?token=SAMPLE",
        "activation_url": f"{site}/activate?token=SAMPLE",
        "changed_by": "Grace Hopper (grace.hopper@aa101.example)",
        "changed_at": "23 November 2026 at 09:00 UTC",
        "old_email": "ada@old.example",
        "new_email": "ada.lovelace@aa101.example",
    }


@dataclass(frozen=True)
class TemplateView:
    key: MailTemplate
    description: str
    subject: str
    body: str
    default_subject: str
    default_body: str
    placeholders: list[str]
    required_placeholders: list[str]
    customised: bool
    updated_at: datetime | None
    updated_by: User | None


@dataclass(frozen=True)
class Preview:
    key: MailTemplate
    subject: str
    body: str


def _require(actor: Actor) -> None:
    Authorizer(actor).require("email_templates", "manage")


def _template(key: str) -> MailTemplate:
    try:
        template = MailTemplate(key.strip().upper())
    except ValueError:
        template = None
    if template is None or template not in DEFAULT_TEMPLATES:
        raise DomainError.one(
            ErrorCode.NOT_FOUND, f"There is no email template {key!r}.", "input", "key"
        )
    return template


def _view(template: MailTemplate, edited: EmailTemplate | None) -> TemplateView:
    default = DEFAULT_TEMPLATES[template]
    about = guide(template)
    return TemplateView(
        key=template,
        description=about.description,
        subject=edited.subject if edited else default.subject,
        body=edited.body if edited else default.body,
        default_subject=default.subject,
        default_body=default.body,
        placeholders=sorted(default.placeholders),
        required_placeholders=sorted(about.required),
        customised=edited is not None,
        updated_at=edited.updated_at if edited else None,
        updated_by=edited.updated_by if edited else None,
    )


async def list_templates(actor: Actor) -> list[TemplateView]:
    """Every email examdesk sends, in the registry's order, as it is now worded."""
    _require(actor)
    edited = {row.key: row for row in await EmailTemplate.all().select_related("updated_by")}
    return [_view(template, edited.get(template.value)) for template in DEFAULT_TEMPLATES]


def _identifiers(text: str) -> set[str]:
    return set(Template(text).get_identifiers())


def check_text(template: MailTemplate, subject: str, body: str) -> list[UserError]:
    """Every reason the wording cannot be saved, each naming its field."""
    errors: list[UserError] = []
    offered = DEFAULT_TEMPLATES[template].placeholders
    used: set[str] = set()
    for name, text, maximum in (("subject", subject, SUBJECT_MAX), ("body", body, BODY_MAX)):
        field = ("input", name)
        if not text.strip():
            errors.append(UserError(ErrorCode.INVALID_INPUT, f"Enter a {name}.", field))
        elif len(text) > maximum:
            errors.append(
                UserError(
                    ErrorCode.INVALID_INPUT,
                    f"The {name} is too long: {maximum} characters at most.",
                    field,
                )
            )
        errors.extend(_invalid_dollars(name, text))
        for placeholder in Template(text).get_identifiers():
            if placeholder not in offered:
                errors.append(
                    UserError(
                        ErrorCode.UNKNOWN_PLACEHOLDER,
                        f"${placeholder} in the {name} is not a placeholder of this email. It "
                        f"offers {_listed(offered)}.",
                        field,
                    )
                )
            used.add(placeholder)
    if "\n" in subject or "\r" in subject:
        errors.append(
            UserError(
                ErrorCode.INVALID_INPUT, "The subject must be one line.", ("input", "subject")
            )
        )
    for placeholder in sorted(guide(template).required - used):
        errors.append(
            UserError(
                ErrorCode.REQUIRED_PLACEHOLDER_MISSING,
                f"Keep ${placeholder} in the subject or body: this email exists to deliver it.",
                ("input", "body"),
            )
        )
    return errors


def _invalid_dollars(name: str, text: str) -> list[UserError]:
    template = Template(text)
    return [
        UserError(
            ErrorCode.PLACEHOLDER_INVALID,
            f"The {name} has a $ that starts no placeholder, at "
            f"{text[match.start('invalid') : match.start('invalid') + 12]!r}: write $$ for a "
            "dollar sign, and $name or ${name} for a placeholder.",
            ("input", name),
        )
        for match in template.pattern.finditer(text)
        if match.group("invalid") is not None
    ]


def _listed(placeholders: frozenset[str]) -> str:
    return ", ".join(f"${p}" for p in sorted(placeholders))


def _snapshot(subject: str, body: str, customised: bool) -> dict:
    return {"subject": subject, "body": body, "customised": customised}


def _current_snapshot(edited: EmailTemplate | None, default: TemplateText) -> dict:
    """The wording in use: the board's, if it edited this email, else the default."""
    if edited is not None:
        return _snapshot(edited.subject, edited.body, True)
    return _snapshot(default.subject, default.body, False)


async def update_template(actor: Actor, *, key: str, subject: str, body: str) -> TemplateView:
    """Save the board's wording; the outbox uses it from the moment the transaction commits."""
    _require(actor)
    template = _template(key)
    errors = check_text(template, subject, body)
    if errors:
        raise DomainError(errors)
    default = DEFAULT_TEMPLATES[template]
    async with in_transaction():
        # Locked (on PostgreSQL; SQLite runs one transaction at a time), so the audit's
        # "before" is the wording this save replaces, even with two admins saving at once.
        edited = await EmailTemplate.select_for_update().get_or_none(key=template.value)
        before = _current_snapshot(edited, default)
        if edited is None:
            edited = EmailTemplate(key=template.value)
        edited.subject = subject
        edited.body = body
        edited.updated_at = clock.now()
        edited.updated_by_id = actor.user_id
        await edited.save()
        await audit.record(
            actor,
            "email_template.update",
            target_type="EmailTemplate",
            target_id=template.value,
            before=before,
            after=_snapshot(subject, body, True),
        )
    await edited.fetch_related("updated_by")
    return _view(template, edited)


async def reset_template(actor: Actor, *, key: str) -> TemplateView:
    """Back to the default wording (and to its later improvements)."""
    _require(actor)
    template = _template(key)
    default = DEFAULT_TEMPLATES[template]
    async with in_transaction():
        edited = await EmailTemplate.select_for_update().get_or_none(key=template.value)
        before = _current_snapshot(edited, default)
        if edited is not None:
            await edited.delete()
        await audit.record(
            actor,
            "email_template.reset",
            target_type="EmailTemplate",
            target_id=template.value,
            before=before,
            after=_snapshot(default.subject, default.body, False),
        )
    return _view(template, None)


async def preview_template(
    actor: Actor, *, key: str, subject: str | None = None, body: str | None = None
) -> Preview:
    """The email as it would go out, with sample values: the current wording, or the subject
    and body given (checked as a save would check them, and not saved)."""
    _require(actor)
    template = _template(key)
    now = await current_text(template)
    text = TemplateText(
        subject if subject is not None else now.subject,
        body if body is not None else now.body,
        now.placeholders,
    )
    errors = check_text(template, text.subject, text.body)
    if errors:
        raise DomainError(errors)
    values = {name: f"[{name}]" for name in text.placeholders} | sample_values()
    return Preview(
        key=template,
        subject=Template(text.subject).substitute(values),
        body=Template(text.body).substitute(values),
    )
