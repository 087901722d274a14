"""Enums of the exams: series months, entry states, what entering a candidate or a results row
does."""

from models.exams import EntryStatus as EntryStatusValue
from models.exams import SeriesMonth as SeriesMonthValue
from resolvers.exams import bulk_results as result_uploads
from resolvers.exams import entries as entry_cases
from resolvers.exams import name_warnings
from schema.core.described import described_enum

SeriesMonth = described_enum(
    SeriesMonthValue,
    "The month an exam series is sat in; with the year it makes the series' code, e.g. 2026-JUN.",
    {
        "MARCH": "The March series (code suffix MAR).",
        "JUNE": "The June series (code suffix JUN).",
        "NOVEMBER": "The November series (code suffix NOV).",
    },
)


EntryStatus = described_enum(
    EntryStatusValue,
    "Whether an entry stands. A withdrawn entry stays in the lists.",
    {
        "ENTERED": "The candidate is entered: they may sit the syllabus and get a result.",
        "WITHDRAWN": "The centre withdrew the entry (withdrawEntry); entering the candidate "
        "for the syllabus again reinstates it.",
    },
)


EntryOutcome = described_enum(
    entry_cases.EntryOutcome,
    "What enterCandidate did, or what a row of enterCandidatesFromCsv does, with the username.",
    {
        "NEW_CANDIDATE": "The username was new at the centre: a candidate was created.",
        "LINKED_TO_EXISTING_CANDIDATE": "The username belongs to a candidate of the centre: "
        "the entries were added to them, and their names, number, UCI and password were kept.",
    },
)


EntryWarningCode = described_enum(
    name_warnings.EntryWarningCode,
    "Stable codes of what an entry made anyway asks the centre to check.",
    {
        "NAME_DIFFERS": "The username linked to an existing candidate whose name is not the "
        "one typed (case and accents aside): check that it is the same person.",
    },
)


ResultRowOutcome = described_enum(
    result_uploads.ResultRowOutcome,
    "What loadResultsFromCsv does with a row.",
    {
        "NEW_RESULT": "The entry had no result: this row loads its first.",
        "REPLACES_RESULT": "The entry had a result: this row replaces it.",
    },
)
