"""Resources, releases and key times: who may do what (every cell runs), the rules of each
operation, and lists whose SQL stays flat as they grow."""

from datetime import timedelta
from typing import Any

import httpx
import pytest

from models.audit import AuditEvent
from models.exams import Series
from models.files import StoredFile
from models.organisations import Organisation
from models.releases import Release, ReleaseCentre, Resource, ResourceService
from models.users import User
from resolvers.core import clock
from tests.helpers.graphql import GraphQLClient
from tests.services.resources import (
    BOARD,
    CANCEL,
    RELEASE,
    UPLOAD,
    error_codes,
    release,
    upload,
)

ACTORS = {
    "board": BOARD,
    "eo": "eo@aa101.example",
    "sfa_eo": "sfa.eo@aa101.example",
    "teacher": "teacher@aa101.example",
    "aa": "aa@aa101.example",
    "slt": "slt@aa101.example",
    "inv": "inv@aa101.example",
    "users": "users@aa101.example",
}

# What each actor sees at their own centre (AA101) in centreResources and in keyTimes: the
# services of the resources released to it, or None for FORBIDDEN. At another centre (BB202)
# every actor is FORBIDDEN; the board-level operations are the board admin's alone.
GEN, SFA, AA, GL = "GENERAL", "SUBMIT_FOR_ASSESSMENT", "ACCESS_ARRANGEMENTS", "GLOBAL_LISTENING"
SEES_AT_OWN_CENTRE: dict[str, set[str] | None] = {
    "board": None,
    "eo": {GEN, SFA, AA, GL},
    "sfa_eo": {GEN, SFA},
    "teacher": {GEN, SFA},
    "aa": {GEN, AA},
    "slt": {GEN},
    # The exams office hub gives invigilators "access to the Assessments area" only.
    "inv": None,
    "users": {GEN},
}

CENTRE_LIST = """query($c: String!) { centreResources(centreCode: $c) {
  nodes { service download { url } } } }"""
ONE = """query($c: String!, $id: ID!) { centreResource(centreCode: $c, id: $id) { id } }"""
KEY_TIMES = """query($s: String!, $c: String) { keyTimes(seriesCode: $s, centreCode: $c) {
  kind at title service releaseId } }"""
RESOURCES = "{ resources { totalCount nodes { id title service fileName } } }"
RELEASES = "{ releases(filter: {includeCancelled: true}) { totalCount nodes { id status } } }"


@pytest.fixture
async def released(demo: object, gql: GraphQLClient, http: httpx.AsyncClient) -> dict[str, str]:
    """One resource per service, released to every centre an hour ago; the ids by service."""
    token = await gql.sign_in(BOARD)
    ids = {}
    for service in (GEN, SFA, AA, GL):
        resource = await upload(http, token, title=f"{service} material", service=service)
        await release(gql, token, resource["id"])
        ids[service] = resource["id"]
    return ids


async def _counts() -> tuple[int, int, int]:
    return (
        await Resource.all().count(),
        await Release.filter(cancelled_at=None).count(),
        await StoredFile.all().count(),
    )


@pytest.mark.parametrize("actor", list(ACTORS))
async def test_permission_table(
    actor: str, released: dict[str, str], gql: GraphQLClient, http: httpx.AsyncClient
) -> None:
    token = await gql.sign_in(ACTORS[actor])
    sees = SEES_AT_OWN_CENTRE[actor]

    # The centre's side: own centre as the table says, another centre never.
    body = await gql.post(CENTRE_LIST, {"c": "AA101"}, token)
    if sees is None:
        assert error_codes(body) == ["FORBIDDEN"], body
    else:
        nodes = body["data"]["centreResources"]["nodes"]
        assert {n["service"] for n in nodes} == sees
        assert all(n["download"]["url"] for n in nodes)
    assert error_codes(await gql.post(CENTRE_LIST, {"c": "BB202"}, token)) == ["FORBIDDEN"]
    for service, resource_id in released.items():
        body = await gql.post(ONE, {"c": "AA101", "id": resource_id}, token)
        if sees is not None and service in sees:
            assert body["data"]["centreResource"] == {"id": resource_id}, body
        else:
            assert error_codes(body) == ["FORBIDDEN"], (service, body)
        assert error_codes(await gql.post(ONE, {"c": "BB202", "id": resource_id}, token)) == [
            "FORBIDDEN"
        ]
    body = await gql.post(KEY_TIMES, {"s": "2026-NOV", "c": "AA101"}, token)
    if sees is None:
        assert error_codes(body) == ["FORBIDDEN"], body
    else:
        times = body["data"]["keyTimes"]
        assert {t["service"] for t in times if t["kind"] == "RESOURCE_RELEASE"} == sees
    body = await gql.post(KEY_TIMES, {"s": "2026-NOV", "c": "BB202"}, token)
    assert error_codes(body) == ["FORBIDDEN"]

    # The board's side.
    is_board = actor == "board"
    before = await _counts()
    for query, variables in (
        (RESOURCES, None),
        (RELEASES, None),
        (KEY_TIMES, {"s": "2026-NOV", "c": None}),
    ):
        body = await gql.post(query, variables, token)
        assert error_codes(body) == ([] if is_board else ["FORBIDDEN"]), (query, body)
    uploads = await gql.upload(
        UPLOAD,
        {"input": {"seriesCode": "2026-NOV", "service": "GENERAL", "title": "T"}},
        {"input.file": ("t.txt", b"text", "text/plain")},
        token,
    )
    assert error_codes(uploads.json()) == ([] if is_board else ["FORBIDDEN"]), uploads.text
    later = (clock.now() + timedelta(days=1)).isoformat()
    body = await gql.post(
        RELEASE, {"input": {"resourceId": released[GEN], "releaseAt": later}}, token
    )
    assert error_codes(body) == ([] if is_board else ["FORBIDDEN"]), body
    if is_board:
        scheduled = body["data"]["releaseResource"]["release"]["id"]
        body = await gql.post(CANCEL, {"input": {"releaseId": scheduled}}, token)
        assert body["data"]["cancelRelease"]["errors"] == []
        assert await _counts() == (before[0] + 1, before[1], before[2] + 1)
    else:
        release_id = (await gql.ok(RELEASES, token=await gql.sign_in(BOARD)))["releases"]
        due = release_id["nodes"][0]["id"]
        assert error_codes(await gql.post(CANCEL, {"input": {"releaseId": due}}, token)) == [
            "FORBIDDEN"
        ]
        assert await _counts() == before


async def test_upload_stores_the_file_and_records_it(
    demo: object, gql: GraphQLClient, http: httpx.AsyncClient
) -> None:
    token = await gql.sign_in(BOARD)
    resource = await upload(http, token, title="  Listening   paper 1 ", service=GL, content=b"abc")
    assert resource["title"] == "Listening paper 1"
    assert (resource["fileName"], resource["size"]) == ("listening.wav", 3)
    stored = await StoredFile.get(owner_type="Resource")
    assert (stored.content, stored.content_type, stored.uploaded_by_id) == (
        b"abc",
        "audio/wav",
        (await _board_user_id()),
    )
    event = await AuditEvent.get(action="resource.upload")
    assert event.after["sha256"] == stored.sha256
    assert event.after["service"] == GL


async def test_upload_refusals(demo: object, gql: GraphQLClient, http: httpx.AsyncClient) -> None:
    token = await gql.sign_in(BOARD)
    bad = [
        ({"seriesCode": "1999-JUN"}, b"x", ["SERIES_NOT_FOUND"]),
        ({"title": "   "}, b"x", ["INVALID_INPUT"]),
        ({}, b"", ["FILE_EMPTY"]),
    ]
    for change, content, codes in bad:
        variables = {
            "input": {"seriesCode": "2026-NOV", "service": "GENERAL", "title": "T", **change}
        }
        response = await gql.upload(
            UPLOAD, variables, {"input.file": ("t.txt", content, "text/plain")}, token
        )
        payload = response.json()["data"]["uploadResource"]
        assert [e["code"] for e in payload["errors"]] == codes, payload
    # A file given as text in the variables: unreadable for the board, refused to anyone else.
    text_file = {
        "input": {"seriesCode": "2026-NOV", "service": "GENERAL", "title": "T", "file": "abc"}
    }
    payload = (await gql.ok(UPLOAD, text_file, token))["uploadResource"]
    assert [e["code"] for e in payload["errors"]] == ["FILE_UNREADABLE"], payload
    teacher = await gql.sign_in("teacher@aa101.example")
    assert error_codes(await gql.post(UPLOAD, text_file, teacher)) == ["FORBIDDEN"]
    assert await Resource.all().count() == 0
    assert await StoredFile.all().count() == 0


async def test_release_refusals_and_cancelling(
    demo: object, gql: GraphQLClient, http: httpx.AsyncClient
) -> None:
    token = await gql.sign_in(BOARD)
    resource = await upload(http, token, title="Paper", service=GL)
    later = (clock.now() + timedelta(days=2)).isoformat()
    refused = await gql.ok(
        RELEASE,
        {
            "input": {
                "resourceId": resource["id"],
                "releaseAt": later,
                "centreCodes": ["AA101", "ZZ999", "AS100"],
            }
        },
        token,
    )
    assert refused["releaseResource"]["errors"] == [
        {"code": "NOT_FOUND", "field": ["input", "centreCodes", "1"]},
        {"code": "NOT_A_CENTRE", "field": ["input", "centreCodes", "2"]},
    ]
    assert await Release.all().count() == 0

    made = await release(
        gql, token, resource["id"], in_hours=48, centres=["AA101", "aa101", "BB202"]
    )
    assert (made["status"], made["allCentres"], made["centreCodes"]) == (
        "SCHEDULED",
        False,
        ["AA101", "BB202"],
    )
    assert await ReleaseCentre.all().count() == 2
    first = await gql.ok(CANCEL, {"input": {"releaseId": made["id"]}}, token)
    assert first["cancelRelease"]["errors"] == []
    again = await gql.ok(CANCEL, {"input": {"releaseId": made["id"]}}, token)
    assert again["cancelRelease"]["errors"] == [{"code": "RELEASE_CANCELLED"}]
    event = await AuditEvent.get(action="release.cancel")
    assert (event.before["status"], event.after["status"]) == ("SCHEDULED", "CANCELLED")
    # Cancelled releases leave the default list and the key times.
    listed = await gql.ok("{ releases { totalCount } }", token=token)
    assert listed["releases"]["totalCount"] == 0
    times = await gql.ok(KEY_TIMES, {"s": "2026-NOV"}, token)
    assert [t["kind"] for t in times["keyTimes"]] == ["CREDENTIALS_OPEN", "RESULTS_RELEASE"]


async def test_key_times_in_time_order(
    demo: object, gql: GraphQLClient, http: httpx.AsyncClient
) -> None:
    token = await gql.sign_in(BOARD)
    series = await Series.get(code="2026-NOV")
    resource = await upload(http, token, title="Listening paper", service=GL)
    at = series.credentials_open_at + timedelta(days=1)
    data = await gql.ok(
        RELEASE,
        {
            "input": {
                "resourceId": resource["id"],
                "releaseAt": at.isoformat(),
                "centreCodes": ["BB202"],
            }
        },
        token,
    )
    release_id = data["releaseResource"]["release"]["id"]
    times = (await gql.ok(KEY_TIMES, {"s": "2026-NOV"}, token))["keyTimes"]
    assert [(t["kind"], t["releaseId"]) for t in times] == [
        ("CREDENTIALS_OPEN", None),
        ("RESOURCE_RELEASE", release_id),
        ("RESULTS_RELEASE", None),
    ]
    # AA101's exams officer: the release is BB202's, not theirs.
    eo = await gql.sign_in("eo@aa101.example")
    mine = (await gql.ok(KEY_TIMES, {"s": "2026-NOV", "c": "AA101"}, eo))["keyTimes"]
    assert [t["kind"] for t in mine] == ["CREDENTIALS_OPEN", "RESULTS_RELEASE"]
    bb = await gql.sign_in("eo@bb202.example")
    theirs = (await gql.ok(KEY_TIMES, {"s": "2026-NOV", "c": "BB202"}, bb))["keyTimes"]
    assert [t["title"] for t in theirs if t["kind"] == "RESOURCE_RELEASE"] == ["Listening paper"]


async def _seed_resources(count: int) -> None:
    """`count` resources of each service, released to AA101 an hour ago, written directly."""
    series = await Series.get(code="2026-NOV")
    now = clock.now()
    resources = [
        Resource(series_id=series.id, service=service, title=f"{n:04d} {service}", created_at=now)
        for n in range(count)
        for service in ResourceService
    ]
    newest = await Resource.all().order_by("-id").first()
    await Resource.bulk_create(resources)
    created = await Resource.filter(id__gt=newest.id if newest else 0).order_by("id")
    await StoredFile.bulk_create(
        [
            StoredFile(
                owner_type="Resource",
                owner_id=r.id,
                name="f.bin",
                content_type="x/y",
                size=1,
                sha256="0" * 64,
                content=b"x",
                created_at=now,
            )
            for r in created
        ]
    )
    await Release.bulk_create(
        [
            Release(
                resource_id=r.id,
                release_at=now - timedelta(hours=1),
                all_centres=False,
                created_at=now,
            )
            for r in created
        ]
    )
    aa101 = await _aa101_id()
    new_releases = await Release.filter(resource_id__in=[r.id for r in created]).values_list(
        "id", flat=True
    )
    await ReleaseCentre.bulk_create(
        [ReleaseCentre(release_id=release_id, centre_id=aa101) for release_id in new_releases]
    )


LISTS = {
    "eo": (
        """{ centreResources(centreCode: "AA101", first: 100) {
        totalCount nodes { id title service fileName size download { url } } } }""",
        "eo@aa101.example",
    ),
    "board_resources": (
        "{ resources(first: 100) { totalCount nodes { id title download { url } } } }",
        BOARD,
    ),
    "board_releases": (
        """{ releases(first: 100) { totalCount nodes { id centreCodes status
        resource { title fileName } } } }""",
        BOARD,
    ),
    "key_times": (
        '{ keyTimes(seriesCode: "2026-NOV", centreCode: "AA101") { at title } }',
        "eo@aa101.example",
    ),
}


@pytest.mark.parametrize("name", list(LISTS))
async def test_lists_stay_flat(
    name: str, demo: object, gql: GraphQLClient, count_queries: Any
) -> None:
    query, email = LISTS[name]
    token = await gql.sign_in(email)
    statements = []
    for total in (5, 200):
        await _seed_resources(total - await Resource.filter(service="GENERAL").count())
        with count_queries() as counter:
            data = await gql.ok(query, token=token)
        statements.append(len(counter.statements))
        assert data
    assert statements[0] == statements[1], statements


async def _board_user_id() -> int:
    return (await User.get(email=BOARD)).id


async def _aa101_id() -> int:
    return (await Organisation.get(code="AA101")).id
