"""The search index (FTS5 on SQLite, pg_trgm on PostgreSQL) serves the searches of candidates
and people without changing what they find: every word somewhere, as a substring, accents and
case ignored in names; the same answers with the index as without it."""

import logging

import pytest
from starlette.applications import Starlette
from tortoise import Tortoise

from examdesk.database import refresh_statistics
from models import search_index
from models.exams import Candidate
from models.organisations import Organisation
from models.search_index import create_search_indexes, find_search_indexes
from models.users import Membership, User, UserStatus
from resolvers.core.exam_lookups import candidate_search
from tests.helpers.database import POSTGRES_URL
from tests.helpers.graphql import GraphQLClient
from tests.helpers.query_counts import CountQueries

CANDIDATES = """
query($search: String!) {
  candidates(centreCode: "AA101", filter: {search: $search}, first: 500) {
    totalCount nodes { candidateNumber }
  }
}"""
USERS = """
query($search: String!) {
  usersAcrossCentres(search: $search, first: 100) { totalCount nodes { email } }
}"""
# (number, first name, last name, UCI, username): accents, case, punctuation and short names.
EXTRA_CANDIDATES = (
    ("0901", "Zoë", "Ørsted-Núñez", "ZX9Q0001", "zoe.orsted"),
    ("0902", "ÅSA", "Straße", None, "Åsa_Straße"),
    ("0903", "Łukasz", "O'Brien", "AB12CD34", "lukasz_obrien"),
    ("0904", "Jo", "Ng", "N0904X", "jo.ng"),
    ("0905", "Chloé", 'D"Arcy', "CD0905", "chloe.darcy"),
)
CANDIDATE_SEARCHES = {
    # What the searches must find (beyond the demo's four), with and without the index.
    "garcia": ["0002"],
    "GARCÍA": ["0002"],
    "arcí": ["0002"],
    "jose garcía": ["0002"],
    "ZOË ørsted": ["0901"],
    "sted-nu": ["0901"],
    "orsted-nunez": ["0901"],
    "AA101260002B": ["0002"],
    "strasse": ["0902"],
    "STRAẞE": ["0902"],
    "Åsa_Str": ["0902"],
    "asa": ["0902"],
    "b12c": ["0903"],
    "z_o": ["0903"],
    "o'brien": ["0903"],
    'd"arcy': ["0905"],
    "jo": ["0002", "0004", "0904"],
    "jo ng": ["0904"],
    "n0904": ["0904"],
    "090": ["0901", "0902", "0903", "0904", "0905"],
    "zoe 0901": ["0901"],
    "aa101_cand": ["0001", "0003"],
    "%": [],
    "_": ["0001", "0003", "0902", "0903"],
    "\\": [],
    "ﬁ": [],
    "\u0301": [],
    "nobody": [],
}
EXTRA_USERS = (
    ("zoe.martin@example.org", "Zoë", "Martín"),
    ("emile@ostergard.example", "Émile", "Østergård"),
    ("ng@example.org", "Jo", "Ng"),
)
USER_SEARCHES = {
    "zoe martin": ["zoe.martin@example.org"],
    "MARTÍN": ["zoe.martin@example.org"],
    "ostergard": ["emile@ostergard.example"],
    "EMILE@": ["emile@ostergard.example"],
    "jo ng": ["ng@example.org"],
    "nobody": [],
}


async def _add_people() -> None:
    centre = await Organisation.get(code="AA101")
    await Candidate.bulk_create(
        [
            Candidate(
                centre=centre,
                candidate_number=number,
                first_name=first,
                last_name=last,
                uci=uci,
                username=username,
                password_hash="x",
            )
            for number, first, last, uci, username in EXTRA_CANDIDATES
        ]
    )
    for email, first, last in EXTRA_USERS:
        user = await User.create(
            email=email, first_name=first, last_name=last, status=UserStatus.ACTIVE
        )
        await Membership.create(user=user, organisation=centre, roles=["SLT"])


async def _drop_search_indexes() -> None:
    """The database as one without the index: searches then compare every row."""
    connection = Tortoise.get_connection("default")
    for table in ("candidate", "user"):
        if connection.capabilities.dialect == "sqlite":
            for trigger in ("insert", "delete", "update"):
                await connection.execute_script(f'DROP TRIGGER "{table}_search_{trigger}"')
            await connection.execute_script(f'DROP TABLE "{table}_search"')
        else:
            await connection.execute_script(f'DROP INDEX "{table}_search_trgm"')
    await find_search_indexes()


async def _found(gql: GraphQLClient, eo: str, board: str) -> dict[str, list[str]]:
    found = {}
    for search in CANDIDATE_SEARCHES:
        page = (await gql.ok(CANDIDATES, {"search": search}, eo))["candidates"]
        assert page["totalCount"] == len(page["nodes"])
        found[search] = [n["candidateNumber"] for n in page["nodes"]]
    for search in USER_SEARCHES:
        page = (await gql.ok(USERS, {"search": search}, board))["usersAcrossCentres"]
        found[search] = sorted(n["email"] for n in page["nodes"])
    return found


async def test_searches_find_the_same_with_the_index_as_without(
    demo: Starlette, gql: GraphQLClient
) -> None:
    await _add_people()
    eo = await gql.sign_in("eo@aa101.example")
    board = await gql.sign_in("admin@exb.example")
    indexed = await _found(gql, eo, board)
    assert indexed == {**CANDIDATE_SEARCHES, **USER_SEARCHES}

    await _drop_search_indexes()
    assert await _found(gql, eo, board) == indexed

    # Made again over the rows already there, it is filled from them.
    await create_search_indexes()
    await create_search_indexes()
    assert await _found(gql, eo, board) == indexed


async def _search_statements(
    gql: GraphQLClient, count_queries: CountQueries, token: str, search: str
) -> list[str]:
    with count_queries() as counter:
        await gql.ok(CANDIDATES, {"search": search}, token)
    return [s for s in counter.statements if 'FROM "candidate"' in s]


async def test_a_search_asks_the_index_for_words_of_three_characters_or_more(
    demo: Starlette, gql: GraphQLClient, count_queries: CountQueries
) -> None:
    asks = "MATCH" if not POSTGRES_URL else 'CAST("search_text" AS VARCHAR) LIKE'
    eo = await gql.sign_in("eo@aa101.example")
    count, page = await _search_statements(gql, count_queries, eo, "garcía jo")
    assert asks in count
    assert asks in page
    for short in ("jo", "jo ng"):
        assert not any(asks in s for s in await _search_statements(gql, count_queries, eo, short))

    await _drop_search_indexes()
    statements = await _search_statements(gql, count_queries, eo, "garcía jo")
    assert not any(asks in s for s in statements)


async def test_the_index_follows_every_change(demo: Starlette, gql: GraphQLClient) -> None:
    eo = await gql.sign_in("eo@aa101.example")

    async def numbers(search: str) -> list[str]:
        page = (await gql.ok(CANDIDATES, {"search": search}, eo))["candidates"]
        return [n["candidateNumber"] for n in page["nodes"]]

    centre = await Organisation.get(code="AA101")
    added = await Candidate.create(
        centre=centre,
        candidate_number="0950",
        first_name="Ingrid",
        last_name="Sjöberg",
        username="ingrid.s",
        password_hash="x",
    )
    assert await numbers("sjoberg") == ["0950"]
    added.last_name = "Lindqvist"
    added.uci = "LQ0950Z"
    await added.save(update_fields=["last_name", "uci"])
    assert await numbers("sjoberg") == []
    assert await numbers("lindqvist lq095") == ["0950"]
    await added.delete()
    assert await numbers("lindqvist") == []


@pytest.mark.skipif(bool(POSTGRES_URL), reason="SQLite's planner statistics")
async def test_with_statistics_sqlite_starts_from_the_index(
    demo: Starlette, gql: GraphQLClient
) -> None:
    """Without statistics SQLite guesses that a centre has ten candidates and walks all of
    them; the statistics the app refreshes tell it better, and the index's rows come first."""
    centre = await Organisation.get(code="AA101")
    await Candidate.bulk_create(
        [
            Candidate(
                centre=centre,
                candidate_number=f"{n:04d}",
                first_name=f"Pupil{n}",
                last_name="Bulk",
                username=f"bulk.{n}",
                password_hash="x",
            )
            for n in range(1000, 1300)
        ]
    )
    eo = await gql.sign_in("eo@aa101.example")
    await gql.ok(CANDIDATES, {"search": "pupil1042"}, eo)
    await refresh_statistics()
    query = Candidate.filter(centre_id=centre.id).filter(*candidate_search("pupil1042"))
    connection = Tortoise.get_connection("default")
    plan = await connection.execute_query_dict(
        "EXPLAIN QUERY PLAN " + query.sql(params_inline=True)
    )
    assert "SEARCH candidate USING INTEGER PRIMARY KEY (rowid=?)" in [p["detail"] for p in plan]


async def test_a_database_that_cannot_have_the_index_still_searches(
    demo: Starlette,
    gql: GraphQLClient,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """As on a PostgreSQL without pg_trgm, or a SQLite without FTS5's trigram tokenizer."""
    await _drop_search_indexes()
    monkeypatch.setattr(
        search_index,
        "_sqlite_statements",
        lambda table: [f"CREATE VIRTUAL TABLE x_{table} USING fts5(a, tokenize='no_such')"],
    )
    monkeypatch.setattr(
        search_index,
        "_postgres_statements",
        lambda table: ["CREATE EXTENSION IF NOT EXISTS no_such_extension"],
    )
    with caplog.at_level(logging.WARNING, logger="examdesk.search_index"):
        await create_search_indexes()
    assert "no search index on candidate, its searches scan every row" in caplog.text
    eo = await gql.sign_in("eo@aa101.example")
    page = (await gql.ok(CANDIDATES, {"search": "GARCÍA"}, eo))["candidates"]
    assert page == {"totalCount": 1, "nodes": [{"candidateNumber": "0002"}]}
