"""Trusted documents: a registered document may be sent by its SHA-256 alone (Apollo's persisted
queries, or the trusted documents convention's documentId), and a server in trusted-documents-only
mode runs registered documents and nothing else. Registration is all or nothing."""

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from examdesk.demo import register_demo_documents, seed_demo
from examdesk.document_registry import (
    Document,
    RegistrationError,
    read_documents,
    register_documents,
    sha256_hex,
)
from examdesk.settings import Settings, SettingsError
from models.trusted_documents import TrustedDocument
from tests.helpers.app import AppFactory
from tests.helpers.cli import run_cli
from tests.helpers.graphql import GraphQLClient, document_id
from tests.helpers.graphql_examples import (
    EXAMPLES,
    RUNNER_DOCUMENTS,
    example_paths,
    load,
    run_example,
)

REGISTERED = "query TrustedTypename { __typename }"
UNREGISTERED = "query NotRegistered { __typename }"


def _client(app: Starlette) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
    return httpx.AsyncClient(transport=transport, base_url="http://examdesk.test")


async def _register(*texts: str) -> None:
    await register_documents([Document(sha256_hex(text), text, "test") for text in texts])


def _code(response: httpx.Response) -> str:
    assert response.headers["content-type"].startswith("application/json"), response.text
    [error] = response.json()["errors"]
    return error["extensions"]["code"]


async def _post(http: httpx.AsyncClient, body: dict[str, Any]) -> httpx.Response:
    """As JSON with non-ASCII escaped, as browsers' JSON.stringify sends a lone surrogate."""
    return await http.post(
        "/graphql", content=json.dumps(body), headers={"Content-Type": "application/json"}
    )


def _persisted(text: str) -> dict[str, Any]:
    return {"persistedQuery": {"version": 1, "sha256Hash": sha256_hex(text)}}


async def test_a_registered_document_runs_by_its_hash_alone_in_every_convention(
    http: httpx.AsyncClient,
) -> None:
    await _register(REGISTERED)
    by_text = (await http.post("/graphql", json={"query": REGISTERED})).json()
    assert not by_text.get("errors"), by_text
    assert "__typename" in by_text["data"], by_text
    requests = {
        "documentId": http.post("/graphql", json={"documentId": document_id(REGISTERED)}),
        "Apollo": http.post("/graphql", json={"extensions": _persisted(REGISTERED)}),
        "GET documentId": http.get("/graphql", params={"documentId": document_id(REGISTERED)}),
        "GET extensions": http.get(
            "/graphql", params={"extensions": json.dumps(_persisted(REGISTERED))}
        ),
        "bare hex": http.post("/graphql", json={"documentId": sha256_hex(REGISTERED).upper()}),
    }
    for convention, request in requests.items():
        response = await request
        assert response.status_code == 200, f"{convention}: {response.text}"
        assert response.json() == by_text, convention


async def test_an_unknown_hash_is_not_found_and_apollo_retries_with_the_text(
    http: httpx.AsyncClient,
) -> None:
    for body in (
        {"extensions": _persisted(REGISTERED)},
        {"documentId": document_id(REGISTERED)},
    ):
        refused = await http.post("/graphql", json=body)
        # 404, as Apollo Router answers (older Apollo Clients gave up on hashes after a 400).
        assert refused.status_code == 404, refused.text
        assert _code(refused) == "PERSISTED_QUERY_NOT_FOUND"
    retried = await http.post(
        "/graphql", json={"query": REGISTERED, "extensions": _persisted(REGISTERED)}
    )
    assert retried.status_code == 200, retried.text
    assert "__typename" in retried.json()["data"]
    # What a client sends is never registered by sending it: only the command registers.
    assert not await TrustedDocument.exists()


async def test_a_hash_that_is_not_the_texts_is_refused(http: httpx.AsyncClient) -> None:
    await _register(REGISTERED, UNREGISTERED)
    mismatches = (
        {"query": UNREGISTERED, "extensions": _persisted(REGISTERED)},
        {"query": REGISTERED + " ", "documentId": document_id(REGISTERED)},
        {"documentId": document_id(REGISTERED), "extensions": _persisted(UNREGISTERED)},
        # A lone surrogate (JSON may escape one) has no UTF-8 form, so no hash matches it.
        {"query": "query Q { __typename } # \udfff", "documentId": document_id(REGISTERED)},
    )
    for body in mismatches:
        response = await _post(http, body)
        assert response.status_code == 400, response.text
        assert _code(response) == "PERSISTED_QUERY_HASH_MISMATCH", body


@pytest.mark.parametrize(
    "body",
    [
        {"documentId": 42},
        {"documentId": "md5:" + "0" * 64},
        {"documentId": "sha256:abc"},
        {"extensions": {"persistedQuery": {"version": 2, "sha256Hash": "0" * 64}}},
        {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": ["x"]}}},
        {"extensions": {"persistedQuery": "yes"}},
    ],
)
async def test_a_malformed_hash_is_a_bad_request(
    http: httpx.AsyncClient, body: dict[str, Any]
) -> None:
    response = await http.post("/graphql", json=body)
    assert response.status_code == 400, response.text
    assert _code(response) == "BAD_REQUEST"


async def test_a_mutation_by_hash_over_get_is_not_allowed(http: httpx.AsyncClient) -> None:
    sign_in = 'mutation TrustedSignIn { signIn(input: {email: "a@b.c", password: "x"}) { token } }'
    await _register(sign_in)
    response = await http.get("/graphql", params={"documentId": document_id(sign_in)})
    assert response.status_code == 405, response.text


async def test_trusted_only_runs_registered_documents_by_hash_or_by_text(
    make_app: AppFactory,
) -> None:
    app = await make_app(trusted_documents_only=True)
    await _register(REGISTERED)
    async with _client(app) as http:
        assert (await http.post("/graphql", json={"query": REGISTERED})).status_code == 200
        by_hash = await http.post("/graphql", json={"documentId": document_id(REGISTERED)})
        assert by_hash.status_code == 200
        assert "__typename" in by_hash.json()["data"]
        for body in (
            {"query": UNREGISTERED},
            # An APQ retry carries the text; in this mode the text must be registered too.
            {"query": UNREGISTERED, "extensions": _persisted(UNREGISTERED)},
            {"query": REGISTERED + " # \udfff"},
        ):
            refused = await _post(http, body)
            assert refused.status_code == 403, refused.text
            assert _code(refused) == "TRUSTED_DOCUMENT_REQUIRED"
        # Nor introspection, unless registered, nor GraphiQL, which sends its own documents.
        introspection = await http.post(
            "/graphql", json={"query": "{ __schema { types { name } } }"}
        )
        assert _code(introspection) == "TRUSTED_DOCUMENT_REQUIRED"
        page = await http.get("/graphql", headers={"Accept": "text/html"})
        assert page.status_code == 404
        assert "<html" not in page.text.lower()


async def test_without_trusted_only_any_document_runs(http: httpx.AsyncClient) -> None:
    response = await http.post("/graphql", json={"query": UNREGISTERED})
    assert response.status_code == 200
    assert "__typename" in response.json()["data"]


async def test_every_example_runs_by_hash_alone_on_a_trusted_only_server(
    make_app: AppFactory,
) -> None:
    app = await make_app(trusted_documents_only=True)
    await seed_demo()
    registered = await register_demo_documents()
    assert registered.added == len(example_paths())
    # The runner signs people in with documents of its own: a frontend of its own, registered.
    await _register(*RUNNER_DOCUMENTS)
    async with _client(app) as http:
        gql = GraphQLClient(http)
        invited: dict[str, str] = {}
        for path in example_paths():
            await run_example(load(path), http, gql, invited, by_hash=True)
        # The proof that hashes alone were sent: a changed example would be refused.
        changed = load(example_paths()[0]).query + "\n"
        refused = await http.post("/graphql", json={"query": changed})
        assert _code(refused) == "TRUSTED_DOCUMENT_REQUIRED"


async def test_registration_is_all_or_nothing(app: Starlette, tmp_path: Path) -> None:
    wrong = tmp_path / "wrong.graphql"
    wrong.write_text("query Wrong { noSuchField }", encoding="utf-8")
    fragment_only = tmp_path / "fragment.graphql"
    fragment_only.write_text("fragment F on Query { __typename }", encoding="utf-8")
    for bad in (wrong, fragment_only):
        with pytest.raises(RegistrationError) as refused:
            await register_documents(read_documents([EXAMPLES, bad]))
        assert [p for p in refused.value.problems if p.startswith(bad.name)], refused.value
        assert not await TrustedDocument.exists()
    manifest = tmp_path / "persisted-documents.json"
    manifest.write_text(json.dumps({"0" * 64: REGISTERED}), encoding="utf-8")
    with pytest.raises(RegistrationError, match="is not the SHA-256 of its document"):
        read_documents([manifest])
    manifest.write_text(json.dumps({"0" * 64: "query Q { __typename } # \udfff"}))
    with pytest.raises(RegistrationError, match="is not a UTF-8 string"):
        read_documents([manifest])
    manifest.write_text(json.dumps({sha256_hex(REGISTERED): REGISTERED}), encoding="utf-8")
    first = await register_documents(read_documents([manifest, EXAMPLES]))
    again = await register_documents(read_documents([EXAMPLES]))
    assert (first.added, again.added, again.already_there) == (
        len(example_paths()) + 1,
        0,
        len(example_paths()),
    )
    stored = await TrustedDocument.get(sha256=sha256_hex(REGISTERED))
    assert (stored.document, stored.source) == (REGISTERED, "persisted-documents.json")


async def test_the_command_registers_for_every_server_process(
    database_url: str, make_app: AppFactory, tmp_path: Path
) -> None:
    app = await make_app(trusted_documents_only=True)
    document = tmp_path / "typename.graphql"
    document.write_text(REGISTERED, encoding="utf-8")
    async with _client(app) as http:
        before = await http.post("/graphql", json={"documentId": document_id(REGISTERED)})
        assert _code(before) == "PERSISTED_QUERY_NOT_FOUND"
        wrong = tmp_path / "wrong.graphql"
        wrong.write_text("query Wrong { noSuchField }", encoding="utf-8")
        refused = run_cli(database_url, "register-documents", str(document), str(wrong))
        assert refused.returncode != 0
        assert "nothing registered" in refused.stderr
        assert "wrong.graphql: Cannot query field 'noSuchField'" in refused.stderr
        result = run_cli(database_url, "register-documents", str(document))
        assert result.returncode == 0, result.stderr
        assert "1 document(s) registered" in result.stdout
        after = await http.post("/graphql", json={"documentId": document_id(REGISTERED)})
        assert after.status_code == 200, after.text
        assert "__typename" in after.json()["data"], after.text


def test_the_setting_is_read_and_refuses_graphiql_beside_it() -> None:
    assert Settings.from_env({"EXAMDESK_TRUSTED_DOCUMENTS_ONLY": "1"}).trusted_documents_only
    assert not Settings.from_env({}).trusted_documents_only
    assert not Settings.from_env({"EXAMDESK_TRUSTED_DOCUMENTS_ONLY": "1"}).graphiql_enabled
    with pytest.raises(SettingsError, match="EXAMDESK_TRUSTED_DOCUMENTS_ONLY"):
        Settings.from_env({"EXAMDESK_TRUSTED_DOCUMENTS_ONLY": "yes"})
    with pytest.raises(SettingsError, match="GraphiQL"):
        Settings.from_env({"EXAMDESK_TRUSTED_DOCUMENTS_ONLY": "1", "EXAMDESK_GRAPHIQL": "1"})
