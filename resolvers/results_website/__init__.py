"""The candidate results website: which candidates have access, their credentials and letters,
candidate sign-in, and who looked."""
