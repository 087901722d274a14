"""Organisations, centres and the centres spreadsheet."""
