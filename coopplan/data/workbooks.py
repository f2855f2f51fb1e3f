"""Uploaded workbooks and CSV files read within bounds, so no upload can hold the server.

An .xlsx is a zip of XML parts, and what the parts declare cannot be trusted: a
6.5 KB workbook whose sheet declares the dimension ``A1:XFD1048576`` and holds one
cell on row 1,048,576 made openpyxl's read-only reader pad a million rows to 16,384
cells each (minutes of CPU, the interpreter held). So every upload is bounded twice:

- before openpyxl reads it (``check_workbook``): its size, its parts, how far they
  unpack, then a streaming scan of every XML part (expat, no tree built) that counts
  the elements, the rows by their number and the cells by their column, empty ones
  included, and stops at the first one past a bound;
- while reading (``sheet_rows``, ``bounded``): the declared dimension is dropped,
  rows are counted by position and their width checked as they come, and the time
  the reading thread has spent on the processor is checked at every row.

Past a bound the upload is refused with ``UploadError``, saying what to delete.
"""

from __future__ import annotations

import io
import re
import time
import zipfile
from collections.abc import Iterable, Iterator
from xml.parsers import expat

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# A workbook is a zip: a few kilobytes can unpack to gigabytes (openpyxl reads
# the shared strings whole). Real exports unpack to about 10× their size.
MAX_UNPACKED_BYTES = 20 * MAX_UPLOAD_BYTES
MAX_PARTS = 1_000  # an export has about ten; Excel's own files a few dozen
MAX_ROWS = 20_000  # rows of actions or reports imported at once
# Rows are counted by their position, the empty ones between and under the table
# included: what openpyxl would walk. Room for the title lines and blank rows.
MAX_SHEET_ROWS = MAX_ROWS + 5_000
MAX_COLUMNS = 200  # the plan's sheet has 30
MAX_CELLS = 1_000_000  # 20,000 rows of the plan's sheet have 600,000
# An export of 1,800 actions (800 KB) has 130,000 XML elements, so a 5 MB one about 850,000.
MAX_ELEMENTS = 2_000_000
# openpyxl builds the shared strings and the styles whole before a row is read, at about
# 4 µs an element of the shared strings and 16 µs one of the styles here: each part
# beside the sheets is bounded on its own, to about 2 s.
MAX_SHARED_STRING_ELEMENTS = 500_000
MAX_PART_ELEMENTS = 100_000  # styles, the workbook, its theme…: Excel allows 64,000 cell formats
# Of the reading thread's own processor time: other sessions' work does not count.
# An export of 1,800 actions takes 0.8 s to read here: one of more than about 10,000
# (near the 5 MB limit) may be refused with the advice to split it, rather than hold
# a core longer.
READ_SECONDS = 6.0
_CHECK_EVERY = 4096  # scanned elements between two looks at the clock
_CELL = re.compile(r"([A-Z]{1,3})(\d*)$")


class UploadError(ValueError):
    """A file that cannot be read as the plan's spreadsheet, with what to do;
    ``kind`` names the reason as ``validate.Problem.kind`` does."""

    def __init__(self, message: str, kind: str):
        super().__init__(message)
        self.kind = kind


class Budget:
    """The processor time one upload may take, counted on the thread reading it."""

    def __init__(self, seconds: float = READ_SECONDS):
        self.seconds = seconds
        self.started = time.thread_time()

    def check(self) -> None:
        if time.thread_time() - self.started > self.seconds:
            raise UploadError(
                f"reading the file took more than {self.seconds:g} s of processor time; split it into smaller files",
                "upload_too_slow",
            )


def too_large(message: str) -> UploadError:
    return UploadError(message, "sheet_too_large")


def column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _column(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def check_workbook(data: bytes | memoryview, budget: Budget | None = None, max_bytes: int = MAX_UPLOAD_BYTES) -> None:
    """Refuse, before openpyxl reads it, what is too large or no workbook at all, and
    a workbook whose sheets reach past the bounds, whatever their dimension says.
    Evidence files (Word documents too: the same zip of XML parts) pass here with
    their own ``max_bytes``."""
    budget = budget or Budget()
    if len(data) > max_bytes:
        raise UploadError(f"the file is {len(data):,} bytes; the limit is {max_bytes:,}", "too_large")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except Exception:  # not a zip at all, or a damaged one: zipfile raises several kinds
        raise UploadError(
            "the file is named .xlsx but is not an Excel workbook; export it again from Excel", "not_xlsx"
        ) from None
    if len(entries) > MAX_PARTS:
        raise UploadError(f"the workbook has {len(entries):,} parts; the limit is {MAX_PARTS:,}", "too_large")
    # the sizes the zip declares bound what is read: zipfile stops at them and checks the CRC
    unpacked = sum(entry.file_size for entry in entries)
    if unpacked > MAX_UNPACKED_BYTES:
        raise UploadError(
            f"the workbook unpacks to {unpacked:,} bytes; the limit is {MAX_UNPACKED_BYTES:,}", "too_large"
        )
    scan = _Scan(budget)
    for entry in entries:
        if entry.filename.endswith((".xml", ".rels")):
            scan.part(archive, entry)


class _Scan:
    """Counts what openpyxl would build from the XML parts, stopping at the first bound passed."""

    def __init__(self, budget: Budget):
        self.budget = budget
        self.elements = self.cells = 0

    def part(self, archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> None:
        parser = expat.ParserCreate()
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        parser.StartDoctypeDeclHandler = self._doctype
        parser.StartElementHandler = self._element
        self.root: str | None = None
        self.row = self.column = self.in_row = self.in_part = 0
        self.limit = MAX_ELEMENTS
        try:
            with archive.open(entry) as stream:
                while chunk := stream.read(1 << 16):
                    parser.Parse(chunk, False)
                parser.Parse(b"", True)
        except (expat.ExpatError, zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
            if isinstance(error, UploadError):
                raise
            raise UploadError(
                f"the Excel file cannot be read ({entry.filename} is damaged); save it again as .xlsx", "not_xlsx"
            ) from None

    def _doctype(self, *_) -> None:
        # Excel never writes one; it is how entity expansion attacks begin
        raise UploadError("the workbook declares a document type, which Excel never writes", "not_xlsx")

    def _element(self, name: str, attributes: dict) -> None:
        self.elements += 1
        if not self.elements % _CHECK_EVERY:
            self.budget.check()
            if self.elements > MAX_ELEMENTS:
                raise too_large(f"the workbook holds more than {MAX_ELEMENTS:,} XML elements")
        self.in_part += 1
        local = name.rpartition(":")[2]
        if self.root is None:
            self.root = local
            self.limit = {"worksheet": MAX_ELEMENTS, "sst": MAX_SHARED_STRING_ELEMENTS}.get(local, MAX_PART_ELEMENTS)
        if self.in_part > self.limit:
            raise too_large(f"a part of the workbook ({self.root}) holds more than {self.limit:,} XML elements")
        if self.root != "worksheet":
            return
        if local == "row":
            number = attributes.get("r", "")
            self.row = int(number) if number.isdigit() else self.row + 1
            self.column = self.in_row = 0
            if self.row > MAX_SHEET_ROWS:
                raise too_large(
                    f"a sheet has a row numbered {self.row:,}; at most {MAX_SHEET_ROWS:,} rows are read, empty ones"
                    " included: delete the rows below the table"
                )
        elif local == "c":
            found = _CELL.match(attributes.get("r", ""))
            self.column = _column(found.group(1)) if found else self.column + 1
            self.cells += 1
            self.in_row += 1
            if self.column > MAX_COLUMNS or self.in_row > MAX_COLUMNS:
                raise too_large(
                    f"a sheet has a cell in column {column_letters(max(self.column, self.in_row))} of row"
                    f" {self.row:,}; at most {MAX_COLUMNS} columns are read: delete the columns right of the table"
                )
            if self.cells > MAX_CELLS:
                raise too_large(f"the workbook has more than {MAX_CELLS:,} cells; split it into smaller files")


def bounded(rows: Iterable[tuple[int, Iterable]], budget: Budget) -> Iterator[tuple[int, tuple]]:
    """(row number, values) of ``rows`` as they come, refused past the bounds: a row's
    number counts the empty rows before it, its width every cell up to its last."""
    for number, values in rows:
        budget.check()
        if number > MAX_SHEET_ROWS:
            raise too_large(
                f"the table goes on past row {MAX_SHEET_ROWS:,}, empty rows included: delete the rows below it"
            )
        values = tuple(values or ())
        if len(values) > MAX_COLUMNS:
            raise too_large(
                f"row {number:,} has a cell in column {column_letters(len(values))}; at most {MAX_COLUMNS} columns"
                " are read: delete the columns right of the table"
            )
        yield number, values


def sheet_rows(sheet, budget: Budget, first: int = 1) -> Iterator[tuple[int, tuple]]:
    """(row number, values) of a read-only openpyxl sheet from row ``first``, within the
    bounds. The declared dimension is dropped: openpyxl pads every row to its width."""
    sheet.reset_dimensions()
    values = sheet.iter_rows(min_row=first, max_row=MAX_SHEET_ROWS + 1, values_only=True)
    return bounded(enumerate(values, start=first), budget)
