"""The joint action plan as the official Word document (python-docx).

Landscape A4; a title naming the memorandum; one table grouped by area with
numbered rows (No. | Action | Period | executing bodies of each side | form of
completion) whose header repeats on every page; page numbers; the two
signatories at the end; a visible mark on a draft, and on an illustrative plan.
In Kazakh, Russian or English, or Kazakh and Russian side by side (``lang="kk+ru"``).
"""

from __future__ import annotations

from docx.enum.text import WD_ALIGN_PARAGRAPH

from .. import i18n
from ..data.bodies import EMPTY, Registry
from ..data.model import Action, Memorandum, Plan
from ..i18n import BILINGUAL, DOCUMENT_LANGUAGES
from ..views.filters import Filters
from ..views.texts import describe_filters
from . import word


def _initials(name: str) -> str:
    """«Асаин Байханов» → «А. Байханов», as signature blocks write names."""
    parts = name.split()
    return f"{parts[0][0]}. {' '.join(parts[1:])}" if len(parts) > 1 else name


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
    document = word.landscape(plan, lang)
    for one in word.langs(lang):
        word.title(document, [i18n.t(one, "doc.title", start=memo.period.start, end=memo.period.end)])
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
        document.add_paragraph(word.t(lang, "doc.filtered", joiner=" / ", count=len(actions), total=total))
    if chosen is not None:
        scope = document.add_paragraph(
            " / ".join(describe_filters(one, chosen, memo, bodies) for one in word.langs(lang))
        )
        scope.runs[0].italic = True

    bilingual = lang == BILINGUAL
    keys = ["doc.col.number", "doc.col.action", "doc.col.period", "doc.col.pavlodar", "doc.col.omsk", "doc.col.outcome"]
    labels = [word.t(lang, key) for key in keys]
    widths = [1.2, 8.0, 3.2, 5.0, 5.0, 3.3]
    if bilingual:  # the action's name in Kazakh and in Russian, side by side
        labels[1:2] = [i18n.t("kk", "doc.col.action"), i18n.t("ru", "doc.col.action")]
        widths = [1.2, 5.0, 5.0, 3.2, 4.0, 4.0, 3.3]
    grid = word.table(document, labels)
    number = 0
    for area in memo.areas:
        mine = [a for a in actions if a.area == area.id]
        if not mine:
            continue
        word.group_row(grid, " / ".join(area.name(one) for one in word.langs(lang)))
        for action in mine:
            number += 1
            values = [f"{number}.", action.title(word.langs(lang)[0])]
            if bilingual:
                values.append(action.title("ru"))
            values += [
                "\n".join(action.period_label(one) for one in word.langs(lang)),
                word.bodies(action.responsible.pavlodar, bodies, lang),
                word.bodies(action.responsible.omsk, bodies, lang),
                word.text(action.outcome, lang),
            ]
            word.add_row(grid, values)
    if number == 0:
        document.add_paragraph(word.t(lang, "doc.empty", joiner=" / "))
    word.fix_widths(grid, widths)

    document.add_paragraph()
    signatures = document.add_table(rows=2, cols=2)
    for cell, party in zip(signatures.rows[0].cells, memo.parties, strict=True):
        word.write(cell, word.text(party.signatory.position, lang), bold=True, size=11)
    for cell, party in zip(signatures.rows[1].cells, memo.parties, strict=True):
        names = " / ".join(dict.fromkeys(_initials(party.signatory.name(one)) for one in word.langs(lang)))
        word.write(cell, f"\n_______________ {names}\n{word.t(lang, 'doc.signature', joiner=' / ')}", size=11)
    return word.to_bytes(document)
