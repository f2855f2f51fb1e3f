"""The plan taken away and brought back: the official Word document, Excel and CSV,
a calendar, and the import of an edited spreadsheet."""
