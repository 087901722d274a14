"""Email templates, undelivered email, audit reports and the sign-in event log."""
