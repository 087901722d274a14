"""Test sessions: sittings of a syllabus's test at a venue and time, and entering candidates
into them."""
