"""Documents are parsed and validated once (schema/core/extensions/document_cache.py): the answers
stay what they were, errors included, the store stays within its bounds, and a document one
caller passed is checked again for a caller under other rules (production's introspection)."""

from collections.abc import AsyncIterator

import httpx
import pytest
from graphql import parse
from starlette.applications import Starlette

from examdesk.demo import seed_demo
from examdesk.settings import Mode
from schema.core.extensions.document_cache import DOCUMENTS, DocumentStore, Key, document_key
from tests.helpers.app import AppFactory
from tests.helpers.graphql import GraphQLClient

INTROSPECTION = "{ __schema { queryType { name } } }"


def _key(text: str) -> Key:
    return document_key(text, {})


def test_the_store_keeps_the_most_recently_used_within_its_bounds() -> None:
    store = DocumentStore(max_documents=2, max_characters=100, max_document_characters=40)
    first, second, third = "{ a }", "{ b }", "{ c }"
    for text in (first, second):
        store.add(_key(text), parse(text))
    assert store.get(_key(first)) is not None  # now the most recently used
    store.add(_key(third), parse(third))
    assert len(store) == 2
    assert store.get(_key(second)) is None
    assert store.get(_key(first)) is not None
    # Too long for the store: not kept, nothing pushed out.
    long = "{ " + "a " * 30 + "}"
    assert store.add(_key(long), parse(long)) is None
    assert len(store) == 2
    # The total length counts too: two of 35 characters do not fit in 60.
    store = DocumentStore(max_documents=10, max_characters=60, max_document_characters=40)
    texts = ["{ " + name * 31 + " }" for name in "xy"]
    for text in texts:
        store.add(_key(text), parse(text))
    assert len(store) == 1
    assert store.characters == len(texts[1])


async def test_a_document_is_kept_once_and_answers_alike(
    demo: Starlette, gql: GraphQLClient
) -> None:
    DOCUMENTS.clear()
    token = await gql.sign_in("users@as100.example")
    query = "query Mine { me { user { email } organisations { code } } }"
    first = await gql.post(query, token=token)
    kept = len(DOCUMENTS)
    assert await gql.post(query, token=token) == first
    assert len(DOCUMENTS) == kept
    assert first["data"]["me"]["user"]["email"] == "users@as100.example"


@pytest.mark.parametrize(
    "query",
    [
        "{ me { user { email } ",  # does not parse
        "{ nope }",  # does not validate
        "{ " + " ".join(f"a{i}: __typename" for i in range(16)) + " }",  # too many aliases
    ],
)
async def test_refused_documents_are_refused_alike_and_not_kept(
    demo: Starlette, gql: GraphQLClient, query: str
) -> None:
    DOCUMENTS.clear()
    first = await gql.post(query)
    assert first["errors"]
    assert "data" not in first
    assert await gql.post(query) == first
    assert len(DOCUMENTS) == 0


@pytest.fixture
async def production(make_app: AppFactory) -> AsyncIterator[GraphQLClient]:
    app = await make_app(mode=Mode.PRODUCTION, secret_key="a-production-secret-" + "x" * 24)
    await seed_demo()
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://examdesk.test") as http:
        yield GraphQLClient(http)


async def test_a_document_a_board_admin_may_run_is_still_refused_to_others(
    production: GraphQLClient,
) -> None:
    DOCUMENTS.clear()
    admin = await production.sign_in("admin@exb.example")
    allowed = await production.ok(INTROSPECTION, token=admin)
    assert allowed == {"__schema": {"queryType": {"name": "Query"}}}
    refused = await production.post(INTROSPECTION)
    assert [e["extensions"]["code"] for e in refused["errors"]] == ["UNAUTHENTICATED"]
    manager = await production.sign_in("users@aa101.example")
    refused = await production.post(INTROSPECTION, token=manager)
    assert [e["extensions"]["code"] for e in refused["errors"]] == ["FORBIDDEN"]
    assert await production.ok(INTROSPECTION, token=admin) == allowed
