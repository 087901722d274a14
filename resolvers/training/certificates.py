"""Certificates: issued when a person passes every section of an assessment at a
centre, rendered once as a one-page PDF kept as a StoredFile (a few milliseconds, so within the
submitting transaction), downloaded one by one by signed link or many at once as a zip job
whose files are named by person ("Hopper Grace - <assessment> - <number>.pdf")."""

import asyncio
import hashlib
import io
import re
import secrets
import zipfile
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tortoise.transactions import in_transaction

from models.assessments import Assessment, Certificate
from models.files import StoredFile
from models.jobs import Job
from models.organisations import Organisation
from models.users import User
from policies import ELSEWHERE, Actor, Authorizer, Right, Target
from policies.viewer_can import READ_STAFF_PROGRESS
from resolvers.core import audit, clock, downloads, jobs
from resolvers.core.errors import DomainError, ErrorCode
from resolvers.network.organisations import require_centre
from resolvers.results_website import credential_letters

OWNER_TYPE = "Certificate"
KIND = "certificates.zip"
# Core-font text is cp1252; a name outside it needs the embedded Unicode font.
_CORE_ENCODING = "cp1252"
_NUMBER_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


@dataclass(frozen=True)
class CertificateText:
    holder: str
    assessment: str
    centre: str
    centre_code: str
    issued_at: datetime
    number: str


def new_number(issued_at: datetime) -> str:
    """`TC-2026-7KQ4M9XB`: random, so numbers say nothing about how many were issued."""
    suffix = "".join(secrets.choice(_NUMBER_ALPHABET) for _ in range(8))
    return f"TC-{issued_at:%Y}-{suffix}"


def _fits_core_font(text: CertificateText) -> bool:
    try:
        for value in (text.holder, text.assessment, text.centre):
            value.encode(_CORE_ENCODING)
    except UnicodeEncodeError:
        return False
    return True


def render(text: CertificateText) -> bytes:
    """One A4 page: who, what, where, when and the number."""
    unicode = not _fits_core_font(text)
    pdf = credential_letters.new_pdf(unicode=unicode)
    try:
        pdf.set_title(f"Certificate {text.number}")
        variable = next(iter(pdf.fonts)) if unicode else "helvetica"
        width = pdf.epw
        pdf.add_page()
        pdf.ln(30)

        def line(value: str, size: float, family: str = "helvetica", gap: float = 4) -> None:
            pdf.set_font(family, "", size)
            pdf.multi_cell(width, size * 0.5, value, align="C", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(gap)

        line("Certificate of completion", 26, gap=12)
        line("This is to certify that", 13)
        line(text.holder, 22, variable, gap=8)
        line("has successfully completed the staff assessment", 13)
        line(text.assessment, 18, variable, gap=8)
        line(f"at {text.centre} (centre number {text.centre_code})", 13, variable, gap=2)
        line(f"on {text.issued_at.day} {text.issued_at:%B %Y}", 13, gap=20)
        line(f"Certificate number {text.number}", 12)
    except BaseException:
        credential_letters.close_fonts(pdf)
        raise
    return credential_letters.finish(pdf)


def file_name(certificate: Certificate) -> str:
    return f"certificate-{certificate.number}.pdf"


async def issue(
    actor: Actor, *, user: User, assessment: Assessment, organisation: Organisation
) -> Certificate:
    """Issue the certificate and keep its PDF; call it inside the passing submission's
    transaction."""
    issued_at = clock.now()
    certificate = await Certificate.create(
        user=user,
        assessment=assessment,
        organisation=organisation,
        issued_at=issued_at,
        number=new_number(issued_at),
    )
    # Off the event loop: with the Unicode font a page takes tens of milliseconds.
    content = await asyncio.to_thread(
        render,
        CertificateText(
            holder=user.full_name,
            assessment=assessment.title,
            centre=organisation.name,
            centre_code=organisation.code,
            issued_at=issued_at,
            number=certificate.number,
        ),
    )
    await StoredFile.create(
        owner_type=OWNER_TYPE,
        owner_id=certificate.id,
        organisation=organisation,
        name=file_name(certificate),
        content_type="application/pdf",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
        uploaded_by_id=actor.user_id,
        created_at=issued_at,
    )
    await audit.record(
        actor,
        "certificate.issue",
        organisation_id=organisation.id,
        target_type="Certificate",
        target_id=certificate.id,
        after={"number": certificate.number, "userId": user.id, "assessment": assessment.title},
    )
    return certificate


def read_right(actor: Actor, certificate: Certificate) -> Right:
    """What reading the certificate needs: its holder reads their own progress there; others
    need the staff progress of its centre."""
    own = certificate.user_id == actor.user_id
    return Right("own_progress" if own else "staff_progress", "read", certificate.organisation_id)


def require_readable(actor: Actor, certificate: Certificate, organisation: Organisation) -> None:
    """Its holder (while a member there); user managers, SLT and the Centre Admin there."""
    right = read_right(actor, certificate)
    Authorizer(actor).require(right.obj, right.act, Target.of(organisation))


async def get_certificate(actor: Actor, certificate_id: int) -> Certificate:
    Authorizer(actor).require_signed_in()
    certificate = await Certificate.get_or_none(id=certificate_id).select_related(
        "user", "assessment", "organisation"
    )
    if certificate is None:
        # The same refusal as for somebody else's: ids say nothing.
        raise Authorizer(actor).refusal("staff_progress", "read", ELSEWHERE)
    require_readable(actor, certificate, certificate.organisation)
    return certificate


async def certificates_by_ids(actor: Actor, certificate_ids: list[int]) -> dict[int, Certificate]:
    """Those of the certificates get_certificate would answer with, in one query."""
    authorizer = Authorizer(actor)
    authorizer.require_signed_in()
    found = await Certificate.filter(id__in=certificate_ids).select_related(
        "user", "assessment", "organisation"
    )
    readable = {}
    for certificate in found:
        right = read_right(actor, certificate)
        if authorizer.allows(right.obj, right.act, Target.of(certificate.organisation)):
            readable[certificate.id] = certificate
    return readable


async def download_link(actor: Actor, certificate: Certificate) -> downloads.FileLink:
    """A signed link to the PDF, for an actor already let through (get_certificate, or the
    progress view it came from)."""
    file = await StoredFile.get(owner_type=OWNER_TYPE, owner_id=certificate.id).only(
        "id", "name", "content_type", "size", "organisation_id", "owner_type", "owner_id"
    )
    return downloads.stored_file_link(actor, file, read_right(actor, certificate))


async def request_zip(actor: Actor, *, organisation_code: str, user_ids: list[int] | None) -> Job:
    """Queue a zip of the centre's certificates (of these people only, if given)."""
    centre = await require_centre(
        actor, organisation_code, *READ_STAFF_PROGRESS, "input", "organisationCode"
    )
    query = Certificate.filter(organisation_id=centre.id)
    if user_ids is not None:
        query = query.filter(user_id__in=user_ids)
    count = await query.count()
    if count == 0:
        raise DomainError.one(
            ErrorCode.NO_CERTIFICATES,
            f"Nobody asked for has a certificate at {centre.name} yet.",
            "input",
            "userIds" if user_ids is not None else "organisationCode",
        )
    async with in_transaction():
        job = await jobs.enqueue(
            actor,
            KIND,
            organisation_id=centre.id,
            payload={"organisationId": centre.id, "userIds": user_ids},
            total=count,
        )
        await audit.record(
            actor,
            "certificates.download_request",
            organisation_id=centre.id,
            target_type="Job",
            target_id=job.id,
            after={"centre": centre.code, "userIds": user_ids, "certificates": count},
        )
    jobs.wake_workers()
    return job


def zip_entry_name(certificate: Certificate) -> str:
    """`Hopper Grace - Invigilation essentials - TC-2026-7KQ4M9XB.pdf`: by person, as people
    are looked for, and unique in the zip because certificate numbers are (two people of the
    same name, or one name shortened, still differ by the number)."""
    user, assessment = certificate.user, certificate.assessment
    person = _file_part(f"{user.last_name} {user.first_name}", 60)
    return f"{person} - {_file_part(assessment.title, 80)} - {certificate.number}.pdf"


_UNSAFE_IN_FILE_NAMES = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]+')


def _file_part(text: str, limit: int) -> str:
    """Text fit for a file name on any system: no separators, control characters or characters
    Windows refuses, no leading dots (hidden files, `..`), at most `limit` characters."""
    cleaned = " ".join(_UNSAFE_IN_FILE_NAMES.sub(" ", text).split())
    return cleaned[:limit].strip(" .") or "unnamed"


async def zip_certificates(run: jobs.JobRun) -> dict[str, Any]:
    """The job: the kept PDFs of the centre's certificates, in one zip, named by person."""
    centre = await Organisation.get(id=run.payload["organisationId"])
    query = Certificate.filter(organisation_id=centre.id).select_related("user", "assessment")
    if run.payload["userIds"] is not None:
        query = query.filter(user_id__in=run.payload["userIds"])
    certificates = {c.id: c for c in await query.order_by("id")}
    files = {
        f.owner_id: f
        for f in await StoredFile.filter(owner_type=OWNER_TYPE, owner_id__in=list(certificates))
    }
    packed = sorted(
        ((zip_entry_name(certificates[owner_id]), file) for owner_id, file in files.items()),
        key=lambda pair: pair[0],
    )
    await run.progress(0, len(packed), "Packing certificates")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for done, (entry, file) in enumerate(packed, start=1):
            archive.writestr(entry, file.content)
            await run.progress(done, len(packed))
    content = buffer.getvalue()
    name = f"certificates-{centre.code}.zip"
    async with in_transaction():
        await run.add_file(name, "application/zip", content)
    return {
        "centre": centre.code,
        "certificateIds": sorted(certificates),
        "files": {name: len(content)},
    }
