"""Real browser: an editor signs in, changes a title in Russian and Kazakh, sees it in
the plan, and undoes it on the history page."""

import re

import pytest

from coopplan import i18n
from coopplan.data import loader
from tests.browser import screenshot, sign_in, wait_idle

pytestmark = pytest.mark.browser


def test_sign_in_edit_see_and_undo(page, server):
    page.open("/edit?lang=ru&id=po-002")
    sign_in(page, server, "ru")
    title_ru = page.get_by_role("textbox", name="Наименование · RU")
    title_ru.fill("Презентация СЭЗ «Павлодар» для омских инвесторов")
    page.get_by_role("textbox", name="Наименование · KK").fill("«Павлодар» АЭА-ны омбылық инвесторларға таныстыру")
    screenshot(page, "edit-ru")
    page.get_by_role("button", name="Сохранить").click()
    page.get_by_test_id("stToast").get_by_text("Сохранено: po-002.").wait_for()  # in view, and beside the button
    saved = loader.load(server.data_dir).action("po-002")
    assert saved.title.ru == "Презентация СЭЗ «Павлодар» для омских инвесторов"
    assert saved.title.kk == "«Павлодар» АЭА-ны омбылық инвесторларға таныстыру"

    page.get_by_role("link", name="План", exact=True).click()
    wait_idle(page)
    page.get_by_role("textbox", name="Поиск по тексту").fill("омских инвесторов")
    page.get_by_role("textbox", name="Поиск по тексту").press("Enter")
    wait_idle(page)
    page.wait_for_function("location.search.includes('q=')")
    page.get_by_text(re.compile(r"отобрано: 1 мероприятие")).wait_for()

    page.get_by_role("link", name="История изменений").click()
    wait_idle(page)
    page.get_by_text(
        re.compile(r"· editor · po-002 изменено: Презентация СЭЗ «Павлодар» для омских инвесторов$")
    ).click()
    screenshot(page, "history-ru")
    page.get_by_role("button", name="Отменить это изменение").click()
    page.get_by_test_id("stAlertContentSuccess").get_by_text("Изменение отменено: po-002.").wait_for()
    restored = loader.load(server.data_dir).action("po-002")
    assert (
        restored.title.ru
        == "Презентация инвестиционных возможностей и преференций СЭЗ «Павлодар» для инвесторов Омской области"
    )


def test_picking_another_action_opens_it_though_the_link_named_one(page, server):
    page.open("/edit?lang=kk&id=po-002")
    sign_in(page, server, "kk")
    page.get_by_role("combobox", name=i18n.t("kk", "edit.pick")).click()
    page.get_by_role("option", name=re.compile(r"^po-003 · ")).click()
    wait_idle(page)
    page.wait_for_function("location.search.includes('id=po-003')")
    title = page.get_by_role("textbox", name=f"{i18n.t('kk', 'edit.field.title')} · KK")
    assert title.input_value() == loader.load(server.data_dir).action("po-003").title.kk
    screenshot(page, "edit-picked-kk")
