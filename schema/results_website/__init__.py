"""The candidate results website: its administration, the letters, and candidates reading their
results."""
