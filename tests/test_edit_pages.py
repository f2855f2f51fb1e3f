"""AppTest flows: sign-in, edit, add, duplicate, delete, undo, bulk update, conflicts, refused saves."""

import datetime as dt

from coopplan import i18n
from coopplan.data import loader
from coopplan.data.standing import standing
from coopplan.editing import forms, history, store
from coopplan.editing.auth import User
from tests import pick
from tests.helpers import ADMIN, DATA, TEST_SESSION, as_user, change, details, rendered, run_page, submit

DATASET = loader.load(DATA)
PAVLODAR = User("editor", "pavlodar")
# A Pavlodar-led action whose reports set its figures (and not to 70 %, which the bulk update sets)
REPORTED = pick.action(
    DATASET,
    "led by Pavlodar with reports",
    lambda a: (
        a.lead == "pavlodar"
        and pick.reported(DATASET, a)
        and a.title.ru is not None
        and standing(a, DATASET.reports_of(a.id)).progress != 70
    ),
)
# An action that has not come to its end, so that cancelling it is a change to undo
OPEN = pick.action(DATASET, "still open", lambda a: a.status != "cancelled" and pick.unreported(DATASET, a))


def new_id(data_dir) -> str:
    """The id the store proposes for the next new action: the plan's own numbering goes on."""
    return store.next_id(data_dir, [a.id for a in loader.load(data_dir).actions])


def test_the_sidebar_offers_the_sign_in_page_and_back_to_this_view(data_dir):
    at = run_page("edit", {"lang": "en", "id": REPORTED.id})
    assert "sign in as an editor" in at.info[0].value
    [link] = [m.value for m in at.markdown if m.value.startswith("<a ")]
    # back to this page with its parameters (under AppTest the page's path is "/"), in the same tab
    back = f"%2F%3Flang%3Den%26id%3D{REPORTED.id}"
    assert link == f'<a href="/signin?lang=en&amp;next={back}" target="_self">Sign in</a>'
    assert not [b for b in at.button if b.key == "sign_out"]


def test_signed_in_the_sidebar_signs_out_and_the_session_ends_everywhere(data_dir):
    from coopplan.editing import sessions

    at = as_user("edit", User("editor", "pavlodar"), {"lang": "en", "id": REPORTED.id})
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
    assert any("Your session has ended" in w.value for w in other_tab.warning)


def test_a_viewer_account_sees_the_plan_and_gets_no_form(data_dir):
    at = as_user("edit", User("reader", "viewer"), {"lang": "ru", "id": DATASET.actions[0].id})
    assert not at.exception
    assert [i.value for i in at.info] == ["Ваша учётная запись позволяет просматривать план, но не изменять его."]
    assert not [t for t in at.text_input if t.key == "f_title_ru"]
    assert "Вход выполнен: reader (наблюдатель)" in [c.value for c in at.caption]


def test_form_problems_are_said_in_the_users_language(data_dir):
    at = as_user("edit", ADMIN, {"lang": "kk", "id": REPORTED.id})
    for lang in ("kk", "ru", "en"):
        at.text_input(key=f"f_title_{lang}").input("")
    at.multiselect(key="f_bodies_pavlodar").set_value([])
    at.multiselect(key="f_bodies_omsk").set_value([])
    submit(at)
    errors = [rendered(e.value) for e in at.error]
    assert any(e.startswith("Бұл өрісті толтырыңыз") for e in errors)
    assert any(e.startswith("Кемінде бір орындаушыны көрсетіңіз") for e in errors)


def test_editing_a_title_in_russian_and_kazakh(data_dir):
    at = as_user("edit", User("editor", "pavlodar"), {"lang": "ru", "id": REPORTED.id})
    at.text_input(key="f_title_ru").input("Презентация СЭЗ «Павлодар» в Омске")
    at.text_input(key="f_title_kk").input("«Павлодар» АЭА-ны Омбыда таныстыру")
    submit(at)
    assert not at.exception and at.success[0].value == f"Сохранено: {REPORTED.id}."
    action = loader.load(data_dir).action(REPORTED.id)
    assert (
        action.title.ru == "Презентация СЭЗ «Павлодар» в Омске"
        and action.title.kk == "«Павлодар» АЭА-ны Омбыда таныстыру"
    )
    assert action.updated_by == "editor"


def test_a_refused_save_says_what_to_fix_and_keeps_what_was_typed(data_dir):
    at = as_user("edit", ADMIN, {"lang": "ru", "id": REPORTED.id})
    before = store.action_path(data_dir, REPORTED.id).read_bytes()
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
    assert store.action_path(data_dir, REPORTED.id).read_bytes() == before


def test_adding_a_new_action(data_dir):
    added_id = new_id(data_dir)
    at = as_user("edit", ADMIN, {"lang": "en"})
    at.segmented_control(key="edit_mode").set_value("new").run()
    assert f"The new action's id: {added_id}" in at.info[0].value
    at.text_input(key="f_title_ru").input("Новое мероприятие")
    at.text_input(key="f_outcome_ru").input("Проведено")
    # a body typed by its name (as an editor would) is stored as its registry id
    at.multiselect(key="f_bodies_omsk").set_value(["Министерство культуры Омской области"])
    at.selectbox(key="f_start").set_value("2027-05")
    at.selectbox(key="f_end").set_value(forms.DAY)
    at.date_input(key="f_end_day").set_value(dt.date(2027, 5, 20))
    submit(at)
    assert not at.exception and at.success[0].value == f"Saved: {added_id}."
    added = loader.load(data_dir).action(added_id)
    assert added.title.ru == "Новое мероприятие" and added.responsible.omsk == ["omsk-culture"]
    assert (added.start, added.end) == ("2027-05", "2027-05-20")
    assert history.read(data_dir)[0][-1].op == "add"


def test_duplicating_an_action(data_dir):
    source = pick.action(DATASET, "with a budget and a Russian title", lambda a: a.budget and a.title.ru)
    copy_id = new_id(data_dir)
    at = as_user("edit", ADMIN, {"lang": "en", "id": source.id})
    at.segmented_control(key="edit_mode").set_value("duplicate").run()
    assert at.text_input(key="f_title_ru").value == source.title.ru
    submit(at)
    copy = loader.load(data_dir).action(copy_id)
    assert copy.title == source.title and copy.budget == source.budget


def test_deleting_needs_a_confirmation(data_dir):
    at = as_user("edit", ADMIN, {"lang": "en", "id": OPEN.id})
    assert at.button(key="delete_button").disabled
    at.checkbox(key="delete_confirm").check().run()
    at.button(key="delete_button").click().run()
    assert not at.exception and f"{OPEN.id} was deleted" in at.success[0].value
    assert loader.load(data_dir).action(OPEN.id) is None


def test_an_omsk_editor_cannot_edit_a_pavlodar_action(data_dir):
    at = as_user("edit", User("omsk1", "omsk"), {"lang": "ru", "id": REPORTED.id})
    assert "нет права изменять" in at.warning[0].value
    assert not [b for b in at.button if b.key and b.key.startswith("FormSubmitter:edit_form")]


def test_a_viewer_sees_no_form(data_dir):
    at = run_page("edit", {"lang": "kk"})
    assert not at.exception
    assert "редактор ретінде кіріңіз" in at.info[0].value
    assert all(not (t.key or "").startswith("f_") for t in at.text_input)


def test_a_conflict_shows_their_changes_and_lets_me_choose(data_dir):
    theirs = pick.action(
        DATASET,
        "led by Omsk, unreported, at 0 %",
        lambda a: a.lead == "omsk" and pick.unreported(DATASET, a) and not a.progress,
    )
    at = as_user("edit", ADMIN, {"lang": "en", "id": theirs.id})
    version, _ = store.read_version(data_dir, theirs.id)
    other = loader.load(data_dir).action(theirs.id).model_copy(update={"progress": 77})
    store.save(data_dir, other, User("omsk1", "omsk"), version)  # someone else, meanwhile
    at.text_input(key="f_title_en").input("My title")
    submit(at)
    assert at.error[0].value.startswith("Someone else changed this action")
    changes = at.table[0].value
    assert list(changes.index) == ["Progress, %"] and list(changes.iloc[:, 1]) == ["77"]
    at.button(key="conflict_overwrite").click().run()
    saved = loader.load(data_dir).action(theirs.id)
    assert saved.title.en == "My title" and saved.progress == 0  # my edit, knowingly over theirs


def test_bulk_update_of_status_and_progress(data_dir):
    omsk_led = pick.action(DATASET, "led by Omsk", lambda a: a.lead == "omsk")
    free = pick.editable(PAVLODAR, DATASET, 2, lambda a: pick.unreported(DATASET, a) and a.status != "cancelled")
    chosen = [REPORTED.id, *(a.id for a in free)]
    at = as_user("edit", PAVLODAR, {"lang": "en"})
    at.segmented_control(key="edit_mode").set_value("bulk").run()
    ids = at.multiselect[0].options
    assert omsk_led.id not in [o.split(" · ")[0] for o in ids]  # Omsk-led: not offered to a Pavlodar editor
    at.multiselect[0].set_value(chosen)
    at.selectbox[0].set_value("in_progress")
    at.number_input[0].set_value(70)
    submit(at, "bulk")
    assert at.success[0].value == "Updated: 2."
    # the reported action's figures are its reports': refused with what to do instead
    assert rendered(at.error[0].value).startswith(
        f"The change was refused: {REPORTED.id}: Submit a progress report to change them"
    )
    dataset = loader.load(data_dir)
    assert [(dataset.action(i).status, dataset.action(i).progress) for i in chosen] == [
        (REPORTED.status, REPORTED.progress),
        ("in_progress", 70),
        ("in_progress", 70),
    ]


def test_history_page_lists_and_undoes(data_dir):
    change(data_dir, OPEN.id, status="cancelled")
    viewer = run_page("history", {"lang": "ru"})
    assert not viewer.exception and len(viewer.expander) == 1
    assert not [b for b in viewer.button if (b.key or "").startswith("undo_")]  # viewers cannot undo
    at = as_user("history", ADMIN, {"lang": "ru"})
    entry = history.read(data_dir)[0][0]
    # when, by both sides' clocks, who, which action by its id and title, what
    label = rendered(at.expander[0].label)
    assert label.endswith(f"· admin · {OPEN.id} изменено: {OPEN.title('ru')}")
    assert "(Павлодар) · " in label and "(Омск)" in label
    changes = at.table[0].value
    was = i18n.t("ru", f"status.{OPEN.status}")
    assert list(changes.index) == ["Статус"] and changes.iloc[0].tolist() == [was, "Отменено"]
    at.button(key=f"undo_{entry.id}").click().run()
    assert at.success[0].value == f"Изменение отменено: {OPEN.id}."
    assert loader.load(data_dir).action(OPEN.id).status == OPEN.status


def test_import_applies_chosen_rows_through_the_store(data_dir):
    first, *others = pick.editable(PAVLODAR, DATASET, 3, lambda a: True)
    at = as_user("import", PAVLODAR, {"lang": "en"})
    at.file_uploader[0].upload("plan.csv", pick.renamed_csv([first, *others]), "text/csv").run()
    assert at.multiselect[0].value == [2]
    submit(at, "apply_import")
    assert not at.exception and at.success[0].value == f"Applied: {first.id}"
    assert loader.load(data_dir).action(first.id).title.ru == f"Учреждение {first.title('ru')}"
    assert history.read(data_dir)[0][-1].user == "editor"


def test_an_import_row_changed_since_the_preview_is_refused_in_the_users_language(data_dir):
    [first] = pick.editable(PAVLODAR, DATASET, 1, lambda a: True)
    at = as_user("import", PAVLODAR, {"lang": "ru"})
    at.file_uploader[0].upload("plan.csv", pick.renamed_csv([first]), "text/csv").run()
    version, _ = store.read_version(data_dir, first.id)  # someone else saves it meanwhile
    store.save(data_dir, first.model_copy(update={"tags": ["working-group"]}), ADMIN, version)
    submit(at, "apply_import")
    assert not at.exception and not at.success
    assert rendered(at.error[0].value).endswith(
        f"Строка 2: Проверьте обновлённый предварительный просмотр ниже и примените ещё раз — {first.id} was changed by someone else"
    )
    assert loader.load(data_dir).action(first.id).title == first.title


def test_a_refusal_quoting_what_was_typed_shows_it_as_text(data_dir):
    at = as_user("edit", ADMIN, {"lang": "en", "id": REPORTED.id})
    at.text_input(key="f_tags").input("[open](javascript:alert(1))")
    submit(at)
    assert not any("javascript" in e.value for e in at.error)  # the advice does not quote it
    assert "got '[open](javascript:alert(1))'" in details(at)  # the rule does, in a code block: plain text


def test_the_history_page_shows_a_page_of_the_newest_changes_and_pages_through_the_rest(data_dir):
    record = loader.load(data_dir).action(OPEN.id).to_yaml_dict()
    for number in range(history.PAGE + 5):  # as many changes as the log may hold, written straight to it
        history.append(data_dir, history.new_entry("admin", OPEN.id, "edit", record, record | {"tags": [str(number)]}))
    at = run_page("history", {"lang": "en"})
    assert len(at.expander) == history.PAGE and at.caption[-1].value.startswith(f"{history.PAGE + 5} changes")
    assert at.number_input(key="history_page").label == "Page (of 2)"
    at.number_input(key="history_page").set_value(2).run()
    assert not at.exception and len(at.expander) == 5
    at.multiselect(key="history_action").set_value([OPEN.id]).run()  # other filters start on their first page
    assert at.number_input(key="history_page").value == 1 and len(at.expander) == history.PAGE


def test_the_history_page_skips_a_torn_line_and_says_so(data_dir):
    change(data_dir, OPEN.id, status="cancelled")
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
    version, _ = store.read_version(data_dir, OPEN.id)
    action = loader.load(data_dir).action(OPEN.id)
    store.save(
        data_dir, action.model_copy(update={"title": action.title.model_copy(update={"en": hostile})}), ADMIN, version
    )
    at = run_page("history", {"lang": "en"})
    cell = at.table[0].value.iloc[0, 1]
    assert "\\[click\\]\\(https\\:" in cell and "\\!\\[x\\]" in cell and rendered(cell) == hostile


def test_picking_another_action_opens_it_though_the_link_named_one(data_dir):
    at = as_user("edit", ADMIN, {"lang": "en", "id": REPORTED.id})
    other = next(a for a in DATASET.actions if a.id != REPORTED.id)
    at.selectbox(key="edit_pick").set_value(other.id).run()
    assert at.text_input(key="f_title_en").value == (other.title.en or "")
    assert at.query_params["id"] == other.id  # the link to share follows the pick
