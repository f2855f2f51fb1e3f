"""``python -m coopplan export``: every format, filters as in the URL, clear errors."""

import datetime as dt
import io
import subprocess
import sys

import pytest
from docx import Document

from coopplan.data import loader, model
from coopplan.exchange import exports, spreadsheet
from coopplan.views import filters, frame
from coopplan.views.filters import Filters
from tests.helpers import DATA, ROOT

DATASET = loader.load(DATA)


def run(*args):
    return subprocess.run(
        [sys.executable, "-m", "coopplan", "export", *args], capture_output=True, text=True, cwd=ROOT, timeout=120
    )


@pytest.mark.parametrize(
    "fmt, magic", [("csv", b"\xef\xbb\xbfid,"), ("xlsx", b"PK"), ("docx", b"PK"), ("ics", b"BEGIN:VCALENDAR")]
)
def test_every_format(tmp_path, fmt, magic):
    out = tmp_path / f"plan.{fmt}"
    result = run("--format", fmt, "--lang", "kk", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert out.read_bytes().startswith(magic)


def chosen_ids(chosen: Filters) -> list[str]:
    """The ids the plan page shows under ``chosen``."""
    return sorted(filters.apply(frame.actions_frame(DATASET.actions, DATASET.bodies), chosen)["id"])


def test_filters_as_in_the_url(tmp_path):
    out = tmp_path / "plan.csv"
    assert run("--format", "csv", "--area", "tourism,sport", "--year", "2027", "-o", str(out)).returncode == 0
    expected = chosen_ids(Filters(areas=("tourism", "sport"), years=(2027,)))
    assert 0 < len(expected) < len(DATASET.actions)
    assert sorted(r["id"] for r in spreadsheet.read_csv(out.read_bytes())) == expected


def test_a_body_is_chosen_by_its_id_or_by_its_name_in_any_language(tmp_path):
    # a registry body some action names, by its id and its names in Kazakh and Russian
    body = next(key for a in DATASET.actions for key in a.responsible.omsk if DATASET.bodies.get(key) is not None)
    expected = chosen_ids(Filters(bodies=(body,)))
    for named in (body, DATASET.bodies.name(body, "kk"), DATASET.bodies.name(body, "ru")):
        out = tmp_path / "plan.csv"
        assert run("--format", "csv", "--body", named, "-o", str(out)).returncode == 0
        assert sorted(r["id"] for r in spreadsheet.read_csv(out.read_bytes())) == expected, named


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "docx", "ics"])
def test_file_names_say_what_the_file_holds(fmt):
    chosen = Filters(areas=("tourism", "sport"), years=(2027,), bodies=("Новый партнёр",), q="x")
    made = dt.date(2026, 11, 25)
    assert exports.file_name(fmt, "kk+ru", chosen, made) == (
        f"pavlodar-omsk-plan_tourism-sport_2027_body_search_2026-11-25_kk-ru.{fmt}"
    )
    assert exports.file_name(fmt, "ru", Filters(), made) == f"pavlodar-omsk-plan_all_2026-11-25_ru.{fmt}"
    many = Filters(areas=model.AREA_IDS)
    assert exports.file_name(fmt, "en", many, made) == f"pavlodar-omsk-plan_filtered_2026-11-25_en.{fmt}"


def test_bilingual_document(tmp_path):
    out = tmp_path / "plan.docx"
    assert run("--format", "docx", "--lang", "kk+ru", "--status", "cancelled", "-o", str(out)).returncode == 0
    rows = Document(io.BytesIO(out.read_bytes())).tables[0].rows
    cancelled = [a for a in DATASET.actions if a.status == "cancelled"]
    assert cancelled and len(rows) == 1 + len({a.area for a in cancelled}) + len(cancelled)  # header, areas, actions


@pytest.mark.parametrize(
    "args, message",
    [
        (["--format", "csv", "--year", "1999"], "--year: '1999' is not a valid value"),
        (["--format", "csv", "-o", "/no/such/folder/plan.csv"], "error: cannot write /no/such/folder/plan.csv"),
    ],
)
def test_errors_are_messages(tmp_path, args, message):
    if "-o" not in args:
        args = [*args, "-o", str(tmp_path / "x.csv")]
    result = run(*args)
    assert result.returncode == 1 and message in result.stderr and "Traceback" not in result.stderr
