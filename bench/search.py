"""Benchmark: searching a centre's candidates (candidates(filter: {search})) as the centre grows.

Seeds the demo data, then candidates at centre AA101 in steps (1,000, then up to 100,000: bulk
inserts, one shared password hash) and, at each size, sends the candidates query with a few
typical searches through the real ASGI app (httpx, no network, one process) and prints each
search's p50, p99 and fastest latency (the least disturbed by other work on a busy machine), how
many candidates it found and the SQL statements per request; and, beside each, the p50 of the
naive scan a raw endpoint without an index would run (the same comparisons on every row of the
centre, sent straight to the driver).
Not a test: nothing is asserted; run it before and after a change and compare.

    .venv/bin/python bench/search.py --candidates 1000 100000 --requests 200
    .venv/bin/python bench/search.py --candidates 1000 100000 --requests 200 \\
        --database-url postgres://postgres@127.0.0.1:5432/examdesk_search   # WIPES that database

After seeding, the database is tidied as a server that has run a while has it: on PostgreSQL
VACUUM ANALYZE, which autovacuum runs within a minute or so of such a change (planner statistics,
and the GIN index's pending entries merged), on SQLite ANALYZE, which the app's statistics
refresh runs within ten minutes (examdesk/database.py).

The names come from a fixed random seed, so every run (and both sizes) holds the same first
candidates, and the searches are made from one of them: part of a surname, a candidate number, a
UCI, and a name typed with its accents. Candidate numbers are four characters, as at a real
centre; beyond 9999 (no centre has that many) they are letters and digits, only so that one centre
can hold 100,000.
"""

import argparse
import asyncio
import random
import statistics
import string
import time
from dataclasses import dataclass
from functools import partial

from harness import counting_statements, graphql, serving, sign_in, wipe_postgres
from tortoise import Tortoise

from models.exams import Candidate
from models.organisations import Organisation
from models.search import fold
from resolvers.identity.passwords import hash_password

CENTRE = "AA101"
OFFICER = "eo@aa101.example"
QUERY = """
query($code: String!, $search: String!, $first: Int!) {
  candidates(centreCode: $code, filter: {search: $search}, first: $first) {
    totalCount
    nodes { candidateNumber uci fullName username }
  }
}
"""


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FIRST_NAMES = _words(
    "José Zoë Björn Łukasz Siobhán Chloé Mateo Aarav Amélie Søren Noémie Ana Oliver Amira Yusuf "
    "Ingrid Hana Liam Émile Maël Zoltán Ángel Nikolai Aoife Kwame Priya Dorothée Jürgen Inès Leo "
    "Ava Malik Sofía Raphaël Grace Thành Chidi Elif Mónica Teodor"
)
# Surnames are put together from three parts: 10,000 of them, some with accents, so that part of
# a surname finds a few candidates in a thousand, as at a real centre.
SURNAME_STARTS = _words(
    "Gar Mart Hern Kowal Nowak Ols Bert Dub Fern Rodr Sánch Lóp Pér Gonz Ram Torr Flor Riv Góm "
    "Díaz Rom Suár Mor Jím Cruz Mend Ort Vasc Cast Núñ Ørst Åk Lind Berg Strö Müll Schm Wagn "
    "Beck Hoff"
)
SURNAME_MIDDLES = _words("- el an ov er in ad om is ot")
SURNAME_ENDS = _words(
    "cía ínez ández ski ak sen ard ois ando íguez ez et ález írez res es a ul ee ín sson qvist er "
    "idt eau"
)
_BASE36 = string.digits + string.ascii_uppercase


@dataclass(frozen=True)
class Row:
    number: str
    uci: str
    first_name: str
    last_name: str
    username: str


def candidate_number(n: int) -> str:
    """Four characters: the digits up to 9999, then a letter and three base-36 characters."""
    if n < 10_000:
        return f"{n:04d}"
    rest = n - 10_000
    first, rest = divmod(rest, 36**3)
    return _BASE36[10 + first] + "".join(_BASE36[rest // 36**p % 36] for p in (2, 1, 0))


def rows(start: int, stop: int) -> list[Row]:
    """The bench's candidates numbered start to stop - 1, the same ones on every run."""
    made = []
    for n in range(start, stop):
        pick = random.Random(n)
        first = pick.choice(FIRST_NAMES)
        last = (
            pick.choice(SURNAME_STARTS)
            + pick.choice(SURNAME_MIDDLES).strip("-")
            + pick.choice(SURNAME_ENDS)
        )
        ascii_last = last.encode("ascii", "ignore").decode().lower()
        made.append(
            Row(
                number=candidate_number(n),
                uci=f"AA101{n:07d}B",
                first_name=first,
                last_name=last,
                username=f"{first[0].lower()}{ascii_last}{n}",
            )
        )
    return made


# The first bench candidate's number: after the demo's candidates at the centre.
FIRST = 100


async def seed(start: int, stop: int) -> None:
    """Candidates start to stop - 1 at the centre, in bulk, sharing one password hash."""
    centre = await Organisation.get(code=CENTRE)
    password_hash = hash_password("Bench2024pass")
    await Candidate.bulk_create(
        [
            Candidate(
                centre_id=centre.id,
                candidate_number=row.number,
                uci=row.uci,
                first_name=row.first_name,
                last_name=row.last_name,
                username=row.username,
                password_hash=password_hash,
            )
            for row in rows(start, stop)
        ],
        batch_size=1000,
    )


def searches() -> dict[str, str]:
    """The typical searches, all made from one candidate present at every size."""
    row = rows(FIRST + 500, FIRST + 501)[0]
    accented = next(r for r in rows(FIRST, FIRST + 1000) if not r.last_name.isascii())
    return {
        "surname fragment": row.last_name[1:7].lower(),
        "first name (1 in 40)": row.first_name.lower(),
        "candidate number": row.number,
        "UCI": row.uci,
        "accented name": f"{accented.first_name} {accented.last_name}",
    }


async def measure(http, token: str, search: str, first: int, requests: int) -> str:
    """One search sent `requests` times after a warm-up: its line of the report."""
    one = partial(graphql, http, QUERY, {"code": CENTRE, "search": search, "first": first}, token)
    for _ in range(5):
        found = (await one())["candidates"]["totalCount"]
    with counting_statements() as counter:
        await one()
    latencies = []
    for _ in range(requests):
        started = time.perf_counter()
        await one()
        latencies.append((time.perf_counter() - started) * 1000)
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return (
        f"    {search!r:24} {statistics.median(latencies):7.2f} ms p50 {p99:7.2f} ms p99 "
        f"{ordered[0]:6.2f} ms min "
        f"{found:6d} found {counter.count:3d} statements"
    )


async def naive_scan(search: str, first: int, requests: int) -> str:
    """What a raw endpoint without an index would send for the same search, timed at the
    driver (no GraphQL, no ORM): every word compared with every row of the centre, once to
    count and once for the page, as examdesk did before its search index."""
    connection = Tortoise.get_connection("default")
    sqlite = connection.capabilities.dialect == "sqlite"
    centre_id = (await Organisation.get(code=CENTRE)).id
    conditions, values = [], []
    for word in search.split():
        pattern = f"%{word.upper()}%"
        conditions.append(
            "(UPPER(candidate_number) LIKE {} OR UPPER(uci) LIKE {} OR UPPER(username) LIKE {} "
            "OR search_name LIKE {})"
        )
        values += [pattern, pattern, pattern, f"%{fold(word)}%"]
    where = "centre_id = {} AND " + " AND ".join(conditions)
    numbered = iter(range(1, len(values) + 2))
    where = where.format(*("?" if sqlite else f"${next(numbered)}" for _ in range(len(values) + 1)))
    statements = [
        f"SELECT COUNT(*) FROM candidate WHERE {where}",
        f"SELECT id, candidate_number, uci, first_name, last_name, username FROM candidate "
        f"WHERE {where} ORDER BY candidate_number LIMIT {first}",
    ]
    latencies = []
    for attempt in range(requests // 4 + 2):
        started = time.perf_counter()
        for statement in statements:
            await connection.execute_query(statement, [centre_id, *values])
        if attempt >= 2:  # the first two warm the caches
            latencies.append((time.perf_counter() - started) * 1000)
    return f"    naive scan at the driver   {statistics.median(latencies):7.2f} ms p50"


async def main(sizes: list[int], requests: int, first: int, database_url: str | None) -> None:
    if database_url:
        await wipe_postgres(database_url)
    async with serving(database_url=database_url) as bench:
        token = await sign_in(bench.http, OFFICER)
        print(
            f"backend={'PostgreSQL' if database_url else 'SQLite'} first={first} "
            f"requests={requests} per search"
        )
        seeded = 0
        for size in sorted(sizes):
            await seed(FIRST + seeded, FIRST + size)
            await Tortoise.get_connection("default").execute_script(
                "VACUUM ANALYZE" if database_url else "ANALYZE"
            )
            seeded = size
            print(f"  candidates={size}")
            for name, search in searches().items():
                print(f"  {name}:")
                print(await measure(bench.http, token, search, first, requests))
                print(await naive_scan(search, first, requests))


def run() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--candidates", type=int, nargs="+", default=[1000, 100_000])
    parser.add_argument("--requests", type=int, default=200, help="timed requests per search")
    parser.add_argument("--first", type=int, default=50, help="page size (1 to 500)")
    parser.add_argument(
        "--database-url", default=None, help="a PostgreSQL database to run on; it is wiped first"
    )
    args = parser.parse_args()
    asyncio.run(main(args.candidates, args.requests, args.first, args.database_url))


if __name__ == "__main__":
    run()
