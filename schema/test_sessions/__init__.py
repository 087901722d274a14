"""Test sessions: starting a test with an entry code, the test a candidate started, and the
session's log-in sheet."""
