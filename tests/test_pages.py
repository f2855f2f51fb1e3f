"""Headless page runs (AppTest) in each language, with and without filters from the URL,
asserting on what is shown: counts, chart data from the plotly spec, table rows."""

import base64
import json

import numpy as np
import pytest

from coopplan import i18n
from coopplan.data import loader
from coopplan.views import charts
from tests.helpers import DATA, run_page, valid_action, write_action

LANGS = ["kk", "ru", "en"]
TOTAL = len(loader.load(DATA).actions)


def spec(at, index: int) -> dict:
    return json.loads(at.get("plotly_chart")[index].proto.spec)


def values(array) -> list:
    """A plotly array from the spec: a list, or a typed array (base64 numbers)."""
    if isinstance(array, dict) and "bdata" in array:
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"]).tolist()
    return array


def texts(at) -> str:
    return "\n".join(
        e.value for e in [*at.markdown, *at.caption, *at.title, *at.header, *at.subheader] if isinstance(e.value, str)
    )


@pytest.mark.parametrize("lang", LANGS)
def test_overview_in_each_language(lang):
    at = run_page("overview", {"lang": lang, "asof": "2026-11-25"})
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    # po-014, postponed, does not start soon; then the reports of the quarter
    assert list(metrics.values())[:5] == [str(TOTAL), "12", "12", "2", "3"]
    per_area = spec(at, 0)["data"]
    assert len(per_area) == 3 and sum(sum(trace["x"]) for trace in per_area) == TOTAL
    tiles = spec(at, 1)["data"][0]
    assert sorted(set(tiles["x"])) == ["2026", "2027", "2028"] and len(set(tiles["y"])) == 10
    assert sum(values(tiles["marker"]["color"])) == sum(int(n) for n in values(tiles["text"]))
    status = spec(at, 2)["data"][0]
    assert sum(values(status["x"])) == TOTAL and len(status["y"]) == 5
    expected_title = {
        "kk": "Ынтымақтастық жоспарына шолу",
        "ru": "Обзор плана сотрудничества",
        "en": "Cooperation plan overview",
    }[lang]
    assert at.title[0].value == expected_title
    overdue, upcoming = at.dataframe[0].value, at.dataframe[1].value
    assert list(overdue.iloc[:, 0]) == ["po-018", "po-042"] and list(upcoming.iloc[:, 0]) == [
        "po-003",
        "po-021",
        "po-023",
    ]


def test_overview_with_filters_from_the_url():
    at = run_page("overview", {"lang": "ru", "area": "sport,tourism", "asof": "2026-11-25"})
    assert not at.exception
    assert at.metric[0].value == "8"
    per_area = spec(at, 0)["data"]
    assert sum(sum(trace["x"]) for trace in per_area) == 8
    assert "Из 45 по фильтрам отобрано: 8 мероприятий" in texts(at)


def test_the_asof_date_decides_what_is_overdue():
    early = run_page("overview", {"lang": "en", "asof": "2026-01-01"})
    late = run_page("overview", {"lang": "en", "asof": "2029-01-01"})
    assert early.metric[3].value == "0"
    assert int(late.metric[3].value) > 10


@pytest.mark.parametrize("lang", LANGS)
def test_plan_lists_every_action_and_shows_one_in_full_once_it_is_chosen(lang):
    at = run_page("plan", {"lang": lang})
    assert not at.exception
    table = at.dataframe[0].value
    assert len(table) == TOTAL and table.iloc[0, 0] == "po-001"
    assert at.selectbox(key="plan_action").value is None
    assert not at.progress  # no action in full before one is chosen
    at.selectbox(key="plan_action").set_value("po-001").run()
    assert at.query_params["id"] == "po-001"
    assert len(at.progress) == 1


@pytest.mark.parametrize("lang", LANGS)
def test_the_plans_downloads_are_made_only_once_their_box_is_opened(lang):
    at = run_page("plan", {"lang": lang})
    assert not at.get("download_button") and not at.radio
    at.session_state["export_open"] = True  # as a click on «Download» sets it
    at.run()
    assert len(at.get("download_button")) == 4
    document_language = at.radio(key="export_doc_lang")
    assert document_language.options == ["Қазақша", "Русский", "English", i18n.t(lang, "export.kk_ru")]
    assert document_language.value == lang  # the page's language first


def test_plan_filtered_by_the_url():
    at = run_page("plan", {"lang": "ru", "area": "tourism,sport", "year": "2027"})
    assert not at.exception
    table = at.dataframe[0].value
    assert sorted(table["№"]) == ["po-028", "po-030", "po-033"]
    assert "Из 45 по фильтрам отобрано: 3 мероприятия" in texts(at)
    assert set(table["Срок исполнения"]) == {
        "II квартал 2026 г. – II квартал 2027 г.",
        "II квартал 2027 г.",
        "август 2027 г.",
    }


def test_plan_filter_through_a_widget_updates_the_url():
    at = run_page("plan", {"lang": "en"})
    at.pills(key="filter_status").set_value(["postponed"]).run()
    assert at.query_params["status"] == "postponed"
    assert len(at.dataframe[0].value) == 3
    at.text_input(key="filter_q").input("wrestling").run()
    assert list(at.dataframe[0].value["No."]) == ["po-034"]


def test_picking_an_action_shows_its_details():
    at = run_page("plan", {"lang": "en"})
    at.selectbox(key="plan_action").set_value("po-013").run()
    shown = texts(at)
    assert "Restocking the Irtysh with young fish of valuable species" in shown
    assert "RUB" in shown and "12,000,000" in shown


def test_missing_english_is_marked_as_a_fallback():
    at = run_page("plan", {"lang": "en", "q": "олимпиада"})
    table = at.dataframe[0].value
    assert table.iloc[0, 1].startswith("[KK] ")
    assert "shown in Kazakh" in texts(at)


def test_no_match_says_so():
    at = run_page("plan", {"lang": "en", "q": "no such words anywhere"})
    assert not at.exception and not at.dataframe
    assert "No action matches the filters" in at.info[0].value


def test_invalid_url_values_are_ignored_with_a_notice():
    at = run_page("plan", {"lang": "en", "area": "atlantis,sport", "year": "1999", "body": "Nobody"})
    assert not at.exception
    assert "area=atlantis, year=1999, body=Nobody" in at.warning[0].value
    assert len(at.dataframe[0].value) == 4


@pytest.mark.parametrize("lang", LANGS)
def test_timeline_draws_the_filtered_actions(lang):
    at = run_page("timeline", {"lang": lang, "status": "done,in_progress"})
    assert not at.exception
    bars, approved, *legend, asof = spec(at, 0)["data"]
    assert len(bars["base"]) == 24 and approved["marker"]["color"] == "#52606D"  # the approved periods under them
    hover = values(bars["hovertext"])
    assert all(h.startswith("<b>") and "<i>" in h for h in hover)
    scale = dict((round(stop * 4), colour) for stop, colour in bars["marker"]["colorscale"])
    shown = [charts.STATUS_COLORS["in_progress"], charts.STATUS_COLORS["done"]]
    assert {scale[code] for code in values(bars["marker"]["color"])} == set(shown)
    assert [trace["marker"]["color"] for trace in legend] == shown
    layout = spec(at, 0)["layout"]
    assert len(layout["xaxis"]["tickvals"]) == 12  # quarters of 2026–2028
    assert layout["shapes"][0]["x0"] and asof["line"]["dash"] == "dash"  # the «as of» line, named in the legend


@pytest.mark.parametrize("lang", LANGS)
def test_areas_page_lists_the_ten_areas_with_their_source_words(lang):
    at = run_page("areas", {"lang": lang})
    assert not at.exception
    assert len(at.expander) == 10
    shown = texts(at)
    assert "«инвестициялар мен сауда»" in shown
    assert ":orange-background[**халықты жұмыспен қамту**]" in shown


def test_broken_files_are_named_and_the_rest_is_shown(data_dir):
    write_action(data_dir, valid_action("po-999", status="finished"))
    (data_dir / "actions" / "po-001.yaml").write_bytes(b"\x00\x01")
    for page in ("overview", "plan", "timeline", "areas"):
        at = run_page(page, {"lang": "en"})
        assert not at.exception, page
        problems = at.code[0].value
        assert (
            "po-001.yaml:1: This is not a text file; replace it with YAML text — binary file, not YAML text" in problems
        )
        assert "po-999.yaml:15: Choose a value from the list — status: Input should be" in problems
    assert len(run_page("plan", {"lang": "en"}).dataframe[0].value) == TOTAL - 1
    # the advice in the page's language, the exact rule as the command line says it
    problems = run_page("plan", {"lang": "kk"}).code[0].value
    assert (
        "po-001.yaml:1: Бұл мәтіндік файл емес; оны YAML мәтінімен ауыстырыңыз — binary file, not YAML text" in problems
    )


def test_the_entry_script_routes_to_the_overview():
    at = run_page("dashboard.py", {"lang": "kk"})
    assert not at.exception
    assert at.title[0].value == "Ынтымақтастық жоспарына шолу"


def test_a_page_lists_the_first_problems_and_counts_the_rest(data_dir):
    for number in range(150):  # 150 broken files, 8 problems each
        write_action(data_dir, "id: x\n", name=f"zz-{number:03d}")
    at = run_page("plan", {"lang": "ru"})
    assert not at.exception
    lines = at.expander[0].code[0].value.splitlines()
    hidden = len(loader.load(data_dir).problems) - 200
    assert hidden > 1000 and len(lines) == 201
    assert (
        lines[-1] == f"… и ещё {i18n.number(hidden, 'ru')}; полный список выводит команда python -m coopplan validate."
    )
