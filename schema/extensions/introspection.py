"""No introspection for anonymous callers in production."""

from collections.abc import Iterator

from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.extensions import SchemaExtension

from models.sessions import SessionStage


class AnonymousIntrospectionGuard(SchemaExtension):
    def on_validate(self) -> Iterator[None]:
        context = self.execution_context.context
        # Only a fully signed-in session counts: a session still at its first sign-in's steps
        # proves no more than an emailed temporary password, which may have been intercepted.
        if getattr(context, "production", False) and context.actor.stage is not SessionStage.FULL:
            self.execution_context.validation_rules = (
                *self.execution_context.validation_rules,
                NoSchemaIntrospectionCustomRule,
            )
        yield
