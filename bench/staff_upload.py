"""Benchmark: uploadUsers with N rows through the real ASGI app, and its job.

Seeds the demo data in a temporary SQLite database, signs in as AA101's user manager, then: a
dry run of an N-row file (CSV, or .xlsx with --xlsx; the checks alone, timed R times), the real
upload (checks and queuing the job), and the job to SUCCEEDED (argon2id for every password, then
one writing transaction), polled through `job(id)` as a client would. Production argon2
parameters unless --fast. Not a test: nothing is asserted; compare runs before and after a change.

    .venv/bin/python bench/staff_upload.py --rows 5000 --repeat 3
"""

import argparse
import asyncio
import io

from harness import Upload, serving, sign_in, time_upload
from openpyxl import Workbook

MANAGER = "users@aa101.example"
UPLOAD = """
mutation($input: UploadUsersInput!) { uploadUsers(input: $input) {
  rowsRead rowsWithErrors job { id } errors { code message }
} }"""
HEADER = ("first_name", "last_name", "email", "password", "role")


def rows_of(count: int) -> list[tuple[str, ...]]:
    roles = ("INV", "SLT", "EO", "INV;SLT")
    return [
        (
            f"First{i}",
            f"Last{i}",
            f"bench{i:05d}@aa101.example",
            f"Harbour-{i:05d}-Light",
            roles[i % 4],
        )
        for i in range(count)
    ]


def users_file(count: int, xlsx: bool) -> bytes:
    if not xlsx:
        lines = [",".join(HEADER)] + [",".join(row) for row in rows_of(count)]
        return ("\n".join(lines) + "\n").encode()
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for row in rows_of(count):
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


async def run(rows: int, repeat: int, fast: bool, xlsx: bool) -> None:
    async with serving(fast_password_hashing=fast) as bench:
        token = await sign_in(bench.http, MANAGER)
        content = users_file(rows, xlsx)
        upload = Upload(
            UPLOAD, "uploadUsers", {"organisationCode": "AA101"}, "bench-users", content
        )
        timed = await time_upload(bench.http, token, upload, repeat, every=0.5)
    kind = "xlsx" if xlsx else "csv"
    print(
        f"rows={rows} {kind} argon2={'fast (tests)' if fast else 'production'} "
        f"file={len(content):,} B"
    )
    print(timed.report(rows))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=5000, help="user rows in the file")
    parser.add_argument("--repeat", type=int, default=3, help="timed dry runs")
    parser.add_argument("--fast", action="store_true", help="cheap argon2 (as the tests)")
    parser.add_argument("--xlsx", action="store_true", help="an .xlsx workbook, not CSV")
    args = parser.parse_args()
    asyncio.run(run(args.rows, args.repeat, args.fast, args.xlsx))


if __name__ == "__main__":
    main()
