"""Test sessions: their types, the lists and the mutations that create, change and cancel them
and enter candidates into them; starting a test with an entry code, the test a candidate
started, and the session's log-in sheet."""
