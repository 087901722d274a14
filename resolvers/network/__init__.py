"""The board's network: organisations, centres and the centres spreadsheet."""
