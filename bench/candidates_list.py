"""Benchmark: a centre's candidate list (candidates) with entries and results, through the real
ASGI app.

Seeds the demo data and N extra candidates at centre AA101 in a temporary SQLite database, each
entered for three syllabuses in a released series with a result for each, signs in as the demo
exams officer, then sends the candidates query (every entry's series, syllabus and result) M
times through httpx's ASGI transport (no network, one process) and prints requests per second
and SQL statements per request. Each request also writes its "results.read" audit event. Not a
test: nothing is asserted; run it before and after a change and compare.

    .venv/bin/python bench/candidates_list.py --candidates 2000 --requests 300 --first 50
"""

import argparse
import asyncio
from datetime import UTC, datetime
from functools import partial

from harness import time_query
from raw.documents import CANDIDATES

from models.exams import MONTH_NUMBERS, Candidate, Entry, Result, Series, SeriesMonth, Syllabus
from models.organisations import Organisation
from resolvers.identity.passwords import hash_password

CENTRE = "AA101"
OFFICER = "eo@aa101.example"
SERIES = "2024-JUN"
SYLLABUSES = ("0500", "0580", "0610")
GRADES = ("A*", "A", "B", "C", "D")


async def seed_candidates(count: int) -> None:
    """`count` candidates with three results each: bulk inserts and one password hash."""
    centre = await Organisation.get(code=CENTRE)
    series = await Series.create(
        code=SERIES,
        month=SeriesMonth.JUNE,
        month_number=MONTH_NUMBERS[SeriesMonth.JUNE],
        year=2024,
        credentials_open_at=datetime(2024, 3, 25, tzinfo=UTC),
        results_release_at=datetime(2024, 8, 13, 6, tzinfo=UTC),
    )
    syllabuses = list(await Syllabus.filter(code__in=SYLLABUSES).order_by("code"))
    start = await Candidate.filter(centre_id=centre.id).count() + 1
    numbers = range(start, start + count)
    password_hash = hash_password("Bench2024pass")
    await Candidate.bulk_create(
        [
            Candidate(
                centre_id=centre.id,
                candidate_number=f"{n:04d}",
                uci=f"AA10124{n:04d}X",
                first_name=f"Bench{n:04d}",
                last_name="Pupil",
                username=f"bench.{n:04d}",
                password_hash=password_hash,
            )
            for n in numbers
        ],
        batch_size=1000,
    )
    ids = await Candidate.filter(username__startswith="bench.").values_list("id", flat=True)
    await Entry.bulk_create(
        [
            Entry(
                candidate_id=candidate_id,
                series_id=series.id,
                syllabus_id=syllabus.id,
                entry_code=f"{candidate_id:04d}-{index}ZZZ",
            )
            for candidate_id in ids
            for index, syllabus in enumerate(syllabuses)
        ],
        batch_size=1000,
    )
    entry_ids = await Entry.filter(series_id=series.id).values_list("id", flat=True)
    await Result.bulk_create(
        [
            Result(
                entry_id=entry_id,
                grade=GRADES[entry_id % len(GRADES)],
                mark=entry_id % 100,
                loaded_at=datetime(2024, 8, 6, tzinfo=UTC),
            )
            for entry_id in entry_ids
        ],
        batch_size=1000,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--candidates", type=int, default=2000, help="extra candidates")
    parser.add_argument("--requests", type=int, default=300, help="timed requests")
    parser.add_argument("--first", type=int, default=50, help="page size (1 to 500)")
    parser.add_argument("--warmup", type=int, default=20, help="untimed requests first")
    args = parser.parse_args()
    variables = {"code": CENTRE, "first": args.first}
    seed = partial(seed_candidates, args.candidates)
    result = asyncio.run(
        time_query(seed, OFFICER, CANDIDATES, variables, args.requests, args.warmup)
    )
    print(
        f"candidates={args.candidates} first={args.first} requests={args.requests} "
        f"({len(SYLLABUSES)} entries with results per candidate)"
    )
    print(result.report())


if __name__ == "__main__":
    main()
