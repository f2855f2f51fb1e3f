"""CSV and Excel: export then import is the identity, and no cell can become a formula."""

import datetime as dt
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from coopplan import i18n
from coopplan.data import loader, model
from coopplan.exchange import importer, spreadsheet
from coopplan.views.filters import Filters
from tests.helpers import DATA, valid_action

DATASET = loader.load(DATA)
WORDS = spreadsheet.Vocabulary.of(DATASET.memorandum, DATASET.bodies)


def back_from_csv(actions, lang="ru"):
    return [
        model.Action.model_validate(spreadsheet.row_record(r, WORDS))
        for r in spreadsheet.read_csv(spreadsheet.to_csv(actions, lang, DATASET.bodies))
    ]


def back_from_xlsx(actions, lang="ru"):
    data = spreadsheet.to_xlsx(actions, DATASET, lang)
    return [model.Action.model_validate(spreadsheet.row_record(r, WORDS)) for r in spreadsheet.read_xlsx(data)]


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
@pytest.mark.parametrize("round_trip", [back_from_csv, back_from_xlsx])
def test_export_then_import_is_the_identity_on_the_shipped_plan(round_trip, lang):
    assert round_trip(DATASET.actions, lang) == DATASET.actions


@pytest.mark.parametrize(
    "value", ["=1+2", "+7 701", "-5", "@SUM(A1)", "\tx", "\rx", "'quoted", "''", "plain", '=HYPERLINK("http://x")']
)
def test_protection_neutralises_formulas_and_reverses_exactly(value):
    protected = spreadsheet.protect(value)
    assert not protected.startswith(spreadsheet.FORMULA_STARTS)
    assert spreadsheet.unprotect(protected) == value


def test_no_exported_cell_is_a_formula():
    hostile = model.Action.model_validate(
        valid_action(
            title={"ru": "=cmd|' /C calc'!A0", "kk": "+1", "en": "@SUM(1)"},
            responsible={"pavlodar": ["-2+3"], "omsk": ["=1"]},
            tags=["ok"],
        )
    )
    book = load_workbook(io.BytesIO(spreadsheet.to_xlsx([hostile], DATASET, "en")))
    cells = [c for row in book.worksheets[0].iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)
    csv_text = spreadsheet.to_csv([hostile], "en", DATASET.bodies).decode("utf-8-sig")
    assert all(
        not field.startswith(("=", "+", "-", "@")) for line in csv_text.splitlines() for field in line.split(",")
    )


def test_csv_has_a_byte_order_mark_for_excel():
    assert spreadsheet.to_csv(DATASET.actions[:1]).startswith(b"\xef\xbb\xbf")


def test_the_first_sheet_is_for_people_in_the_chosen_language():
    chosen = Filters(areas=("tourism", "sport"), years=(2027,))
    body = DATASET.bodies.of_region("pavlodar")[0]
    second = model.Action.model_validate(
        valid_action(
            "t-002",
            area="investment_trade",
            lead="pavlodar",
            status="in_progress",
            progress=45,
            start="2026-Q2",
            title={"kk": "Павлодар облысының инвестициялық мүмкіндіктерін Омбы облысында таныстыру " * 2},
            responsible={"pavlodar": [body]},
        )
    )
    actions = [DATASET.actions[0], second, *DATASET.actions[2:5]]
    book = load_workbook(io.BytesIO(spreadsheet.to_xlsx(actions, DATASET, "kk", chosen)))
    sheet = book.worksheets[0]
    assert book.sheetnames == ["Жоспар", "Жиынтық"]
    # what the sheet holds, said above the table: the plan, the filters, how many, the draft note
    assert sheet["A1"].value == DATASET.plan.title.kk
    assert sheet["A2"].value == "Іріктеу: Бағыт: Туризм, Спорт; Жыл: 2027."
    total = i18n.number(len(DATASET.actions), "kk")
    assert sheet["A3"].value.startswith(f"Файлда {total} ішінен 5 іс-шара; жүктеп алынған күні: ")
    assert sheet["A4"].value.startswith("Жоспардың шартты мысалы: ")  # approved, and an illustrative example
    header = [c.value for c in sheet[spreadsheet.HEADER_ROW]]
    assert header[:8] == [
        "Нөмірі (id)",
        "Атауы (қазақ тілінде)",
        "Бағыт",
        "Жетекші тарап",
        "Мәртебе",
        "Орындалуы, %",
        "Басталуы",
        "Аяқталуы",
    ]
    row = {h: c for h, c in zip(header, sheet[spreadsheet.HEADER_ROW + 2], strict=True)}
    assert row["Нөмірі (id)"].value == "t-002"
    assert row["Бағыт"].value == "Инвестициялар және сауда" and row["Мәртебе"].value == "Орындалуда"
    assert row["Басталуы"].value == "2026 жылғы II тоқсан" and row["Жетекші тарап"].value == "Павлодар облысы"
    assert row["Павлодар облысының орындаушылары"].value == DATASET.bodies.name(body, "kk")
    assert row["Орындалуы, %"].value == 45 and row["Орындалуы, %"].data_type == "n"
    start = row["Басталу күні"]
    assert isinstance(start.value, dt.datetime) and start.value.date() == dt.date(2026, 4, 1)
    assert start.number_format == "DD.MM.YYYY"
    # formatted to be read and printed: frozen header, filters on, wrapped text, landscape
    assert sheet.freeze_panes == f"C{spreadsheet.HEADER_ROW + 1}"
    assert sheet.auto_filter.ref.startswith(f"A{spreadsheet.HEADER_ROW}:")
    assert row["Атауы (қазақ тілінде)"].alignment.wrap_text and sheet.column_dimensions["B"].width >= 40
    # rows as tall as their wrapped text (spreadsheets do not fit them on opening)
    assert sheet.row_dimensions[spreadsheet.HEADER_ROW + 2].height >= 3 * spreadsheet.LINE_POINTS
    assert sheet.page_setup.orientation == "landscape" and sheet.print_area.endswith(f"$K${spreadsheet.HEADER_ROW + 5}")
    summary = book.worksheets[1]
    assert summary["A1"].value == "Бағыт" and summary["B1"].value == 2026
    assert summary["A2"].value == "Инвестициялар және сауда"


def test_a_sheet_headed_the_earlier_way_with_language_codes_is_still_read():
    data = spreadsheet.to_xlsx(DATASET.actions[:2], DATASET, "ru")
    book = load_workbook(io.BytesIO(data))
    sheet = book.worksheets[0]
    title = next(c for c in sheet[spreadsheet.HEADER_ROW] if c.value == "Наименование (на русском языке)")
    title.value = "Наименование · RU"  # as sheets exported before the headers said the language in words
    out = io.BytesIO()
    book.save(out)
    assert spreadsheet.read_xlsx(out.getvalue())[0]["title_ru"] == DATASET.actions[0].title.ru


def test_a_sheet_edited_by_people_is_read_as_they_wrote_it():
    data = spreadsheet.to_xlsx(DATASET.actions[:3], DATASET, "ru")
    book = load_workbook(io.BytesIO(data))
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[spreadsheet.HEADER_ROW]]
    row = {h: c for h, c in zip(header, sheet[spreadsheet.HEADER_ROW + 2], strict=True)}
    row["Статус"].value = "Выполнено"  # in Russian, as a person picks it
    row["Окончание"].value = "2027 жылғы III тоқсан"  # a Kazakh colleague's period
    row["Направление"].value = "agriculture"  # a code still works
    row["Исполнители Омской области"].value = "Омбы облысының экономика министрлігі\nНовый партнёр"
    out = io.BytesIO()
    book.save(out)
    record = spreadsheet.row_record(spreadsheet.read_xlsx(out.getvalue())[1], WORDS)
    assert (record["status"], record["end"], record["area"]) == ("done", "2027-Q3", "agriculture")
    assert record["responsible"]["omsk"] == ["omsk-economy", "Новый партнёр"]


def test_a_workbook_saved_again_by_libreoffice_calc_imports_unchanged(libreoffice, tmp_path):
    """The people's sheet in Kazakh and in Russian, opened and saved by Calc: every
    row reads back as the action it was (headers, names, periods, bodies, dates)."""
    exported = []
    for lang in ("kk", "ru"):
        path = tmp_path / f"plan-{lang}.xlsx"
        path.write_bytes(spreadsheet.to_xlsx(DATASET.actions, DATASET, lang, Filters(areas=("tourism",))))
        exported.append(path)
    for saved in libreoffice(exported, "xlsx"):
        assert saved.read_bytes() != (tmp_path / saved.name).read_bytes()  # Calc wrote it anew
        rows = importer.read_rows(saved.read_bytes(), saved.name)
        results = importer.preview(rows, DATASET)
        assert [(r.action_id, r.kind) for r in results] == [(a.id, "unchanged") for a in DATASET.actions]


def test_the_rows_keep_their_numbers_as_the_sheet_shows_them():
    rows = spreadsheet.read_xlsx(spreadsheet.to_xlsx(DATASET.actions[:2], DATASET, "en"))
    assert [r[spreadsheet.ROW] for r in rows] == [spreadsheet.HEADER_ROW + 1, spreadsheet.HEADER_ROW + 2]


KAZAKH = "әғқңөұүһіӘҒҚҢӨҰҮҺІ"
hostile_text = st.text(
    alphabet=st.sampled_from(list(KAZAKH + "абвАБВ abc=+-@'\"\t\r\n,;«»|\\<>&*%$#")),
    min_size=1,
    max_size=40,
).filter(lambda s: s.strip())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=hostile_text, body=hostile_text, outcome=hostile_text, source=hostile_text)
def test_hostile_text_survives_both_round_trips(title, body, outcome, source):
    body = " ".join(body.split())  # a body's name is one line, without tabs (model.BODY_PATTERN)
    action = model.Action.model_validate(
        valid_action(
            title={"ru": title, "kk": title[::-1]},
            responsible={"pavlodar": [body], "omsk": ["Министерство"]},
            outcome={"kk": outcome},
            budget={"amount": 10.5, "currency": "KZT", "source": source},
        )
    )
    assert back_from_csv([action]) == [action]
    assert back_from_xlsx([action]) == [action]
