"""The input of the shared plumbing's mutation, rerunJob."""

import strawberry
from strawberry import relay


@strawberry.input
class RerunJobInput:
    id: relay.GlobalID = strawberry.field(description="A Job's id.")
