"""Enums of the candidate results website: who may read a series' results online."""

from models.results_access import AccessStatus
from schema.core.described import described_enum

ResultsAccessStatus = described_enum(
    AccessStatus,
    "Who may read the series' results online: NO candidates, ALL candidates entered in it, or "
    "SELECTED ones.",
    {
        "NONE": "No candidate: existing usernames and passwords stop working and candidates "
        "are signed out.",
        "ALL": "Every candidate with a valid entry in the series, each with a username and "
        "password, including candidates entered later.",
        "SELECTED": "Only the candidates the exams officer picks with "
        "updateResultsAccessSelection.",
    },
    name="ResultsAccessStatus",
)
