"""Apply for Access Arrangements: a centre's nominated users apply for a candidate's
arrangement in a series; the board approves or rejects it, and the applicant is emailed.

An application can be withdrawn, by anyone who manages applications at the centre, only while it
waits for the board (SUBMITTED); the board decides only those. One candidate has at most one
live (SUBMITTED or APPROVED) application per arrangement and series.

The module is over 400 lines because reading applications by id keeps the lists' rules beside
them.
"""

from dataclasses import dataclass
from typing import Any

from tortoise.transactions import in_transaction

from models.exams import Candidate, Series
from models.files import StoredFile
from models.organisations import Organisation, OrganisationKind
from models.services import (
    APPLICATION_FILE_OWNER,
    AccessArrangementApplication,
    ApplicationStatus,
    ArrangementType,
)
from models.users import User
from policies import ELSEWHERE, Actor, Authorizer, Right, Target
from policies.viewer_can import MANAGE_ACCESS_ARRANGEMENTS
from resolvers.core import audit, clock
from resolvers.core.errors import DomainError, ErrorCode, UserError
from resolvers.core.exam_lookups import find_series
from resolvers.core.mail import MailTemplate, queue_email
from resolvers.core.organisation_access import require_organisation
from resolvers.core.pages import Page, check_page
from resolvers.network.organisations import require_centre
from resolvers.services.service_files import (
    EVIDENCE_TYPES,
    CheckedFile,
    check_files,
    files_of,
    store_files,
)
from resolvers.services.submissions import entered_candidate

MAX_TEXT = 4_000
ARRANGEMENT_NAMES: dict[ArrangementType, str] = {
    ArrangementType.EXTRA_TIME_25: "25% extra time",
    ArrangementType.EXTRA_TIME_50: "50% extra time",
    ArrangementType.READER: "a reader",
    ArrangementType.SCRIBE: "a scribe",
    ArrangementType.WORD_PROCESSOR: "a word processor",
    ArrangementType.SEPARATE_ROOM: "a separate room",
    ArrangementType.OTHER: "another arrangement",
}
_LIVE = (ApplicationStatus.SUBMITTED, ApplicationStatus.APPROVED)
_RELATED = ("centre", "candidate", "series", "applicant", "decided_by")


@dataclass(frozen=True)
class ApplicationView:
    """An application with its related rows and its evidence (without the bytes)."""

    application: AccessArrangementApplication
    evidence: StoredFile | None

    @property
    def file_right(self) -> Right:
        """What reading the evidence needs: the centre's nominated users and the board read
        applications alike."""
        return Right("access_arrangements", "read", self.application.centre_id)


def _check_text(value: str | None, name: str, *, required: ErrorCode | None) -> str | None:
    text = (value or "").strip()
    if not text:
        if required is not None:
            raise DomainError.one(required, f"Give the {name}.", "input", name)
        return None
    if len(text) > MAX_TEXT:
        raise DomainError.one(
            ErrorCode.INVALID_INPUT,
            f"Keep the {name} under {MAX_TEXT:,} characters.",
            "input",
            name,
        )
    return text


async def _check_application(
    centre: Organisation,
    series_code: str,
    candidate_number: str,
    arrangement: ArrangementType,
    reasons: str,
    evidence: Any | None,
) -> tuple[Series, Candidate, str, list[CheckedFile]]:
    """The input checked, every error at once; a live application for it already refuses it."""
    errors: list[UserError] = []
    series = candidate = cleaned = None
    try:
        series = await find_series(series_code, "input", "seriesCode")
        candidate = await entered_candidate(
            centre, series, candidate_number, "input", "candidateNumber"
        )
    except DomainError as error:
        errors.extend(error.errors)
    try:
        cleaned = _check_text(reasons, "reasons", required=ErrorCode.REASONS_REQUIRED)
    except DomainError as error:
        errors.extend(error.errors)
    checked: list[CheckedFile] = []
    if evidence is not None:
        try:
            checked = await check_files(
                [evidence], EVIDENCE_TYPES, "input", "evidence", max_files=1
            )
        except DomainError as error:
            errors.extend(error.errors)
    if (
        series is not None
        and candidate is not None
        and await AccessArrangementApplication.exists(
            candidate_id=candidate.id,
            series_id=series.id,
            arrangement=arrangement,
            status__in=_LIVE,
        )
    ):
        errors.append(
            UserError(
                ErrorCode.APPLICATION_EXISTS,
                f"Candidate {candidate.candidate_number} already has an application for "
                f"{ARRANGEMENT_NAMES[arrangement]} in {series.code}, waiting or approved.",
                ("input", "arrangement"),
            )
        )
    if errors:
        raise DomainError(errors)
    assert series is not None
    assert candidate is not None
    assert cleaned is not None
    return series, candidate, cleaned, checked


async def submit_application(
    actor: Actor,
    *,
    centre_code: str,
    series_code: str,
    candidate_number: str,
    arrangement: ArrangementType,
    reasons: str,
    evidence: Any | None,
) -> ApplicationView:
    centre = await require_centre(
        actor, centre_code, *MANAGE_ACCESS_ARRANGEMENTS, "input", "centreCode"
    )
    series, candidate, cleaned, checked = await _check_application(
        centre, series_code, candidate_number, arrangement, reasons, evidence
    )
    applicant = await User.get(id=actor.user_id)
    async with in_transaction():
        # The first statement writes, so SQLite takes its write lock at once.
        application = await AccessArrangementApplication.create(
            centre=centre,
            candidate=candidate,
            series=series,
            arrangement=arrangement,
            reasons=cleaned,
            applicant=applicant,
            submitted_at=clock.now(),
        )
        stored = await store_files(
            checked,
            owner_type=APPLICATION_FILE_OWNER,
            owner_id=application.id,
            organisation_id=centre.id,
            uploaded_by_id=actor.user_id,
        )
        application.centre, application.candidate, application.series = centre, candidate, series
        application.applicant = applicant
        application.decided_by = None
        evidence_file = stored[0] if stored else None
        await audit.record(
            actor,
            "access_arrangement.submit",
            organisation_id=centre.id,
            target_type="AccessArrangementApplication",
            target_id=application.id,
            after=_snapshot(application, evidence_file),
        )
    return ApplicationView(application, evidence_file)


async def _find(actor: Actor, application_id: int, act: str) -> AccessArrangementApplication:
    """The application, if the actor may `act` on applications at its centre.

    Only the board learns that an id does not exist; everyone else is refused alike for a
    missing application and somebody else's.
    """
    authorizer = Authorizer(actor)
    authorizer.require_signed_in()
    application = await AccessArrangementApplication.get_or_none(id=application_id).select_related(
        *_RELATED
    )
    if application is None:
        if authorizer.allows("access_arrangements", "decide"):
            raise DomainError.one(
                ErrorCode.NOT_FOUND, "There is no such application.", "input", "id"
            )
        raise authorizer.refusal("access_arrangements", act, ELSEWHERE)
    authorizer.require("access_arrangements", act, Target.of(application.centre))
    return application


def _require_submitted(application: AccessArrangementApplication, doing: str) -> None:
    if application.status is not ApplicationStatus.SUBMITTED:
        raise DomainError.one(
            ErrorCode.APPLICATION_NOT_SUBMITTED,
            f"Only an application waiting for the board can be {doing}; this one is "
            f"{application.status.value}.",
            "input",
            "id",
        )


async def withdraw_application(actor: Actor, *, application_id: int) -> ApplicationView:
    application = await _find(actor, application_id, "manage")
    _require_submitted(application, "withdrawn")
    async with in_transaction():
        updated = await AccessArrangementApplication.filter(
            id=application.id, status=ApplicationStatus.SUBMITTED
        ).update(status=ApplicationStatus.WITHDRAWN, withdrawn_at=clock.now())
        if not updated:
            raise _changed_meanwhile()
        await audit.record(
            actor,
            "access_arrangement.withdraw",
            organisation_id=application.centre_id,
            target_type="AccessArrangementApplication",
            target_id=application.id,
            before={"status": ApplicationStatus.SUBMITTED.value},
            after={"status": ApplicationStatus.WITHDRAWN.value},
        )
    return await _view(application.id)


async def decide_application(
    actor: Actor, *, application_id: int, decision: ApplicationStatus, note: str | None
) -> ApplicationView:
    application = await _find(actor, application_id, "decide")
    if decision not in (ApplicationStatus.APPROVED, ApplicationStatus.REJECTED):
        raise DomainError.one(
            ErrorCode.INVALID_INPUT, "Decide APPROVED or REJECTED.", "input", "decision"
        )
    _require_submitted(application, "decided")
    # A refusal must say why; an approval may simply approve.
    required = ErrorCode.DECISION_NOTE_REQUIRED if decision is ApplicationStatus.REJECTED else None
    cleaned = _check_text(note, "note", required=required)
    decider = await User.get(id=actor.user_id)
    async with in_transaction():
        now = clock.now()
        updated = await AccessArrangementApplication.filter(
            id=application.id, status=ApplicationStatus.SUBMITTED
        ).update(status=decision, decided_by_id=decider.id, decided_at=now, decision_note=cleaned)
        if not updated:
            raise _changed_meanwhile()
        await _email_decision(application, decision, cleaned)
        await audit.record(
            actor,
            "access_arrangement.decide",
            organisation_id=application.centre_id,
            target_type="AccessArrangementApplication",
            target_id=application.id,
            before={"status": ApplicationStatus.SUBMITTED.value},
            after={
                "status": decision.value,
                "note": cleaned,
                "emailed": application.applicant.email,
            },
        )
    return await _view(application.id)


def _changed_meanwhile() -> DomainError:
    return DomainError.one(
        ErrorCode.CONCURRENT_CHANGE,
        "The application was withdrawn or decided at the same moment; look at it again.",
        "input",
        "id",
    )


async def _email_decision(
    application: AccessArrangementApplication, decision: ApplicationStatus, note: str | None
) -> None:
    applicant = application.applicant
    candidate = application.candidate
    await queue_email(
        applicant.email,
        MailTemplate.ACCESS_ARRANGEMENT_DECISION,
        first_name=applicant.first_name,
        decision=decision.value.lower(),
        arrangement=ARRANGEMENT_NAMES[application.arrangement],
        candidate=f"candidate {candidate.candidate_number} {candidate.full_name}",
        organisation_name=application.centre.name,
        organisation_code=application.centre.code,
        series_code=application.series.code,
        note=note or "none",
        reference=f"AA-{application.id}",
    )


async def _view(application_id: int) -> ApplicationView:
    application = await AccessArrangementApplication.get(id=application_id).select_related(
        *_RELATED
    )
    files = await files_of(APPLICATION_FILE_OWNER, [application.id])
    return ApplicationView(application, next(iter(files[application.id]), None))


def _snapshot(application: AccessArrangementApplication, evidence: StoredFile | None) -> dict:
    return {
        "candidateNumber": application.candidate.candidate_number,
        "series": application.series.code,
        "arrangement": application.arrangement.value,
        "reasons": application.reasons,
        "status": application.status.value,
        "evidence": None
        if evidence is None
        else {
            "id": evidence.id,
            "name": evidence.name,
            "size": evidence.size,
            "sha256": evidence.sha256,
        },
    }


async def list_applications(
    actor: Actor,
    *,
    centre_code: str,
    status: ApplicationStatus | None = None,
    limit: int = 15,
    offset: int = 0,
) -> Page[ApplicationView]:
    """A centre's applications, newest first."""
    centre = await require_centre(actor, centre_code, "access_arrangements", "read", "centreCode")
    return await _page(
        AccessArrangementApplication.filter(centre_id=centre.id), status, limit, offset
    )


async def list_applications_for_board(
    actor: Actor,
    *,
    status: ApplicationStatus | None = None,
    centre_code: str | None = None,
    limit: int = 15,
    offset: int = 0,
) -> Page[ApplicationView]:
    """Every centre's applications, oldest first, so that the board works through the queue."""
    Authorizer(actor).require("access_arrangements", "decide")
    query = AccessArrangementApplication.all()
    if centre_code:
        centre: Organisation = await require_organisation(
            actor, centre_code, "access_arrangements", "read", "centreCode"
        )
        query = query.filter(centre_id=centre.id)
    return await _page(query, status, limit, offset, oldest_first=True)


async def applications_by_ids(
    actor: Actor, application_ids: list[int]
) -> dict[int, ApplicationView]:
    """The applications a list shows the actor: every one to the board (its queue,
    list_applications_for_board), and to a live centre's nominated users, as
    list_applications shows them; one query for them and one for their evidence."""
    authorizer = Authorizer(actor)
    authorizer.require_signed_in()
    rows = await AccessArrangementApplication.filter(id__in=application_ids).select_related(
        *_RELATED
    )
    if not authorizer.allows("access_arrangements", "decide"):
        rows = [
            row
            for row in rows
            if row.centre.kind is OrganisationKind.CENTRE
            and row.centre.deleted_at is None
            and authorizer.allows("access_arrangements", "read", Target.of(row.centre))
        ]
    files = await files_of(APPLICATION_FILE_OWNER, [row.id for row in rows])
    return {row.id: ApplicationView(row, next(iter(files[row.id]), None)) for row in rows}


async def _page(
    query: Any,
    status: ApplicationStatus | None,
    limit: int,
    offset: int,
    *,
    oldest_first: bool = False,
) -> Page[ApplicationView]:
    check_page(limit, offset)
    if status is not None:
        query = query.filter(status=status)
    total = await query.count()
    order = ("submitted_at", "id") if oldest_first else ("-submitted_at", "-id")
    rows = await query.select_related(*_RELATED).order_by(*order).offset(offset).limit(limit)
    files = await files_of(APPLICATION_FILE_OWNER, [row.id for row in rows])
    return Page(
        items=[ApplicationView(row, next(iter(files[row.id]), None)) for row in rows],
        total=total,
        offset=offset,
    )
