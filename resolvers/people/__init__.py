"""People at organisations: users and their roles, staff accounts one by one and from a file."""
