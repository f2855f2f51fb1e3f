"""The plan document read back with python-docx: title, one table, rows under their areas."""

import io

import pytest
from docx import Document
from docx.shared import Cm

from coopplan.data import loader, model
from coopplan.exchange import plan_document
from coopplan.views.filters import Filters
from tests.helpers import DATA, valid_action

DATASET = loader.load(DATA)


def build(actions, lang, plan=DATASET.plan, chosen=None):
    return Document(
        io.BytesIO(
            plan_document.build(
                actions,
                DATASET.memorandum,
                plan,
                lang,
                total=len(DATASET.actions),
                bodies=DATASET.bodies,
                chosen=chosen,
            )
        )
    )


def cell_texts(table):
    return [[cell.text for cell in row.cells] for row in table.rows]


@pytest.mark.parametrize(
    "lang, title, number",
    [
        (
            "ru",
            "План совместных мероприятий по сотрудничеству между Павлодарской областью и Омской областью на 2026–2028 годы",
            "№ п/п",
        ),
        (
            "kk",
            "Павлодар облысы мен Омбы облысы арасындағы ынтымақтастық жөніндегі 2026–2028 жылдарға арналған бірлескен іс-шаралар жоспары",
            "Р/с №",
        ),
        ("en", "Joint action plan for cooperation between Pavlodar Region and Omsk Region for 2026–2028", "No."),
    ],
)
def test_title_table_and_rows_under_their_areas(lang, title, number):
    document = build(DATASET.actions, lang)
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0] == title
    assert DATASET.memorandum.title(lang) in paragraphs[1]
    table = document.tables[0]
    rows = cell_texts(table)
    assert rows[0][0] == number and len(rows[0]) == 6
    area_rows = [r for r in rows[1:] if len(set(r)) == 1]
    assert [r[0] for r in area_rows] == [a.name(lang) for a in DATASET.memorandum.areas]
    action_rows = [r for r in rows[1:] if len(set(r)) > 1]
    assert len(action_rows) == len(DATASET.actions)
    assert [r[0] for r in action_rows] == [f"{n}." for n in range(1, len(DATASET.actions) + 1)]
    by_title = {r[1]: r for r in action_rows}
    sez = DATASET.action("po-002")
    row = by_title[sez.title(lang)]
    assert row[2] == sez.period_label(lang)
    names = DATASET.bodies.names
    assert row[3] == "\n".join(names(sez.responsible.pavlodar, lang))
    assert row[4] == "\n".join(names(sez.responsible.omsk, lang))
    assert row[5] == sez.outcome(lang)


def test_rows_follow_their_area_heading():
    rows = cell_texts(build(DATASET.actions, "ru").tables[0])
    area = None
    names = {a.name("ru"): a.id for a in DATASET.memorandum.areas}
    titles = {a.title("ru"): a.area for a in DATASET.actions}
    for row in rows[1:]:
        if len(set(row)) == 1:
            area = names[row[0]]
        else:
            assert titles[row[1]] == area


def test_layout_landscape_repeated_header_page_numbers_and_signatories():
    document = build(DATASET.actions, "ru")
    section = document.sections[0]
    assert abs(section.page_width - Cm(29.7)) < Cm(0.01) and abs(section.page_height - Cm(21.0)) < Cm(0.01)
    header_row = document.tables[0].rows[0]._tr
    assert header_row.xpath("./w:trPr/w:tblHeader")
    assert section.footer.paragraphs[0]._p.xpath(".//w:fldSimple[@w:instr='PAGE']")
    signatures = cell_texts(document.tables[1])
    assert signatures[0] == ["Аким Павлодарской области", "Губернатор Омской области"]
    assert "А. Байханов" in signatures[1][0] and "В. Хоценко" in signatures[1][1]


def test_a_draft_is_marked_an_illustrative_plan_is_marked_and_an_approved_plan_is_not():
    draft = DATASET.plan.model_copy(update={"status": "draft", "illustrative": False})
    assert build(DATASET.actions, "ru", draft).sections[0].header.paragraphs[0].text == "ПРОЕКТ"
    shipped = build(DATASET.actions, "ru").sections[0].header  # approved, and an illustrative example
    assert shipped.paragraphs[0].text == "" and shipped.paragraphs[1].text.startswith("Условный пример")
    approved = DATASET.plan.model_copy(update={"status": "approved", "illustrative": False})
    assert [p.text for p in build(DATASET.actions, "ru", approved).sections[0].header.paragraphs] == [""]


def test_kazakh_and_russian_side_by_side():
    draft = DATASET.plan.model_copy(update={"status": "draft"})
    document = build(DATASET.actions[:3], "kk+ru", draft)
    rows = cell_texts(document.tables[0])
    assert rows[0][1] == "Іс-шараның атауы" and rows[0][2] == "Наименование мероприятия"
    first = DATASET.actions[0]
    assert rows[2][1] == first.title("kk") and rows[2][2] == first.title("ru")
    assert document.sections[0].header.paragraphs[0].text == "ЖОБА / ПРОЕКТ"


def test_filtered_documents_say_how_many_of_all_and_which_filters():
    document = build(DATASET.actions[:2], "en", chosen=Filters(areas=("investment_trade",), statuses=("done",)))
    paragraphs = [p.text for p in document.paragraphs]
    assert "Selected actions: 2 (of 45)" in paragraphs
    assert "Selection: Area: Investment and trade; Status: Done." in paragraphs


def test_the_kazakh_document_names_the_bodies_in_kazakh():
    rows = cell_texts(build(DATASET.actions, "kk").tables[0])
    health = next(r for r in rows if r[1] == DATASET.action("po-015").title.kk)
    assert health[3] == "Павлодар облысының денсаулық сақтау басқармасы"
    assert health[4].startswith("Омбы облысының денсаулық сақтау министрлігі")
    assert not any("Управление" in r[3] or "Министерство" in r[4] for r in rows[1:])


def test_side_by_side_the_bodies_are_in_kazakh_then_in_russian():
    rows = cell_texts(build([DATASET.action("po-015")], "kk+ru").tables[0])
    assert (
        rows[2][4] == "Павлодар облысының денсаулық сақтау басқармасы\nУправление здравоохранения Павлодарской области"
    )
    free = model.Action.model_validate(valid_action(responsible={"omsk": ["Новый партнёр"]}))
    assert cell_texts(build([free], "kk+ru").tables[0])[2][5] == "Новый партнёр"  # a free name once


def test_hostile_text_is_written_as_text():
    # (control characters never get this far: text refuses them, see test_fuzz.py)
    evil = model.Action.model_validate(
        valid_action(title={"ru": "<script>alert(1)</script> =1+1 [x](javascript:alert(1))"})
    )
    rows = cell_texts(build([evil], "ru").tables[0])
    assert rows[2][1] == "<script>alert(1)</script> =1+1 [x](javascript:alert(1))"
