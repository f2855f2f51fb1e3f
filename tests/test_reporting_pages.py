"""The Reporting page, an action's reports on its detail, the overview's completeness,
and the report form, in AppTest: in kk, ru and en, as a viewer and as each side."""

import json
import re

import pytest

from coopplan import i18n
from coopplan.data import loader, yamlio
from coopplan.data.model import Report
from coopplan.editing import history, store
from coopplan.editing.auth import User
from coopplan.views import texts
from tests.helpers import ADMIN, DATA, as_user, rendered, run_page, submit

OMSK = User("ivanova", "omsk")
PAVLODAR = User("sadykova", "pavlodar")
SHIPPED = loader.load(DATA)


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_reporting_page_lists_the_quarters_reports_with_each_sides_completeness(lang):
    at = run_page("reporting", {"lang": lang, "period": "2026-Q3", "asof": "2026-11-30"})
    assert not at.exception and at.title[0].value == i18n.t(lang, "reporting.title")
    figures = {m.label: m.value for m in at.metric}
    owed = i18n.t(lang, "reporting.side_accepted", accepted="12", owed="15")
    assert figures[i18n.t(lang, "reporting.side_label", side=i18n.t(lang, "lead.pavlodar"))] == owed
    table = at.dataframe[0].value
    states = table[i18n.t(lang, "reporting.col.state")].tolist()
    assert len(table) == 31 and states[0] == i18n.t(lang, "reporting.state.late")  # the ones to chase first
    assert states.count(i18n.t(lang, "reporting.state.late")) == 6
    assert [i.value for i in at.info] == [i18n.t(lang, "reporting.sign_in")]  # a viewer writes nothing
    disagreeing = [m.value for m in at.markdown if m.value.startswith("- [**po-0")]
    assert [line[5:11] for line in disagreeing] == ["po-014", "po-018", "po-028"]
    assert all(f"/plan?lang={lang}&id={line[5:11]})" in line for line in disagreeing)  # each opens its action


def test_the_sidebar_filters_narrow_the_reports_owed():
    at = run_page("reporting", {"lang": "en", "period": "2026-Q3", "area": "healthcare", "asof": "2026-11-30"})
    table = at.dataframe[0].value
    assert set(table[i18n.t("en", "col.id")]) <= {a.id for a in SHIPPED.actions if a.area == "healthcare"}
    assert len(table) > 0


def test_an_editor_sees_their_sides_missing_reports_first_and_writes_one(data_dir):
    at = as_user("reporting", OMSK, {"lang": "ru", "period": "2026-Q3", "asof": "2026-11-30"})
    assert not at.exception
    mine = at.dataframe[0].value
    assert set(mine["№"]) == {"po-005", "po-016", "po-040"}  # Omsk's three Q3 reports not in
    assert at.selectbox(key="report_pick").value == ("po-005", "omsk")
    at.text_area(key="r_done_ru").input("Проведена рабочая встреча с участием Торгово-промышленной палаты")
    at.slider(key="r_progress").set_value(60)
    submit(at, "report_form")
    assert not at.exception
    assert at.success[0].value == "Отчёт за III квартал 2026 г. (Омская область) по мероприятию po-005 представлен."
    dataset = loader.load(data_dir)
    [report] = [r for r in dataset.reports_of("po-005") if r.period == "2026-Q3" and r.side == "omsk"]
    assert (report.side, report.progress, report.updated_by) == ("omsk", 60, "ivanova")
    entries = history.read(data_dir)[0]
    assert [(e.op, e.report) for e in entries][0] == ("submit", "2026-Q3/po-005-omsk")  # an editor's save submits
    figures = {m.label: m.proto.delta for m in at.metric}
    assert figures["Омская область: принято"].startswith("Представлено 14 ")  # one more in, not yet accepted


def test_the_history_shows_a_report_and_an_approval_and_their_own_people_undo_them(data_dir):
    version, record = store.read_report_version(data_dir, "2026-Q3/po-011-omsk")
    corrected = Report.model_validate(record | {"evidence": ["Письмо № 12-05/311 от 09.10.2026"]})
    store.save_report(data_dir, corrected, OMSK, version)
    store.approve(data_dir, ADMIN)
    at = as_user("history", OMSK, {"lang": "ru"})
    assert not at.exception
    labels = [rendered(e.label) for e in at.expander]
    assert labels[0].endswith("· admin · План утверждён")  # no action, no title; what happened, not a file
    assert labels[1].endswith("· admin · Утверждённая редакция № 2 создана")
    assert "· ivanova · отчёт по мероприятию po-011 (Омская область, III квартал 2026 г.) изменён: " in labels[-1]
    assert "Подтверждающие документы" in at.table[-1].value.index  # what the report's change was
    report_entry = history.read(data_dir)[0][0]
    undo_buttons = [b.key for b in at.button if (b.key or "").startswith("undo_")]
    assert undo_buttons == [f"undo_{report_entry.id}"]  # Omsk's editor undoes Omsk's report, not the approval
    at.button(key=f"undo_{report_entry.id}").click().run()
    assert not at.exception and loader.load(data_dir).reports_of("po-011")[-1].evidence != corrected.evidence
    approval = as_user("history", ADMIN, {"lang": "en"})
    assert "Actions in the version" in approval.table[2].value.index  # after the undo and the plan's approval


def test_a_report_missing_what_was_done_is_refused_with_what_to_fix_and_keeps_the_form(data_dir):
    at = as_user("reporting", OMSK, {"lang": "kk", "period": "2026-Q3", "asof": "2026-11-30"})
    at.slider(key="r_progress").set_value(35)
    submit(at, "report_form")
    assert not at.exception and not at.success
    assert rendered(at.error[0].value) == "«Тоқсанда не атқарылды» өрісін кемінде бір тілде толтырыңыз"
    assert (
        at.slider(key="r_progress").value == 35 and not (data_dir / "reports" / "2026-Q3" / "po-005-omsk.yaml").exists()
    )


def test_a_pavlodar_editor_is_not_offered_omsks_reports(data_dir):
    at = as_user("reporting", PAVLODAR, {"lang": "en", "period": "2026-Q4", "asof": "2026-11-30"})
    offered = at.selectbox(key="report_pick").options
    assert offered and all("Omsk Region" not in option for option in offered)


def test_the_form_starts_from_the_sides_previous_report():
    at = as_user("reporting", OMSK, {"lang": "en", "period": "2026-Q4", "asof": "2026-11-30"})
    at.selectbox(key="report_pick").set_value(("po-011", "omsk")).run()
    previous = next(r for r in SHIPPED.reports_of("po-011") if r.side == "omsk" and r.period == "2026-Q3")
    assert at.slider(key="r_progress").value == previous.progress
    assert at.number_input(key="r_indicator_sampling-series").value == previous.indicators["sampling-series"]
    assert at.text_area(key="r_done_en").value == ""  # the new quarter's own words
    assert any("Filled in from the report for Q3 2026" in c.value for c in at.caption)


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_a_disagreeing_joint_actions_detail_flags_it_and_shows_both_sides_reports(lang):
    at = run_page("plan", {"lang": lang, "id": "po-018"})
    assert not at.exception
    [warning] = at.warning
    assert warning.value.startswith(
        i18n.t(
            lang, "detail.disagree", period="X", pavlodar="X", pavlodar_progress="X", omsk="X", omsk_progress="X"
        ).split("X")[0]
    )
    headings = [m.value for m in at.markdown if m.value.startswith("**") and "·" in m.value]
    sides = {i18n.t(lang, "lead.pavlodar"), i18n.t(lang, "lead.omsk")}
    assert {side for side in sides if any(side in h for h in headings)} == sides


def test_an_actions_figures_say_which_reports_they_come_from():
    at = run_page("plan", {"lang": "ru", "id": "po-011"})
    caption = next(c.value for c in at.caption if c.value.startswith("Статус и выполнение — по последним отчётам"))
    assert "Омская область, III квартал 2026 г." in rendered(caption)
    names = [trace.get("name") for c in at.get("plotly_chart") for trace in json.loads(c.proto.spec)["data"]]
    assert "Факт · Омская область" in names  # the indicator's chart


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_overview_shows_the_current_quarters_completeness_and_disagreements(lang):
    at = run_page("overview", {"lang": lang, "asof": "2026-11-30"})
    figures = {m.label: m.value for m in at.metric}
    omsk_label = i18n.t(lang, "reporting.side_label", side=i18n.t(lang, "lead.omsk"))
    assert figures[omsk_label] == i18n.t(
        lang, "reporting.side_accepted", accepted="1", owed="13"
    )  # po-042, overdue, still owes
    omsk = next(m for m in at.metric if m.label == omsk_label)
    assert omsk.proto.delta == i18n.t(
        lang, "reporting.side_in", reported="4", share=i18n.percent(4 / 13, lang), on_time="4"
    )  # in and on time, apart from accepted
    assert figures[i18n.t(lang, "overview.disagreements")] == "3"


def test_the_edit_form_shows_figures_set_by_the_reports_read_only():
    at = as_user("edit", OMSK, {"lang": "en", "id": "po-011"})
    assert at.slider(key="f_progress").disabled
    assert at.selectbox(key="f_status").options == ["In progress", "Cancelled"]
    assert any(c.value.startswith("Status, progress and the actual values") for c in at.caption)


def test_after_a_save_the_picker_says_reported_and_a_corrected_report_is_said_to_be_changed(data_dir):
    at = as_user("reporting", OMSK, {"lang": "ru", "period": "2026-Q3", "asof": "2026-11-30"})
    assert at.selectbox(key="report_pick").value == ("po-005", "omsk")
    assert at.selectbox(key="report_pick").options[0].startswith(SHIPPED.action("po-005").title.ru)  # the title first
    at.text_area(key="r_done_ru").input("Проведена рабочая встреча")
    submit(at, "report_form")
    label = next(o for o in at.selectbox(key="report_pick").options if " · po-005 · " in o)
    assert label.endswith(i18n.t("ru", "reporting.state.reported_late"))
    at.selectbox(key="report_pick").set_value(("po-005", "omsk")).run()
    at.text_area(key="r_done_ru").input("Проведена рабочая встреча с палатой")
    submit(at, "report_form")
    assert at.success[0].value == "Отчёт за III квартал 2026 г. (Омская область) по мероприятию po-005 изменён."


def test_a_reports_line_breaks_show_and_its_evidence_addresses_are_links_that_copy_as_typed(data_dir):
    link = "https://omsk.gov.ru/news/123"
    assert texts.evidence_md(link) == f"[https\\://omsk\\.gov\\.ru/news/123](<{link}>)"
    assert "](" not in texts.evidence_md("Письмо № 01-12/1205 от 30.09.2026")
    crafted = texts.evidence_md("https://a.example/x)[y](javascript:alert(1)")  # not an address as a whole: inert
    assert "](" not in re.sub(r"\\.", "", crafted)
    path = data_dir / "reports" / "2026-Q3" / "po-002-pavlodar.yaml"
    record = yamlio.loads(path.read_bytes())
    record["done"] = {"ru": "Первая строка\nВторая строка"}
    record["evidence"] = [link]
    path.write_text(yamlio.dumps(record), encoding="utf-8")
    shown = [m.value for m in run_page("plan", {"lang": "ru", "id": "po-002"}).markdown]
    assert "Первая строка  \nВторая строка" in shown
    assert any(f"(<{link}>)" in value for value in shown)
