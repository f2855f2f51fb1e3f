"""Evidence: the documents and photos attached to a report or an action, and their records.

The bytes live once, named by their SHA-256, in ``files/<sha256>``; each attachment is
a small record ``evidence/<id>.yaml`` saying what it is (kind, number, date, language,
title), what it is attached to (``of``: a report's key ``2026-Q3/po-001-omsk`` or an
action's id), which file holds it and who may see it. Two reports citing the same
protocol have two records and one file. Only the store writes either
(``editing.evidence``); ``problems`` is what ``validate`` and the loader say of them.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal, get_args

from pydantic import Field, StringConstraints

from . import model, yamlio
from .files import shown_path
from .validate import Problem

FOLDER = "evidence"  # the records
FILES = "files"  # the bytes, by their SHA-256
REMOVED = ".removed"  # under FILES: bytes no record names any more, kept for undo (hidden: not data)
MAX_BYTES = 10 * 1024 * 1024  # one file
MAX_PER_TARGET = 10  # files on one report (or one action)
ROUTE = "/files/"

Kind = Literal["letter", "agreement", "protocol", "photo", "publication", "other"]
KINDS: tuple[str, ...] = get_args(Kind)
# The kinds of file accepted, recognised by their content (``data.evidence_check``).
Media = Literal["pdf", "jpeg", "png", "docx", "xlsx"]
MEDIA_TYPES = {
    "pdf": "application/pdf",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
EXTENSIONS = {"pdf": ".pdf", "jpeg": ".jpg", "png": ".png", "docx": ".docx", "xlsx": ".xlsx"}
IMAGES = ("jpeg", "png")
SHA_PATTERN = r"^[0-9a-f]{64}$"
TARGET_PATTERN = r"^(\d{4}-Q[1-4]/[A-Za-z0-9_-]{1,64}-(pavlodar|omsk)|[A-Za-z0-9_-]{1,64})$"
EVIDENCE_ID = r"^ev-[0-9a-f]{12}$"
# A safe download name: no path, no control character, none that Windows refuses, no leading dot.
NAME_PATTERN = r'^[^\x00-\x1f\x7f/\\:*?"<>|. ][^\x00-\x1f\x7f/\\:*?"<>|]{0,118}\.(pdf|jpg|png|docx|xlsx)$'
_SHA = re.compile(SHA_PATTERN)
_ID = re.compile(EVIDENCE_ID)


class Attachment(model._Strict):
    """One file attached to a report or an action: ``evidence/<id>.yaml``."""

    id: Annotated[str, StringConstraints(pattern=EVIDENCE_ID)]
    of: Annotated[str, StringConstraints(pattern=TARGET_PATTERN)]  # a report's key or an action's id
    side: model.Region  # whose evidence: the report's side, or the uploader's for an action
    kind: Kind
    title: model.Text
    number: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)] | None = None
    date: dt.date | None = None
    language: model.Lang | None = None
    file: Annotated[str, StringConstraints(pattern=SHA_PATTERN)]
    name: Annotated[str, StringConstraints(pattern=NAME_PATTERN)]  # what a download is saved as
    media: Media
    size: Annotated[int, Field(ge=1, le=MAX_BYTES, strict=True)]
    public: bool = False  # an editor's choice: visitors of a public deployment may download it
    illustrative: bool = False  # made up for the shipped example data, no real document
    updated: dt.datetime | None = None
    updated_by: model.NonEmpty | None = None

    @property
    def report(self) -> str | None:
        """The key of the report it is attached to; None for an action's."""
        return self.of if "/" in self.of else None

    @property
    def action(self) -> str:
        if self.report is None:
            return self.of
        return self.of.partition("/")[2].removesuffix(f"-{self.side}")

    @property
    def url(self) -> str:
        return ROUTE + self.file

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.media]

    def to_yaml_dict(self) -> dict:
        data = self.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
        if self.date is not None:
            data["date"] = self.date  # written as people type a date
        return data


def is_id(text: str) -> bool:
    return bool(_ID.fullmatch(text))


def record_path(data_dir: Path, evidence_id: str) -> Path:
    return Path(data_dir) / FOLDER / f"{evidence_id}.yaml"


def file_path(data_dir: Path, sha: str) -> Path:
    return Path(data_dir) / FILES / sha


def is_sha(text: str) -> bool:
    return bool(_SHA.fullmatch(text))


def for_report(records: list[Attachment], key: str) -> list[Attachment]:
    return [r for r in records if r.of == key]


def api_record(record: Attachment, visitor: bool) -> dict:
    """An attachment as the API and the pages give it: a record, not bytes. A visitor
    (not signed in) of a public deployment learns that it exists (kind, number, date),
    and gets its title and address only when an editor marked it public."""
    if visitor and not record.public:
        return {k: v for k, v in record.model_dump(mode="json", exclude_none=True).items() if k in _VISIBLE}
    data = record.model_dump(mode="json", exclude_none=True, exclude={"updated_by"} if visitor else set())
    return {**data, "url": record.url, "media_type": record.media_type}


_VISIBLE = ("id", "of", "side", "kind", "number", "date", "language", "public", "illustrative")


@dataclass(frozen=True)
class Loaded:
    records: list[Attachment]
    problems: list[Problem]


def record_problems(
    record: Attachment, name: str, shown: str, text: str, data_dir: Path, targets: set[str] | None
) -> list[Problem]:
    lines = yamlio.key_lines(text)
    found = []
    if f"{record.id}.yaml" != name:
        message = f"id '{record.id}' differs from the file name '{name}'; they must match"
        found.append(Problem(shown, lines.get(("id",), 1), message, "id_mismatch"))
    if targets is not None and record.of not in targets:
        message = f"attached to {record.of}, which is no report or action here; attach it to one or remove the record"
        found.append(Problem(shown, lines.get(("of",), 1), message, "evidence_no_target"))
    if record.report is not None and not record.of.endswith(f"-{record.side}"):
        message = f"side {record.side} is not the side of report {record.of}"
        found.append(Problem(shown, lines.get(("side",), 1), message, "evidence_side"))
    path = file_path(data_dir, record.file)
    try:
        size = os.stat(path).st_size if path.is_file() and not path.is_symlink() else None
    except OSError:
        size = None
    line = lines.get(("file",), 1)
    if size is None:
        message = f"names {FILES}/{record.file}, which is not there; put the file back or remove this record"
        found.append(Problem(shown, line, message, "evidence_no_file"))
    elif size != record.size:
        message = f"{FILES}/{record.file} holds {size:,} bytes, the record says {record.size:,}; the file was changed"
        found.append(Problem(shown, lines.get(("size",), line), message, "evidence_size"))
    return found


def named_by_broken(folder: Path) -> set[str]:
    """Hashes named by records that do not load: their files are not orphans, only
    the record is wrong (said once, of the record)."""
    found: set[str] = set()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return found
    for entry in entries:
        if entry.name.endswith(".yaml") and entry.is_file(follow_symlinks=False) and entry.stat().st_size < 64 * 1024:
            with open(entry.path, "rb") as handle:
                found.update(m.decode() for m in re.findall(rb"\b[0-9a-f]{64}\b", handle.read()))
    return found


def file_problems(data_dir: Path, named: set[str]) -> list[Problem]:
    folder = data_dir / FILES
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return []
    problems = []
    for entry in entries:
        if entry.name.startswith("."):
            continue
        shown = shown_path(Path(entry.path))
        if not is_sha(entry.name) or not entry.is_file(follow_symlinks=False):
            message = f"{FILES}/ holds only attached files named by their SHA-256; move this out of the data folder"
            problems.append(Problem(shown, 1, message, "evidence_stray"))
        elif entry.name not in named:
            message = f"no record in {FOLDER}/ names this file; attach it to a report again or remove it from {FILES}/"
            problems.append(Problem(shown, 1, message, "evidence_orphan"))
    return problems


def targets(action_ids: list[str], report_keys: list[str]) -> set[str]:
    return {*action_ids, *report_keys}


def folders(data_dir: Path) -> list[Path]:
    """The folders whose changes change what is attached (for the loader's cache stamps)."""
    return [Path(data_dir) / FOLDER, Path(data_dir) / FILES]


# ---- as the API gives them ------------------------------------------------------------


class CitedText(model._Strict):
    """Evidence cited as a line of text (a document's number and date, a link), no file."""

    text: str


class FileRecord(model._Strict):
    """An attached file as the API gives it: its record with the file's ``url``; to a
    visitor of a public deployment, of a file not marked public, only that it exists
    (kind, number, date), without title, name or ``url``."""

    id: str
    of: str
    side: model.Region
    kind: Kind
    title: model.Text | None = None
    number: str | None = None
    date: dt.date | None = None
    language: model.Lang | None = None
    file: str | None = None
    name: str | None = None
    media: Media | None = None
    size: int | None = None
    public: bool = False
    illustrative: bool = False
    updated: dt.datetime | None = None
    updated_by: str | None = None
    url: str | None = None  # the file's route: GET it signed in (or with an API token)
    media_type: str | None = None


class Report(model.Report):
    """A progress report as the API gives it: its ``evidence`` as records, the lines of
    text it cites and the files attached to it."""

    # wider than the stored report's list of texts, and only ever given out, never stored
    evidence: list[CitedText | FileRecord] = Field(default_factory=list)  # type: ignore[assignment]


def report_record(report: model.Report, records: list[Attachment]) -> dict:
    """``report`` as the API gives it (``Report``), every attachment in full:
    ``for_visitors`` takes away what a visitor may not see."""
    data = report.to_yaml_dict()
    data["evidence"] = [{"text": line} for line in report.evidence] + [
        api_record(r, visitor=False) for r in for_report(records, report.key)
    ]
    return data


def for_visitors(body: object) -> object:
    """An API answer as a visitor gets it: each attached file not marked public reduced
    to the fact that it exists."""
    if isinstance(body, dict):
        if isinstance(body.get("url"), str) and body["url"].startswith(ROUTE) and not body.get("public"):
            return {k: v for k, v in body.items() if k in _VISIBLE}
        return {k: for_visitors(v) for k, v in body.items()}
    if isinstance(body, list):
        return [for_visitors(v) for v in body]
    return body
