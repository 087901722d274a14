"""No introspection for anonymous callers in production."""

from collections.abc import Iterator

from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.extensions import SchemaExtension


class AnonymousIntrospectionGuard(SchemaExtension):
    def on_validate(self) -> Iterator[None]:
        context = self.execution_context.context
        if getattr(context, "production", False) and not context.actor.signed_in:
            self.execution_context.validation_rules = (
                *self.execution_context.validation_rules,
                NoSchemaIntrospectionCustomRule,
            )
        yield
