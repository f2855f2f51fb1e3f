"""The reports form filled as officials fill it, re-saved by LibreOffice Calc, read back
with no row refused that a person would call correct; wrong and hostile rows give one
row problem each, in the reader's language, naming the row and the column; the rules
of which reports can be accepted hold in the form, the import command and the store."""

import datetime as dt
import io
import shutil
import subprocess
import sys

import pytest
from openpyxl import load_workbook

from coopplan import i18n
from coopplan.data import loader
from coopplan.data.model import Report
from coopplan.editing import quarter_store, store
from coopplan.editing.auth import User
from coopplan.exchange import exports, report_import, report_sheets, typed
from tests.helpers import ADMIN, DATA, ROOT

DATASET = loader.load(DATA)
TODAY = dt.date(2026, 12, 7)
OMSK = User("ivanova", "omsk")
PAVLODAR = User("ahmetova", "pavlodar")


def form(side: str, lang: str, quarter: str = "2026-Q4") -> bytes:
    return exports.reports_form(DATASET, DATASET.actions, side, quarter, TODAY, lang)


def fill(data: bytes, rows: dict[str, dict], extra: list[dict] = ()) -> bytes:
    """The form with cells typed in: ``rows`` by action code, each {field: value or
    (value, number format)}; ``extra`` rows appended below the form's."""
    book = load_workbook(io.BytesIO(data))
    sheet, fields = book.worksheets[0], [c.value for c in book[report_sheets.FIELDS_SHEET][2]]
    for row in sheet.iter_rows(min_row=4):
        for key, value in rows.get(row[0].value, {}).items():
            cell = row[fields.index(key)]
            cell.value, cell.number_format = value if isinstance(value, tuple) else (value, cell.number_format)
    for cells in extra:
        sheet.append([cells.get(key) for key in fields])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def resaved(data: bytes, tmp_path) -> bytes:
    """The workbook as LibreOffice Calc saves it again."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    source = tmp_path / "in" / "form.xlsx"
    source.parent.mkdir()
    source.write_bytes(data)
    profile = f"-env:UserInstallation=file://{tmp_path}/profile"
    subprocess.run(
        [soffice, profile, "--headless", "--convert-to", "xlsx", "--outdir", str(tmp_path), str(source)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return (tmp_path / "form.xlsx").read_bytes()


# Omsk's 2026-Q4 form (Russian) filled each way people type: a percentage typed
# «45%» (Excel keeps 0.45 in a cell formatted as a percentage), «40 %» and «45,0» as
# text, dates as text in three ways and as a real date, statuses in other languages
# and cases, an indicator with a decimal comma; other rows left as they came.
OMSK_TYPED = {
    "po-005": {"progress": (0.45, "0%"), "date": "05.12.2026", "done_ru": "Проведена встреча с бизнесом"},
    "po-011": {
        "progress": "40 %",
        "date": "5.12.2026",
        "done_kk": "Сынама алу жалғасты",
        "indicator:sampling-series": "6,5",
    },
    "po-014": {"status": "перенесено", "progress": "45,0", "date": "2026-12-05", "done_ru": "Перенесено на 2027 год"},
    "po-016": {
        "status": "IN PROGRESS",
        "progress": 45,
        "date": dt.datetime(2026, 12, 5),
        "done_en": "Consultations went on",
    },
    "po-020": {
        "status": "орындалуда",
        "progress": ("0,45", "0%"),
        "date": "05.12.2026 г.",
        "done_ru": "Обмен продолжен",
    },
    "po-042": {"status": "Выполнено", "progress": None, "date": "07.12.2026", "done_ru": "Работы завершены в ноябре"},
}
# Pavlodar's (Kazakh): statuses in Russian and Kazakh, a percentage typed in a % cell
PAVLODAR_TYPED = {
    "po-002": {"status": "Орындалуда", "progress": (0.5, "0%"), "date": "01.12.2026", "done_kk": "Жұмыс жалғасты"},
    "po-005": {"status": "выполняется", "progress": "35%", "date": "02.12.2026", "done_ru": "Встреча проведена"},
    "po-018": {"status": "Орындалды", "progress": "100 %", "date": "3.12.2026", "done_kk": "Іс-шара аяқталды"},
}


@pytest.mark.parametrize(
    "side, lang, typed_rows, new",
    [("omsk", "ru", OMSK_TYPED, 6), ("pavlodar", "kk", PAVLODAR_TYPED, 3)],
    ids=["omsk-ru", "pavlodar-kk"],
)
def test_a_form_filled_as_officials_type_and_resaved_by_libreoffice_imports_with_no_row_problem(
    tmp_path, side, lang, typed_rows, new
):
    found = report_import.read(resaved(fill(form(side, lang), typed_rows), tmp_path))
    results = report_import.preview(found, DATASET, TODAY)
    assert [(r.row, r.reasons) for r in results if r.reasons] == []
    assert sum(r.kind == "new" for r in results) == new
    assert {r.kind for r in results if r.action_id not in typed_rows} <= {"nothing", "unchanged"}


def test_what_people_type_is_read_as_what_they_mean(tmp_path):
    found = report_import.read(resaved(fill(form("omsk", "ru"), OMSK_TYPED), tmp_path))
    read = {r.action_id: r.report for r in report_import.preview(found, DATASET, TODAY) if r.report}
    assert [read[a].progress for a in ("po-005", "po-011", "po-014", "po-016", "po-042")] == [45, 40, 45, 45, 100]
    assert {read[a].date for a in ("po-005", "po-011", "po-014", "po-016")} == {dt.date(2026, 12, 5)}
    assert (read["po-014"].status, read["po-016"].status, read["po-042"].status) == ("postponed", "in_progress", "done")
    assert read["po-011"].indicators == {"sampling-series": 6.5} and read["po-011"].done.kk == "Сынама алу жалғасты"


@pytest.mark.parametrize(
    "typed_value, reads_as",
    [
        ("45", 45),
        ("45%", 45),
        ("45 %", 45),
        ("45,0", 45),
        (typed.InPercent(0.45), 45),
        ("0,45", 45),
        (45.0, 45),
        ("100 %", 100),
    ],
)
def test_a_percentage_is_read_however_it_is_typed(typed_value, reads_as):
    assert typed.percent(typed_value) == reads_as


@pytest.mark.parametrize(
    "typed_value", ["05.12.2026", "5.12.2026", "2026-12-05", "05/12/2026", dt.datetime(2026, 12, 5), "05.12.2026 г."]
)
def test_a_date_is_read_however_it_is_typed(typed_value):
    assert typed.date(typed_value) == dt.date(2026, 12, 5)


# (field, value, the column the problem names, its kind): each row wrong in one way
WRONG = [
    ("progress", "сорок", "progress", "not_a_number"),
    ("progress", "140", "progress", "percent_range"),
    ("progress", "45,5", "progress", "percent_whole"),
    ("date", "32.13.2026", "date", "not_a_date"),
    ("date", "01.05.2027", "date", "report_future"),
    ("date", "01.01.2026", "date", "report_too_early"),
    ("status", "Почти готово", "status", "not_a_choice"),
    ("indicator:sampling-series", "-3", "indicator:sampling-series", "negative"),
    ("indicator:doctors-trained", "5", "indicator:doctors-trained", "form_no_indicator"),
    ("evidence", "Протокол " + "x" * 600, "evidence", "form_invalid"),
]


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
@pytest.mark.parametrize("field, value, column, kind", WRONG, ids=[w[3] for w in WRONG])
def test_a_wrong_cell_is_one_row_problem_in_the_readers_language_naming_the_row_and_column(
    lang, field, value, column, kind
):
    cells = {"done_ru": "Сделано", "date": "05.12.2026", "progress": 50, field: value}
    found = report_import.read(fill(form("omsk", lang), {"po-011": cells}))
    row = next(r for r in report_import.preview(found, DATASET, TODAY) if r.action_id == "po-011")
    assert [(p.column, p.kind) for p in row.reasons] == [(column, kind)]
    said = report_import.say(row.reasons[0], row.row, lang, found)
    heading = report_import.heading(column, lang, found)
    assert str(row.row) in said and heading in said and "Input should" not in said and "{" not in said
    if lang != "en":
        assert not any(word in said for word in ("valid", "missing", "field", "should"))


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_rows_for_an_action_not_in_the_form_or_twice_are_one_problem_each(lang):
    extra = [
        {
            "action": "po-038",
            "status": "Выполняется",
            "progress": 20,
            "done_ru": "x",
            "date": "05.12.2026",
        },  # Pavlodar's
        {"action": "po-999", "status": "Выполняется", "progress": 20, "done_ru": "x", "date": "05.12.2026"},
        {"action": "po-011", "status": "Выполняется", "progress": 20, "done_ru": "x", "date": "05.12.2026"},
    ]
    found = report_import.read(fill(form("omsk", lang), {}, extra))
    results = report_import.preview(found, DATASET, TODAY)[-3:]
    assert [[p.kind for p in r.reasons] for r in results] == [["form_not_owed"], ["form_not_owed"], ["form_duplicate"]]
    said = [report_import.say(r.reasons[0], r.row, lang, found) for r in results]
    assert all(found.headings["action"] in text for text in said) and "po-038" in said[0]


def test_done_below_100_percent_is_asked_for_on_the_form_never_stored(data_dir):
    cells = {"status": "Выполнено", "progress": "40 %", "done_ru": "Сделано", "date": "05.12.2026"}
    found = report_import.read(fill(form("omsk", "ru"), {"po-011": cells}))
    row = next(r for r in report_import.preview(found, DATASET, TODAY) if r.action_id == "po-011")
    assert [(p.column, p.kind) for p in row.reasons] == [("progress", "report_done_not_full")]
    assert "100 %" in report_import.say(row.reasons[0], row.row, "ru", found)
    report = Report(
        action="po-011", side="omsk", period="2026-Q4", date=TODAY, status="done", progress=40, done={"ru": "x"}
    )
    with pytest.raises(store.Invalid) as caught:
        store.save_report(data_dir, report, OMSK, store.ABSENT)
    assert caught.value.kind == "report_done_not_full"


# ---- the second attack's reproduction (issue 30, item 5) -------------------------------------


def test_one_extra_row_in_omsks_form_cannot_turn_a_joint_action_both_sides_did_into_postponed(data_dir, tmp_path):
    attack = {"action": "po-001", "status": "Перенесено", "progress": 50, "done_ru": "Перенесено", "date": "05.12.2026"}
    data = fill(form("omsk", "ru"), {}, [attack])
    found = report_import.read(data)
    row = report_import.preview(found, loader.load(data_dir), TODAY)[-1]
    assert row.action_id == "po-001" and row.kind == "invalid" and [p.kind for p in row.reasons] == ["form_not_owed"]
    # nor through the store: a later quarter after done, or a correction of the done report itself
    later = Report(
        action="po-001", side="omsk", period="2026-Q4", date=TODAY, status="postponed", progress=50, done={"ru": "x"}
    )
    with pytest.raises(store.Forbidden) as caught:
        store.save_report(data_dir, later, OMSK, store.ABSENT)
    assert caught.value.kind == "report_after_done"
    own = loader.load(data_dir).reports_of("po-001")
    done = next(r for r in own if r.side == "omsk" and r.period == "2026-Q2")
    reopened = done.model_copy(update={"status": "postponed", "progress": 50, "updated": None})
    version = store.read_report_version(data_dir, done.key)[0]
    with pytest.raises(store.Forbidden) as caught:
        store.save_report(data_dir, reopened, OMSK, version)
    assert caught.value.kind == "report_joint_done"
    with pytest.raises(store.Forbidden):
        store.delete_report(data_dir, done.key, OMSK, version)
    assert loader.load(data_dir).action("po-001").status == "done"
    # 2026-Q2 is closed by both sides (issue 25): an administrator opens an exception for it first
    until = dt.date.today() + dt.timedelta(days=30)
    quarter_store.reopen(data_dir, "2026-Q2", "po-001", "omsk", until, "решение рабочей группы", ADMIN)
    store.save_report(data_dir, reopened, ADMIN, version)  # an administrator can, recorded in the history
    assert loader.load(data_dir).action("po-001").status == "postponed"


def test_a_report_for_a_quarter_before_the_action_begins_is_refused(data_dir):
    early = Report(
        action="po-045", side="omsk", period="2026-Q4", date=TODAY, status="planned", progress=0, done={"ru": "x"}
    )
    with pytest.raises(store.Forbidden) as caught:
        store.save_report(data_dir, early, OMSK, store.ABSENT)
    assert caught.value.kind == "report_not_owed"


def test_an_overdue_action_owes_reports_after_its_period_and_its_owner_can_report_it_finished(data_dir):
    report = Report(
        action="po-042",
        side="omsk",
        period="2026-Q4",
        date=TODAY,
        status="done",
        progress=100,
        done={"ru": "Завершено"},
    )
    store.save_report(data_dir, report, OMSK, store.ABSENT)
    assert loader.load(data_dir).action("po-042").status == "done"


# ---- the command line --------------------------------------------------------------------------


def command(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "coopplan", *args], cwd=ROOT, capture_output=True, text=True, env=env, timeout=120
    )


def test_the_form_command_writes_a_sides_form_as_the_page_does(tmp_path):
    out = tmp_path / "omsk.xlsx"
    done = command("form", "--side", "omsk", "--period", "2026-Q4", "--lang", "kk", "-o", str(out))
    assert done.returncode == 0, done.stderr
    found = report_sheets.read_form(out.read_bytes())
    assert (found.side, found.quarter) == ("omsk", "2026-Q4") and found.headings["done_kk"].startswith("Тоқсанда")
    wrong = command("form", "--side", "omsk", "--period", "2031-Q1", "-o", str(out))
    assert wrong.returncode == 1 and "Traceback" not in wrong.stderr


def test_the_import_command_previews_a_form_and_applies_it_only_when_asked(tmp_path, data_dir):
    accounts = tmp_path / "users.json"
    env = {
        "COOPPLAN_USERS": str(accounts),
        "COOPPLAN_DATA": str(data_dir),
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
    }
    subprocess.run(
        [sys.executable, "-m", "coopplan", "users", "add", "ivanova", "--role", "omsk", "--password-stdin"],
        cwd=ROOT, input="a-long-password-1", text=True, env=env, check=True, capture_output=True,
    )  # fmt: skip
    filled = tmp_path / "filled.xlsx"
    filled.write_bytes(fill(form("omsk", "ru"), {"po-005": OMSK_TYPED["po-005"]}))
    looked = command("import", str(filled), "--as", "ivanova", env=env)
    assert looked.returncode == 0, looked.stderr
    line = next(line for line in looked.stdout.splitlines() if "\tpo-005\t" in line)
    assert i18n.t("ru", "import.kind.new") in line and "45\u00a0%" in line and "05.12.2026" in line
    assert loader.load(data_dir).reports_of("po-005") == DATASET.reports_of("po-005")  # nothing saved
    applied = command("import", str(filled), "--as", "ivanova", "--apply", env=env)
    assert applied.returncode == 0 and "saved 2026-Q4/po-005-omsk" in applied.stderr
    wrong = tmp_path / "wrong.xlsx"
    wrong.write_bytes(fill(form("omsk", "ru"), {"po-011": {"progress": "сорок", "done_ru": "x", "date": "05.12.2026"}}))
    refused = command("import", str(wrong), "--as", "ivanova", "--lang", "kk", env=env)
    assert refused.returncode == 1 and "бағаны" in refused.stdout and "Выполнение, %" in refused.stdout
