"""In production, only a signed-in board admin may introspect the schema (__schema, __type).

The schema is the map of everything examdesk can do; the board's staff need it in GraphiQL and
for client code generation, nobody else does. __typename is not introspection of the schema and
stays open. In development the schema is open to all.
"""

from collections.abc import Iterator
from typing import Any

from graphql import GraphQLError
from graphql.language import FieldNode
from graphql.validation import ValidationRule
from strawberry.extensions import SchemaExtension

from policies import Authorizer, Reason

# policy.csv: p, BOARD_ADMIN, board, schema, introspect
OBJECT, ACTION = "schema", "introspect"


class _IntrospectionRefused(ValidationRule):
    message: str
    code: str
    reason: Reason

    def enter_field(self, node: FieldNode, *_args: Any) -> None:
        # The two ways in; the introspection types are reachable only through them.
        if node.name.value in {"__schema", "__type"}:
            self.report_error(
                GraphQLError(
                    self.message, node, extensions={"code": self.code, "reason": self.reason.value}
                )
            )


class _SignInFirst(_IntrospectionRefused):
    message = "Introspection is for signed-in board admins only here. Sign in first."
    code = "UNAUTHENTICATED"
    reason = Reason.NOT_SIGNED_IN


class _BoardAdminsOnly(_IntrospectionRefused):
    message = "Introspection is for board admins only here."
    code = "FORBIDDEN"
    reason = Reason.ROLE_NOT_ENOUGH


class IntrospectionGuard(SchemaExtension):
    def on_validate(self) -> Iterator[None]:
        context = self.execution_context.context
        if getattr(context, "production", False):
            actor = context.actor
            # allows() counts only a fully signed-in session: one still at its first sign-in's
            # steps proves no more than an emailed temporary password, which may have leaked.
            if not Authorizer(actor).allows(OBJECT, ACTION):
                rule = _BoardAdminsOnly if actor.signed_in or actor.is_candidate else _SignInFirst
                self.execution_context.validation_rules = (
                    *self.execution_context.validation_rules,
                    rule,
                )
        yield
