"""Enums of the candidate results website: who may read a series' results online."""

import strawberry

from models.results_access import AccessStatus

ResultsAccessStatus = strawberry.enum(
    AccessStatus,
    name="ResultsAccessStatus",
    description="Who may read the series' results online: NO candidates, ALL candidates "
    "entered in it, or SELECTED ones.",
)
