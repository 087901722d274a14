"""Benchmark: uploadCentres with N rows (.xlsx or .csv) through the real ASGI app, and its job.

Seeds the demo data in a temporary SQLite database (or the PostgreSQL database given, which it
empties first), signs in as the board admin, then prints the time of each phase: reading the
file alone (openpyxl read_only, in process), a dry run (reading and checking every row against
the database), the real upload (the same, and queuing the job), and the job to SUCCEEDED (the
check again, then one writing transaction), polled through `job(id)` as a client would. Each
row is a user; two rows per centre. Not a test: nothing is asserted.

    .venv/bin/python bench/centre_upload.py --rows 10000 --format xlsx
"""

import argparse
import asyncio
import time

import asyncpg
from harness import Upload, serving, sign_in, time_upload

from resolvers.core.csv_export import csv_bytes
from resolvers.core.spreadsheets import parse_spreadsheet, xlsx_bytes
from resolvers.network.centre_upload import OPTIONAL_COLUMNS, REQUIRED_COLUMNS

ADMIN = "admin@exb.example"
UPLOAD = """
mutation($input: UploadCentresInput!) { uploadCentres(input: $input) {
  report { rowsProcessed centresCreated usersCreated } job { id } errors { code message }
} }"""
JOB = "query($id: ID!) { job(id: $id) { status stage done total errorMessage result } }"


def centres_file(rows: int, file_format: str) -> bytes:
    table = [(*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)]
    table += [
        (
            f"B{i // 2:05d}",
            f"Bench Centre {i // 2}",
            f"{i // 2} Road",
            "Town",
            "Land",
            f"bench{i}@bench.example",
            "First",
            f"Last{i}",
            "SLT",
        )
        for i in range(rows)
    ]
    return xlsx_bytes(table) if file_format == "xlsx" else csv_bytes(table)


async def run(rows: int, file_format: str, database_url: str | None) -> None:
    if database_url:
        connection = await asyncpg.connect(database_url)
        await connection.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
        await connection.close()
    async with serving(database_url=database_url) as bench:
        t0 = time.perf_counter()
        content = centres_file(rows, file_format)
        build = time.perf_counter() - t0
        t0 = time.perf_counter()
        parse_spreadsheet(
            content, required=REQUIRED_COLUMNS, optional=OPTIONAL_COLUMNS, max_rows=20_000
        )
        reading = time.perf_counter() - t0
        token = await sign_in(bench.http, ADMIN)
        upload = Upload(UPLOAD, "uploadCentres", {}, "bench", content)
        timed = await time_upload(bench.http, token, upload, repeat=1, every=0.1, job_query=JOB)
    job = timed.job
    database = "postgresql" if database_url else "sqlite"
    print(f"rows={rows} format={file_format} file={len(content):,} B database={database}")
    print(f"  {build:8.2f} s  building the file (not part of the upload)")
    print(f"  {reading:8.2f} s  reading it into rows (in process)")
    print(f"  {timed.checks[0]:8.2f} s  dry run: reading and checking every row")
    print(f"  {timed.upload_seconds:8.2f} s  real upload: the same, and queuing the job")
    print(
        f"  {timed.job_seconds:8.2f} s  the job to {job['status']} ({job['stage']}); its report "
        f"says {(job['result'] or {}).get('seconds')} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--format", choices=["xlsx", "csv"], default="xlsx")
    parser.add_argument("--database-url", help="postgres://... (emptied first); SQLite if not")
    args = parser.parse_args()
    asyncio.run(run(args.rows, args.format, args.database_url))


if __name__ == "__main__":
    main()
