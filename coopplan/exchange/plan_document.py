"""The joint action plan as the official Word document (python-docx).

Landscape A4; a title naming the memorandum; one table grouped by area with
numbered rows (No. | Action | Period | executing bodies of each side | form of
completion) whose header repeats on every page; page numbers; the two
signatories at the end; a visible mark on a draft. In Kazakh, Russian or
English, or Kazakh and Russian side by side (``lang="kk+ru"``).
"""

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
from ..data.bodies import EMPTY, Registry
from ..data.model import Action, Memorandum, Plan, Text
from ..views.filters import Filters
from ..views.texts import describe_filters
from .exports import BILINGUAL, DOCUMENT_LANGUAGES

_SHADE = "DCE6F1"
_DRAFT_RED = RGBColor(0xC0, 0x00, 0x00)
_LINE_BREAK = re.compile("\r\n?|\n")  # CR LF is one break, not two (python-docx breaks at a lone CR too)


def _langs(lang: str) -> tuple[str, ...]:
    return ("kk", "ru") if lang == BILINGUAL else (lang,)


def _t(lang: str, key: str, **fields) -> str:
    """A catalog text, both languages on separate lines when bilingual."""
    return "\n".join(i18n.t(one, key, **fields) for one in _langs(lang))


def _shade(cell, colour: str) -> None:
    # python-docx has no API for cell shading or repeated header rows; these
    # two small elements are the documented OOXML for them.
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:fill"), colour)
    cell._tc.get_or_add_tcPr().append(shading)


def _repeat_as_header(row) -> None:
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(flag)


def _page_number(paragraph) -> None:
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _write(cell, text: str, bold: bool = False, size: float = 9.5) -> None:
    cell.text = ""
    paragraph = cell.paragraphs[0]
    lines = _LINE_BREAK.split(text)
    for number, line in enumerate(lines):
        run = paragraph.add_run(line)
        run.bold = bold
        run.font.size = Pt(size)
        if number < len(lines) - 1:
            run.add_break()


def _initials(name: str) -> str:
    """«Асаин Байханов» → «А. Байханов», as signature blocks write names."""
    parts = name.split()
    return f"{parts[0][0]}. {' '.join(parts[1:])}" if len(parts) > 1 else name


def _text(value: Text | None, lang: str) -> str:
    return "\n".join(value(one) for one in _langs(lang)) if value is not None else ""


def _bodies(keys: list[str], bodies: Registry, lang: str) -> str:
    """A side's bodies, one a line, in each language of the document; a free name once."""
    return "\n".join(dict.fromkeys(name for one in _langs(lang) for name in bodies.names(keys, one))) or "—"


def build(
    actions: list[Action],
    memo: Memorandum,
    plan: Plan | None,
    lang: str,
    total: int | None = None,
    bodies: Registry = EMPTY,
    chosen: Filters | None = None,
) -> bytes:
    """The .docx bytes of the plan for ``actions`` (already filtered and ordered as
    wanted), ``chosen`` by those filters: the document says so under its title."""
    if lang not in DOCUMENT_LANGUAGES:
        raise ValueError(f"document language must be one of {', '.join(DOCUMENT_LANGUAGES)}")
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.0))
    section.top_margin = section.bottom_margin = Cm(1.8)
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(11)
    draft = plan is None or plan.status != "approved"

    if draft:
        mark = section.header.paragraphs[0]
        mark.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        run = mark.add_run(" / ".join(i18n.t(one, "doc.draft") for one in _langs(lang)))
        run.bold = True
        run.font.color.rgb = _DRAFT_RED
        if plan is not None and plan.illustrative:
            note = section.header.add_paragraph(_t(lang, "doc.draft_note").replace("\n", " / "))
            note.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            note.runs[0].font.size = Pt(8)
            note.runs[0].font.color.rgb = _DRAFT_RED
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run(f"{i18n.t(_langs(lang)[-1], 'doc.page')} ")
    _page_number(footer)

    for one in _langs(lang):
        title = document.add_paragraph()
        title.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = title.add_run(i18n.t(one, "doc.title", start=memo.period.start, end=memo.period.end))
        run.bold = True
        run.font.size = Pt(14)
        subtitle = document.add_paragraph(
            i18n.t(
                one,
                "doc.subtitle",
                memorandum=memo.title(one),
                date=i18n.date(memo.signed_on, one),
                place=memo.place(one),
            )
        )
        subtitle.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if total is not None and total != len(actions):
        document.add_paragraph(_t(lang, "doc.filtered", count=len(actions), total=total).replace("\n", " / "))
    if chosen is not None:
        scope = document.add_paragraph(" / ".join(describe_filters(one, chosen, memo, bodies) for one in _langs(lang)))
        scope.runs[0].italic = True

    bilingual = lang == BILINGUAL
    keys = ["doc.col.number", "doc.col.action", "doc.col.period", "doc.col.pavlodar", "doc.col.omsk", "doc.col.outcome"]
    labels = [_t(lang, key) for key in keys]
    widths = [1.2, 8.0, 3.2, 5.0, 5.0, 3.3]
    if bilingual:  # the action's name in Kazakh and in Russian, side by side
        labels[1:2] = [i18n.t("kk", "doc.col.action"), i18n.t("ru", "doc.col.action")]
        widths = [1.2, 5.0, 5.0, 3.2, 4.0, 4.0, 3.3]
    table = document.add_table(rows=1, cols=len(labels))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    header = table.rows[0]
    _repeat_as_header(header)
    for cell, label in zip(header.cells, labels, strict=True):
        _write(cell, label, bold=True)
        _shade(cell, _SHADE)

    number = 0
    for area in memo.areas:
        mine = [a for a in actions if a.area == area.id]
        if not mine:
            continue
        row = table.add_row()
        merged = row.cells[0].merge(row.cells[-1])
        _write(merged, " / ".join(area.name(one) for one in _langs(lang)), bold=True, size=10.5)
        _shade(merged, "F2F2F2")
        for action in mine:
            number += 1
            cells = table.add_row().cells
            values = [f"{number}.", action.title(_langs(lang)[0])]
            if bilingual:
                values.append(action.title("ru"))
            values += [
                "\n".join(action.period_label(one) for one in _langs(lang)),
                _bodies(action.responsible.pavlodar, bodies, lang),
                _bodies(action.responsible.omsk, bodies, lang),
                _text(action.outcome, lang),
            ]
            for cell, value in zip(cells, values, strict=True):
                _write(cell, value)
    if number == 0:
        document.add_paragraph(_t(lang, "doc.empty").replace("\n", " / "))
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)  # Word reads the grid, LibreOffice the cells
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Cm(width)

    document.add_paragraph()
    signatures = document.add_table(rows=2, cols=2)
    for cell, party in zip(signatures.rows[0].cells, memo.parties, strict=True):
        _write(cell, _text(party.signatory.position, lang), bold=True, size=11)
    for cell, party in zip(signatures.rows[1].cells, memo.parties, strict=True):
        names = " / ".join(dict.fromkeys(_initials(party.signatory.name(one)) for one in _langs(lang)))
        _write(cell, f"\n_______________ {names}\n{_t(lang, 'doc.signature').replace(chr(10), ' / ')}", size=11)

    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
