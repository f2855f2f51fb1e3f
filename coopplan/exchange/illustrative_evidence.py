"""The shipped example evidence: a few small PDFs (a page each, drawn, as a scan looks)
and photographs (drawn scenes), attached to shipped reports and marked illustrative.
Made up here, so that no real person's document or photograph ships with the project;
every page and photo says that it is an illustration.

``python -m coopplan.exchange.illustrative_evidence [DATA_DIR]`` writes them (the same
bytes on every run: a test compares them with the shipped ones).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from ..data import evidence, yamlio

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
MARK = "ИЛЛЮСТРАТИВНЫЙ ПРИМЕР · КӨРНЕКІ МЫСАЛ · НЕ ПОДЛИННЫЙ ДОКУМЕНТ"
STAMP = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)
PAGE = (827, 1169)  # A4 at 100 dpi

# (file name, kind, number, date, titles, the page's lines)
DOCUMENTS = {
    "protocol-1": (
        "Протокол № 1 от 26.03.2026.pdf",
        "protocol",
        "1",
        dt.date(2026, 3, 26),
        {
            "ru": "Протокол заседания совместной рабочей группы № 1",
            "kk": "Бірлескен жұмыс тобы отырысының № 1 хаттамасы",
        },
        ["ПРОТОКОЛ № 1", "заседания совместной рабочей группы", "по реализации меморандума", "26 марта 2026 г."],
    ),
    "protocol-2": (
        "Протокол № 2 от 18.06.2026.pdf",
        "protocol",
        "2",
        dt.date(2026, 6, 18),
        {
            "ru": "Протокол заседания совместной рабочей группы № 2",
            "kk": "Бірлескен жұмыс тобы отырысының № 2 хаттамасы",
        },
        ["ПРОТОКОЛ № 2", "заседания совместной рабочей группы", "Утверждение дорожной карты", "18 июня 2026 г."],
    ),
    "agreement-17": (
        "Соглашение о намерениях № 17.pdf",
        "agreement",
        "17",
        dt.date(2026, 9, 15),
        {"ru": "Соглашение о намерениях № 17", "kk": "№ 17 ниет туралы келісім"},
        ["СОГЛАШЕНИЕ О НАМЕРЕНИЯХ № 17", "о сотрудничестве в сфере", "торговли и инвестиций", "15 сентября 2026 г."],
    ),
}
PHOTOS = {
    "forum": (
        "Молодёжный форум.jpg",
        dt.date(2026, 8, 22),
        {"ru": "Молодёжный форум «Иртыш – река дружбы»", "kk": "«Ертіс – достық өзені» жастар форумы"},
        ("#2d5f8b", "#e9c46a"),
    ),
    "tournament": (
        "Турнир.jpg",
        dt.date(2026, 7, 4),
        {"ru": "Товарищеский турнир команд двух областей", "kk": "Екі облыс командаларының жолдастық турнирі"},
        ("#3a7d44", "#f4a261"),
    ),
}
# what is attached where: (report, item, public)
ATTACHED = [
    ("2026-Q1/po-001-omsk", "protocol-1", False),
    ("2026-Q1/po-001-pavlodar", "protocol-1", False),  # one protocol, two reports: one file
    ("2026-Q2/po-001-omsk", "protocol-2", False),
    ("2026-Q2/po-001-pavlodar", "protocol-2", False),
    ("2026-Q3/po-002-pavlodar", "agreement-17", False),
    ("2026-Q3/po-036-pavlodar", "forum", True),
    ("2026-Q3/po-032-pavlodar", "tournament", True),
]


def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT), size)


def document_pdf(lines: list[str]) -> bytes:
    """One page as a scanner makes it: an image of the page in a PDF."""
    page = Image.new("L", PAGE, 246)
    draw = ImageDraw.Draw(page)
    draw.text((PAGE[0] // 2, 60), MARK, font=_font(15), fill=90, anchor="mm")
    y = 200
    for number, line in enumerate(lines):
        draw.text((PAGE[0] // 2, y), line, font=_font(30 if number == 0 else 22), fill=20, anchor="mm")
        y += 60 if number == 0 else 40
    for row in range(14):  # the body of the text, as grey lines
        width = 640 if row % 5 != 4 else 380
        draw.rectangle((95, 470 + row * 34, 95 + width, 480 + row * 34), fill=175)
    draw.line((480, 1010, 720, 1010), fill=60, width=2)
    draw.text((600, 1030), "(подпись / қолы)", font=_font(16), fill=90, anchor="mm")
    out = io.BytesIO()
    page.save(
        out,
        "PDF",
        resolution=100.0,
        title="Illustrative example",
        creationDate=STAMP.timetuple(),
        modDate=STAMP.timetuple(),
    )
    return out.getvalue()


def photo_jpeg(caption: str, colours: tuple[str, str]) -> bytes:
    """A drawn scene: a hall, a stage and a banner saying it is an illustration."""
    image = Image.new("RGB", (960, 640), "#d9d4c7")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 420, 960, 640), fill="#8a6f4d")  # floor
    draw.rectangle((140, 90, 820, 260), fill=colours[0])  # banner
    draw.text((480, 150), caption, font=_font(26), fill="white", anchor="mm")
    draw.text((480, 215), "ИЛЛЮСТРАЦИЯ · КӨРНЕКІ СУРЕТ", font=_font(22), fill=colours[1], anchor="mm")
    for column in range(9):  # people as simple figures
        x = 90 + column * 100
        draw.ellipse((x, 330, x + 44, 374), fill="#c58c5c")
        draw.rectangle((x - 6, 378, x + 50, 520), fill=colours[column % 2])
    out = io.BytesIO()
    image.save(out, "JPEG", quality=82)
    return out.getvalue()


def made() -> dict[str, tuple[bytes, dict]]:
    """item -> (its bytes, its record's fields but where it is attached)."""
    items = {}
    for item, (name, kind, number, date, title, lines) in DOCUMENTS.items():
        fields = {"kind": kind, "number": number, "date": date, "language": "ru", "title": title, "name": name}
        items[item] = (document_pdf(lines), {**fields, "media": "pdf"})
    for item, (name, date, title, colours) in PHOTOS.items():
        fields = {"kind": "photo", "date": date, "title": title, "name": name, "media": "jpeg"}
        items[item] = (photo_jpeg(title["ru"], colours), fields)
    return items


def records() -> list[tuple[dict, bytes]]:
    """Each shipped attachment's record and its file's bytes."""
    items, found = made(), []
    for of, item, public in ATTACHED:
        data, fields = items[item]
        sha = hashlib.sha256(data).hexdigest()
        side = of.rpartition("-")[2]
        record = evidence.Attachment.model_validate(
            {
                "id": "ev-" + hashlib.sha256(f"{of}\n{item}".encode()).hexdigest()[:12],
                "of": of,
                "side": side,
                **fields,
                "file": sha,
                "size": len(data),
                "public": public,
                "illustrative": True,
                "updated": STAMP,
                "updated_by": "illustrative-draft",
            }
        )
        found.append((record.to_yaml_dict(), data))
    return found


def write(data_dir: Path) -> None:
    for record, data in records():
        (data_dir / evidence.FILES).mkdir(exist_ok=True)
        (data_dir / evidence.FOLDER).mkdir(exist_ok=True)
        evidence.file_path(data_dir, record["file"]).write_bytes(data)
        evidence.record_path(data_dir, record["id"]).write_text(yamlio.dumps(record), encoding="utf-8")


if __name__ == "__main__":
    write(Path(sys.argv[1] if len(sys.argv) > 1 else "data"))
