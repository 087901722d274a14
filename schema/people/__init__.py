"""Users at organisations and staff accounts."""
