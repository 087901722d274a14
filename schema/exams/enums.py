"""Enums of the exams: series months, entry states, what entering a candidate or a results row
does."""

import strawberry

from models.exams import EntryStatus as EntryStatusValue
from models.exams import SeriesMonth as SeriesMonthValue
from resolvers.exams import bulk_results as result_uploads
from resolvers.exams import entries as entry_cases
from resolvers.exams import name_warnings

SeriesMonth = strawberry.enum(SeriesMonthValue)


EntryStatus = strawberry.enum(EntryStatusValue)


EntryOutcome = strawberry.enum(entry_cases.EntryOutcome, description="What enterCandidate did.")


EntryWarningCode = strawberry.enum(
    name_warnings.EntryWarningCode,
    description="Stable codes of what an entry made anyway asks the centre to check.",
)


ResultRowOutcome = strawberry.enum(
    result_uploads.ResultRowOutcome, description="What loadResultsFromCsv does with a row."
)
