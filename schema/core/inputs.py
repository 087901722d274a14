"""The input of the shared plumbing's mutation, rerunJob."""

import strawberry
from strawberry import relay


@strawberry.input(description="Which interrupted job to run again.")
class RerunJobInput:
    id: relay.GlobalID = strawberry.field(
        description="The Job's id (`Job.id`), as its mutation answered it."
    )
