"""The index that serves the word searches of candidates and people, so that a search costs
about the same at a centre of a thousand candidates as at one of a hundred thousand.

It covers the folded `search_text` each searchable model keeps (models/search.py). A search
(resolvers/core/search.py) asks it for the rows holding every word, folded, and compares only
those as it always has: the index narrows the rows down, it never decides what matches.

- SQLite: an FTS5 table `<table>_search` with the trigram tokenizer, whose content is the
  table's search_text, kept in step by three triggers; a word is a quoted phrase of a MATCH,
  which the trigram tokenizer answers as "occurs anywhere in".
- PostgreSQL: the pg_trgm extension and a GIN index `<table>_search_trgm` on search_text with
  gin_trgm_ops, which `search_text LIKE '%word%'` uses.

A trigram needs three characters: shorter words are not looked up, and a search of short words
alone compares every row. A database that cannot have the index (SQLite without FTS5's trigram
tokenizer, PostgreSQL without pg_trgm or the right to add it) works without it: its searches
then compare every row, as they did before there was one.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from asyncpg import PostgresError
from pypika_tortoise import SqlContext
from pypika_tortoise.terms import Term, ValueWrapper
from tortoise import Tortoise
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import BaseORMException
from tortoise.expressions import Q
from tortoise.models import Model

from models.search import SearchableText, fold

log = logging.getLogger("examdesk.search_index")

# The fewest characters of a word the index can look up: one trigram.
SHORTEST_INDEXED_WORD = 3
# FTS5 reads the whole list of rows of every trigram of a phrase, and some trigrams are in nearly
# every row (a UCI begins with its centre's number): a longer word is looked up as pieces of this
# many characters (the last up to two more, to be a trigram at least), separate phrases which
# FTS5 intersects by skipping through the long lists. A row holding the word holds every piece,
# so no match is lost.
LONGEST_PHRASE = 6


@dataclass
class _Indexes:
    """What the open database has: its dialect, and the tables with a search index."""

    dialect: str = ""
    tables: frozenset[str] = frozenset()


# Set when the database is opened (examdesk/database.py), read by every search.
_found = _Indexes()


def _sqlite_statements(table: str) -> list[str]:
    fts = f"{table}_search"
    add = f'INSERT INTO "{fts}"(rowid, search_text) VALUES (new.id, new.search_text);'
    remove = (
        f'INSERT INTO "{fts}"("{fts}", rowid, search_text) '
        "VALUES ('delete', old.id, old.search_text);"
    )
    return [
        f'CREATE VIRTUAL TABLE IF NOT EXISTS "{fts}" USING fts5(search_text, '
        f"content='{table}', content_rowid='id', tokenize='trigram case_sensitive 1')",
        f'CREATE TRIGGER IF NOT EXISTS "{fts}_insert" AFTER INSERT ON "{table}" BEGIN {add} END',
        f'CREATE TRIGGER IF NOT EXISTS "{fts}_delete" AFTER DELETE ON "{table}" BEGIN {remove} END',
        f'CREATE TRIGGER IF NOT EXISTS "{fts}_update" AFTER UPDATE OF search_text ON "{table}" '
        f"BEGIN {remove} {add} END",
    ]


def _postgres_statements(table: str) -> list[str]:
    return [
        "CREATE EXTENSION IF NOT EXISTS pg_trgm",
        f'CREATE INDEX IF NOT EXISTS "{table}_search_trgm" ON "{table}" '
        "USING gin (search_text gin_trgm_ops)",
    ]


def _searchable_tables() -> list[str]:
    models = Tortoise.apps["models"].values()
    return sorted(m._meta.db_table for m in models if issubclass(m, SearchableText))


async def _existing(connection: BaseDBAsyncClient, tables: list[str]) -> set[str]:
    """The tables among `tables` whose index the database has."""
    if connection.capabilities.dialect == "sqlite":
        names = {f"{t}_search": t for t in tables}
        sql = f"SELECT name FROM sqlite_master WHERE name IN ({', '.join('?' * len(names))})"
    else:
        names = {f"{t}_search_trgm": t for t in tables}
        places = ", ".join(f"${i}" for i in range(1, len(names) + 1))
        sql = (
            "SELECT indexname AS name FROM pg_indexes "
            f"WHERE schemaname = current_schema() AND indexname IN ({places})"
        )
    _, rows = await connection.execute_query(sql, list(names))
    return {names[row["name"]] for row in rows}


async def create_search_indexes() -> None:
    """Adds the search index of every searchable table the database lacks (the DDL is
    idempotent), filling a new SQLite one from the rows already there, then notes which
    indexes the database has. One it cannot have is left out, with a warning."""
    connection = Tortoise.get_connection("default")
    tables = _searchable_tables()
    sqlite = connection.capabilities.dialect == "sqlite"
    before = await _existing(connection, tables)
    for table in tables:
        statements = _sqlite_statements(table) if sqlite else _postgres_statements(table)
        try:
            for statement in statements:
                await connection.execute_script(statement)
            if sqlite and table not in before:
                await connection.execute_script(
                    f'INSERT INTO "{table}_search"("{table}_search") VALUES (\'rebuild\')'
                )
        # Tortoise passes some of asyncpg's errors on as they are ("extension is not available").
        except (BaseORMException, PostgresError) as error:
            log.warning("no search index on %s, its searches scan every row: %s", table, error)
    await find_search_indexes()


async def find_search_indexes() -> None:
    """Notes which tables' search indexes the open database has: searches use those."""
    connection = Tortoise.get_connection("default")
    _found.dialect = connection.capabilities.dialect
    _found.tables = frozenset(await _existing(connection, _searchable_tables()))


class _Matching(Term):
    """`(SELECT rowid FROM <fts> WHERE <fts> MATCH ?)`: the rows an FTS5 query finds."""

    def __init__(self, fts: str, query: str) -> None:
        super().__init__()
        self.fts = fts
        self.query = query

    def get_sql(self, ctx: SqlContext) -> str:
        query = ValueWrapper(self.query).get_sql(ctx)
        return f'(SELECT rowid FROM "{self.fts}" WHERE "{self.fts}" MATCH {query})'


def _pieces(word: str) -> list[str]:
    """The word cut into pieces of LONGEST_PHRASE characters, the last at least a trigram."""
    pieces = [word[i : i + LONGEST_PHRASE] for i in range(0, len(word), LONGEST_PHRASE)]
    if len(pieces) > 1 and len(pieces[-1]) < SHORTEST_INDEXED_WORD:
        pieces[-2:] = [pieces[-2] + pieces[-1]]
    return pieces


def indexed_filters(model: type[Model], words: Iterable[str], *, via: str = "") -> list[Q]:
    """Filters keeping the rows of `model` (reached through `via`, such as "candidate__") whose
    search_text holds every word, folded, of those the index can look up; none when the
    database has no index for it. The rows kept are a superset of a word search's matches."""
    table = model._meta.db_table
    looked_up = sorted({f for f in map(fold, words) if len(f) >= SHORTEST_INDEXED_WORD})
    if table not in _found.tables or not looked_up:
        return []
    if _found.dialect == "sqlite":
        # Each piece a quoted phrase (its quotes doubled); phrases side by side must all occur.
        pieces = [piece for word in looked_up for piece in _pieces(word)]
        query = " ".join('"' + piece.replace('"', '""') + '"' for piece in pieces)
        return [Q(**{f"{via}id__in": _Matching(f"{table}_search", query)})]
    return [Q(**{f"{via}search_text__contains": word}) for word in looked_up]
