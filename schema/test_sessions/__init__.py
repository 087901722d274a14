"""Test sessions: their types, the lists and the mutations that create, change and cancel them
and enter candidates into them."""
