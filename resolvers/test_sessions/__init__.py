"""Test sessions: sittings of a syllabus's test at a venue and time, entering candidates into
them, candidates starting a session's test with their entry code, and the log-in sheets their
centre prints for them."""
