"""Email templates (seed 003 "E-mail Templates"): board admins list, edit, preview and reset the
emails examdesk sends; the outbox uses an edit from the moment it is saved, checked through a
real SMTP server on loopback; nobody else may touch them."""

from typing import Any

import pytest
from starlette.applications import Starlette

from models.audit import AuditEvent
from models.mail import EmailTemplate
from tests.helpers.graphql import GraphQLClient
from tests.helpers.mail import Mailbox

BOARD = "admin@exb.example"
TEMPLATES = """{ emailTemplates { key description subject body placeholders
  requiredPlaceholders customised updatedAt updatedBy { email } } }"""
UPDATE = """mutation($input: UpdateEmailTemplateInput!) { updateEmailTemplate(input: $input) {
  emailTemplate { key subject body customised updatedAt updatedBy { email } }
  errors { code field message } } }"""
RESET = """mutation($input: ResetEmailTemplateInput!) { resetEmailTemplate(input: $input) {
  emailTemplate { key subject body customised updatedAt updatedBy { email } }
  errors { code field message } } }"""
PREVIEW = """query($input: PreviewEmailTemplateInput!) { previewEmailTemplate(input: $input) {
  key subject body errors { code field message } } }"""
REQUEST_RESET = """mutation($input: EmailInput!) { requestPasswordReset(input: $input) {
  ok errors { code } } }"""

RESET_SUBJECT = "Your new examdesk password, ${first_name}"
RESET_BODY = (
    "Dear $first_name,\n\nChoose a new password here: $reset_url\n"
    "Or type the code $code. Both stop working after $expires_in.\n\nThe EXB team\n"
)


@pytest.fixture
async def board(demo: Starlette, gql: GraphQLClient) -> str:
    return await gql.sign_in(BOARD)


async def templates(gql: GraphQLClient, token: str) -> dict[str, dict[str, Any]]:
    data = await gql.ok(TEMPLATES, token=token)
    return {t["key"]: t for t in data["emailTemplates"]}


async def update(gql: GraphQLClient, token: str, key: str, subject: str, body: str) -> dict:
    input = {"key": key, "subject": subject, "body": body}
    return (await gql.ok(UPDATE, {"input": input}, token))["updateEmailTemplate"]


async def test_the_board_lists_every_template_with_its_placeholders(
    gql: GraphQLClient, board: str
) -> None:
    found = await templates(gql, board)
    assert {
        "INVITATION",
        "VERIFICATION_CODE",
        "PASSWORD_RESET",
        "ACCOUNT_ACTIVATION",
        "EXAMS_OFFICER_DESIGNATED",
    } <= set(found)
    reset = found["PASSWORD_RESET"]
    assert reset["placeholders"] == ["code", "expires_in", "first_name", "reset_url"]
    assert reset["requiredPlaceholders"] == ["code", "reset_url"]
    assert reset["customised"] is False
    assert reset["updatedAt"] is None
    assert reset["updatedBy"] is None
    assert "$reset_url" in reset["body"]
    assert reset["description"]


async def test_edit_preview_and_reset_are_audited_with_before_and_after(
    gql: GraphQLClient, board: str
) -> None:
    original = (await templates(gql, board))["PASSWORD_RESET"]

    # A preview of wording not yet saved: filled with sample values, nothing stored.
    preview = (
        await gql.ok(
            PREVIEW,
            {
                "input": {
                    "key": "PASSWORD_RESET",
                    "subject": RESET_SUBJECT,
                    "body": RESET_BODY,
                }
            },
            board,
        )
    )["previewEmailTemplate"]
    assert preview["errors"] == []
    assert preview["subject"] == "Your new examdesk password, Ada"
    assert "Or type the code 123456." in preview["body"]
    assert "/reset-password?token=SAMPLE" in preview["body"]
    assert "$" not in preview["body"]
    assert await EmailTemplate.all().count() == 0

    saved = await update(gql, board, "PASSWORD_RESET", RESET_SUBJECT, RESET_BODY)
    assert saved["errors"] == []
    assert saved["emailTemplate"]["customised"] is True
    assert saved["emailTemplate"]["updatedBy"] == {"email": BOARD}
    assert saved["emailTemplate"]["updatedAt"] is not None
    listed = (await templates(gql, board))["PASSWORD_RESET"]
    assert (listed["subject"], listed["body"], listed["customised"]) == (
        RESET_SUBJECT,
        RESET_BODY,
        True,
    )
    # The preview without new wording shows the saved wording.
    current = (await gql.ok(PREVIEW, {"input": {"key": "password_reset"}}, board))[
        "previewEmailTemplate"
    ]
    assert current["subject"] == "Your new examdesk password, Ada"

    event = await AuditEvent.filter(action="email_template.update").get()
    assert event.target_id == "PASSWORD_RESET"
    assert event.before == {
        "subject": original["subject"],
        "body": original["body"],
        "customised": False,
    }
    assert event.after == {"subject": RESET_SUBJECT, "body": RESET_BODY, "customised": True}

    reset = (await gql.ok(RESET, {"input": {"key": "PASSWORD_RESET"}}, board))["resetEmailTemplate"]
    assert reset["errors"] == []
    assert reset["emailTemplate"]["subject"] == original["subject"]
    assert reset["emailTemplate"]["customised"] is False
    assert await EmailTemplate.all().count() == 0
    event = await AuditEvent.filter(action="email_template.reset").get()
    assert event.before == {"subject": RESET_SUBJECT, "body": RESET_BODY, "customised": True}
    assert event.after == {
        "subject": original["subject"],
        "body": original["body"],
        "customised": False,
    }


@pytest.mark.parametrize(
    ("subject", "body", "code", "field", "named"),
    [
        (
            "Reset",
            "Use $reset_url or $code, $first_name ($pin)",
            "UNKNOWN_PLACEHOLDER",
            ["input", "body"],
            "$pin",
        ),
        (
            "Reset for ${surname}",
            "Use $reset_url or $code",
            "UNKNOWN_PLACEHOLDER",
            ["input", "subject"],
            "$surname",
        ),
        (
            "Reset",
            "Open $reset_url to choose a password.",
            "REQUIRED_PLACEHOLDER_MISSING",
            ["input", "body"],
            "$code",
        ),
        ("Reset", "Type $code.", "REQUIRED_PLACEHOLDER_MISSING", ["input", "body"], "$reset_url"),
        (
            "Reset",
            "Use $reset_url or $code; it costs $5",
            "PLACEHOLDER_INVALID",
            ["input", "body"],
            "$$",
        ),
        ("", "Use $reset_url or $code", "INVALID_INPUT", ["input", "subject"], "subject"),
        (
            "Two\nlines",
            "Use $reset_url or $code",
            "INVALID_CHARACTERS",
            ["input", "subject"],
            "one line",
        ),
    ],
)
async def test_bad_wording_is_refused_by_save_and_preview_alike(
    gql: GraphQLClient,
    board: str,
    subject: str,
    body: str,
    code: str,
    field: list[str],
    named: str,
) -> None:
    input = {"key": "PASSWORD_RESET", "subject": subject, "body": body}
    saved = (await gql.ok(UPDATE, {"input": input}, board))["updateEmailTemplate"]
    previewed = (await gql.ok(PREVIEW, {"input": input}, board))["previewEmailTemplate"]
    for errors in (saved["errors"], previewed["errors"]):
        assert [(e["code"], e["field"]) for e in errors] == [(code, field)], errors
        assert named in errors[0]["message"]
    assert saved["emailTemplate"] is None
    assert previewed["body"] is None
    assert await EmailTemplate.all().count() == 0
    assert not await AuditEvent.filter(action__startswith="email_template.").exists()


async def test_a_dollar_sign_is_written_twice_and_an_unknown_key_is_not_found(
    gql: GraphQLClient, board: str
) -> None:
    saved = await update(gql, board, "VERIFICATION_CODE", "Code $code", "Costs $$0: $code")
    assert saved["errors"] == []
    preview = (await gql.ok(PREVIEW, {"input": {"key": "VERIFICATION_CODE"}}, board))[
        "previewEmailTemplate"
    ]
    assert preview["body"] == "Costs $0: 123456"
    missing = await gql.ok(RESET, {"input": {"key": "NO_SUCH_EMAIL"}}, board)
    assert [e["code"] for e in missing["resetEmailTemplate"]["errors"]] == ["NOT_FOUND"]


@pytest.mark.parametrize(
    "email",
    ["eo@aa101.example", "users@aa101.example", "teacher@aa101.example", "eo@as100.example"],
)
async def test_only_the_board_may_see_or_change_templates(
    demo: Starlette, gql: GraphQLClient, email: str
) -> None:
    token = await gql.sign_in(email)
    reset_input = {"input": {"key": "PASSWORD_RESET"}}
    update_input = {
        "input": {"key": "PASSWORD_RESET", "subject": RESET_SUBJECT, "body": RESET_BODY}
    }
    for query, variables in (
        (TEMPLATES, None),
        (PREVIEW, reset_input),
        (UPDATE, update_input),
        (RESET, reset_input),
    ):
        body = await gql.post(query, variables, token)
        assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"], body
    anonymous = await gql.post(TEMPLATES)
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert await EmailTemplate.all().count() == 0
    assert not await AuditEvent.filter(action__startswith="email_template.").exists()


# --- The outbox sends the current wording, through a real SMTP server -------------------------


async def test_a_password_reset_email_uses_the_edited_wording_until_reset(
    mail_client: GraphQLClient, mailbox: Mailbox
) -> None:
    person = "aa@bb202.example"
    board = await mail_client.sign_in(BOARD)
    saved = await update(mail_client, board, "PASSWORD_RESET", RESET_SUBJECT, RESET_BODY)
    assert saved["errors"] == []

    await mail_client.ok(REQUEST_RESET, {"input": {"email": person}})
    [edited] = await mailbox.wait_for(person)
    text = edited.get_content()
    assert edited["Subject"].startswith("Your new examdesk password, ")
    assert text.startswith("Dear ")
    assert "Choose a new password here: http://examdesk.test/reset-password?token=" in text
    assert "The EXB team" in text

    reset = await mail_client.ok(RESET, {"input": {"key": "PASSWORD_RESET"}}, board)
    assert reset["resetEmailTemplate"]["errors"] == []
    await mail_client.ok(REQUEST_RESET, {"input": {"email": person}})
    [_, default] = await mailbox.wait_for(person, 2)
    assert default["Subject"] == "Reset your examdesk password"
    assert "Someone asked to reset the password" in default.get_content()
    assert "The EXB team" not in default.get_content()
