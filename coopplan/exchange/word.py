"""Word pieces the plan's documents share (python-docx): a landscape A4 page with the
draft mark and page numbers, tables whose header repeats on every page, shaded and
merged rows, and cells written line by line, in one language or Kazakh and Russian
side by side (``kk+ru``)."""

from __future__ import annotations

import io
import re

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from .. import i18n
from ..data.bodies import Registry
from ..data.model import Plan, Text
from ..i18n import BILINGUAL

HEADER_SHADE = "DCE6F1"
GROUP_SHADE = "F2F2F2"
DRAFT_RED = RGBColor(0xC0, 0x00, 0x00)
# what follows w:cantSplit in a row's properties, in the schema's order
_AFTER_CANT_SPLIT = (
    "w:trHeight",
    "w:tblHeader",
    "w:tblCellSpacing",
    "w:jc",
    "w:hidden",
    "w:ins",
    "w:del",
    "w:trPrChange",
)
_LINE_BREAK = re.compile("\r\n?|\n")  # CR LF is one break, not two (python-docx breaks at a lone CR too)


def langs(lang: str) -> tuple[str, ...]:
    return ("kk", "ru") if lang == BILINGUAL else (lang,)


def t(lang: str, key: str, joiner: str = "\n", **fields) -> str:
    """A catalog text; both languages, joined by ``joiner``, when bilingual."""
    return joiner.join(i18n.t(one, key, **fields) for one in langs(lang))


def text(value: Text | None, lang: str) -> str:
    """Data text in the document's language(s), one under the other."""
    return "\n".join(value(one) for one in langs(lang)) if value is not None else ""


def bodies(keys: list[str], registry: Registry, lang: str) -> str:
    """A side's bodies, one a line, in each language of the document; a free name once."""
    return "\n".join(dict.fromkeys(name for one in langs(lang) for name in registry.names(keys, one))) or "—"


def landscape(plan: Plan | None, lang: str, note: str = "doc.draft_note", draft: bool | None = None) -> Document:
    """A landscape A4 document in Times New Roman with page numbers, marked as a draft
    until the plan is approved, and as illustrative while it is an example (``note``:
    the catalog key saying so, as the document is the plan or a report on it; ``draft``:
    marked as a draft whatever the plan, as a report on a quarter not yet closed is)."""
    document = Document()
    properties(document, title="", subject="", author="", keywords="")  # not the library's
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(2.0)
    section.top_margin = section.bottom_margin = Cm(1.8)
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(11)
    mark = section.header.paragraphs[0]
    mark.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if draft if draft is not None else plan is None or plan.status != "approved":
        run = mark.add_run(t(lang, "doc.draft", joiner=" / "))
        run.bold = True
        run.font.color.rgb = DRAFT_RED
    if plan is not None and plan.illustrative:
        line = section.header.add_paragraph(t(lang, note, joiner=" / "))
        line.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        line.runs[0].font.size = Pt(8)
        line.runs[0].font.color.rgb = DRAFT_RED
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_number(footer)  # the number alone, as both countries' rules for documents have it
    return document


def properties(document, title: str, subject: str, author: str, keywords: str) -> None:
    """The document's properties, as a file manager or Word's «Properties» shows them."""
    core = document.core_properties
    core.title, core.subject, core.author, core.keywords = title[:255], subject[:255], author[:255], keywords[:255]
    core.last_modified_by, core.comments = author, ""


def side_by_side(document, texts: list[str], bold: bool = False, centred: bool = False) -> None:
    """Lines of text in two languages side by side, in a table without borders."""
    grid = document.add_table(rows=1, cols=len(texts))
    for cell, value in zip(grid.rows[0].cells, texts, strict=True):
        write(cell, value, bold=bold, size=11)
        if centred:
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER


def hold_together(document, blocks: int) -> None:
    """Keep the document's last ``blocks`` paragraphs and tables on one page (a heading
    and the signature block under it, say): no row of theirs splits across pages, and
    each line but the last row's stays with what follows it."""
    body = [e for e in document.element.body if e.tag in (qn("w:p"), qn("w:tbl"))][-blocks:]
    rows = [row for element in body for row in element.iter(qn("w:tr"))]
    for row in rows:
        row.get_or_add_trPr().insert_element_before(OxmlElement("w:cantSplit"), *_AFTER_CANT_SPLIT)
    last = rows[-1] if body and body[-1].tag == qn("w:tbl") else body[-1]
    for element in body:
        for paragraph in element.iter(qn("w:p")):
            if last not in paragraph.iterancestors() and paragraph is not last:
                paragraph.get_or_add_pPr().keepNext_val = True


def title(document, lines: list[str], size: float = 14) -> None:
    """Centred bold lines, one paragraph each."""
    for line in lines:
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(line)
        run.bold = True
        run.font.size = Pt(size)


def table(document, labels: list[str]):
    """A grid table with a shaded header row that repeats on every page."""
    grid = document.add_table(rows=1, cols=len(labels))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    header = grid.rows[0]
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    header._tr.get_or_add_trPr().append(flag)
    for cell, label in zip(header.cells, labels, strict=True):
        write(cell, label, bold=True)
        shade(cell, HEADER_SHADE)
    return grid


def group_row(grid, label: str) -> None:
    """A row across the whole table naming the group of rows below it (an area)."""
    row = grid.add_row()
    merged = row.cells[0].merge(row.cells[-1])
    write(merged, label, bold=True, size=10.5)
    shade(merged, GROUP_SHADE)


def add_row(grid, values: list[str], bold: bool = False, numbers_from: int | None = None) -> None:
    """A row of ``values``; from column ``numbers_from`` on, figures set right as a table of numbers has them."""
    for column, (cell, value) in enumerate(zip(grid.add_row().cells, values, strict=True)):
        write(cell, value, bold=bold)
        if numbers_from is not None and column >= numbers_from:
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT


def fix_widths(grid, widths: list[float]) -> None:
    """Column widths in centimetres: Word reads the grid, LibreOffice the cells."""
    grid.autofit = False
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = Cm(width)
    for row in grid.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Cm(width)


def shade(cell, colour: str) -> None:
    # python-docx has no API for cell shading or repeated header rows; these
    # small elements are the documented OOXML for them.
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:fill"), colour)
    cell._tc.get_or_add_tcPr().append(shading)


def _page_number(paragraph) -> None:
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    number = OxmlElement("w:t")
    number.text = "1"
    run.append(number)
    field.append(run)
    paragraph._p.append(field)


def write(cell, value: str, bold: bool = False, size: float = 9.5) -> None:
    cell.text = ""
    paragraph = cell.paragraphs[0]
    lines = _LINE_BREAK.split(value)
    for number, line in enumerate(lines):
        run = paragraph.add_run(line)
        run.bold = bold
        run.font.size = Pt(size)
        if number < len(lines) - 1:
            run.add_break()


def to_bytes(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
