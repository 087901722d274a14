"""Staff assessments, attempts, progress and certificates."""
