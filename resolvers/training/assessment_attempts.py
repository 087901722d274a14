"""Taking a section: start it (the questions, never their answers), submit the answers, marked
at once. Failed attempts are kept; passing the last unpassed section issues the certificate in
the same transaction."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.transactions import in_transaction

from models.assessments import Assessment, Attempt, Certificate, Question, Section
from models.organisations import Organisation, OrganisationKind
from models.users import User
from policies import Actor, Authorizer, Forbidden, Reason, Target
from resolvers.core import audit, clock
from resolvers.core.errors import DomainError, ErrorCode
from resolvers.network.organisations import require_centre
from resolvers.training import certificates
from resolvers.training.assessments import roles_at, visible_assessments

# Allowance for the network and a slow click after a timed section's last minute.
GRACE = timedelta(seconds=30)


@dataclass(frozen=True)
class AttemptView:
    attempt: Attempt
    section: Section
    questions: list[Question]
    certificate: Certificate | None = None

    @property
    def deadline(self) -> datetime | None:
        return deadline(self.attempt, self.section)


def deadline(attempt: Attempt, section: Section) -> datetime | None:
    """When a timed section's attempt is due (before GRACE); None for an untimed one."""
    if section.duration_minutes is None:
        return None
    return attempt.started_at + timedelta(minutes=section.duration_minutes)


async def start_section(actor: Actor, *, organisation_code: str, section_id: int) -> AttemptView:
    """Start a section of an assessment the actor may take at the centre."""
    organisation = await require_centre(
        actor, organisation_code, "assessments", "take", "input", "organisationCode"
    )
    assert actor.user_id is not None
    section = await Section.get_or_none(id=section_id)
    visible = await visible_assessments(organisation, actor.user_id, roles_at(actor, organisation))
    if section is None or section.assessment_id not in {a.id for a in visible}:
        raise DomainError.one(
            ErrorCode.ASSESSMENT_NOT_AVAILABLE,
            "That section is not part of an assessment available to you here.",
            "input",
            "sectionId",
        )
    if await Attempt.exists(
        user_id=actor.user_id, organisation_id=organisation.id, section_id=section.id, passed=True
    ):
        raise DomainError.one(
            ErrorCode.SECTION_ALREADY_PASSED,
            f"You have already passed {section.title}.",
            "input",
            "sectionId",
        )
    questions = list(await Question.filter(section_id=section.id).order_by("order"))
    async with in_transaction():
        attempt = await Attempt.create(
            user_id=actor.user_id,
            organisation=organisation,
            section=section,
            started_at=clock.now(),
        )
        await audit.record(
            actor,
            "assessment.section_start",
            organisation_id=organisation.id,
            target_type="Attempt",
            target_id=attempt.id,
            after={"assessmentId": section.assessment_id, "sectionId": section.id},
        )
    return AttemptView(attempt, section, questions)


def _check_answers(answers: list[list[int]], questions: list[Question]) -> None:
    if len(answers) != len(questions):
        raise DomainError.one(
            ErrorCode.ANSWERS_INVALID,
            f"Answer every question: {len(questions)} answers expected, {len(answers)} given.",
            "input",
            "answers",
        )
    for index, (chosen, question) in enumerate(zip(answers, questions, strict=True)):
        if not chosen or any(not 0 <= i < len(question.options) for i in chosen):
            raise DomainError.one(
                ErrorCode.ANSWERS_INVALID,
                f"Question {question.order}: choose options from 0 to {len(question.options) - 1}.",
                "input",
                "answers",
                str(index),
            )


def is_right(chosen: list[int], question: Question) -> bool:
    return sorted(set(chosen)) == sorted(question.correct)


async def _passed_everything(attempt: Attempt, assessment_id: int) -> bool:
    section_ids = set(
        await Section.filter(assessment_id=assessment_id).values_list("id", flat=True)
    )
    passed = set(
        await Attempt.filter(
            user_id=attempt.user_id,
            organisation_id=attempt.organisation_id,
            section_id__in=list(section_ids),
            passed=True,
        ).values_list("section_id", flat=True)
    )
    return passed == section_ids


async def _own_attempt(actor: Actor, attempt_id: int) -> tuple[Attempt, Organisation]:
    """The actor's own attempt, and its centre, where they may still take assessments."""
    Authorizer(actor).require_signed_in()
    attempt = await Attempt.get_or_none(id=attempt_id)
    if attempt is None or attempt.user_id != actor.user_id:
        # Nobody submits for someone else, and ids say nothing.
        raise Forbidden(reason=Reason.NOT_YOURS)
    organisation = await require_centre(
        actor, (await Organisation.get(id=attempt.organisation_id)).code, "assessments", "take"
    )
    return attempt, organisation


async def _certificate_if_complete(
    actor: Actor, attempt: Attempt, section: Section, organisation: Organisation
) -> Certificate | None:
    """The certificate, issued the first time every section of the assessment is passed."""
    if await _passed_everything(attempt, section.assessment_id) and not (
        await Certificate.exists(
            user_id=attempt.user_id,
            organisation_id=organisation.id,
            assessment_id=section.assessment_id,
        )
    ):
        return await certificates.issue(
            actor,
            user=await User.get(id=attempt.user_id),
            assessment=await Assessment.get(id=section.assessment_id),
            organisation=organisation,
        )
    return None


async def submit_section(actor: Actor, *, attempt_id: int, answers: list[list[int]]) -> AttemptView:
    """Mark the answers; late submissions of a timed section fail ("time ran out")."""
    attempt, organisation = await _own_attempt(actor, attempt_id)
    section = await Section.get(id=attempt.section_id)
    questions = list(await Question.filter(section_id=section.id).order_by("order"))
    _check_answers(answers, questions)
    now = clock.now()
    score = sum(is_right(chosen, q) for chosen, q in zip(answers, questions, strict=True))
    due = deadline(attempt, section)
    timed_out = due is not None and now > due + GRACE
    passed = not timed_out and score >= section.pass_mark
    certificate = None
    async with in_transaction():
        # The write first, and only while unsubmitted: a double submit changes nothing.
        changed = await Attempt.filter(id=attempt.id, submitted_at=None).update(
            submitted_at=now,
            answers=[sorted(set(a)) for a in answers],
            score=score,
            passed=passed,
            timed_out=timed_out,
        )
        if not changed:
            raise DomainError.one(
                ErrorCode.ATTEMPT_ALREADY_SUBMITTED,
                "This attempt has already been submitted: start the section again for another go.",
                "input",
                "attemptId",
            )
        await attempt.refresh_from_db()
        await audit.record(
            actor,
            "assessment.section_submit",
            organisation_id=organisation.id,
            target_type="Attempt",
            target_id=attempt.id,
            before={"submitted": False},
            after={
                "sectionId": section.id,
                "score": score,
                "questions": len(questions),
                "passed": passed,
                "timedOut": timed_out,
            },
        )
        if passed:
            certificate = await _certificate_if_complete(actor, attempt, section, organisation)
    return AttemptView(attempt, section, questions, certificate)


async def attempts_by_ids(actor: Actor, attempt_ids: list[int]) -> dict[int, AttemptView]:
    """The actor's own attempts at centres where they may still take assessments (those
    submitSection would take), with their questions and the certificate each issued; four
    queries at most."""
    authorizer = Authorizer(actor)
    authorizer.require_signed_in()
    if actor.user_id is None:
        return {}
    found = await Attempt.filter(id__in=attempt_ids, user_id=actor.user_id).select_related(
        "organisation", "section"
    )
    mine = [
        attempt
        for attempt in found
        if attempt.organisation.kind is OrganisationKind.CENTRE
        and attempt.organisation.deleted_at is None
        and authorizer.allows("assessments", "take", Target.of(attempt.organisation))
    ]
    if not mine:
        return {}
    questions: dict[int, list[Question]] = defaultdict(list)
    for question in await Question.filter(
        section_id__in={attempt.section_id for attempt in mine}
    ).order_by("section_id", "order"):
        questions[question.section_id].append(question)
    issued = await _certificates_issued([attempt for attempt in mine if attempt.passed])
    return {
        attempt.id: AttemptView(
            attempt, attempt.section, questions[attempt.section_id], issued.get(attempt.id)
        )
        for attempt in mine
    }


async def _certificates_issued(passed: list[Attempt]) -> dict[int, Certificate]:
    """The certificates these passing attempts (of one person) issued, by attempt; two queries.

    A certificate is issued by the submission that passes its assessment's last unpassed
    section there: the latest passing attempt of that assessment there by its issue."""
    if not passed:
        return {}
    user_id = passed[0].user_id
    assessment_ids = {attempt.section.assessment_id for attempt in passed}
    organisation_ids = {attempt.organisation_id for attempt in passed}
    certificates = await Certificate.filter(
        user_id=user_id, assessment_id__in=assessment_ids, organisation_id__in=organisation_ids
    )
    if not certificates:
        return {}
    passes = await Attempt.filter(
        user_id=user_id,
        organisation_id__in=organisation_ids,
        section__assessment_id__in=assessment_ids,
        passed=True,
    ).values("id", "organisation_id", "submitted_at", "section__assessment_id")
    issued: dict[int, Certificate] = {}
    for certificate in certificates:
        before = [
            (row["submitted_at"], row["id"])
            for row in passes
            if row["organisation_id"] == certificate.organisation_id
            and row["section__assessment_id"] == certificate.assessment_id
            and row["submitted_at"] <= certificate.issued_at
        ]
        if before:
            issued[max(before)[1]] = certificate
    return {attempt.id: issued[attempt.id] for attempt in passed if attempt.id in issued}
