"""People at organisations: users and their roles, staff accounts one by one and from a file,
and the one module (accounts) that opens accounts and places for all of them."""
