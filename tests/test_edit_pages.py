"""AppTest flows: sign-in, edit, add, duplicate, delete, undo, bulk update, conflicts, refused saves."""

import datetime as dt

from coopplan import i18n
from coopplan.data import loader
from coopplan.editing import forms, history, store
from coopplan.editing.auth import User
from tests.helpers import ADMIN, as_user, change, details, edited_csv, rendered, run_page, submit


def test_the_sidebar_offers_the_sign_in_page_and_back_to_this_view(data_dir):
    at = run_page("edit", {"lang": "en", "id": "po-002"})
    assert "sign in as an editor" in at.info[0].value
    [link] = [m.value for m in at.markdown if m.value.startswith("<a ")]
    # back to this page with its parameters (under AppTest the page's path is "/"), in the same tab
    assert link == '<a href="/signin?lang=en&amp;next=%2F%3Flang%3Den%26id%3Dpo-002" target="_self">Sign in</a>'
    assert not [b for b in at.button if b.key == "sign_out"]


def test_signed_in_the_sidebar_signs_out_and_the_session_ends_everywhere(data_dir):
    from coopplan.ui.account import TEST_SESSION
    from coopplan.web import sessions

    at = as_user("edit", User("editor", "pavlodar"), {"lang": "en", "id": "po-002"})
    token = at.session_state[TEST_SESSION]
    assert "Signed in: editor (Pavlodar Region editor)" in [c.value for c in at.caption]
    assert at.text_input(key="f_title_ru").value and not [m for m in at.markdown if m.value.startswith("<a ")]
    other_tab = as_user("history", User("editor", "pavlodar"), {"lang": "en"})
    other_tab.session_state[TEST_SESSION] = token  # the same browser: the same cookie
    at.button(key="sign_out").click().run()
    assert sessions.store().user(token) is None
    # the action, read-only; and a deliberate sign-out is said to be one, not a lapse
    assert [i.value for i in at.info] == [i18n.t("en", "edit.read_only_viewer"), i18n.t("en", "account.signed_out")]
    assert not at.warning
    other_tab.run()  # its next step
    assert not [b for b in other_tab.button if b.key == "sign_out"]
    assert any("Your sign-in has ended" in w.value for w in other_tab.warning)


def test_a_viewer_account_sees_the_plan_and_gets_no_form(data_dir):
    at = as_user("edit", User("reader", "viewer"), {"lang": "ru", "id": "po-001"})
    assert not at.exception
    assert [i.value for i in at.info] == ["Ваша учётная запись позволяет просматривать план, но не изменять его."]
    assert not [t for t in at.text_input if t.key == "f_title_ru"]
    assert "Вход выполнен: reader (наблюдатель)" in [c.value for c in at.caption]


def test_form_problems_are_said_in_the_users_language(data_dir):
    at = as_user("edit", ADMIN, {"lang": "kk", "id": "po-002"})
    for lang in ("kk", "ru", "en"):
        at.text_input(key=f"f_title_{lang}").input("")
    at.multiselect(key="f_bodies_pavlodar").set_value([])
    at.multiselect(key="f_bodies_omsk").set_value([])
    submit(at)
    errors = [rendered(e.value) for e in at.error]
    assert any(e.startswith("Бұл өрісті толтырыңыз") for e in errors)
    assert any(e.startswith("Кемінде бір орындаушыны көрсетіңіз") for e in errors)


def test_editing_a_title_in_russian_and_kazakh(data_dir):
    at = as_user("edit", User("editor", "pavlodar"), {"lang": "ru", "id": "po-002"})
    at.text_input(key="f_title_ru").input("Презентация СЭЗ «Павлодар» в Омске")
    at.text_input(key="f_title_kk").input("«Павлодар» АЭА-ны Омбыда таныстыру")
    submit(at)
    assert not at.exception and at.success[0].value == "Сохранено: po-002."
    action = loader.load(data_dir).action("po-002")
    assert (
        action.title.ru == "Презентация СЭЗ «Павлодар» в Омске"
        and action.title.kk == "«Павлодар» АЭА-ны Омбыда таныстыру"
    )
    assert action.updated_by == "editor"


def test_a_refused_save_says_what_to_fix_and_keeps_what_was_typed(data_dir):
    at = as_user("edit", ADMIN, {"lang": "ru", "id": "po-002"})
    before = store.action_path(data_dir, "po-002").read_bytes()
    at.text_input(key="f_title_en").input("A new title")
    at.selectbox(key="f_start").set_value("2027-Q3")
    at.selectbox(key="f_end").set_value("2027-05")
    at.text_input(key="f_tags").input("Не метка")
    submit(at)
    errors = [rendered(e.value) for e in at.error]
    assert errors[0].startswith("Не сохранено.")
    # beside each field, what to fix in the editor's language, with no English in it
    assert "Окончание не может быть раньше начала" in errors
    assert i18n.t("ru", "problem.tag_pattern") in errors
    # the exact rules, in English as the command line prints them, behind the «details» toggle
    rules = details(at)
    assert "end 2027-05 is before start 2027-Q3" in rules and "tags.0: String should match pattern" in rules
    assert not any("String should match" in e for e in errors)
    assert at.text_input(key="f_title_en").value == "A new title" and at.selectbox(key="f_start").value == "2027-Q3"
    assert store.action_path(data_dir, "po-002").read_bytes() == before


def test_adding_a_new_action(data_dir):
    at = as_user("edit", ADMIN, {"lang": "en"})
    at.segmented_control(key="edit_mode").set_value("new").run()
    assert "The new action's id: po-046" in at.info[0].value
    at.text_input(key="f_title_ru").input("Новое мероприятие")
    at.text_input(key="f_outcome_ru").input("Проведено")
    # a body typed by its name (as an editor would) is stored as its registry id
    at.multiselect(key="f_bodies_omsk").set_value(["Министерство культуры Омской области"])
    at.selectbox(key="f_start").set_value("2027-05")
    at.selectbox(key="f_end").set_value(forms.DAY)
    at.date_input(key="f_end_day").set_value(dt.date(2027, 5, 20))
    submit(at)
    assert not at.exception and at.success[0].value == "Saved: po-046."
    added = loader.load(data_dir).action("po-046")
    assert added.title.ru == "Новое мероприятие" and added.responsible.omsk == ["omsk-culture"]
    assert (added.start, added.end) == ("2027-05", "2027-05-20")
    assert history.read(data_dir)[0][-1].op == "add"


def test_duplicating_an_action(data_dir):
    at = as_user("edit", ADMIN, {"lang": "en", "id": "po-013"})
    at.segmented_control(key="edit_mode").set_value("duplicate").run()
    assert at.text_input(key="f_title_ru").value == "Зарыбление реки Иртыш молодью ценных видов рыб"
    submit(at)
    copy = loader.load(data_dir).action("po-046")
    assert copy.title == loader.load(data_dir).action("po-013").title and copy.budget.amount == 12000000


def test_deleting_needs_a_confirmation(data_dir):
    at = as_user("edit", ADMIN, {"lang": "en", "id": "po-031"})
    assert at.button(key="delete_button").disabled
    at.checkbox(key="delete_confirm").check().run()
    at.button(key="delete_button").click().run()
    assert not at.exception and "po-031 was deleted" in at.success[0].value
    assert loader.load(data_dir).action("po-031") is None


def test_an_omsk_editor_cannot_edit_a_pavlodar_action(data_dir):
    at = as_user("edit", User("omsk1", "omsk"), {"lang": "ru", "id": "po-002"})
    assert "нет права изменять" in at.warning[0].value
    assert not [b for b in at.button if b.key and b.key.startswith("FormSubmitter:edit_form")]


def test_a_viewer_sees_no_form(data_dir):
    at = run_page("edit", {"lang": "kk"})
    assert not at.exception
    assert "редактор ретінде кіріңіз" in at.info[0].value
    assert all(not (t.key or "").startswith("f_") for t in at.text_input)


def test_a_conflict_shows_their_changes_and_lets_me_choose(data_dir):
    at = as_user("edit", ADMIN, {"lang": "en", "id": "po-039"})
    version, _ = store.read_version(data_dir, "po-039")
    other = loader.load(data_dir).action("po-039").model_copy(update={"progress": 77})
    store.save(data_dir, other, User("omsk1", "omsk"), version)  # someone else, meanwhile
    at.text_input(key="f_title_en").input("My title")
    submit(at)
    assert at.error[0].value.startswith("Someone else changed this action")
    changes = at.table[0].value
    assert list(changes.index) == ["Progress, %"] and list(changes.iloc[:, 1]) == ["77"]
    at.button(key="conflict_overwrite").click().run()
    saved = loader.load(data_dir).action("po-039")
    assert saved.title.en == "My title" and saved.progress == 0  # my edit, knowingly over theirs


def test_bulk_update_of_status_and_progress(data_dir):
    at = as_user("edit", User("editor", "pavlodar"), {"lang": "en"})
    at.segmented_control(key="edit_mode").set_value("bulk").run()
    ids = at.multiselect[0].options
    assert "po-004" not in [o.split(" · ")[0] for o in ids]  # Omsk-led: not offered to a Pavlodar editor
    at.multiselect[0].set_value(["po-002", "po-003", "po-006"])
    at.selectbox[0].set_value("in_progress")
    at.number_input[0].set_value(70)
    submit(at, "bulk")
    assert at.success[0].value == "Updated: 2."
    # po-002's figures are its reports': refused with what to do instead
    assert rendered(at.error[0].value).startswith(
        "The change was refused: po-002: Submit a progress report to change them"
    )
    dataset = loader.load(data_dir)
    assert [(dataset.action(i).status, dataset.action(i).progress) for i in ("po-002", "po-003", "po-006")] == [
        ("in_progress", 45),
        ("in_progress", 70),
        ("in_progress", 70),
    ]


def test_history_page_lists_and_undoes(data_dir):
    change(data_dir, "po-012", status="cancelled")
    viewer = run_page("history", {"lang": "ru"})
    assert not viewer.exception and len(viewer.expander) == 1
    assert not [b for b in viewer.button if (b.key or "").startswith("undo_")]  # viewers cannot undo
    at = as_user("history", ADMIN, {"lang": "ru"})
    entry = history.read(data_dir)[0][0]
    # when, by both sides' clocks, who, which action by its id and title, what
    label = rendered(at.expander[0].label)
    assert label.endswith(
        "· admin · po-012 изменено: Совместная экологическая акция по очистке берегов Иртыша"
        " во Всемирный день охраны окружающей среды"
    )
    assert "(Павлодар) · " in label and "(Омск)" in label
    changes = at.table[0].value
    assert list(changes.index) == ["Статус"] and changes.iloc[0].tolist() == ["Выполнено", "Отменено"]
    at.button(key=f"undo_{entry.id}").click().run()
    assert at.success[0].value == "Изменение отменено: po-012."
    assert loader.load(data_dir).action("po-012").status == "done"


def test_import_applies_chosen_rows_through_the_store(data_dir):
    dataset = loader.load(data_dir)
    at = as_user("import", User("editor", "pavlodar"), {"lang": "en"})
    at.file_uploader[0].upload("plan.csv", edited_csv(dataset.actions[:3]), "text/csv").run()
    assert at.multiselect[0].value == [2]
    submit(at, "apply_import")
    assert not at.exception and at.success[0].value == "Applied: po-001"
    assert loader.load(data_dir).action("po-001").title.ru.startswith("Учреждение совместной")
    assert history.read(data_dir)[0][-1].user == "editor"


def test_an_import_row_changed_since_the_preview_is_refused_in_the_users_language(data_dir):
    dataset = loader.load(data_dir)
    at = as_user("import", User("editor", "pavlodar"), {"lang": "ru"})
    at.file_uploader[0].upload("plan.csv", edited_csv(dataset.actions[:1]), "text/csv").run()
    version, _ = store.read_version(data_dir, "po-001")  # someone else saves po-001 meanwhile
    store.save(data_dir, dataset.action("po-001").model_copy(update={"tags": ["working-group"]}), ADMIN, version)
    submit(at, "apply_import")
    assert not at.exception and not at.success
    assert rendered(at.error[0].value).endswith(
        "Строка 2: Проверьте обновлённый предварительный просмотр ниже и примените ещё раз — po-001 was changed by someone else"
    )
    assert loader.load(data_dir).action("po-001").title.ru.startswith("Создание совместной")


def test_a_refusal_quoting_what_was_typed_shows_it_as_text(data_dir):
    at = as_user("edit", ADMIN, {"lang": "en", "id": "po-002"})
    at.text_input(key="f_tags").input("[open](javascript:alert(1))")
    submit(at)
    assert not any("javascript" in e.value for e in at.error)  # the advice does not quote it
    assert "got '[open](javascript:alert(1))'" in details(at)  # the rule does, in a code block: plain text


def test_the_history_page_skips_a_torn_line_and_says_so(data_dir):
    change(data_dir, "po-012", status="cancelled")
    with open(data_dir / history.FILE, "ab") as log:
        log.write(b'{"id": "x", "at": "2026-')  # a write cut short
    at = run_page("history", {"lang": "ru"})
    assert not at.exception and len(at.expander) == 1
    assert at.warning[0].value.startswith("Некоторые строки истории не удалось прочитать")
    assert at.code[0].value.endswith(
        ":2: Запись последнего изменения была прервана; предыдущие изменения сохранены полностью"
        " — last line cut short (an interrupted write); skipped"
    )


def test_a_hostile_title_in_the_history_is_shown_as_text(data_dir):
    hostile = "[click](https://evil.example) ![x](https://t.example/p.png)"
    version, _ = store.read_version(data_dir, "po-012")
    action = loader.load(data_dir).action("po-012")
    store.save(
        data_dir, action.model_copy(update={"title": action.title.model_copy(update={"en": hostile})}), ADMIN, version
    )
    at = run_page("history", {"lang": "en"})
    cell = at.table[0].value.iloc[0, 1]
    assert "\\[click\\]\\(https\\:" in cell and "\\!\\[x\\]" in cell and rendered(cell) == hostile


def test_picking_another_action_opens_it_though_the_link_named_one(data_dir):
    at = as_user("edit", ADMIN, {"lang": "en", "id": "po-002"})
    at.selectbox(key="edit_pick").set_value("po-001").run()
    assert at.text_input(key="f_title_en").value == loader.load(data_dir).action("po-001").title.en
    assert at.query_params["id"] == "po-001"  # the link to share follows the pick
