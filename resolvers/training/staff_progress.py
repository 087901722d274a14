"""Staff progress (the training hub's "Reviewing user progress"): per assessment its status,
result, sections with mark, type, duration, failed attempts and the questions answered; the
centre's user summary and its CSV downloads: the counts per person, or the full one per person and
assessment (full_summary.py).

Everything is about one centre: attempts and certificates made at another centre are not shown.
Readers: the person themself, and user managers, SLT and the Centre Admin of the centre.
"""

from collections import defaultdict
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from tortoise.transactions import in_transaction

from models.assessments import Assessment, Attempt, Certificate, HiddenAssessment, Question, Section
from models.jobs import Job
from models.organisations import Organisation
from models.users import Membership, User
from policies import Actor
from policies.viewer_can import READ_STAFF_PROGRESS
from resolvers.core import audit, clock, jobs
from resolvers.core.csv_export import csv_bytes
from resolvers.core.errors import DomainError, ErrorCode
from resolvers.core.pages import Page, check_page
from resolvers.network.organisations import require_centre
from resolvers.training import full_summary
from resolvers.training.assessment_attempts import is_right
from resolvers.training.assessments import audiences_for, visible_assessments

KIND = "staff_summary.export"


class SummaryDetail(StrEnum):
    """The summary download: a row per person with counts, or per person and assessment."""

    COUNTS = "COUNTS"
    FULL = "FULL"


class ProgressStatus(StrEnum):
    NOT_STARTED = "NOT_STARTED"
    IN_PROGRESS = "IN_PROGRESS"
    PASSED = "PASSED"


class SectionStatus(StrEnum):
    NOT_STARTED = "NOT_STARTED"
    IN_PROGRESS = "IN_PROGRESS"
    COMPLETED = "COMPLETED"


@dataclass(frozen=True)
class AnsweredQuestion:
    order: int
    text: str
    options: list[str]
    given: list[int]
    correct: bool


@dataclass(frozen=True)
class AttemptResult:
    attempt: Attempt
    number: int


@dataclass(frozen=True)
class SectionProgress:
    section: Section
    status: SectionStatus
    # The passing attempt, else the latest submitted one: what "Mark" and the answers show.
    deciding: Attempt | None
    failed_attempts: int
    attempts: list[AttemptResult]
    questions_answered: list[AnsweredQuestion]

    @property
    def mark(self) -> str | None:
        if self.deciding is None:
            return None
        return f"{self.deciding.score}/{self.section.question_count}"


@dataclass(frozen=True)
class AssessmentProgress:
    assessment: Assessment
    status: ProgressStatus
    score: int
    question_count: int
    sections: list[SectionProgress]
    certificate: Certificate | None

    @property
    def result(self) -> str:
        return f"{self.score}/{self.question_count}"


@dataclass(frozen=True)
class UserProgress:
    organisation: Organisation
    user: User
    roles: list[str]
    assessments: list[AssessmentProgress]


async def _reader_and_member(
    actor: Actor, organisation_code: str, user_id: int
) -> tuple[Organisation, Membership]:
    own = user_id == actor.user_id
    organisation = await require_centre(
        actor,
        organisation_code,
        "own_progress" if own else "staff_progress",
        "read",
        "organisationCode",
    )
    membership = await Membership.get_or_none(
        organisation_id=organisation.id, user_id=user_id
    ).select_related("user")
    if membership is None:
        raise DomainError.one(
            ErrorCode.NOT_A_MEMBER, f"That user does not belong to {organisation.name}.", "userId"
        )
    return organisation, membership


def _answered(attempt: Attempt | None, questions: list[Question]) -> list[AnsweredQuestion]:
    if attempt is None or attempt.answers is None:
        return []
    return [
        AnsweredQuestion(
            order=q.order, text=q.text, options=q.options, given=given, correct=is_right(given, q)
        )
        for q, given in zip(questions, attempt.answers, strict=True)
    ]


def _section_progress(
    section: Section, attempts: list[Attempt], questions: list[Question]
) -> SectionProgress:
    submitted = [a for a in attempts if a.submitted_at is not None]
    passing = next((a for a in submitted if a.passed), None)
    deciding = passing or (submitted[-1] if submitted else None)
    if passing is not None:
        status = SectionStatus.COMPLETED
    elif attempts:
        status = SectionStatus.IN_PROGRESS
    else:
        status = SectionStatus.NOT_STARTED
    return SectionProgress(
        section=section,
        status=status,
        deciding=deciding,
        failed_attempts=sum(not a.passed for a in submitted),
        attempts=[AttemptResult(a, n) for n, a in enumerate(submitted, start=1)],
        questions_answered=_answered(deciding, questions),
    )


async def _shown_assessments(
    visible: list[Assessment], tried_sections: set[int]
) -> dict[int, Assessment]:
    """The assessments the person may take, and those they tried, by id."""
    shown = {a.id: a for a in visible}
    if tried_sections:
        # Assessments tried here and since hidden or unpublished still show their results.
        tried_ids = await Section.filter(id__in=list(tried_sections)).values_list(
            "assessment_id", flat=True
        )
        for assessment in await Assessment.filter(id__in=sorted(set(tried_ids) - set(shown))):
            shown[assessment.id] = assessment
    return shown


async def user_progress(actor: Actor, *, organisation_code: str, user_id: int) -> UserProgress:
    """One person's progress at the centre: the assessments they may take, and any they tried."""
    organisation, membership = await _reader_and_member(actor, organisation_code, user_id)
    visible = await visible_assessments(organisation, user_id, frozenset(membership.roles))
    attempts = list(
        await Attempt.filter(organisation_id=organisation.id, user_id=user_id).order_by(
            "started_at", "id"
        )
    )
    tried_sections = {a.section_id for a in attempts}
    shown = await _shown_assessments(visible, tried_sections)
    sections = list(await Section.filter(assessment_id__in=list(shown)).order_by("order"))
    questions: dict[int, list[Question]] = defaultdict(list)
    answered_sections = [s.id for s in sections if s.id in tried_sections]
    for question in await Question.filter(section_id__in=answered_sections).order_by("order"):
        questions[question.section_id].append(question)
    certificates = {
        c.assessment_id: c
        for c in await Certificate.filter(organisation_id=organisation.id, user_id=user_id)
    }
    by_section: dict[int, list[Attempt]] = defaultdict(list)
    for attempt in attempts:
        by_section[attempt.section_id].append(attempt)
    by_assessment: dict[int, list[Section]] = defaultdict(list)
    for section in sections:
        by_assessment[section.assessment_id].append(section)
    progress = []
    for assessment in sorted(shown.values(), key=lambda a: (a.title, a.id)):
        parts = [
            _section_progress(s, by_section[s.id], questions[s.id])
            for s in by_assessment[assessment.id]
        ]
        certificate = certificates.get(assessment.id)
        if certificate is not None:
            status = ProgressStatus.PASSED
        elif any(by_section[s.section.id] for s in parts):
            status = ProgressStatus.IN_PROGRESS
        else:
            status = ProgressStatus.NOT_STARTED
        progress.append(
            AssessmentProgress(
                assessment=assessment,
                status=status,
                score=sum(
                    p.deciding.score or 0
                    for p in parts
                    if p.deciding is not None and p.deciding.passed
                ),
                question_count=sum(s.question_count for s in by_assessment[assessment.id]),
                sections=parts,
                certificate=certificate,
            )
        )
    return UserProgress(organisation, membership.user, sorted(membership.roles), progress)


@dataclass
class SummaryRow:
    user: User
    roles: list[str]
    passed: int = 0
    in_progress: int = 0
    not_started: int = 0


async def _summarise(organisation: Organisation, members: list[Membership]) -> list[SummaryRow]:
    """Counts for these members in five queries, however many there are."""
    user_ids = [m.user_id for m in members]
    published = list(await Assessment.filter(published_at__not_isnull=True).only("id", "audience"))
    hidden: dict[int, set[int]] = defaultdict(set)
    for user_id, assessment_id in await HiddenAssessment.filter(
        organisation_id=organisation.id, user_id__in=user_ids
    ).values_list("user_id", "assessment_id"):
        hidden[user_id].add(assessment_id)
    tried: dict[int, set[int]] = defaultdict(set)
    for user_id, assessment_id in await Attempt.filter(
        organisation_id=organisation.id, user_id__in=user_ids
    ).values_list("user_id", "section__assessment_id"):
        tried[user_id].add(assessment_id)
    certified: dict[int, set[int]] = defaultdict(set)
    for user_id, assessment_id in await Certificate.filter(
        organisation_id=organisation.id, user_id__in=user_ids
    ).values_list("user_id", "assessment_id"):
        certified[user_id].add(assessment_id)
    rows = []
    for member in members:
        audiences = audiences_for(frozenset(member.roles))
        visible = {
            a.id
            for a in published
            if a.audience in audiences and a.id not in hidden[member.user_id]
        }
        passed = certified[member.user_id]
        started = tried[member.user_id] - passed
        rows.append(
            SummaryRow(
                user=member.user,
                roles=sorted(member.roles),
                passed=len(passed),
                in_progress=len(started),
                not_started=len(visible - passed - started),
            )
        )
    return rows


def _members(organisation: Organisation) -> Any:
    return (
        Membership.filter(organisation_id=organisation.id)
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "id")
    )


async def staff_summary(
    actor: Actor, *, organisation_code: str, limit: int = 15, offset: int = 0
) -> Page[SummaryRow]:
    """The centre's users (by full name) with assessments passed, in progress, not started."""
    organisation = await require_centre(
        actor, organisation_code, *READ_STAFF_PROGRESS, "organisationCode"
    )
    check_page(limit, offset)
    total = await Membership.filter(organisation_id=organisation.id).count()
    members = list(await _members(organisation).offset(offset).limit(limit))
    return Page(items=await _summarise(organisation, members), total=total, offset=offset)


def summary_csv(rows: list[SummaryRow]) -> bytes:
    """The summary as CSV, names and emails kept from being read as formulas."""
    return csv_bytes(
        [
            ["first_name", "last_name", "email", "roles", "passed", "in_progress", "not_started"],
            *(
                [
                    row.user.first_name,
                    row.user.last_name,
                    row.user.email,
                    " ".join(row.roles),
                    row.passed,
                    row.in_progress,
                    row.not_started,
                ]
                for row in rows
            ),
        ]
    )


async def request_summary_export(
    actor: Actor, *, organisation_code: str, detail: SummaryDetail = SummaryDetail.COUNTS
) -> Job:
    organisation = await require_centre(
        actor, organisation_code, *READ_STAFF_PROGRESS, "input", "organisationCode"
    )
    async with in_transaction():
        job = await jobs.enqueue(
            actor,
            KIND,
            organisation_id=organisation.id,
            payload={"organisationId": organisation.id, "detail": detail.value},
        )
        await audit.record(
            actor,
            "staff_summary.export_request",
            organisation_id=organisation.id,
            target_type="Job",
            target_id=job.id,
            after={"centre": organisation.code, "detail": detail.value},
        )
    jobs.wake_workers()
    return job


async def export_summary(run: jobs.JobRun) -> dict[str, Any]:
    organisation = await Organisation.get(id=run.payload["organisationId"])
    members = list(await _members(organisation))
    await run.progress(0, len(members), "Counting")
    # Jobs queued before the full download existed have no detail: the counts.
    if run.payload.get("detail") == SummaryDetail.FULL:
        content = full_summary.full_csv(await full_summary.full_rows(organisation, members))
        name = f"staff-summary-full-{organisation.code}-{clock.now():%Y%m%d}.csv"
    else:
        content = summary_csv(await _summarise(organisation, members))
        name = f"staff-summary-{organisation.code}-{clock.now():%Y%m%d}.csv"
    await run.progress(len(members), len(members), "Saving the file")
    async with in_transaction():
        await run.add_file(name, "text/csv", content)
    return {"centre": organisation.code, "users": len(members), "files": {name: len(content)}}
