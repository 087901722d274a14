"""Access explained (explainAccess) and the rules as a table (policyTable)."""

from enum import StrEnum

import strawberry
from strawberry import relay

from policies import PolicyLine, Reason, Subject
from policies.policy_table import ROLES, PolicyRow, render_markdown
from policies.reasons import MEANINGS
from resolvers.admin.access_explanations import AccessAnswer
from schema.core.described import described_enum

AccessReason = described_enum(
    Reason,
    "Why a call was refused: FORBIDDEN errors carry it in `extensions.reason` (UNAUTHENTICATED "
    "ones NOT_SIGNED_IN), and explainAccess answers it. It never tells what exists at an "
    "organisation the caller has nothing to do with.",
    MEANINGS,
    name="AccessReason",
)


class _Relation(StrEnum):
    # Values are the relations of policies/model.conf's requests.
    SELF = "self"
    ASSOCIATE_CENTRE = "parent"
    BOARD = "board"


AccessRelation = described_enum(
    _Relation,
    "How the organisation where a role is held relates to the organisation acted on.",
    {
        _Relation.SELF: "The role is held there.",
        _Relation.ASSOCIATE_CENTRE: "The role is held at the associate of that associate centre.",
        _Relation.BOARD: "The role is held at the exam board, which reaches every organisation.",
    },
    name="AccessRelation",
)


@strawberry.type(description="One `p` line of policies/policy.csv.")
class PolicyRule:
    role: str = strawberry.field(description="The role the line is about (its subject).")
    scope: str = strawberry.field(
        description="Which relations it admits: `org` (self or associate centre), `own` (self "
        "only) or `board`."
    )
    object: str = strawberry.field(description="What it is about.")
    action: str = strawberry.field(description="What it allows.")
    line: int = strawberry.field(description="Its line number in policies/policy.csv.")
    text: str = strawberry.field(description="The line as written, e.g. `p, SLT, org, ...`.")

    @classmethod
    def of(cls, line: PolicyLine) -> "PolicyRule":
        return cls(
            role=line.subject,
            scope=line.scope,
            object=line.obj,
            action=line.act,
            line=line.line,
            text=line.text,
        )


@strawberry.type(description="A role the person brings to the organisation, and how.")
class AccessSubject:
    role: str = strawberry.field(
        description="A role, or MEMBER, which every member holds where they belong."
    )
    relation: AccessRelation = strawberry.field(description="Where the role is held.")
    allowed_by: PolicyRule | None = strawberry.field(
        description="The policy line that lets this role do it here; null: none does."
    )

    @classmethod
    def of(cls, subject: Subject) -> "AccessSubject":
        return cls(
            role=subject.role,
            relation=_Relation(subject.relation),
            allowed_by=PolicyRule.of(subject.allowed_by) if subject.allowed_by else None,
        )


@strawberry.type(
    description="Whether a person may do an action at an organisation, and why: the same "
    "decision the API makes for them."
)
class AccessExplanation:
    user_id: relay.GlobalID = strawberry.field(description="The User asked about.")
    organisation_code: str = strawberry.field(description="Where.")
    object: str = strawberry.field(description="The object asked about (policyTable's rows).")
    action: str = strawberry.field(description="The action asked about.")
    allowed: bool = strawberry.field(description="The decision.")
    reason: AccessReason | None = strawberry.field(description="Why not; null when allowed.")
    rule: PolicyRule | None = strawberry.field(
        description="The policy line that allowed it (the first subject's that does); null "
        "when refused."
    )
    subjects: list[AccessSubject] = strawberry.field(
        description="Every role the person brings to the organisation, with its relation: "
        "none when they hold nothing that reaches it (or no such user exists)."
    )

    @classmethod
    def of(cls, answer: AccessAnswer) -> "AccessExplanation":
        explanation = answer.explanation
        return cls(
            user_id=relay.GlobalID("User", str(answer.user_id)),
            organisation_code=answer.organisation.code,
            object=answer.obj,
            action=answer.act,
            allowed=explanation.allowed,
            reason=explanation.reason,
            rule=PolicyRule.of(explanation.rule) if explanation.rule else None,
            subjects=[AccessSubject.of(s) for s in explanation.subjects],
        )


@strawberry.type(description="A role that may do a row's action, and where.")
class PolicyGrant:
    role: str = strawberry.field(description="The role (or MEMBER, CANDIDATE...).")
    relations: list[AccessRelation] = strawberry.field(
        description="Where it may: held there, at the associate of that centre, or the board."
    )


@strawberry.type(description="One object and action of the policy, and who may.")
class PolicyTableRow:
    object: str = strawberry.field(description="What the rule is about.")
    action: str = strawberry.field(description="What it allows.")
    grants: list[PolicyGrant] = strawberry.field(
        description="Each role that may (inherited roles counted), and where; roles that may "
        "not are left out."
    )

    @classmethod
    def of(cls, row: PolicyRow) -> "PolicyTableRow":
        return cls(
            object=row.obj,
            action=row.act,
            grants=[
                PolicyGrant(role=g.role, relations=[_Relation(r) for r in g.relations])
                for g in row.grants
            ],
        )


@strawberry.type(
    description="The roles x actions x scope table, made from policies/model.conf and "
    "policy.csv: what `examdesk policy-table` prints and the README shows."
)
class PolicyTable:
    roles: list[str] = strawberry.field(description="The roles, in the table's column order.")
    rows: list[PolicyTableRow] = strawberry.field(description="Every object and action.")
    markdown: str = strawberry.field(description="The same table as Markdown.")

    @classmethod
    def of(cls, rows: tuple[PolicyRow, ...]) -> "PolicyTable":
        return cls(
            roles=list(ROLES),
            rows=[PolicyTableRow.of(row) for row in rows],
            markdown=render_markdown(),
        )
