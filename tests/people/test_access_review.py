"""The access review (exportAccessReview): the CSV and the .xlsx read back, who granted each
role and when, the flags, who may review whom (nothing of another centre reaches an exams
officer's file), the audit event, and statements that stay flat as the people grow."""

import csv
import io
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from openpyxl import load_workbook
from starlette.applications import Starlette
from strawberry import relay
from tortoise.expressions import Q

from models.audit import AuditEvent
from models.jobs import Job, JobStatus
from models.organisations import Organisation
from models.users import Membership, User
from resolvers.core import clock, jobs
from resolvers.people import access_review
from tests.helpers.graphql import GraphQLClient
from tests.helpers.query_counts import add_users

BOARD = "admin@exb.example"
EXPORT = """mutation($input: ExportAccessReviewInput!) { exportAccessReview(input: $input) {
  job { id } errors { code field } } }"""
JOB = """query($id: ID!) { job(id: $id) { status errorMessage result files { name url } } }"""
UPDATE_ROLES = """mutation($input: UpdateUserRolesInput!) { updateUserRoles(input: $input) {
  errors { code } } }"""
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

Rows = list[dict[str, str]]


async def export(gql: GraphQLClient, token: str, **input: Any) -> tuple[Rows, Rows, dict[str, Any]]:
    """The review as the CSV and the .xlsx give it (rows as dicts by column), and the job's
    result."""
    queued = (await gql.ok(EXPORT, {"input": input}, token))["exportAccessReview"]
    assert queued["errors"] == []
    job = await gql.wait_for_job(queued["job"]["id"], token, timeout=30, query=JOB)
    assert job["status"] == "SUCCEEDED", job
    by_type = {}
    for file in job["files"]:
        response = await gql.http.get(file["url"])
        assert response.status_code == 200
        by_type[response.headers["content-type"].split(";")[0]] = response.content
    assert set(by_type) == {"text/csv", XLSX}
    from_csv = list(csv.reader(io.StringIO(by_type["text/csv"].decode("utf-8-sig"))))
    workbook = load_workbook(io.BytesIO(by_type[XLSX]), read_only=True)
    assert workbook.sheetnames == ["Access review", "About"]
    about = {key: value for key, value in workbook["About"].iter_rows(values_only=True)}
    assert set(access_review.ReviewFlag) <= set(about)
    assert about["many_centres"] == str(input.get("manyCentres", 3))
    sheet = workbook["Access review"]
    from_xlsx = [
        ["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)
    ]
    assert from_csv[0] == list(access_review.COLUMNS)
    as_dicts = [
        [dict(zip(rows[0], row, strict=True)) for row in rows[1:]] for rows in (from_csv, from_xlsx)
    ]
    return as_dicts[0], as_dicts[1], job["result"]


def of(rows: Rows, email: str) -> Rows:
    return [row for row in rows if row["email"] == email]


async def test_the_board_reviews_everyone_with_who_granted_what_and_when(
    demo: Starlette, gql: GraphQLClient
) -> None:
    board = await gql.sign_in(BOARD)
    teacher = await User.get(email="teacher@aa101.example")
    granted_at = clock.now()
    changed = await gql.ok(
        UPDATE_ROLES,
        {
            "input": {
                "organisationCode": "AA101",
                "userId": relay.to_base64("User", teacher.id),
                "roles": ["SFA_TEACHER", "SLT"],
            }
        },
        board,
    )
    assert changed["updateUserRoles"]["errors"] == [], changed
    # Placed nowhere: still someone the board reviews.
    await Membership.filter(user__email="inv@cc303.example").delete()
    # A name a spreadsheet would run as a formula.
    await User.filter(email="slt@bb202.example").update(first_name='=HYPERLINK("x")')

    rows, workbook_rows, result = await export(gql, board)

    assert workbook_rows == rows
    everyone = await User.all().count()
    assert len({row["email"] for row in rows}) == everyone == result["people"]
    assert result["rows"] == len(rows)
    assert [row["email"] for row in rows] == sorted(row["email"] for row in rows)
    teachers = {row["role"]: row for row in of(rows, "teacher@aa101.example")}
    assert set(teachers) == {"SFA_TEACHER", "SLT"}
    slt = teachers["SLT"]
    assert (slt["organisation_code"], slt["organisation_kind"], slt["granted_by"]) == (
        "AA101",
        "CENTRE",
        BOARD,
    )
    assert abs(datetime.fromisoformat(slt["granted_at"]) - granted_at) < timedelta(seconds=5)
    # The demo's grants were made before grants were recorded.
    assert teachers["SFA_TEACHER"]["granted_by"] == access_review.NOT_RECORDED
    assert teachers["SFA_TEACHER"]["granted_at"] != ""
    assert (slt["account_status"], slt["totp"], slt["last_sign_in_at"]) == ("ACTIVE", "OFF", "")
    [admin] = of(rows, BOARD)
    assert admin["organisation_kind"] == "BOARD"
    assert admin["last_sign_in_at"] != ""
    [nowhere] = of(rows, "inv@cc303.example")
    assert (nowhere["organisation_code"], nowhere["role"], nowhere["centres_with_roles"]) == (
        "",
        "",
        "0",
    )
    assert of(rows, "slt@bb202.example")[0]["first_name"] == '\'=HYPERLINK("x")'

    audited = await AuditEvent.get(action="access_review.export")
    assert (audited.actor_email, audited.organisation_id, audited.target_type) == (
        BOARD,
        None,
        "Job",
    )
    assert audited.after == {
        "organisationCode": None,
        "manyCentres": 3,
        "unusedDays": 90,
        "people": everyone,
    }


async def test_the_flags_a_reviewer_looks_for(demo: Starlette, gql: GraphQLClient) -> None:
    board = await gql.sign_in(BOARD)
    await gql.sign_in("eo@aa101.example")
    # Roles at two live centres (and a place with no role at a third, which does not count).
    roamer = await User.get(email="teacher@aa101.example")
    for code, roles in (("BB202", ["INVIGILATOR"]), ("CC303", [])):
        organisation = await Organisation.get(code=code)
        await Membership.create(user=roamer, organisation=organisation, roles=roles)
    # An account opened long ago and never used; the rest were opened today.
    await User.filter(~Q(email="users@aa101.example")).update(created_at=clock.now())
    await User.filter(email="users@aa101.example").update(
        created_at=clock.now() - timedelta(days=200)
    )

    rows, _, result = await export(gql, board, manyCentres=1)

    def flags(email: str) -> set[str]:
        found = {row["flags"] for row in of(rows, email)}
        assert len(found) == 1, found  # on each of the person's rows alike
        return set(filter(None, found.pop().split(";")))

    # Exams officers who never signed in; the one who did is not flagged.
    assert flags("eo@bb202.example") == {"EXAMS_OFFICER_NEVER_SIGNED_IN"}
    assert flags("eo@aa101.example") == set()
    assert flags("teacher@aa101.example") == {"ROLES_AT_MANY_CENTRES"}
    assert {row["centres_with_roles"] for row in of(rows, "teacher@aa101.example")} == {"2"}
    assert flags("users@aa101.example") == {"UNUSED_90_DAYS"}
    assert flags(BOARD) == set()
    assert result["flagged"]["ROLES_AT_MANY_CENTRES"] == 1
    assert result["flagged"]["UNUSED_90_DAYS"] == 1

    rows, _, _ = await export(gql, board, manyCentres=2)
    assert flags("teacher@aa101.example") == set()

    # 91 days on, the board admin's and the exams officer's sign-ins are too old as well.
    clock.advance(timedelta(days=91))
    board = await gql.sign_in(BOARD)
    rows, _, _ = await export(gql, board)
    assert flags("eo@aa101.example") == {"UNUSED_90_DAYS"}
    assert flags("eo@bb202.example") == {"EXAMS_OFFICER_NEVER_SIGNED_IN", "UNUSED_90_DAYS"}
    assert flags(BOARD) == set()

    refused = await gql.ok(EXPORT, {"input": {"manyCentres": 0}}, board)
    assert refused["exportAccessReview"]["errors"] == [
        {"code": "INVALID_INPUT", "field": ["input", "manyCentres"]}
    ]


async def test_an_exams_officer_reviews_their_own_organisation_only(
    demo: Starlette, gql: GraphQLClient
) -> None:
    # Someone of AA101 with roles elsewhere too: none of it may show at AA101.
    teacher = await User.get(email="teacher@aa101.example")
    for code in ("BB202", "CC303"):
        organisation = await Organisation.get(code=code)
        await Membership.create(user=teacher, organisation=organisation, roles=["EXAMS_OFFICER"])
    token = await gql.sign_in("eo@aa101.example")
    aa101 = await Organisation.get(code="AA101")

    rows, workbook_rows, _ = await export(gql, token)

    assert workbook_rows == rows
    members = await Membership.filter(organisation_id=aa101.id).values_list(
        "user__email", flat=True
    )
    assert {row["email"] for row in rows} == set(members)
    assert {row["organisation_code"] for row in rows} == {"AA101"}
    assert {row["centres_with_roles"] for row in of(rows, "teacher@aa101.example")} == {"1"}
    assert {row["flags"] for row in of(rows, "teacher@aa101.example")} == {""}
    everything = "".join(",".join(row.values()) for row in rows)
    assert "BB202" not in everything
    assert "CC303" not in everything
    audited = await AuditEvent.get(action="access_review.export")
    assert audited.organisation_id == aa101.id

    # Naming their own organisation is the same; another one is refused.
    named, _, _ = await export(gql, token, organisationCode="aa101")
    assert named == rows
    for code in ("BB202", "NOPE1"):
        refused = await gql.post(EXPORT, {"input": {"organisationCode": code}}, token)
        assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN", refused

    # An associate's exams officer reviews the associate, not its associate centres.
    associate = await gql.sign_in("eo@as100.example")
    rows, _, _ = await export(gql, associate)
    assert {row["organisation_code"] for row in rows} == {"AS100"}
    refused = await gql.post(EXPORT, {"input": {"organisationCode": "AS101"}}, associate)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"

    for email in ("users@aa101.example", "slt@aa101.example", "inv@aa101.example"):
        refused = await gql.post(EXPORT, {"input": {}}, await gql.sign_in(email))
        assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN", email
    assert await AuditEvent.filter(action="access_review.export").count() == 3


async def test_the_board_reviews_one_organisation_and_unknown_codes_are_named(
    demo: Starlette, gql: GraphQLClient
) -> None:
    board = await gql.sign_in(BOARD)
    rows, _, _ = await export(gql, board, organisationCode="BB202")
    assert {row["organisation_code"] for row in rows} == {"BB202"}
    missing = await gql.ok(EXPORT, {"input": {"organisationCode": "ZZ999"}}, board)
    assert missing["exportAccessReview"]["errors"] == [
        {"code": "NOT_FOUND", "field": ["input", "organisationCode"]}
    ]


async def run_review(organisation_ids: list[int] | None) -> dict[str, Any]:
    """The job's handler run here, on a job no worker takes (already RUNNING)."""
    payload = {
        "organisationIds": organisation_ids,
        "manyCentres": 3,
        "unusedDays": 90,
        "asOf": clock.now().isoformat(),
    }
    job = await Job.create(
        kind=access_review.KIND,
        organisation_id=None,
        status=JobStatus.RUNNING,
        payload=payload,
        created_at=clock.now(),
    )
    return await access_review.write_review(jobs.JobRun(job))


async def test_people_are_read_in_chunks_and_none_is_missed(
    demo: Starlette, monkeypatch: pytest.MonkeyPatch
) -> None:
    await add_users("AA101", 23)
    monkeypatch.setattr(access_review, "CHUNK", 5)
    result = await run_review(None)
    assert result["people"] == await User.all().count()
    # A row per role held, per place with none, and per person placed nowhere.
    places = await Membership.all().values_list("user_id", "roles")
    placed_nowhere = await User.exclude(id__in=[user_id for user_id, _ in places]).count()
    assert result["rows"] == sum(max(len(roles), 1) for _, roles in places) + placed_nowhere


async def test_an_organisation_created_while_the_review_runs_is_read_when_met(
    demo: Starlette, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = access_review._organisations
    asked: list[list[int] | None] = []

    async def none_known_at_first(ids: list[int] | None) -> dict[int, Any]:
        asked.append(ids)
        return {} if len(asked) == 1 else await real(ids)

    monkeypatch.setattr(access_review, "_organisations", none_known_at_first)
    result = await run_review(None)
    assert result["people"] == await User.all().count()
    assert set(asked[1] or []) == set(
        await Membership.all().values_list("organisation_id", flat=True)
    )


@pytest.mark.parametrize("scope", ["board", "centre"])
async def test_statements_stay_flat_as_people_grow(
    demo: Starlette, count_queries: Callable[..., Any], scope: str
) -> None:
    aa101 = await Organisation.get(code="AA101")
    ids = None if scope == "board" else [aa101.id]

    async def statements() -> int:
        with count_queries() as counter:
            await run_review(ids)
        # Progress reports are written by time (at most every 0.25 s): not counted.
        return len([s for s in counter.statements if not s.lstrip().startswith('UPDATE "job"')])

    await add_users("AA101", 10)
    few = await statements()
    await add_users("AA101", 400)
    assert await statements() == few


INVITE = """mutation($input: InviteUserInput!) { inviteUser(input: $input) { errors { code } } }"""
REMOVE = """mutation($input: RemoveCentreUserInput!) { removeCentreUser(input: $input) {
  errors { code } } }"""
UNDO_REMOVE = """mutation($input: CentrePlacesInput!) { undoRemoveCentreUsers(input: $input) {
  errors { code } } }"""


async def test_grants_are_recorded_where_roles_are_given_and_kept_by_an_undone_removal(
    demo: Starlette, gql: GraphQLClient
) -> None:
    officer = await gql.sign_in("eo@aa101.example")
    invited = {
        "organisationCode": "AA101",
        "firstName": "Marie",
        "lastName": "Curie",
        "email": "marie.curie@aa101.example",
        "roles": ["SFA_TEACHER", "INVIGILATOR"],
    }
    assert (await gql.ok(INVITE, {"input": invited}, officer))["inviteUser"]["errors"] == []
    marie = await User.get(email="marie.curie@aa101.example")
    place = await Membership.get(user_id=marie.id)
    granted = place.role_grants

    # The board takes her off the centre a day later, then gives the place back: the roles
    # keep who granted them, and when, rather than becoming the board's.
    clock.advance(timedelta(days=1))
    board = await gql.sign_in(BOARD)
    where = {"code": "AA101", "userId": relay.to_base64("User", marie.id)}
    assert (await gql.ok(REMOVE, {"input": where}, board))["removeCentreUser"]["errors"] == []
    undone = await gql.ok(UNDO_REMOVE, {"input": {"places": [where]}}, board)
    assert undone["undoRemoveCentreUsers"]["errors"] == []
    assert (await Membership.get(user_id=marie.id)).role_grants == granted

    rows, _, _ = await export(gql, board, organisationCode="AA101")
    given = {row["role"]: (row["granted_by"], row["granted_at"]) for row in of(rows, marie.email)}
    assert given == {
        role: ("eo@aa101.example", granted[role]["at"]) for role in ("INVIGILATOR", "SFA_TEACHER")
    }
    assert datetime.fromisoformat(given["SFA_TEACHER"][1]) < clock.now() - timedelta(hours=23)
    assert {row["account_status"] for row in of(rows, marie.email)} == {"INVITED"}
