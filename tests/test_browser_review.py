"""Real browser: a whole quarter run to its close. An Omsk editor submits a report, the
Omsk coordinator returns it with a note, the editor corrects and submits it again, the
coordinator accepts it and proposes one status and progress for a joint action the two
sides disagree on, Pavlodar's coordinator agrees the same figures on the page; the Omsk
coordinator closes Omsk's half, then Pavlodar's coordinator theirs; an administrator opens an exception on the page
and the editor corrects the report once more. The Reporting page of the half-closed
quarter in Kazakh and Russian, the settling and the exception are kept as screenshots."""

import re

import pytest

from coopplan.data import loader, quarter_file, yamlio
from tests.browser import screenshot, sign_in, wait_idle

pytestmark = pytest.mark.browser
KEY = "2026-Q3/po-005-omsk"
JOINT = "po-028"  # joint; the two sides' 2026-Q3 reports disagree (shipped: noted by Pavlodar)


def tab_of(browser, server):
    """A browser tab of its own (its own cookies: one person each)."""
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="ru-RU")
    tab = context.new_page()

    def open_(path: str) -> None:
        tab.goto(server.url + path)
        wait_idle(tab)

    tab.open = open_
    return tab


def report(server):
    return next((r for r in loader.load(server.data_dir).reports if r.key == KEY), None)


def choose(tab, label: str, options: list[str]) -> None:
    """Pick ``options`` (by the start of their text) in the multiselect labelled ``label``."""
    box = tab.get_by_test_id("stMultiSelect").filter(has_text=label)
    for option in options:
        box.get_by_role("combobox").click()
        tab.keyboard.press("ArrowDown")  # the list of options opens
        tab.get_by_role("option", name=re.compile(f"^{option}")).click()
    tab.keyboard.press("Escape")


def submit_report(tab, text: str) -> None:
    """Pick po-005 in the form's picker, write what was done and submit."""
    picker = tab.get_by_test_id("stSelectbox").filter(has_text="Мероприятие, по которому представляется отчёт")
    if " · po-005 · " not in picker.inner_text():
        picker.get_by_role("combobox").click()
        tab.keyboard.press("ArrowDown")  # the list of options opens
        tab.get_by_role("option", name=re.compile(r" · po-005 · ")).click()
    wait_idle(tab)
    tab.get_by_role("textbox", name="Что сделано за квартал (на русском языке)").fill(text)
    tab.get_by_role("button", name="Представить отчёт").click()
    wait_idle(tab)


def close_half(tab, side: str, not_received: list[str]) -> None:
    choose(tab, "Не поступившие отчёты", not_received)
    tab.get_by_role("textbox", name="Причина непоступления").fill("Отчёт исполнителя не поступил к сроку")
    tab.get_by_role("button", name=f"Закрыть квартал за сторону «{side}»").click()
    wait_idle(tab)


def test_a_quarter_is_run_to_its_close_by_both_sides_and_corrected_only_through_an_exception(browser, server):
    # Pavlodar's half of 2026-Q3 opened again for the walk-through (shipped: closed)
    path = quarter_file.path_of(server.data_dir, "2026-Q3")
    shipped, _ = quarter_file.read(server.data_dir, "2026-Q3")
    settlements = {a: s for a, s in shipped.settlements.items() if a != JOINT}
    opened = shipped.model_copy(update={"sides": {}, "settlements": settlements})
    path.write_text(yamlio.dumps(opened.to_yaml_dict()), encoding="utf-8")

    editor = tab_of(browser, server)
    editor.open("/reporting?lang=ru&period=2026-Q3")
    sign_in(editor, server, "ru", name="ivanova", role="omsk")
    submit_report(editor, "Проведена встреча с предпринимателями")
    assert report(server).state == "submitted"

    coordinator = tab_of(browser, server)
    coordinator.open("/reporting?lang=ru&period=2026-Q3")
    sign_in(coordinator, server, "ru", name="omsk.coordinator", role="omsk-coordinator")
    coordinator.get_by_text("Представлены и ожидают вашего рассмотрения").first.wait_for()
    choose(coordinator, "Отчёты для принятия или возврата", ["po-005"])
    coordinator.get_by_role("textbox", name="Замечание для исполнителей").fill("Укажите дату и место встречи")
    coordinator.get_by_role("button", name="Вернуть с замечанием").click()
    wait_idle(coordinator)
    assert (report(server).state, report(server).note) == ("returned", "Укажите дату и место встречи")

    editor.open("/reporting?lang=ru&period=2026-Q3")
    editor.get_by_text("Возвращён координатором: Укажите дату и место встречи").wait_for()
    submit_report(editor, "Проведена встреча с предпринимателями 12 сентября 2026 года в Омске")
    assert report(server).state == "submitted"

    coordinator.open("/reporting?lang=ru&period=2026-Q3")
    coordinator.get_by_role("button", name="Принять", exact=True).click()  # none chosen: every waiting report
    wait_idle(coordinator)
    assert report(server).state == "accepted" and report(server).updated_by == "omsk.coordinator"
    coordinator.get_by_role("link", name=re.compile(f"^{JOINT}: ")).click()  # what keeps Omsk open leads to it
    coordinator.get_by_role("spinbutton", name="Согласованный процент выполнения").fill("50")
    coordinator.get_by_role("button", name="Согласовать статус и процент выполнения").click()
    wait_idle(coordinator)
    coordinator.get_by_text("когда координатор другой стороны подтвердит").wait_for()
    made = quarter_file.read(server.data_dir, "2026-Q3")[0].settlements[JOINT]
    assert (made.status, made.progress, made.by) == ("in_progress", 50, {"omsk": "omsk.coordinator"})
    pavlodar = tab_of(browser, server)
    pavlodar.open("/reporting?lang=ru&period=2026-Q3")
    sign_in(pavlodar, server, "ru", name="pavlodar.coordinator", role="pavlodar-coordinator")
    pavlodar.get_by_text("Омская область (omsk.coordinator): предложено согласовать").wait_for()
    screenshot(pavlodar, "review-settle-ru")
    pavlodar.get_by_role("button", name="Согласовать статус и процент выполнения").click()  # the same figures
    wait_idle(pavlodar)
    made = quarter_file.read(server.data_dir, "2026-Q3")[0].settlements[JOINT]
    assert made.settled and made.by == {"omsk": "omsk.coordinator", "pavlodar": "pavlodar.coordinator"}

    coordinator.open("/reporting?lang=ru&period=2026-Q3")
    close_half(coordinator, "Омская область", ["po-016", "po-040"])
    closing, _ = quarter_file.read(server.data_dir, "2026-Q3")
    assert list(closing.sides) == ["omsk"]

    for lang in ("ru", "kk"):  # the half-closed quarter, as the note shows it
        coordinator.open(f"/reporting?lang={lang}&period=2026-Q3")
        screenshot(coordinator, f"review-half-closed-{lang}")

    pavlodar.open("/reporting?lang=ru&period=2026-Q3")
    close_half(pavlodar, "Павлодарская область", ["po-011", "po-020", "po-034"])
    closing, _ = quarter_file.read(server.data_dir, "2026-Q3")
    assert closing.closed

    editor.open("/reporting?lang=ru&period=2026-Q3")
    editor.get_by_text("закрыла свою половину квартала").first.wait_for()  # and the form is gone
    assert not editor.get_by_role("button", name="Представить отчёт").count()
    assert report(server).done.ru.endswith("в Омске")

    admin = tab_of(browser, server)
    admin.open("/reporting?lang=ru&period=2026-Q3")
    sign_in(admin, server, "ru", name="admin", role="admin")
    admin.get_by_text("Исключения не открывались").wait_for()
    picker = admin.get_by_test_id("stSelectbox").filter(has_text="Мероприятие и сторона, по отчёту которой")
    picker.get_by_role("combobox").click()
    admin.keyboard.type("po-005")  # the options are filtered by what is typed
    admin.get_by_role("option", name=re.compile(r" · po-005 · Омская область$")).click()
    admin.get_by_role("textbox", name="Причина открытия исключения").fill("Ошибка в дате встречи")
    admin.get_by_role("button", name="Открыть исключение").click()
    wait_idle(admin)
    admin.get_by_text("ещё не использовано").wait_for()
    assert admin.get_by_role("textbox", name="Причина открытия исключения").input_value() == ""  # the form afresh
    screenshot(admin, "review-exception-ru")
    closing, _ = quarter_file.read(server.data_dir, "2026-Q3")
    assert [(e.action, e.side, e.reason, e.opened_by) for e in closing.exceptions] == [
        ("po-005", "omsk", "Ошибка в дате встречи", "admin")
    ]

    editor.open("/reporting?lang=ru&period=2026-Q3")
    submit_report(editor, "Проведена встреча с предпринимателями 19 сентября 2026 года в Омске")
    assert report(server).done.ru.startswith("Проведена встреча с предпринимателями 19 сентября")
    assert report(server).state == "submitted"  # the correction goes to the coordinator again
    closing, _ = quarter_file.read(server.data_dir, "2026-Q3")
    assert [u.by for u in closing.exceptions[0].uses] == ["ivanova"]
    assert loader.check(server.data_dir)[1] == []
    admin.open("/reporting?lang=kk&period=2026-Q3")
    admin.get_by_text("пайдаланылды (рет): 1").wait_for()  # the exception's use, as the list shows it
    screenshot(admin, "review-exception-kk")
