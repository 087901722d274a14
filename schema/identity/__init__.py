"""Signing in, the first sign-in's steps, passwords, authenticator apps, and `me`."""
