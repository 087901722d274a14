"""The migrations of the models' schema, oldest first: made by `examdesk makemigrations` and
applied by `examdesk migrate` (examdesk/migrator.py)."""
