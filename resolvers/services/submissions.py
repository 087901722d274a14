"""Submit for Assessment: candidate work and samples uploaded for the board.

Who is emailed, by the seed's role descriptions: "The 'Submit for Assessment: Exams Officer' role
also receives all notification emails" (so does the exams officer, who holds every centre role),
while "'Submit for Assessment: Teacher' only receives notification emails if they are the
submitter". Every holder of `submissions, notified` at the centre (policy.csv; an associate's
grants reach its associate centres) gets SUBMISSION_RECEIVED; a submitter who is not among them
gets SUBMISSION_CONFIRMATION. Nobody else, and nobody at another centre, hears of it.

Who sees the list follows the same line: `submissions, read` (SFA exams officers, the exams
officer, the board) sees all of the centre's submissions; `submissions, read_own` (teachers) only
their own.

The module is over 400 lines because listing and reading by id keep that line beside the
submitting and emailing they follow.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tortoise.transactions import in_transaction

from models.exams import Candidate, Entry, EntryStatus, Series, Syllabus
from models.files import StoredFile
from models.organisations import Organisation, OrganisationKind
from models.services import SUBMISSION_FILE_OWNER, Submission, SubmissionKind
from models.users import Membership, User, UserStatus
from policies import Actor, Authorizer, Forbidden, Right, Target, role_allows
from policies.viewer_can import CREATE_SUBMISSION
from resolvers.core import audit, clock
from resolvers.core.errors import DomainError, ErrorCode, UserError
from resolvers.core.exam_lookups import find_series
from resolvers.core.mail import MailTemplate, queue_email
from resolvers.core.pages import Page, check_page
from resolvers.exams.candidates import check_candidate_number
from resolvers.network.organisations import require_centre
from resolvers.services.service_files import (
    SUBMISSION_TYPES,
    CheckedFile,
    check_files,
    file_names,
    files_of,
    store_files,
)

MAX_NOTE = 2_000
# Without an article, so that every template reads: "your sample", "Submitted: candidate work".
_KIND_WORDS = {SubmissionKind.WORK: "candidate work", SubmissionKind.SAMPLE: "sample"}


@dataclass(frozen=True)
class SubmissionView:
    """A submission with its related rows and files (without their bytes)."""

    submission: Submission
    files: list[StoredFile]
    # What reading its files needs, as the caller was let in: links carry it.
    file_right: Right


async def find_syllabus(code: str, *field: str) -> Syllabus:
    syllabus = await Syllabus.get_or_none(code=code.strip().upper())
    if syllabus is None:
        raise DomainError.one(
            ErrorCode.SYLLABUS_NOT_FOUND, f"There is no syllabus {code!r}.", *field
        )
    return syllabus


async def entered_candidate(
    centre: Organisation,
    series: Series,
    number: str,
    *field: str,
    syllabus: Syllabus | None = None,
) -> Candidate:
    """The centre's candidate with this number, entered in the series (for the syllabus)."""
    candidate_number = check_candidate_number(number, *field)
    candidate = await Candidate.get_or_none(centre_id=centre.id, candidate_number=candidate_number)
    if candidate is None:
        raise DomainError.one(
            ErrorCode.CANDIDATE_NOT_FOUND,
            f"{centre.name} has no candidate {candidate_number}.",
            *field,
        )
    entries = Entry.filter(
        candidate_id=candidate.id, series_id=series.id, status=EntryStatus.ENTERED
    )
    if syllabus is not None:
        entries = entries.filter(syllabus_id=syllabus.id)
    if not await entries.exists():
        what = f"{syllabus.code} in {series.code}" if syllabus else f"the {series.code} series"
        raise DomainError.one(
            ErrorCode.CANDIDATE_NOT_ENTERED,
            f"Candidate {candidate_number} is not entered for {what}.",
            *field,
        )
    return candidate


@dataclass(frozen=True)
class _CheckedSubmission:
    series: Series
    syllabus: Syllabus
    # None for work that is not one candidate's.
    candidate: Candidate | None
    note: str | None
    files: list[CheckedFile]


async def _check_submission(
    centre: Organisation,
    *,
    series_code: str,
    syllabus_code: str,
    kind: SubmissionKind,
    candidate_number: str | None,
    note: str | None,
    files: Sequence[Any],
) -> _CheckedSubmission:
    """Every check of a submission's input, all errors reported at once."""
    errors: list[UserError] = []
    series = syllabus = candidate = None
    try:
        series = await find_series(series_code, "input", "seriesCode")
    except DomainError as error:
        errors.extend(error.errors)
    try:
        syllabus = await find_syllabus(syllabus_code, "input", "syllabusCode")
    except DomainError as error:
        errors.extend(error.errors)
    number = (candidate_number or "").strip()
    if series is not None and syllabus is not None:
        try:
            candidate = await _check_candidate(centre, series, syllabus, kind, number)
        except DomainError as error:
            errors.extend(error.errors)
    cleaned_note = (note or "").strip() or None
    if cleaned_note is not None and len(cleaned_note) > MAX_NOTE:
        errors.append(
            UserError(
                ErrorCode.INVALID_INPUT,
                f"Keep the note under {MAX_NOTE:,} characters.",
                ("input", "note"),
            )
        )
    if not files:
        errors.append(
            UserError(ErrorCode.FILES_REQUIRED, "Attach the work to submit.", ("input", "files"))
        )
    try:
        checked = await check_files(files, SUBMISSION_TYPES, "input", "files")
    except DomainError as error:
        errors.extend(error.errors)
    if errors:
        raise DomainError(errors)
    assert series is not None
    assert syllabus is not None
    return _CheckedSubmission(series, syllabus, candidate, cleaned_note, checked)


async def submit_for_assessment(
    actor: Actor,
    *,
    centre_code: str,
    series_code: str,
    syllabus_code: str,
    kind: SubmissionKind,
    candidate_number: str | None,
    note: str | None,
    files: Sequence[Any],
) -> SubmissionView:
    centre = await require_centre(actor, centre_code, *CREATE_SUBMISSION, "input", "centreCode")
    work = await _check_submission(
        centre,
        series_code=series_code,
        syllabus_code=syllabus_code,
        kind=kind,
        candidate_number=candidate_number,
        note=note,
        files=files,
    )
    series, syllabus, candidate = work.series, work.syllabus, work.candidate
    submitter = await User.get(id=actor.user_id)
    watchers = await notified_people(centre)
    async with in_transaction():
        # The first statement writes, so SQLite takes its write lock at once.
        submission = await Submission.create(
            centre=centre,
            series=series,
            syllabus=syllabus,
            kind=kind,
            candidate=candidate,
            note=work.note,
            submitted_by=submitter,
            submitted_at=clock.now(),
        )
        stored = await store_files(
            work.files,
            owner_type=SUBMISSION_FILE_OWNER,
            owner_id=submission.id,
            organisation_id=centre.id,
            uploaded_by_id=actor.user_id,
        )
        submission.centre, submission.series, submission.syllabus = centre, series, syllabus
        submission.candidate, submission.submitted_by = candidate, submitter  # type: ignore[assignment]
        await _notify(submission, stored, watchers)
        await audit.record(
            actor,
            "submission.create",
            organisation_id=centre.id,
            target_type="Submission",
            target_id=submission.id,
            after=_snapshot(submission, stored, watchers),
        )
    reads_all = Authorizer(actor).allows("submissions", "read", Target.of(centre))
    return SubmissionView(submission, stored, _read_right(centre, reads_all))


def _read_right(centre: Organisation, reads_all: bool) -> Right:
    return Right("submissions", "read" if reads_all else "read_own", centre.id)


async def _check_candidate(
    centre: Organisation, series: Series, syllabus: Syllabus, kind: SubmissionKind, number: str
) -> Candidate | None:
    """A candidate's work names the candidate; a sample may, and otherwise needs the centre to
    have someone entered for the syllabus in the series."""
    if number:
        return await entered_candidate(
            centre, series, number, "input", "candidateNumber", syllabus=syllabus
        )
    if kind is SubmissionKind.WORK:
        raise DomainError.one(
            ErrorCode.CANDIDATE_REQUIRED,
            "Say whose work it is: give the candidate number.",
            "input",
            "candidateNumber",
        )
    if not await Entry.exists(
        candidate__centre_id=centre.id,
        series_id=series.id,
        syllabus_id=syllabus.id,
        status=EntryStatus.ENTERED,
    ):
        raise DomainError.one(
            ErrorCode.NO_ENTRIES_FOR_SYLLABUS,
            f"{centre.name} has no candidates entered for {syllabus.code} in {series.code}.",
            "input",
            "syllabusCode",
        )
    return None


async def notified_people(centre: Organisation) -> list[User]:
    """Everyone who receives every Submit for Assessment notification of the centre.

    A few people per centre; policies/ decides each distinct (role, relation) once.
    """
    organisation_ids = [centre.id]
    if centre.parent_id is not None:
        organisation_ids.append(centre.parent_id)
    memberships = (
        await Membership.filter(
            organisation_id__in=organisation_ids,
            organisation__deleted_at__isnull=True,
            user__status__not=UserStatus.DISABLED,
        )
        .select_related("user")
        .order_by("user__email")
    )
    people: dict[int, User] = {}
    for membership in memberships:
        relation = "self" if membership.organisation_id == centre.id else "parent"
        if any(role_allows(role, relation, "submissions", "notified") for role in membership.roles):
            people[membership.user_id] = membership.user
    return list(people.values())


def _mail_values(submission: Submission, files: Sequence[StoredFile]) -> dict[str, str]:
    candidate = submission.candidate
    return {
        "kind": _KIND_WORDS[submission.kind],
        "organisation_name": submission.centre.name,
        "organisation_code": submission.centre.code,
        "series_code": submission.series.code,
        "syllabus_code": submission.syllabus.code,
        "syllabus_title": submission.syllabus.title,
        "candidate": (
            f"{candidate.candidate_number} {candidate.full_name}"
            if candidate
            else "none (a sample for the syllabus)"
        ),
        "file_names": file_names(files),
        "reference": f"SFA-{submission.id}",
    }


async def _notify(
    submission: Submission, files: Sequence[StoredFile], watchers: Sequence[User]
) -> None:
    values = _mail_values(submission, files)
    submitter = submission.submitted_by
    for person in watchers:
        await queue_email(
            person.email,
            MailTemplate.SUBMISSION_RECEIVED,
            first_name=person.first_name,
            submitter_name=submitter.full_name,
            **values,
        )
    if all(person.id != submitter.id for person in watchers):
        await queue_email(
            submitter.email,
            MailTemplate.SUBMISSION_CONFIRMATION,
            first_name=submitter.first_name,
            **values,
        )


def _snapshot(
    submission: Submission, files: Sequence[StoredFile], watchers: Sequence[User]
) -> dict:
    candidate = submission.candidate
    return {
        "series": submission.series.code,
        "syllabus": submission.syllabus.code,
        "kind": submission.kind.value,
        "candidateNumber": candidate.candidate_number if candidate else None,
        "note": submission.note,
        "files": [{"id": f.id, "name": f.name, "size": f.size, "sha256": f.sha256} for f in files],
        "notified": sorted(person.email for person in watchers),
    }


async def _readable_centre(actor: Actor, code: str) -> tuple[Organisation, bool]:
    """The centre, and whether the actor reads all its submissions or only their own."""
    try:
        return await require_centre(actor, code, "submissions", "read", "centreCode"), True
    except Forbidden:
        return await require_centre(actor, code, "submissions", "read_own", "centreCode"), False


async def list_submissions(
    actor: Actor,
    *,
    centre_code: str,
    series_code: str | None = None,
    syllabus_code: str | None = None,
    limit: int = 15,
    offset: int = 0,
) -> Page[SubmissionView]:
    """The centre's submissions, newest first: all of them, or a teacher's own."""
    centre, reads_all = await _readable_centre(actor, centre_code)
    check_page(limit, offset)
    query = Submission.filter(centre_id=centre.id)
    if not reads_all:
        query = query.filter(submitted_by_id=actor.user_id)
    if series_code:
        query = query.filter(series__code=series_code.strip().upper())
    if syllabus_code:
        query = query.filter(syllabus__code=syllabus_code.strip().upper())
    total = await query.count()
    rows = await (
        query.select_related("series", "syllabus", "candidate", "submitted_by")
        .order_by("-submitted_at", "-id")
        .offset(offset)
        .limit(limit)
    )
    files = await files_of(SUBMISSION_FILE_OWNER, [row.id for row in rows])
    for row in rows:
        row.centre = centre
    return Page(
        items=[SubmissionView(row, files[row.id], _read_right(centre, reads_all)) for row in rows],
        total=total,
        offset=offset,
    )


async def submissions_by_ids(actor: Actor, submission_ids: list[int]) -> dict[int, SubmissionView]:
    """The submissions list_submissions shows at their centre (a live centre: all of them to
    `submissions, read` there, a teacher's own to `read_own`), with their files; one query for
    them and one for the files."""
    authorizer = Authorizer(actor)
    authorizer.require_signed_in()
    rows = await Submission.filter(id__in=submission_ids).select_related(
        "centre", "series", "syllabus", "candidate", "submitted_by"
    )
    shown: list[tuple[Submission, bool]] = []
    for row in rows:
        centre = row.centre
        if centre.kind is not OrganisationKind.CENTRE or centre.deleted_at is not None:
            continue
        target = Target.of(centre)
        if authorizer.allows("submissions", "read", target):
            shown.append((row, True))
        elif (
            authorizer.allows("submissions", "read_own", target)
            and row.submitted_by_id == actor.user_id
        ):
            shown.append((row, False))
    files = await files_of(SUBMISSION_FILE_OWNER, [row.id for row, _ in shown])
    return {
        row.id: SubmissionView(row, files[row.id], _read_right(row.centre, reads_all))
        for row, reads_all in shown
    }
