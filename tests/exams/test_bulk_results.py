"""Results from a CSV file (issue 3): the board loads a series' results in one request, every row
checked as loadResult checks one, all or nothing."""

from typing import Any

import httpx
import pytest

from models.audit import AuditEvent
from models.exams import Entry, Result
from tests.exams.helpers import upload
from tests.helpers.graphql import GraphQLClient

LOAD = """
mutation($input: LoadResultsFromCsvInput!) { loadResultsFromCsv(input: $input) {
  rowsRead rowsWithErrors resultsLoaded resultsReplaced dryRun
  rows { rowNumber entryCode centreCode candidateNumber syllabusCode grade mark outcome
         errors { code message column } }
  errors { code message field }
} }"""


async def load_file(
    http: httpx.AsyncClient, token: str, content: str, **values: Any
) -> dict[str, Any]:
    values.setdefault("seriesCode", "2026-NOV")
    response = await upload(http, token, content, query=LOAD, **values)
    assert response.status_code == 200, response.text
    body = response.json()
    assert not body.get("errors"), body
    return body["data"]["loadResultsFromCsv"]


async def code_of(username: str, series: str, syllabus: str) -> str:
    entry = await Entry.get(
        candidate__username=username, series__code=series, syllabus__code=syllabus
    )
    return entry.entry_code


async def results() -> dict[str, tuple[str, int | None]]:
    return {
        r.entry.entry_code: (r.grade, r.mark) for r in await Result.all().select_related("entry")
    }


@pytest.fixture
async def admin(demo: object, gql: GraphQLClient) -> str:
    return await gql.sign_in("admin@exb.example")


async def test_a_good_file_loads_every_result_in_one_go(
    http: httpx.AsyncClient, admin: str
) -> None:
    amara = await code_of("AA101_Cand001", "2026-NOV", "0620")
    jose = await code_of("josé.garcía", "2026-NOV", "0580")
    before = await results()
    content = (
        "\ufeffEntry_Code,Grade,Mark,centre_code,candidate_number,syllabus_code\r\n"
        f"{amara},A*,91,,,\r\n"
        f"{jose.replace('-', '').lower()},B,,,,\r\n"  # without the dash, lower case
        ",C,55,aa101,2,0610\r\n"  # by centre, number and syllabus
        ",9,,BB202,0007,0610\r\n"
    )
    payload = await load_file(http, admin, content, dryRun=False)
    assert payload["errors"] == [], payload
    assert (payload["rowsRead"], payload["resultsLoaded"], payload["resultsReplaced"]) == (4, 4, 0)
    assert [(r["rowNumber"], r["outcome"]) for r in payload["rows"]] == [
        (2, "NEW_RESULT"),
        (3, "NEW_RESULT"),
        (4, "NEW_RESULT"),
        (5, "NEW_RESULT"),
    ]
    assert payload["rows"][1]["entryCode"] == jose
    assert payload["rows"][2]["candidateNumber"] == "0002"
    after = await results()
    assert len(after) == len(before) + 4
    assert after[amara] == ("A*", 91)
    assert after[jose] == ("B", None)
    assert after[await code_of("josé.garcía", "2026-NOV", "0610")] == ("C", 55)
    assert after[await code_of("zoë_lim", "2026-NOV", "0610")] == ("9", None)
    event = await AuditEvent.get(action="result.upload")
    assert event.after["loaded"] == 4
    assert event.after["rows"] == 4

    # Again, with other grades: the results are replaced.
    payload = await load_file(http, admin, f"entry_code,grade\n{amara},B\n")
    assert payload["rows"][0]["outcome"] == "REPLACES_RESULT"
    assert payload["resultsReplaced"] == 1
    assert (await results())[amara] == ("B", None)


async def test_every_bad_row_is_reported_and_nothing_is_written(
    http: httpx.AsyncClient, admin: str
) -> None:
    good = await code_of("AA101_Cand001", "2026-NOV", "0620")
    june = await code_of("AA101_Cand001", "2026-JUN", "0500")
    content = (
        "entry_code,grade,mark,centre_code,candidate_number,syllabus_code\n"
        f"{good},A,80,,,\n"  # 2: fine
        f"{good},B,70,,,\n"  # 3: the same entry again
        "ZZZZ-ZZZZ,A,,,,\n"  # 4: no such entry
        f"{june},A,,,,\n"  # 5: another series
        ",A,,AA101,0002,0500\n"  # 6: no such entry for that candidate
        ",A,,,,\n"  # 7: no entry named
        f"{await code_of('josé.garcía', '2026-NOV', '0580')},Z,,,,\n"  # 8: grade
        f"{await code_of('josé.garcía', '2026-NOV', '0610')},A,101,,,\n"  # 9: mark
        f"{await code_of('björn.åkesson@aa101', '2026-NOV', '0500')},A,abc,,,\n"  # 10: mark
        "too,few\n"  # 11: malformed
    )
    before = await results()
    audits = await AuditEvent.all().count()
    payload = await load_file(http, admin, content)
    assert await results() == before
    assert await AuditEvent.all().count() == audits
    assert [e["code"] for e in payload["errors"]] == ["ROWS_INVALID"]
    assert payload["resultsLoaded"] == 0
    assert {
        r["rowNumber"]: [(e["code"], e["column"]) for e in r["errors"]] for r in payload["rows"]
    } == {
        2: [],
        3: [("DUPLICATE_IN_FILE", "entry_code")],
        4: [("ENTRY_NOT_FOUND", "entry_code")],
        5: [("ENTRY_NOT_FOUND", "entry_code")],
        6: [("ENTRY_NOT_FOUND", "candidate_number")],
        7: [("INVALID_INPUT", "entry_code")],
        8: [("GRADE_INVALID", "grade")],
        9: [("MARK_INVALID", "mark")],
        10: [("MARK_INVALID", "mark")],
        11: [("CSV_ROW_MALFORMED", None)],
    }
    assert "2026-JUN" in payload["rows"][3]["errors"][0]["message"]


async def test_a_withdrawn_entry_gets_no_result(http: httpx.AsyncClient, admin: str) -> None:
    withdrawn = await code_of("josé.garcía", "2026-JUN", "0610")
    payload = await load_file(
        http, admin, f"entry_code,grade\n{withdrawn},A\n", seriesCode="2026-JUN"
    )
    assert [e["code"] for e in payload["rows"][0]["errors"]] == ["ENTRY_WITHDRAWN"]
    assert not await Result.filter(entry__entry_code=withdrawn).exists()


@pytest.mark.parametrize(
    ("content", "code"),
    [
        ("", "FILE_EMPTY"),
        ("entry_code,grade\n", "FILE_EMPTY"),
        ("grade,mark\nA,1\n", "CSV_COLUMNS_INVALID"),
        ("entry_code,centre_code,grade\nX,Y,A\n", "CSV_COLUMNS_INVALID"),
        ("entry_code,grade,colour\nX,A,red\n", "CSV_COLUMNS_INVALID"),
    ],
)
async def test_file_problems_are_payload_errors(
    http: httpx.AsyncClient, admin: str, content: str, code: str
) -> None:
    payload = await load_file(http, admin, content)
    assert [e["code"] for e in payload["errors"]] == [code]


async def test_a_dry_run_writes_nothing(http: httpx.AsyncClient, admin: str) -> None:
    amara = await code_of("AA101_Cand001", "2026-NOV", "0620")
    before = await results()
    payload = await load_file(http, admin, f"entry_code,grade\n{amara},A\n", dryRun=True)
    assert payload["errors"] == []
    assert payload["dryRun"] is True
    assert payload["rows"][0]["outcome"] == "NEW_RESULT"
    assert await results() == before


@pytest.mark.parametrize("email", ["eo@aa101.example", "slt@aa101.example", "eo@as100.example"])
async def test_centre_staff_may_not_load_results(
    demo: object, http: httpx.AsyncClient, gql: GraphQLClient, email: str
) -> None:
    token = await gql.sign_in(email)
    amara = await code_of("AA101_Cand001", "2026-NOV", "0620")
    before = await results()
    response = await upload(
        http, token, f"entry_code,grade\n{amara},A\n", query=LOAD, seriesCode="2026-NOV"
    )
    body = response.json()
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await results() == before


async def test_two_thousand_rows_load_with_a_few_queries(
    http: httpx.AsyncClient, admin: str, count_queries: Any
) -> None:
    from models.exams import Candidate, Series, Syllabus
    from models.organisations import Organisation
    from resolvers.exams.entry_rules import free_entry_codes

    centre = await Organisation.get(code="CC303")
    series = await Series.get(code="2026-NOV")
    syllabus = await Syllabus.get(code="0500")
    await Candidate.bulk_create(
        [
            Candidate(
                centre=centre,
                candidate_number=str(n).zfill(4),
                first_name="A",
                last_name="B",
                username=f"cc_{n}",
                password_hash="x",
            )
            for n in range(1, 2001)
        ]
    )
    ids = (
        await Candidate.filter(centre=centre)
        .order_by("candidate_number")
        .values_list("id", flat=True)
    )
    codes = await free_entry_codes(2000)
    await Entry.bulk_create(
        [
            Entry(candidate_id=i, series=series, syllabus=syllabus, entry_code=c)
            for i, c in zip(ids, codes, strict=True)
        ]
    )
    content = "entry_code,grade,mark\n" + "".join(f"{c},A,{n % 101}\n" for n, c in enumerate(codes))
    with count_queries() as counter:
        payload = await load_file(http, admin, content)
    assert payload["errors"] == []
    assert payload["resultsLoaded"] == 2000
    assert await Result.filter(entry__entry_code__in=codes[:5]).count() == 5
    assert len(counter.statements) < 40, len(counter.statements)
