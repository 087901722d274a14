"""Series, syllabuses, candidates, entries and results, and their CSV uploads."""
