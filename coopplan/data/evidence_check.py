"""An uploaded evidence file checked before it is kept: what it is by its content (PDF,
JPEG, PNG, Word or Excel; never by its name), its size, its name, and for images their
metadata (a photo's location) removed by re-encoding unless the uploader keeps it.

Every bound comes before the content is parsed: the count of files and each one's size
first, then the first bytes, then the parser (Pillow for images, within a pixel bound;
the imports' bounded zip reader, ``workbooks.check_workbook``, for Word and Excel).
A refusal is an ``UploadError`` whose ``kind`` has advice in the catalogs
(``problem.<kind>``)."""

from __future__ import annotations

import io
import re
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass

from ..data.evidence import EXTENSIONS, IMAGES, MAX_BYTES, MAX_PER_TARGET
from .workbooks import Budget, UploadError, check_workbook

# A scanned A4 page at 600 dpi has 35 million pixels; a phone's photo 12 to 50 million.
MAX_PIXELS = 60_000_000
MAX_NAME = 120
_PNG = b"\x89PNG\r\n\x1a\n"
_JPEG = b"\xff\xd8\xff"
_ZIP = b"PK\x03\x04"
_UNSAFE = re.compile(r'[/\\:*?"<>|]')  # what no Windows name holds


@dataclass(frozen=True)
class Checked:
    """What is kept of an upload: its kind, its bytes (re-encoded for an image whose
    metadata goes) and the name a download is saved as."""

    media: str
    data: bytes | memoryview
    name: str


def check_count(already: int, adding: int) -> None:
    """Refuse a batch that would leave more than ``MAX_PER_TARGET`` files on one report,
    before any of them is read."""
    if already + adding > MAX_PER_TARGET:
        message = (
            f"{adding:,} files chosen, {already} already attached; at most {MAX_PER_TARGET} files a report:"
            " choose fewer, or remove some first"
        )
        raise UploadError(message, "evidence_too_many")


def check(name: str, data: bytes | memoryview, keep_metadata: bool = False) -> Checked:
    """The upload ``data`` named ``name``, checked; UploadError with what to do otherwise."""
    if not isinstance(name, str) or any(c in name for c in "/\\\x00") or ".." in name:
        raise UploadError("the file name holds a path; give the file a plain name", "evidence_path_name")
    size = len(data)
    if size > MAX_BYTES:
        raise UploadError(f"the file is {size:,} bytes; the limit is {MAX_BYTES:,} (10 MB)", "evidence_too_large")
    if size == 0:
        raise UploadError("the file is empty", "evidence_empty")
    media = sniff(data)
    if media is None:
        message = "the content is not a PDF, JPEG, PNG, Word (.docx) or Excel (.xlsx) file, whatever its name says"
        raise UploadError(message, "evidence_not_accepted")
    if media in IMAGES:
        data = _image(data, media, keep_metadata)
    elif media in ("docx", "xlsx"):
        try:
            check_workbook(data, Budget(), max_bytes=MAX_BYTES)
        except UploadError as error:
            raise UploadError(f"the {media} file cannot be read safely: {error}", "evidence_damaged") from None
    elif not _pdf_ends(data):
        raise UploadError("the PDF file is cut short (it has no end mark); scan or save it again", "evidence_damaged")
    return Checked(media, data, safe_name(name, media))


def sniff(data: bytes | memoryview) -> str | None:
    """The kind of file ``data`` is, by its first bytes (and a zip's parts); None for any other."""
    head = bytes(data[:8])
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(_JPEG):
        return "jpeg"
    if head.startswith(_PNG):
        return "png"
    if head.startswith(_ZIP):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist()[:5000])
        except Exception:  # a damaged zip: zipfile raises several kinds
            return None
        if "[Content_Types].xml" in names and "word/document.xml" in names:
            return "docx"
        if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
            return "xlsx"
    return None


def _pdf_ends(data: bytes | memoryview) -> bool:
    return b"%%EOF" in bytes(data[-2048:])


def _image(data: bytes | memoryview, media: str, keep_metadata: bool) -> bytes | memoryview:
    from PIL import Image, ImageOps

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=["JPEG" if media == "jpeg" else "PNG"]) as image:
                width, height = image.size
                if width * height > MAX_PIXELS:
                    message = f"the picture has {width}×{height} pixels; at most {MAX_PIXELS:,}: make it smaller"
                    raise UploadError(message, "evidence_too_large")
                image.load()  # decoded whole: a damaged picture is refused here, not when shown
                if keep_metadata:
                    return data
                upright = ImageOps.exif_transpose(image)  # the turn the metadata said, before it goes
                out = io.BytesIO()
                if media == "jpeg":
                    upright.convert("RGB").save(out, "JPEG", quality=90, optimize=True)
                else:
                    upright.save(out, "PNG", optimize=True)
    except UploadError:
        raise
    except Exception:  # Pillow raises many kinds for damaged or hostile pictures
        raise UploadError(
            f"the {media.upper()} picture is damaged; take or save it again", "evidence_damaged"
        ) from None
    kept = out.getbuffer()  # the re-encoded bytes as they are: no second copy
    if len(kept) > MAX_BYTES:
        raise UploadError(
            "the picture is larger than 10 MB without its metadata; make it smaller", "evidence_too_large"
        )
    return kept


def safe_name(name: str, media: str) -> str:
    """The name a download is saved as: the uploaded name's stem without control
    characters or what Windows refuses, with the extension of what the file is."""
    stem = unicodedata.normalize("NFC", name).rpartition(".")[0] or name
    stem = _UNSAFE.sub("_", "".join(c for c in stem if unicodedata.category(c)[0] != "C"))
    stem = stem.strip(" .")[:100].strip(" .") or "document"
    return stem + EXTENSIONS[media]
