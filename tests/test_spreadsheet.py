"""CSV and Excel: export then import is the identity, and no cell can become a formula."""

import datetime as dt
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from coopplan.data import loader, model
from coopplan.exchange import spreadsheet
from tests.helpers import DATA, valid_action

DATASET = loader.load(DATA)


def back_from_csv(actions):
    return [
        model.Action.model_validate(spreadsheet.row_record(r))
        for r in spreadsheet.read_csv(spreadsheet.to_csv(actions))
    ]


def back_from_xlsx(actions):
    data = spreadsheet.to_xlsx(actions, DATASET.memorandum, "ru")
    return [model.Action.model_validate(spreadsheet.row_record(r)) for r in spreadsheet.read_xlsx(data)]


@pytest.mark.parametrize("round_trip", [back_from_csv, back_from_xlsx])
def test_export_then_import_is_the_identity_on_the_shipped_plan(round_trip):
    assert round_trip(DATASET.actions) == DATASET.actions


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
    book = load_workbook(io.BytesIO(spreadsheet.to_xlsx([hostile], DATASET.memorandum, "en")))
    cells = [c for row in book["actions"].iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)
    csv_text = spreadsheet.to_csv([hostile]).decode("utf-8-sig")
    assert all(
        not field.startswith(("=", "+", "-", "@")) for line in csv_text.splitlines() for field in line.split(",")
    )


def test_csv_has_a_byte_order_mark_for_excel():
    assert spreadsheet.to_csv(DATASET.actions[:1]).startswith(b"\xef\xbb\xbf")


def test_xlsx_cells_have_real_types():
    book = load_workbook(io.BytesIO(spreadsheet.to_xlsx(DATASET.actions, DATASET.memorandum, "kk")))
    sheet = book["actions"]
    header = [c.value for c in sheet[1]]
    row = {h: c for h, c in zip(header, sheet[3], strict=True)}  # po-002
    assert row["id"].value == "po-002"
    assert row["progress"].value == 45 and row["progress"].data_type == "n"
    assert isinstance(row["start_date"].value, dt.datetime) and row["start_date"].value.date() == dt.date(2026, 4, 1)
    assert row["start"].value == "2026-Q2"
    assert sheet.freeze_panes == "B2" and sheet.auto_filter.ref
    summary = book["summary"]
    assert summary["A1"].value == "Бағыт" and summary["B1"].value == 2026
    assert summary["A2"].value == "Инвестициялар және сауда" and summary["E2"].value == 8


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
