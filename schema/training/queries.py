"""Training's root fields: your assessments, staff progress and summary, and a certificate."""

from typing import Annotated

import strawberry
from strawberry import relay

from policies import Role as RoleValue
from resolvers.training import (
    assessment_access,
    assessments,
    certificates,
    deletion_impact,
    staff_progress,
)
from schema.core.context import Info
from schema.core.described import CentreCode
from schema.core.ids import node_id
from schema.core.pagination import (
    After,
    Before,
    Connection,
    First,
    Last,
    PageArgs,
    connection,
    page_window,
)
from schema.core.permissions import SignedIn
from schema.people.types import UserNode
from schema.training.inputs import MEMBER_ID
from schema.training.types import (
    AssessmentAccess,
    AssessmentNode,
    AssessmentProgress,
    CertificateNode,
    StaffProgress,
    StaffSummaryRow,
    UserDeletionImpact,
)

_MemberIdArgument = Annotated[relay.GlobalID, strawberry.argument(description=MEMBER_ID)]


@strawberry.type
class AssessmentQueries:
    @strawberry.field(
        permission_classes=[SignedIn],
        description="The published assessments you may take at the centre: invigilators see "
        "the invigilators' ones not hidden from them; other staff see all of them.",
    )
    async def my_assessments(
        self,
        info: Info,
        organisation_code: CentreCode,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[AssessmentNode]:
        page = await page_window(
            PageArgs(first, after, last, before),
            lambda limit, offset: assessments.my_assessments(
                info.context.actor, organisation_code, limit=limit, offset=offset
            ),
            default=15,
        )
        return connection(page, AssessmentNode.of)

    @strawberry.field(
        permission_classes=[SignedIn],
        description="A person's assessments at the centre: for them, and for its Centre Admin, "
        "user managers and SLT.",
    )
    async def staff_progress(
        self, info: Info, organisation_code: CentreCode, user_id: _MemberIdArgument
    ) -> StaffProgress:
        progress = await staff_progress.user_progress(
            info.context.actor,
            organisation_code=organisation_code,
            user_id=node_id(user_id, "User", "userId"),
        )
        return StaffProgress(
            user=UserNode.of(progress.user),
            roles=[RoleValue(r) for r in progress.roles],
            assessments=[AssessmentProgress.of(a) for a in progress.assessments],
        )

    @strawberry.field(
        permission_classes=[SignedIn],
        description="The centre's users with assessments passed, in progress and not started.",
    )
    async def staff_summary(
        self,
        info: Info,
        organisation_code: CentreCode,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[StaffSummaryRow]:
        page = await page_window(
            PageArgs(first, after, last, before),
            lambda limit, offset: staff_progress.staff_summary(
                info.context.actor,
                organisation_code=organisation_code,
                limit=limit,
                offset=offset,
            ),
            default=15,
        )
        return connection(page, StaffSummaryRow.of)

    @strawberry.field(
        permission_classes=[SignedIn],
        description="Centre Admin: a person's Assessment Access screen, the invigilators' "
        "assessments ticked where hidden from them (setHiddenAssessments saves it).",
    )
    async def assessment_access(
        self, info: Info, organisation_code: CentreCode, user_id: _MemberIdArgument
    ) -> AssessmentAccess:
        access = await assessment_access.assessment_access(
            info.context.actor,
            organisation_code=organisation_code,
            user_id=node_id(user_id, "User", "userId"),
        )
        return AssessmentAccess.of(access)

    @strawberry.field(
        permission_classes=[SignedIn],
        description="Before deleteUserAccount: what goes with the account (certificates and "
        "assessment attempts) and a warning to show, for whoever may delete accounts there.",
    )
    async def user_deletion_impact(
        self, info: Info, organisation_code: CentreCode, user_id: _MemberIdArgument
    ) -> UserDeletionImpact:
        impact = await deletion_impact.user_deletion_impact(
            info.context.actor,
            organisation_code=organisation_code,
            user_id=node_id(user_id, "User", "userId"),
        )
        return UserDeletionImpact.of(impact)

    @strawberry.field(
        permission_classes=[SignedIn],
        description="One certificate: for its holder (while a member of its centre) and for "
        "that centre's user managers, SLT and Centre Admin. FORBIDDEN otherwise, and for an id "
        "that names no certificate.",
    )
    async def certificate(
        self,
        info: Info,
        id: Annotated[relay.GlobalID, strawberry.argument(description="The Certificate's id.")],
    ) -> CertificateNode:
        found = await certificates.get_certificate(
            info.context.actor, node_id(id, "Certificate", "id")
        )
        return CertificateNode.of(found)
