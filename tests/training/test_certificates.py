"""Certificates: issued on passing every section, read back from their PDFs one by one and from
the centre's zip, for the holder and the centre's Centre Admin, user managers and SLT only."""

import base64
import io
import zipfile
from collections.abc import Awaitable, Callable
from typing import Any

import pypdf
import pytest

from models.assessments import Certificate
from models.audit import AuditEvent
from models.files import StoredFile
from models.users import User
from resolvers.core import clock
from resolvers.training.certificates import CertificateText, render
from tests.helpers.graphql import GraphQLClient
from tests.training.helpers import RIGHT, gid, section_ids, take, user_gid

CERTIFICATE = """
query($id: ID!) { certificate(id: $id) { number issuedAt download { url expiresAt } } }
"""
ZIP = """
mutation($input: DownloadCertificatesInput!) { downloadCertificates(input: $input) {
  job { id kind total } errors { code field } } }
"""
ALL_STAFF = "Exam regulations for all staff"


async def pass_essentials(gql: GraphQLClient, email: str = "inv@aa101.example") -> str:
    token = await gql.sign_in(email)
    first, second = await section_ids()
    await take(gql, token, first, RIGHT[0])
    last = await take(gql, token, second, RIGHT[1])
    return last["attempt"]["certificate"]["id"]


def node_pk(global_id: str) -> int:
    return int(base64.b64decode(global_id).decode().split(":")[1])


def unzip(
    gql: GraphQLClient, token: str
) -> Callable[[dict[str, Any]], Awaitable[dict[str, bytes]]]:
    """downloadCertificates with these inputs, run to the end: the zip's files by name."""

    async def zipped(variables: dict[str, Any]) -> dict[str, bytes]:
        payload = (await gql.ok(ZIP, {"input": variables}, token))["downloadCertificates"]
        assert payload["errors"] == [], payload
        job = await gql.wait_for_job(payload["job"]["id"], token, timeout=30)
        assert job["status"] == "SUCCEEDED", job
        response = await gql.http.get(job["files"][0]["url"])
        with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
            return {name: archive.read(name) for name in archive.namelist()}

    return zipped


def pdf_text(content: bytes) -> str:
    return pypdf.PdfReader(io.BytesIO(content)).pages[0].extract_text()


async def test_the_certificate_is_kept_once_and_downloaded_by_signed_link(
    demo: object, gql: GraphQLClient
) -> None:
    certificate_id = await pass_essentials(gql)
    (row,) = await Certificate.all()
    (file,) = await StoredFile.filter(owner_type="Certificate", owner_id=row.id)
    assert file.organisation_id == row.organisation_id
    eo = await gql.sign_in("eo@aa101.example")
    found = (await gql.ok(CERTIFICATE, {"id": certificate_id}, eo))["certificate"]
    assert found["number"] == row.number
    response = await gql.http.get(found["download"]["url"])
    text = pdf_text(response.content)
    for expected in (
        "Grace Hopper",
        "Invigilation essentials",
        row.number,
        "AA101",
        f"{row.issued_at.day} {row.issued_at:%B %Y}",
    ):
        assert expected in text, (expected, text)
    download = await AuditEvent.get(action="stored_file.download")
    assert download.actor_email == "eo@aa101.example"


def test_names_outside_the_core_fonts_are_printed_with_the_unicode_font() -> None:
    text = CertificateText(
        holder="Łukasz Wiśniewski",
        assessment="Invigilation essentials",
        centre="Bayview",
        centre_code="BB202",
        issued_at=clock.now(),
        number="TC-2026-ABCDEFGH",
    )
    assert "Łukasz Wiśniewski" in pdf_text(render(text))


READERS = {
    "inv@aa101.example": "Y",
    "eo@aa101.example": "Y",
    "users@aa101.example": "Y",
    "slt@aa101.example": "Y",
    "teacher@aa101.example": "F",
    "admin@exb.example": "F",
    "eo@bb202.example": "F",
}


@pytest.mark.parametrize(("email", "cell"), sorted(READERS.items()))
async def test_who_downloads_certificates(
    demo: object, gql: GraphQLClient, email: str, cell: str
) -> None:
    certificate_id = await pass_essentials(gql)
    token = await gql.sign_in(email)
    one = await gql.post(CERTIFICATE, {"id": certificate_id}, token)
    many = await gql.post(ZIP, {"input": {"organisationCode": "AA101"}}, token)
    if cell == "Y":
        assert not one.get("errors"), one
        assert one["data"]["certificate"]["download"]["url"]
    else:
        assert one["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    # The zip is the centre's: its readers, not the holder as such.
    if cell == "Y" and email != "inv@aa101.example":
        assert many["data"]["downloadCertificates"]["errors"] == []
    else:
        assert many["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_a_missing_certificate_is_refused_like_somebody_elses(
    demo: object, gql: GraphQLClient
) -> None:
    token = await gql.sign_in("eo@aa101.example")
    body = await gql.post(CERTIFICATE, {"id": gid("Certificate", 999)}, token)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_the_zip_holds_the_centres_certificates_or_the_chosen_peoples(
    demo: object, gql: GraphQLClient
) -> None:
    await pass_essentials(gql)
    slt = await gql.sign_in("slt@aa101.example")
    sections = await section_ids(ALL_STAFF)
    await take(gql, slt, sections[0], [[0], [0]])
    await take(gql, slt, sections[1], [[0]])
    numbers = {c.user_id: c.number for c in await Certificate.all()}
    assert len(numbers) == 2

    users = await gql.sign_in("users@aa101.example")
    zipped = unzip(gql, users)
    every = await zipped({"organisationCode": "AA101"})
    slt_id, inv_id = (await user_gid("slt@aa101.example"), await user_gid("inv@aa101.example"))
    assert sorted(every) == [
        f"Hopper Grace - Invigilation essentials - {numbers[node_pk(inv_id)]}.pdf",
        f"Kahlo Frida - {ALL_STAFF} - {numbers[node_pk(slt_id)]}.pdf",
    ]
    texts = [pdf_text(content) for content in every.values()]
    assert any("Frida Kahlo" in t and ALL_STAFF in t for t in texts)
    one = await zipped(
        {"organisationCode": "AA101", "userIds": [await user_gid("slt@aa101.example")]}
    )
    assert len(one) == 1
    assert "Frida Kahlo" in pdf_text(next(iter(one.values())))
    nobody = (
        await gql.ok(
            ZIP,
            {
                "input": {
                    "organisationCode": "AA101",
                    "userIds": [await user_gid("teacher@aa101.example")],
                }
            },
            users,
        )
    )["downloadCertificates"]
    assert nobody["errors"] == [{"code": "NO_CERTIFICATES", "field": ["input", "userIds"]}]


async def test_zipped_names_are_safe_and_apart_for_people_of_the_same_name(
    demo: object, gql: GraphQLClient
) -> None:
    # Two people named alike, one of them with characters no file name may hold.
    await User.filter(email="slt@aa101.example").update(first_name="Grace", last_name="Hopper")
    await User.filter(email="inv@aa101.example").update(first_name="../Grace:", last_name="Ho/pper")
    await pass_essentials(gql)
    await pass_essentials(gql, "slt@aa101.example")
    numbers = {c.user_id: c.number for c in await Certificate.all()}
    inv = await User.get(email="inv@aa101.example")
    slt = await User.get(email="slt@aa101.example")

    every = await unzip(gql, await gql.sign_in("eo@aa101.example"))({"organisationCode": "AA101"})
    assert sorted(every) == [
        f"Ho pper .. Grace - Invigilation essentials - {numbers[inv.id]}.pdf",
        f"Hopper Grace - Invigilation essentials - {numbers[slt.id]}.pdf",
    ]
    # No separators, so no name is a path: "a/../b" or "..\\x" cannot come out of the zip.
    assert not any({"/", "\\", ":"} & set(name) for name in every)
