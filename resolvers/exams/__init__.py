"""Exam series, syllabuses, candidates, entries and results, one by one and from CSV files."""
