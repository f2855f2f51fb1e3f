"""The Reporting page's review and close: each side's state of the quarter, the
coordinator's queue of submitted reports, returning one with a note, accepting
several at once, and closing a side's half; the form refused in a closed quarter."""

from __future__ import annotations

import pytest

from coopplan.data import loader, quarter_file
from coopplan.editing import auth
from tests.helpers import as_user, run_page

OMSK = auth.User("omsk1", "omsk")
OMSK_COORDINATOR = auth.User("omsk.coordinator", "omsk-coordinator")


def text_of(at) -> str:
    return "\n".join(
        str(e.value) for kind in ("markdown", "caption", "success", "error", "warning") for e in at.get(kind)
    )


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_the_reporting_page_shows_each_sides_state_of_the_quarter(lang):
    at = run_page("reporting", {"lang": lang, "period": "2026-Q3"})
    assert not at.exception
    shown = text_of(at)
    closed = {"kk": "жабылды", "ru": "Закрыт"}[lang]
    opened = {"kk": "Ашық", "ru": "Открыт"}[lang]
    assert closed in shown and "pavlodar.coordinator" not in shown  # account names to signed-in people only
    assert opened in shown


def test_a_coordinator_returns_a_report_with_a_note_and_accepts_others_at_once(data_dir):
    at = as_user("reporting", OMSK_COORDINATOR, {"lang": "ru", "period": "2026-Q4"})
    assert not at.exception
    assert any("ожидают вашего рассмотрения: 5" in s.value for s in at.subheader)
    at.multiselect(key="review_chosen").set_value(["2026-Q4/po-024-omsk"])
    at.text_area(key="review_note").set_value("Уточните процент выполнения")
    at.button[[b.label for b in at.button].index("Вернуть с замечанием")].click().run()
    assert not at.exception
    reports = {r.key: r for r in loader.load(data_dir).reports}
    assert reports["2026-Q4/po-024-omsk"].state == "returned"
    assert reports["2026-Q4/po-024-omsk"].note == "Уточните процент выполнения"
    at.button[[b.label for b in at.button].index("Принять")].click().run()  # none chosen: all waiting
    reports = {r.key: r for r in loader.load(data_dir).reports}
    assert reports["2026-Q4/po-008-omsk"].state == "accepted"
    assert reports["2026-Q3/po-036-omsk"].state == "accepted"
    assert any("Приняты отчёты" in s.value for s in at.success)


def test_a_coordinator_closes_their_sides_half_from_the_page(data_dir):
    at = as_user("reporting", OMSK_COORDINATOR, {"lang": "ru", "period": "2026-Q3"})
    at.button[[b.label for b in at.button].index("Принять")].click().run()
    pending = ["po-005", "po-016", "po-040"]
    at.multiselect(key="close_marked_omsk").set_value(pending)
    at.text_input(key="close_reason_omsk").set_value("Отчёт не поступил к сроку")
    at.button[[b.label for b in at.button].index("Закрыть квартал за сторону «Омская область»")].click().run()
    assert not at.exception, at.exception
    closing, _ = quarter_file.read(data_dir, "2026-Q3")
    assert closing.closed and closing.sides["omsk"].closed_by == OMSK_COORDINATOR.name
    assert "Закрыт" in text_of(at)


def test_an_editor_sees_a_returned_reports_note_and_the_form_is_refused_in_a_closed_quarter(data_dir):
    at = as_user("reporting", OMSK, {"lang": "ru", "period": "2026-Q4"})
    picker = at.selectbox(key="report_pick")
    picker.set_value(("po-005", "omsk")).run()
    assert any("Возвращён координатором" in w.value for w in at.warning)
    at = as_user("reporting", OMSK, {"lang": "ru", "period": "2026-Q2"})
    assert any("закрыла свою половину квартала" in i.value for i in at.info)
    assert not [s for s in at.selectbox if s.key == "report_pick"]  # no form for a closed half
