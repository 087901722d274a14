"""The `examdesk` command: create-admin, demo, issue-pins and export-schema, run as a user
would (register-documents: tests/app/test_trusted_documents.py)."""

from pathlib import Path

import httpx

from examdesk.demo import DEMO_PASSWORD
from models.trusted_documents import TrustedDocument
from models.users import User
from schema.root import build_schema
from tests.helpers.app import AppFactory
from tests.helpers.cli import run_cli
from tests.helpers.graphql import GraphQLClient
from tests.helpers.graphql_examples import example_paths

ADMIN_PASSWORD = "Granite-Kettle-42-Orbit"


async def _client(make_app: AppFactory) -> tuple[httpx.AsyncClient, GraphQLClient]:
    app = await make_app()
    http = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t")
    return http, GraphQLClient(http)


async def test_create_admin_then_sign_in(database_url: str, make_app: AppFactory) -> None:
    result = run_cli(
        database_url,
        "create-admin",
        "--email",
        "Chief@Board.Example",
        "--first-name",
        "Mary",
        "--last-name",
        "Somerville",
        "--board-code",
        "XB",
        "--board-name",
        "Example Board",
        EXAMDESK_ADMIN_PASSWORD=ADMIN_PASSWORD,
    )
    assert result.returncode == 0, result.stderr
    assert "chief@board.example is a board admin of Example Board (XB)" in result.stdout
    http, gql = await _client(make_app)
    async with http:
        token = await gql.sign_in("chief@board.example", ADMIN_PASSWORD)
        me = await gql.ok("{ me { grants { organisation { code kind } roles } } }", token=token)
    assert me["me"]["grants"] == [
        {"organisation": {"code": "XB", "kind": "BOARD"}, "roles": ["BOARD_ADMIN"]}
    ]


def test_create_admin_refuses_a_weak_password(database_url: str) -> None:
    result = run_cli(
        database_url,
        "create-admin",
        "--email",
        "chief@board.example",
        "--first-name",
        "Mary",
        "--last-name",
        "Somerville",
        EXAMDESK_ADMIN_PASSWORD="password123",
    )
    assert result.returncode != 0
    assert "PASSWORD_TOO_WEAK" in result.stderr


async def test_demo_seeds_once_and_lists_sign_ins(database_url: str, make_app: AppFactory) -> None:
    first = run_cli(database_url, "demo")
    assert first.returncode == 0, first.stderr
    assert "Demo data created." in first.stdout
    assert "users@aa101.example" in first.stdout
    assert DEMO_PASSWORD in first.stdout
    second = run_cli(database_url, "demo")
    assert "Demo data is already there." in second.stdout
    http, gql = await _client(make_app)
    async with http:
        token = await gql.sign_in("eo@aa101.example")
        data = await gql.ok(
            '{ organisationUsers(organisationCode: "AA101") { totalCount } }', token=token
        )
    assert data["organisationUsers"]["totalCount"] == 7
    # The demo's frontend documents, graphql_examples/, may be sent by hash.
    assert await TrustedDocument.all().count() == len(example_paths())


async def test_issue_pins_gives_every_account_without_one_a_pin(
    database_url: str, make_app: AppFactory
) -> None:
    created = run_cli(
        database_url,
        "create-admin",
        "--email",
        "chief@board.example",
        "--first-name",
        "Mary",
        "--last-name",
        "Somerville",
        EXAMDESK_ADMIN_PASSWORD=ADMIN_PASSWORD,
    )
    assert created.returncode == 0, created.stderr
    await make_app()
    # An account from before every account got a PIN.
    await User.filter(email="chief@board.example").update(pin=None)

    first = run_cli(database_url, "issue-pins")
    second = run_cli(database_url, "issue-pins")

    assert first.returncode == 0, first.stderr
    assert "1 account(s) without a PIN got one." in first.stdout
    assert "0 account(s) without a PIN got one." in second.stdout
    pin = (await User.get(email="chief@board.example")).pin
    assert pin is not None
    assert len(pin) == 6
    assert pin.isdigit()


def test_export_schema_writes_the_sdl(tmp_path: Path) -> None:
    target = tmp_path / "schema.graphql"
    result = run_cli("sqlite://:memory:", "export-schema", "--output", str(target))
    assert result.returncode == 0, result.stderr
    assert target.read_text(encoding="utf-8") == build_schema().as_str() + "\n"


def test_production_refuses_a_missing_secret_key() -> None:
    result = run_cli(
        "sqlite://:memory:", "demo", EXAMDESK_MODE="production", EXAMDESK_FAST_PASSWORD_HASHING=""
    )
    assert result.returncode != 0
    assert "EXAMDESK_SECRET_KEY" in result.stderr
