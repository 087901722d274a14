"""Test sessions: candidates starting a session's test with their entry code, and the log-in
sheets their centre prints for them."""
