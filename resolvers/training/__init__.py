"""Staff assessments: taking them, progress, and certificates."""
