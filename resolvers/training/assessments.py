"""Staff assessments: the board writes and publishes them; staff see those meant for
their roles at a centre; the Centre Admin hides invigilators' assessments from an invigilator.

Who sees which audience is policy (policy.csv, `assessment:<AUDIENCE>, take`): an invigilator
sees the invigilators' assessments only, every other centre role sees both audiences, and a
person who is invigilator and something else gets the wider view. Hiding applies to the
invigilators' assessments of that person at that centre, whatever else they hold: the Centre
Admin decided it about them.

The module is over 400 lines because reading assessments and their sections by id applies
those same rules and belongs beside them.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from tortoise.expressions import Subquery
from tortoise.transactions import in_transaction

from models.assessments import Assessment, Audience, HiddenAssessment, Question, Section
from models.organisations import Organisation, OrganisationKind
from models.users import Membership
from policies import Actor, Authorizer, Role, Target, role_allows
from policies.viewer_can import MANAGE_ASSESSMENT_VISIBILITY, MANAGE_ASSESSMENTS
from resolvers.core import audit, clock
from resolvers.core.errors import DomainError, ErrorCode, UserError
from resolvers.core.pages import Page, check_page
from resolvers.network.organisations import require_centre

# Assessment and section titles (CharField(max_length=200) in models/assessments.py).
MAX_TITLE = 200


@dataclass(frozen=True)
class QuestionDraft:
    text: str
    options: list[str]
    correct: list[int]


@dataclass(frozen=True)
class SectionDraft:
    title: str
    pass_mark: int
    questions: list[QuestionDraft]
    duration_minutes: int | None = None


@dataclass(frozen=True)
class AssessmentView:
    """An assessment with its sections in order (loaded in one query for a whole list)."""

    assessment: Assessment
    sections: list[Section]


@cache
def audiences_for(roles: frozenset[str]) -> frozenset[Audience]:
    """The audiences these roles, held at a centre, may take (one Casbin pass per role set)."""
    return frozenset(
        audience
        for audience in Audience
        if any(role_allows(role, "self", f"assessment:{audience}", "take") for role in roles)
    )


def roles_at(actor: Actor, organisation: Organisation) -> frozenset[str]:
    return next(
        (p.roles for p in actor.placements if p.organisation_id == organisation.id), frozenset()
    )


async def with_sections(assessments: Iterable[Assessment]) -> list[AssessmentView]:
    rows = list(assessments)
    sections: dict[int, list[Section]] = {a.id: [] for a in rows}
    for section in await Section.filter(assessment_id__in=list(sections)).order_by("order"):
        sections[section.assessment_id].append(section)
    return [AssessmentView(a, sections[a.id]) for a in rows]


async def visible_assessments(
    organisation: Organisation, user_id: int, roles: frozenset[str]
) -> list[Assessment]:
    """The published assessments this person may take at this centre, by title."""
    audiences = audiences_for(roles)
    if not audiences:
        return []
    hidden = Subquery(
        HiddenAssessment.filter(organisation_id=organisation.id, user_id=user_id).values(
            "assessment_id"
        )
    )
    return list(
        await Assessment.filter(audience__in=list(audiences), published_at__not_isnull=True)
        .filter(id__not_in=hidden)
        .order_by("title", "id")
    )


async def my_assessments(
    actor: Actor, organisation_code: str, *, limit: int = 15, offset: int = 0
) -> Page[AssessmentView]:
    organisation = await require_centre(
        actor, organisation_code, "assessments", "take", "organisationCode"
    )
    check_page(limit, offset)
    assert actor.user_id is not None
    visible = await visible_assessments(organisation, actor.user_id, roles_at(actor, organisation))
    page = await with_sections(visible[offset : offset + limit])
    return Page(items=page, total=len(visible), offset=offset)


async def _visible_by_ids(actor: Actor, assessment_ids: list[int]) -> list[Assessment]:
    """Those of the assessments my_assessments shows the actor at one of their live centres
    (for the roles held there, not hidden from them there); two queries."""
    authorizer = Authorizer(actor)
    authorizer.require_signed_in()
    centres = [
        placement
        for placement in actor.placements
        if placement.kind is OrganisationKind.CENTRE
        and authorizer.allows(
            "assessments",
            "take",
            Target(
                placement.organisation_id, placement.kind, placement.parent_id, placement.deleted
            ),
        )
    ]
    if not centres or actor.user_id is None:
        return []
    hidden = {
        (row["organisation_id"], row["assessment_id"])
        for row in await HiddenAssessment.filter(
            user_id=actor.user_id, assessment_id__in=assessment_ids
        ).values("organisation_id", "assessment_id")
    }
    rows = await Assessment.filter(id__in=assessment_ids, published_at__not_isnull=True)
    return [
        row
        for row in rows
        if any(
            row.audience in audiences_for(centre.roles)
            and (centre.organisation_id, row.id) not in hidden
            for centre in centres
        )
    ]


async def assessments_by_ids(actor: Actor, assessment_ids: list[int]) -> dict[int, AssessmentView]:
    """The assessments my_assessments shows the actor at one of their live centres, with
    their sections; three queries."""
    visible = await _visible_by_ids(actor, assessment_ids)
    return {view.assessment.id: view for view in await with_sections(visible)}


async def sections_by_ids(actor: Actor, section_ids: list[int]) -> dict[int, Section]:
    """The sections Assessment.sections shows the actor: those of the assessments
    assessments_by_ids shows them; three queries."""
    Authorizer(actor).require_signed_in()
    sections = await Section.filter(id__in=section_ids)
    if not sections:
        return {}
    shown = await _visible_by_ids(actor, sorted({section.assessment_id for section in sections}))
    visible = {assessment.id for assessment in shown}
    return {section.id: section for section in sections if section.assessment_id in visible}


def _check_drafts(sections: list[SectionDraft]) -> list[UserError]:
    errors: list[UserError] = []
    if not sections:
        errors.append(
            UserError(
                ErrorCode.ASSESSMENT_INVALID, "Add at least one section.", ("input", "sections")
            )
        )
    for s_index, section in enumerate(sections):
        at = ("input", "sections", str(s_index))
        errors.extend(_check_section(section, at))
        for q_index, question in enumerate(section.questions):
            errors.extend(_check_question(question, (*at, "questions", str(q_index))))
    return errors


def _check_section(section: SectionDraft, at: tuple[str, ...]) -> list[UserError]:
    """The section's own fields; its questions are checked one by one."""
    errors: list[UserError] = []
    if not section.title.strip() or len(section.title.strip()) > MAX_TITLE:
        errors.append(
            UserError(
                ErrorCode.ASSESSMENT_INVALID,
                f"Give the section a title of at most {MAX_TITLE} characters.",
                (*at, "title"),
            )
        )
    if section.duration_minutes is not None and not 1 <= section.duration_minutes <= 600:
        errors.append(
            UserError(
                ErrorCode.ASSESSMENT_INVALID,
                "A timed section lasts 1 to 600 minutes.",
                (*at, "durationMinutes"),
            )
        )
    if not section.questions:
        errors.append(
            UserError(
                ErrorCode.ASSESSMENT_INVALID, "Add at least one question.", (*at, "questions")
            )
        )
    elif not 1 <= section.pass_mark <= len(section.questions):
        errors.append(
            UserError(
                ErrorCode.ASSESSMENT_INVALID,
                f"The pass mark must be between 1 and {len(section.questions)} (the number of "
                "questions).",
                (*at, "passMark"),
            )
        )
    return errors


def _check_question(question: QuestionDraft, at: tuple[str, ...]) -> list[UserError]:
    errors: list[UserError] = []
    if not question.text.strip():
        errors.append(UserError(ErrorCode.ASSESSMENT_INVALID, "Write the question.", (*at, "text")))
    if len(question.options) < 2 or any(not o.strip() for o in question.options):
        errors.append(
            UserError(
                ErrorCode.ASSESSMENT_INVALID,
                "Give at least two options, none empty.",
                (*at, "options"),
            )
        )
    if (
        not question.correct
        or len(set(question.correct)) != len(question.correct)
        or any(not 0 <= i < len(question.options) for i in question.correct)
    ):
        errors.append(
            UserError(
                ErrorCode.ASSESSMENT_INVALID,
                f"The correct answers must be distinct option indexes from 0 to "
                f"{len(question.options) - 1}.",
                (*at, "correct"),
            )
        )
    return errors


def _summary(view: AssessmentView) -> dict:
    return {
        "title": view.assessment.title,
        "audience": view.assessment.audience.value,
        "published": view.assessment.published,
        "sections": [
            {
                "title": s.title,
                "durationMinutes": s.duration_minutes,
                "passMark": s.pass_mark,
                "questions": s.question_count,
            }
            for s in view.sections
        ],
    }


async def _write_sections(assessment: Assessment, sections: list[SectionDraft]) -> list[Section]:
    """The sections and their questions, numbered in the order given."""
    made: list[Section] = []
    for order, draft in enumerate(sections, start=1):
        section = await Section.create(
            assessment=assessment,
            order=order,
            title=draft.title.strip(),
            duration_minutes=draft.duration_minutes,
            pass_mark=draft.pass_mark,
            question_count=len(draft.questions),
        )
        await Question.bulk_create(
            [
                Question(
                    section=section,
                    order=q_order,
                    text=q.text.strip(),
                    options=[o.strip() for o in q.options],
                    correct=sorted(q.correct),
                )
                for q_order, q in enumerate(draft.questions, start=1)
            ]
        )
        made.append(section)
    return made


async def create_assessment(
    actor: Actor,
    *,
    title: str,
    description: str,
    audience: Audience,
    sections: list[SectionDraft],
) -> AssessmentView:
    """The board writes an assessment; staff see it once it is published."""
    Authorizer(actor).require(*MANAGE_ASSESSMENTS)
    errors = _check_drafts(sections)
    if not title.strip() or len(title.strip()) > MAX_TITLE:
        errors.insert(
            0,
            UserError(
                ErrorCode.ASSESSMENT_INVALID,
                f"Give the assessment a title of at most {MAX_TITLE} characters.",
                ("input", "title"),
            ),
        )
    if errors:
        raise DomainError(errors)
    async with in_transaction():
        assessment = await Assessment.create(
            title=title.strip(),
            description=description.strip(),
            audience=audience,
            created_by_id=actor.user_id,
            created_at=clock.now(),
        )
        made = await _write_sections(assessment, sections)
        view = AssessmentView(assessment, made)
        await audit.record(
            actor,
            "assessment.create",
            target_type="Assessment",
            target_id=assessment.id,
            after=_summary(view),
        )
    return view


async def set_published(actor: Actor, *, assessment_id: int, published: bool) -> AssessmentView:
    Authorizer(actor).require(*MANAGE_ASSESSMENTS)
    async with in_transaction():
        # The write first: on SQLite a transaction that reads before it writes may be refused.
        changed = await Assessment.filter(id=assessment_id, published_at__isnull=published).update(
            published_at=clock.now() if published else None
        )
        assessment = await Assessment.get_or_none(id=assessment_id)
        if assessment is None:
            raise DomainError.one(
                ErrorCode.NOT_FOUND, "There is no such assessment.", "input", "assessmentId"
            )
        if changed:
            await audit.record(
                actor,
                "assessment.publish" if published else "assessment.unpublish",
                target_type="Assessment",
                target_id=assessment.id,
                before={"published": not published},
                after={"published": published},
            )
    return (await with_sections([assessment]))[0]


@dataclass(frozen=True)
class Visibility:
    membership: Membership
    assessment: Assessment
    hidden: bool


async def _invigilator_and_assessment(
    actor: Actor, organisation_code: str, user_id: int, assessment_id: int
) -> tuple[Organisation, Membership, Assessment]:
    organisation = await require_centre(
        actor, organisation_code, *MANAGE_ASSESSMENT_VISIBILITY, "input", "organisationCode"
    )
    membership = await Membership.get_or_none(
        organisation_id=organisation.id, user_id=user_id
    ).select_related("user")
    errors: list[UserError] = []
    if membership is None or Role.INVIGILATOR not in membership.roles:
        errors.append(
            UserError(
                ErrorCode.NOT_AN_INVIGILATOR,
                f"That user is not an invigilator at {organisation.name}: only invigilators' "
                "assessments can be hidden, and only from invigilators.",
                ("input", "userId"),
            )
        )
    assessment = await Assessment.get_or_none(id=assessment_id)
    if assessment is None:
        errors.append(
            UserError(
                ErrorCode.NOT_FOUND, "There is no such assessment.", ("input", "assessmentId")
            )
        )
    elif assessment.audience is not Audience.INVIGILATORS:
        errors.append(
            UserError(
                ErrorCode.NOT_AN_INVIGILATORS_ASSESSMENT,
                f"{assessment.title} is for all staff: "
                "only invigilators' assessments can be hidden.",
                ("input", "assessmentId"),
            )
        )
    if errors:
        raise DomainError(errors)
    assert membership is not None
    assert assessment is not None
    return organisation, membership, assessment


async def set_hidden(
    actor: Actor, *, organisation_code: str, user_id: int, assessment_id: int, hidden: bool
) -> Visibility:
    """The Centre Admin hides an invigilators' assessment from one invigilator, or unhides it."""
    organisation, membership, assessment = await _invigilator_and_assessment(
        actor, organisation_code, user_id, assessment_id
    )
    keys = {"organisation_id": organisation.id, "user_id": user_id, "assessment_id": assessment.id}
    was_hidden = await HiddenAssessment.exists(**keys)
    async with in_transaction():
        # The audit event first: on SQLite a transaction must begin with its write.
        await audit.record(
            actor,
            "assessment.hide" if hidden else "assessment.unhide",
            organisation_id=organisation.id,
            target_type="User",
            target_id=user_id,
            before={
                "assessmentId": assessment.id,
                "assessment": assessment.title,
                "hidden": was_hidden,
            },
            after={"assessmentId": assessment.id, "assessment": assessment.title, "hidden": hidden},
        )
        if hidden:
            await HiddenAssessment.get_or_create(
                defaults={"hidden_by_id": actor.user_id, "hidden_at": clock.now()}, **keys
            )
        else:
            await HiddenAssessment.filter(**keys).delete()
    return Visibility(membership, assessment, hidden)
