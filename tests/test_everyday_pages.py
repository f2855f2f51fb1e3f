"""The everyday path of issue 15 in AppTest: one link per action, what is late in the plan,
the editor's picker and period picker, a save that changes nothing, and a confirmation
of every change where the person is looking (a toast) in their language."""

import datetime as dt
import json

import pytest

from coopplan import i18n
from coopplan.data import loader
from coopplan.editing import forms, history
from coopplan.editing.auth import User
from tests.helpers import ADMIN, as_user, change, edited_csv, rendered, run_page, submit

PAVLODAR = User("editor", "pavlodar")


def toasts(at) -> list[str]:
    return [t.value for t in at.toast]


def plan_table(at):
    """The plan's table of actions (the one whose rows can be picked)."""
    return next(d for d in at.dataframe if list(d.proto.selection_mode))


def in_order(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from in_order(child)


def detail_comes_first(at) -> bool:
    """Whether the plan page shows the action in full above its table."""
    nodes = list(in_order(at.main))
    title = i18n.t(at.query_params["lang"], "plan.detail")
    detail = next(i for i, n in enumerate(nodes) if type(n).__name__ == "Subheader" and n.value == title)
    table = plan_table(at)
    return detail < next(i for i, n in enumerate(nodes) if n is table)


# ---- one link per action --------------------------------------------------------------


def test_a_link_to_one_action_shows_it_selects_its_row_and_offers_its_own_link(data_dir):
    at = run_page("plan", {"lang": "ru", "id": "po-013"})
    assert not at.exception
    assert at.selectbox(key="plan_action").value == "po-013"
    assert "#### Зарыбление реки Иртыш молодью ценных видов рыб" in [rendered(m.value) for m in at.markdown]
    table = plan_table(at)
    assert at.session_state[table.key]["selection"]["rows"] == [12]  # its row, selected
    assert detail_comes_first(at)  # arriving by the link, the action is the first thing seen
    # the detail's own link: the plan page and the id, without the language, to be copied
    assert any(m.value.startswith("`") and m.value.endswith("/plan?id=po-013`") for m in at.markdown)
    assert i18n.t("ru", "detail.link") in [c.value for c in at.caption]


def test_an_action_outside_the_filters_is_still_shown_by_its_link(data_dir):
    at = run_page("plan", {"lang": "kk", "id": "po-013", "area": "sport"})
    assert not at.exception and len(plan_table(at).value) == 4
    assert at.selectbox(key="plan_action").value == "po-013"
    assert i18n.t("kk", "plan.outside_filters") in [c.value for c in at.caption]
    assert at.session_state[plan_table(at).key]["selection"]["rows"] == []


def test_choosing_an_action_writes_it_to_the_link_and_a_new_filter_drops_it(data_dir):
    at = run_page("plan", {"lang": "en"})
    assert "id" not in at.query_params and not detail_comes_first(at)  # browsing: the table first
    at.selectbox(key="plan_action").set_value("po-020").run()
    assert at.query_params["id"] == "po-020"
    assert at.session_state[plan_table(at).key]["selection"]["rows"] == [19]
    assert not detail_comes_first(at)  # the page does not rearrange itself under the reader
    at.pills(key="filter_status").set_value(["done"]).run()
    assert "id" not in at.query_params  # a new selection starts at its first action


# ---- overdue and starting soon -----------------------------------------------------------


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_the_plan_narrowed_to_what_is_overdue_marks_it(data_dir, lang):
    at = run_page("plan", {"lang": lang, "due": "overdue", "asof": "2026-11-25"})
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table.iloc[:, 0]) == ["po-018", "po-042"]
    mark = i18n.t(lang, "due.overdue_mark")
    assert all(status.endswith(f"· {mark}") for status in table[i18n.t(lang, "col.status")])
    assert at.pills(key="filter_due").value == ["overdue"]


def test_the_overview_lists_open_in_the_plan_with_their_lead_and_bodies(data_dir):
    at = run_page("overview", {"lang": "ru", "asof": "2026-11-25"})
    overdue = at.dataframe[0].value
    assert list(overdue.columns) == ["№", "Окончание", "Статус", "Мероприятие", "Ведущая сторона", "Исполнители"]
    assert overdue["Исполнители"][0].startswith("Управление здравоохранения Павлодарской области")
    # each list a table whose row opens its action (the click itself: test_browser_everyday.py)
    assert [d.proto.selection_mode for d in at.dataframe] == [[0, 4], [0, 4]]


# ---- editing -------------------------------------------------------------------------------


def test_the_picker_offers_what_the_editor_may_change_and_a_switch_shows_the_rest_read_only(data_dir):
    at = as_user("edit", PAVLODAR, {"lang": "kk"})
    mine = at.selectbox(key="edit_pick").options
    assert mine and not any(option.startswith("po-004 ") for option in mine)  # led by Omsk
    at.toggle(key="edit_show_all").set_value(True).run()
    everything = at.selectbox(key="edit_pick").options
    assert len(everything) == 45
    other = next(o for o in everything if o.startswith("po-004 "))
    assert other.endswith(f"· {i18n.t('kk', 'edit.read_only_mark')}")
    at.selectbox(key="edit_pick").set_value("po-004").run()
    assert [w.value for w in at.warning] == [i18n.t("kk", "edit.not_allowed", lead=i18n.t("kk", "lead.omsk"))]
    assert "#### " + loader.load(data_dir).action("po-004").title.kk in [rendered(m.value) for m in at.markdown]
    assert not [b for b in at.button if (b.key or "").startswith("FormSubmitter:edit_form")]


def test_a_link_to_the_other_sides_action_opens_it_read_only(data_dir):
    at = as_user("edit", User("ivanova", "omsk"), {"lang": "ru", "id": "po-002"})
    assert at.toggle(key="edit_show_all").value and at.selectbox(key="edit_pick").value == "po-002"
    assert at.warning and not [b for b in at.button if (b.key or "").startswith("FormSubmitter:edit_form")]


def test_periods_are_chosen_from_lists_that_show_their_codes(data_dir):
    at = as_user("edit", ADMIN, {"lang": "ru", "id": "po-019"})  # a single day: 17 April 2026
    start = at.selectbox(key="f_start")
    assert start.value == forms.DAY and at.date_input(key="f_start_day").value == dt.date(2026, 4, 17)
    assert start.options[:6] == [
        "2026 г. · 2026",
        "I квартал 2026 г. · 2026-Q1",
        "январь 2026 г. · 2026-01",
        "февраль 2026 г. · 2026-02",
        "март 2026 г. · 2026-03",
        "II квартал 2026 г. · 2026-Q2",
    ]
    assert start.options[-1] == i18n.t("ru", "edit.period.day")
    start.set_value("2026-Q2")
    at.selectbox(key="f_end").set_value("2026-06")
    submit(at)
    saved = loader.load(data_dir).action("po-019")
    assert (saved.start, saved.end) == ("2026-Q2", "2026-06")


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_a_save_is_confirmed_with_a_toast_and_beside_the_button(data_dir, lang):
    at = as_user("edit", ADMIN, {"lang": lang, "id": "po-002"})
    at.text_input(key="f_title_en").input("A new title")
    submit(at)
    said = i18n.t(lang, "edit.saved", id="po-002")
    assert toasts(at) == [said] and [s.value for s in at.success] == [said]


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_a_save_that_changes_nothing_says_so_and_records_nothing(data_dir, lang):
    at = as_user("edit", ADMIN, {"lang": lang, "id": "po-002"})
    submit(at)
    said = i18n.t(lang, "edit.unchanged", id="po-002")
    assert toasts(at) == [said] and said in [i.value for i in at.info] and not at.success
    assert history.read(data_dir) == ([], [])


def test_a_delete_a_bulk_update_an_import_and_an_undo_are_confirmed_with_a_toast(data_dir):
    at = as_user("edit", ADMIN, {"lang": "kk", "id": "po-031"})
    at.checkbox(key="delete_confirm").check().run()
    at.button(key="delete_button").click().run()
    assert toasts(at) == [i18n.t("kk", "edit.deleted", id="po-031")]

    bulk = as_user("edit", ADMIN, {"lang": "ru"})
    bulk.segmented_control(key="edit_mode").set_value("bulk").run()
    bulk.multiselect[0].set_value(["po-003", "po-006"])  # no reports: their progress is the editors' to set
    bulk.number_input[0].set_value(70)
    submit(bulk, "bulk")
    assert toasts(bulk) == [i18n.t("ru", "edit.bulk.done", count=2)]

    upload = as_user("import", ADMIN, {"lang": "ru"})
    upload.file_uploader[0].upload("plan.csv", edited_csv(loader.load(data_dir).actions[:1]), "text/csv").run()
    submit(upload, "apply_import")
    assert toasts(upload) == [i18n.t("ru", "import.applied", ids="po-001")]

    change(data_dir, "po-012", status="cancelled")
    past = as_user("history", ADMIN, {"lang": "kk"})
    entry = history.read(data_dir)[0][-1]
    past.button(key=f"undo_{entry.id}").click().run()
    assert toasts(past) == [i18n.t("kk", "history.undone", id="po-012")]


# ---- bodies by their names in the page's language ------------------------------------------


def test_every_page_names_the_bodies_in_its_language(data_dir):
    plan = run_page("plan", {"lang": "kk", "id": "po-011", "body": "Министерство экономики Омской области"})
    assert not plan.exception
    # the sidebar's body filter: names in Kazakh, the link's Russian name read as the body's id
    body_filter = plan.multiselect(key="filter_body")
    assert body_filter.value == ["omsk-economy"]
    assert any("body=omsk-economy" in m.value for m in plan.sidebar.markdown)  # the link to share names the id
    assert "Омбы облысының экономика министрлігі" in body_filter.options
    assert "Павлодар облысының табиғи ресурстар және табиғат пайдалануды реттеу басқармасы" in [
        rendered(m.value).removeprefix("- ") for m in plan.markdown
    ]
    areas = run_page("areas", {"lang": "kk"})
    assert any("Павлодар облысының денсаулық сақтау басқармасы (4)" in rendered(m.value) for m in areas.markdown)
    timeline = run_page("timeline", {"lang": "kk", "area": "healthcare"})
    hover = json.loads(timeline.get("plotly_chart")[0].proto.spec)["data"][0]["hovertext"]
    assert all("Павлодар облысының денсаулық сақтау басқармасы" in h for h in hover)


def test_the_edit_form_offers_the_registry_by_name_and_keeps_a_new_body_as_typed(data_dir):
    at = as_user("edit", ADMIN, {"lang": "kk", "id": "po-011"})
    bodies = at.multiselect(key="f_bodies_omsk")
    assert bodies.value == ["omsk-natural-resources"]
    assert "Омбы облысының мәдениет министрлігі" in bodies.options  # every Omsk body of the registry
    bodies.set_value(["omsk-natural-resources", "Иртышская экологическая инициатива"])
    submit(at)
    saved = loader.load(data_dir).action("po-011")
    assert saved.responsible.omsk == ["omsk-natural-resources", "Иртышская экологическая инициатива"]
