"""Real browser, keyboard alone (Tab, arrows, Enter, Space, typing): the filters, the
plan table, the sign-in page and the edit form, as someone who cannot use a mouse
works them."""

from urllib.parse import urlencode

import pytest

from coopplan import i18n
from coopplan.data import loader
from coopplan.editing import auth
from tests.browser import signed_in_text, view_shot, wait_idle

pytestmark = pytest.mark.browser

# What the focused element is called: its accessible name, its text's last line (after
# an icon's name), its test id.
FOCUSED = """() => { const e = document.activeElement;
  return [e.getAttribute('aria-label') || '', (e.innerText || '').trim().split('\\n').pop(),
          e.getAttribute('data-testid') || ''] }"""


def tab_to(tab, name: str, limit: int = 80) -> None:
    """Press Tab until the focused element is called ``name`` (its label, its text or its test id)."""
    for _ in range(limit):
        tab.keyboard.press("Tab")
        if name in tab.evaluate(FOCUSED):
            return
    raise AssertionError(f"{limit} presses of Tab never reached «{name}»")


def test_the_filters_and_the_plan_table_work_with_the_keyboard_alone(page, server):
    planned = [a for a in loader.load(server.data_dir).actions if a.status == "planned"]
    page.open("/plan?lang=en")
    # a pill: Tab reaches it, Space chooses it
    tab_to(page, i18n.t("en", "status.planned"))
    page.keyboard.press("Space")
    page.wait_for_function("location.search.includes('status=planned')")
    wait_idle(page)
    shown = i18n.t("en", "count.actions", count=len(planned))
    page.get_by_text(i18n.t("en", "count.matching", shown=shown, total="45")).wait_for()
    # a drop-down list: the arrows open it and move, Enter chooses, Backspace takes it back
    tab_to(page, i18n.t("en", "filters.area"))
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_function("location.search.includes('area=')")
    wait_idle(page)
    page.keyboard.press("Escape")
    page.keyboard.press("Backspace")
    page.wait_for_function("!location.search.includes('area=')")
    wait_idle(page)
    page.get_by_text(i18n.t("en", "count.matching", shown=shown, total="45")).wait_for()

    # the table: Tab reaches it, the arrows move from the action shown to another, which is then shown
    tab_to(page, "data-grid-canvas")
    for key, row in (("ArrowDown", 1), ("ArrowDown", 2), ("ArrowUp", 1)):
        page.keyboard.press(key)
        page.wait_for_function(f"location.search.includes('id={planned[row].id}')")
        wait_idle(page)
    page.get_by_role("heading", name=planned[1].title.en).wait_for()
    view_shot(page, "keyboard-plan-en")


def test_signing_in_and_editing_work_with_the_keyboard_alone(page, server):
    auth.add_user("keys", "pavlodar", "a long password", path=server.users)
    page.goto(f"{server.url}/signin?{urlencode({'lang': 'ru', 'next': '/edit?lang=ru&id=po-002'})}")
    # the name field has the focus when the page opens (autofocus: once the page is first drawn)
    page.wait_for_function("document.activeElement && document.activeElement.id === 'name'")
    page.keyboard.type("keys")
    page.keyboard.press("Tab")
    page.keyboard.type("a long password")
    page.keyboard.press("Enter")
    wait_idle(page)
    page.get_by_text(signed_in_text("ru", "keys", "pavlodar")).wait_for()

    title = f"{i18n.t('ru', 'edit.field.title')} · RU"
    tab_to(page, title)
    page.keyboard.press("Control+A")
    page.keyboard.type("Презентация СЭЗ «Павлодар» с клавиатуры")
    tab_to(page, i18n.t("ru", "edit.save"))
    page.keyboard.press("Space")
    page.get_by_test_id("stToast").get_by_text("Сохранено: po-002.").wait_for()
    assert loader.load(server.data_dir).action("po-002").title.ru == "Презентация СЭЗ «Павлодар» с клавиатуры"
    view_shot(page, "keyboard-edit-ru")
