"""What the tests share beyond fixtures: the GraphQL client, the loopback SMTP server, the SQL
statement counter, the database the suite runs on, and the app behind a real server. Test
modules import from here (never from one another); tests/conftest.py turns these into fixtures."""
