"""The Reporting page's review and close: each side's state of the quarter, the
coordinator's queue of submitted reports, returning one with a note, accepting
several at once, and closing a side's half; the form refused in a closed quarter."""

from __future__ import annotations

import pytest

from coopplan.data import loader, quarter_file, yamlio
from coopplan.editing import auth
from coopplan.reporting import quarters
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


ADMIN = auth.User("admin", "admin")
PAVLODAR_COORDINATOR = auth.User("pavlodar.coordinator", "pavlodar-coordinator")


def unsettled(data_dir, quarter: str = "2026-Q3") -> list[str]:
    """Take the shipped settlements out of ``quarter`` (and Pavlodar's close, so both
    sides settle); the joint actions whose reports disagree, as the page then lists them."""
    path = quarter_file.path_of(data_dir, quarter)
    closing, _ = quarter_file.read(data_dir, quarter)
    path.write_text(
        yamlio.dumps(closing.model_copy(update={"sides": {}, "settlements": {}}).to_yaml_dict()), encoding="utf-8"
    )
    dataset = loader.load(data_dir)
    return [p.action for p in quarters.pending(dataset, quarter, "omsk", {}) if p.kind == "disagreement_open"]


def button(at, label: str):
    return at.button[[b.label for b in at.button].index(label)]


def test_both_coordinators_agree_one_status_and_progress_on_the_page_and_both_names_are_kept(data_dir):
    action = unsettled(data_dir)[0]
    at = as_user("reporting", OMSK_COORDINATOR, {"lang": "ru", "period": "2026-Q3"})
    assert any("Расхождения по совместным мероприятиям" in s.value for s in at.subheader)
    escaped = action.replace("-", "\\-")  # as markdown has it
    assert any(
        "(#settle-omsk)" in m.value and escaped in m.value for m in at.markdown
    )  # what keeps Omsk open leads there
    at.selectbox(key=f"settle_omsk_{action}_status").set_value("in_progress")
    at.number_input(key=f"settle_omsk_{action}_progress").set_value(40)
    at.button(key=f"FormSubmitter:settle_omsk_{action}-Согласовать статус и процент выполнения").click().run()
    assert not at.exception, at.exception
    made = quarter_file.read(data_dir, "2026-Q3")[0].settlements[action]
    assert (made.how, made.status, made.progress, made.settled) == ("agreed", "in_progress", 40, False)
    assert any("координатор другой стороны подтвердит" in s.value for s in at.success)

    at = as_user("reporting", PAVLODAR_COORDINATOR, {"lang": "kk", "period": "2026-Q3"})
    assert any("келісу ұсынылды" in i.value for i in at.info)  # Omsk's proposal, as the other side sees it
    assert at.selectbox(key=f"settle_pavlodar_{action}_status").value == "in_progress"
    at.button(key=f"FormSubmitter:settle_pavlodar_{action}-Мәртебе мен орындалу пайызын келісу").click().run()
    made = quarter_file.read(data_dir, "2026-Q3")[0].settlements[action]
    assert made.settled and made.by == {"omsk": OMSK_COORDINATOR.name, "pavlodar": PAVLODAR_COORDINATOR.name}
    assert action not in unsettled_now(data_dir, "pavlodar")


def unsettled_now(data_dir, side: str) -> list[str]:
    dataset = loader.load(data_dir)
    return [p.action for p in quarters.pending(dataset, "2026-Q3", side, {}) if p.kind == "disagreement_open"]


def test_a_coordinator_notes_a_disagreement_on_the_page(data_dir):
    action = unsettled(data_dir)[0]
    at = as_user("reporting", OMSK_COORDINATOR, {"lang": "ru", "period": "2026-Q3"})
    at.button(key=f"FormSubmitter:settle_omsk_{action}-Зафиксировать как расхождение").click().run()
    made = quarter_file.read(data_dir, "2026-Q3")[0].settlements[action]
    assert (made.how, made.by) == ("noted", {"omsk": OMSK_COORDINATOR.name})
    assert action not in unsettled_now(data_dir, "omsk")


def widget_keys(at) -> set[str]:
    return {w.key or "" for kind in ("selectbox", "number_input", "text_area") for w in at.get(kind)}


def test_an_editor_cannot_settle_nor_open_an_exception_and_a_coordinator_only_their_own_side(data_dir):
    unsettled(data_dir)
    at = as_user("reporting", OMSK, {"lang": "ru", "period": "2026-Q3"})
    assert not [k for k in widget_keys(at) if k.startswith(("settle_", "reopen_"))]
    at = as_user("reporting", OMSK_COORDINATOR, {"lang": "ru", "period": "2026-Q3"})
    keys = widget_keys(at)
    assert any(k.startswith("settle_omsk_") for k in keys)
    assert not any(k.startswith(("settle_pavlodar_", "reopen_")) for k in keys)


def test_an_administrator_opens_an_exception_on_the_page_and_it_is_listed(data_dir):
    at = as_user("reporting", ADMIN, {"lang": "ru", "period": "2026-Q3"})
    assert any("Исключения не открывались" in c.value for c in at.caption)
    at.button(key="FormSubmitter:reopen_form-Открыть исключение").click().run()
    assert any("Выберите мероприятие" in e.value for e in at.error)  # nothing picked: said, nothing written
    at.selectbox(key="reopen_pick").set_value(("po-005", "pavlodar"))
    at.button(key="FormSubmitter:reopen_form-Открыть исключение").click().run()
    assert any("Укажите причину" in e.value for e in at.error)
    assert not quarter_file.read(data_dir, "2026-Q3")[0].exceptions
    at.text_area(key="reopen_reason").set_value("Ошибка в дате встречи")
    at.button(key="FormSubmitter:reopen_form-Открыть исключение").click().run()
    assert not at.exception, at.exception
    opened = quarter_file.read(data_dir, "2026-Q3")[0].exceptions
    assert [(e.action, e.side, e.reason, e.opened_by) for e in opened] == [
        ("po-005", "pavlodar", "Ошибка в дате встречи", "admin")
    ]
    listed = [m.value for m in at.markdown if "Ошибка в дате встречи" in m.value]
    assert listed and "ещё не использовано" in listed[0] and "admin" in listed[0]


def test_a_refused_close_says_why_on_the_page(data_dir):
    at = as_user("reporting", OMSK_COORDINATOR, {"lang": "kk", "period": "2026-Q3"})
    at.button(key="FormSubmitter:close_omsk-«Омбы облысы» тарапы үшін тоқсанды жабу").click().run()
    assert any("Алдымен күтіп тұрған есептерді қабылдаңыз" in e.value for e in at.error)
    assert "omsk" not in quarter_file.read(data_dir, "2026-Q3")[0].sides


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_each_sides_figure_counts_accepted_and_on_time_reports_apart(lang):
    at = run_page("reporting", {"lang": lang, "period": "2026-Q4"})
    accepted, timely = {"kk": ("қабылданды", "мерзімінде"), "ru": ("принято", "в срок")}[lang]
    assert len(at.metric) == 2
    assert all(accepted in m.label and m.value[0].isdigit() for m in at.metric)  # the figure short, the word above
    assert all(timely in m.proto.delta for m in at.metric)


def test_the_forms_picker_shows_a_drafts_or_returned_reports_review_stage(data_dir):
    at = as_user("reporting", OMSK, {"lang": "ru", "period": "2026-Q4"})
    options = at.selectbox(key="report_pick").options
    assert any(" · po-005 · " in o and "возвращён на доработку" in o for o in options)


def test_the_list_of_disagreements_says_how_each_was_settled():
    at = run_page("reporting", {"lang": "ru", "period": "2026-Q3"})
    lines = {m.value.split("**")[1]: m.value for m in at.markdown if m.value.startswith("- [**po")}
    assert "Согласовано координаторами обеих сторон\\: «Выполняется, 50" in lines["po-014"]  # as markdown escapes it
    assert "Зафиксировано как расхождение" in lines["po-018"]
