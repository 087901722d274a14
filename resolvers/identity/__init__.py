"""Signing in: sessions, first sign-in, recovery, passwords, authenticator codes, and setting
another person's credentials."""
