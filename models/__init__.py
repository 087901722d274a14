"""Tortoise models, one module per domain."""

MODEL_MODULES = [
    "models.organisations",
    "models.users",
    "models.sessions",
    "models.mail",
    "models.audit",
    "models.exams",
    "models.test_sessions",
    "models.results_access",
    "models.jobs",
    "models.files",
    "models.releases",
    "models.services",
    "models.assessments",
    "models.help_documents",
    "models.trusted_documents",
]

__all__ = ["MODEL_MODULES"]
