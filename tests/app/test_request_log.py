"""One log line per request (examdesk/request_log.py): which request, which operation, who,
the status, the time and the SQL statements it took, in JSON or text, and never a token, a
password or a query string."""

import json
import logging
import os
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from examdesk.demo import DEMO_PASSWORD
from examdesk.request_log import operation_name
from examdesk.requests import TEXT_FORMAT, JsonFormatter, RequestIdFilter, configure_logging
from examdesk.settings import LogFormat, Settings, SettingsError
from models.audit import SignInEvent
from models.users import User
from tests.helpers.graphql import GraphQLClient
from tests.helpers.query_counts import CountQueries

SIGN_IN = """mutation SignInForTheLog($input: SignInInput!) {
  signIn(input: $input) { token stage errors { code } } }"""
ME = "query WhoAmI { me { user { email } } }"


def access_lines(caplog: pytest.LogCaptureFixture) -> list[dict[str, Any]]:
    """The request log's lines, as the JSON formatter writes them."""
    formatter = JsonFormatter()
    return [
        json.loads(formatter.format(record))
        for record in caplog.records
        if record.name == "examdesk.access"
    ]


def every_line(caplog: pytest.LogCaptureFixture) -> str:
    """Every line the server logged, formatted both ways (not the test client's own lines)."""
    text = logging.Formatter(TEXT_FORMAT)
    request_ids = RequestIdFilter()
    lines = []
    for record in caplog.records:
        if record.name.startswith(("httpx", "httpcore")):
            continue
        request_ids.filter(record)
        lines += [text.format(record), JsonFormatter().format(record)]
    return "\n".join(lines)


async def test_a_request_is_one_line_with_its_id_operation_user_status_and_statements(
    demo: Starlette, http: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    signed_in = await http.post(
        "/graphql",
        json={
            "query": SIGN_IN,
            "variables": {"input": {"email": "eo@aa101.example", "password": DEMO_PASSWORD}},
        },
        headers={"X-Request-ID": "sign-in-0001"},
    )
    token = signed_in.json()["data"]["signIn"]["token"]
    me = await http.post(
        "/graphql",
        json={"query": ME, "operationName": "WhoAmI"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert me.status_code == 200
    [sign_in, who] = access_lines(caplog)

    assert signed_in.headers["x-request-id"] == "sign-in-0001"
    assert sign_in["request_id"] == "sign-in-0001"
    # The sign-in event log carries the same id.
    assert (await SignInEvent.get(request_id="sign-in-0001")).outcome == "SUCCEEDED"
    # No operationName was sent: the name is the document's.
    assert sign_in["operation"] == "SignInForTheLog"
    assert sign_in["user_id"] is None  # signed out when it came

    user = await User.get(email="eo@aa101.example")
    assert who["request_id"] == me.headers["x-request-id"]
    assert len(who["request_id"]) >= 8
    assert who["operation"] == "WhoAmI"
    assert who["user_id"] == user.id
    assert who["method"] == "POST"
    assert who["route"] == "/graphql"
    assert who["status"] == 200
    assert who["outcome"] == "ok"
    assert who["duration_ms"] >= 0
    # At least the session, the user and the grants were read.
    assert who["sql_statements"] >= 2
    assert who["level"] == "INFO"
    assert who["logger"] == "examdesk.access"
    assert "WhoAmI" in who["message"]


async def test_no_token_password_or_query_string_is_ever_logged(
    demo: Starlette, http: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    # The server's level (examdesk/requests.py), at which a production server runs.
    caplog.set_level(logging.INFO)
    signed_in = await http.post(
        "/graphql",
        json={
            "query": SIGN_IN,
            "operationName": "SignInForTheLog",
            "variables": {"input": {"email": "eo@aa101.example", "password": DEMO_PASSWORD}},
        },
    )
    token = signed_in.json()["data"]["signIn"]["token"]
    await http.get(
        "/graphql",
        params={"query": ME, "operationName": "WhoAmI", "secret-marker": "in-the-query"},
        headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
    )
    # A download's path is its signed token: the line names the route, not the path.
    await http.get("/files/this-path-is-a-secret-token")
    await http.get("/reset-password", params={"token": "emailed-link-secret"})

    logged = every_line(caplog)
    assert "WhoAmI" in logged
    assert "SignInForTheLog" in logged
    for secret in (
        token,
        DEMO_PASSWORD,
        "in-the-query",
        "this-path-is-a-secret-token",
        "emailed-link-secret",
    ):
        assert secret not in logged
    routes = [line["route"] for line in access_lines(caplog)]
    assert routes == ["/graphql", "/graphql", "/files/{token}", "/reset-password"]


async def test_a_failed_request_is_logged_with_its_status_and_error_codes(
    http: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    await http.post("/graphql", json={"query": ME, "operationName": "WhoAmI"})
    await http.post("/graphql", content="42", headers={"Content-Type": "application/json"})
    await http.get("/no-such-page")
    [signed_out, malformed, missing] = access_lines(caplog)
    assert signed_out["status"] == 200
    assert signed_out["outcome"] == "graphql_error"
    assert signed_out["error_codes"] == ["UNAUTHENTICATED"]
    assert (malformed["status"], malformed["outcome"]) == (400, "client_error")
    assert (missing["status"], missing["route"]) == (404, "unmatched")


async def test_the_text_format_reads_as_a_sentence(
    http: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    response = await http.get("/healthz", headers={"X-Request-ID": "probe-000001"})
    assert response.status_code == 200
    [record] = [r for r in caplog.records if r.name == "examdesk.access"]
    RequestIdFilter().filter(record)
    line = logging.Formatter(TEXT_FORMAT).format(record)
    assert "INFO [probe-000001] examdesk.access: GET /healthz user=- status=200" in line
    assert line.endswith(" sql=1")


def test_json_is_the_production_default_and_can_be_asked_for() -> None:
    production = {"EXAMDESK_MODE": "production", "EXAMDESK_SECRET_KEY": "s" * 32}
    assert Settings.from_env(production).log_format is LogFormat.JSON
    assert Settings.from_env({}).log_format is LogFormat.TEXT
    assert Settings.from_env({"EXAMDESK_LOG_FORMAT": "json"}).log_format is LogFormat.JSON
    text = {**production, "EXAMDESK_LOG_FORMAT": "TEXT"}
    assert Settings.from_env(text).log_format is LogFormat.TEXT
    with pytest.raises(SettingsError, match="EXAMDESK_LOG_FORMAT"):
        Settings.from_env({"EXAMDESK_LOG_FORMAT": "xml"})


def test_configure_logging_writes_json_lines(capsys: pytest.CaptureFixture[str]) -> None:
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    try:
        configure_logging(json_lines=True)
        logging.getLogger("examdesk.test").warning("hello %s", "there", exc_info=ValueError("x"))
    finally:
        root.handlers[:], root.level = saved
    line = json.loads(capsys.readouterr().err)
    assert line["message"] == "hello there"
    assert line["level"] == "WARNING"
    assert line["request_id"] == "-"
    assert line["pid"] == os.getpid()
    assert "ValueError: x" in line["exception"]


@pytest.mark.parametrize(
    ("sent", "document", "name"),
    [
        ("Sent", "query InTheDocument { me { user { email } } }", "Sent"),
        (None, "query InTheDocument { me { user { email } } }", "InTheDocument"),
        (
            None,
            "# a comment\nfragment F on Me { user { email } } mutation M { signOut { ok } }",
            "M",
        ),
        (None, "fragment F on Q { a { query } } subscription S { a }", "S"),
        (None, "{ me { user { email } } }", None),
        (None, 'query { search(text: "query Foo") }', None),
        (None, 'query "unterminated', None),
        (None, None, None),
    ],
)
def test_the_operation_is_named_as_sent_or_as_in_the_document(
    sent: str | None, document: str | None, name: str | None
) -> None:
    assert operation_name(sent, document) == name


async def test_the_logged_statement_count_is_the_requests_own(
    demo: Starlette,
    gql: GraphQLClient,
    count_queries: CountQueries,
    caplog: pytest.LogCaptureFixture,
) -> None:
    token = await gql.sign_in("eo@aa101.example")
    caplog.set_level(logging.INFO)
    with count_queries() as counter:
        await gql.ok(ME, token=token)
    [line] = access_lines(caplog)
    assert line["operation"] == "WhoAmI"
    assert line["sql_statements"] == len(counter.statements) > 0
