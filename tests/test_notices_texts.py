"""The mails' texts and who they go to, without a mail server: plurals and dates as
each language writes them, inert user text, the reminder days, the accounts' mail
settings, the notices of a disagreement and of a closed quarter, and the coordinators'
section of the Reporting page."""

from __future__ import annotations

import datetime as dt

import pytest

from coopplan import cli
from coopplan.data import loader, quarter_file, standing
from coopplan.editing import auth, quarter_store, store, transaction
from coopplan.notices import events, mail, reminders
from coopplan.notices.outbox import Outbox
from coopplan.reporting import quarters
from tests.helpers import as_user

PASSWORD = "correct horse battery"


@pytest.mark.parametrize(
    "count, ru, kk",
    [
        (1, "не представлен 1 отчёт", "1 есеп ұсынылмаған"),
        (3, "не представлено 3 отчёта", "3 есеп ұсынылмаған"),
        (5, "не представлено 5 отчётов", "5 есеп ұсынылмаған"),
        (21, "не представлен 21 отчёт", "21 есеп ұсынылмаған"),
        (114, "не представлено 114 отчётов", "114 есеп ұсынылмаған"),
    ],
)
def test_counts_of_reports_take_russian_and_kazakh_plural_forms(count, ru, kk):
    assert ru in mail.sentence("ru", "mail.reminder.owed", count)
    assert kk in mail.sentence("kk", "mail.reminder.owed", count)


@pytest.mark.parametrize(
    "days, ru", [(1, "остался 1 день"), (3, "осталось 3 дня"), (10, "осталось 10 дней"), (22, "осталось 22 дня")]
)
def test_days_left_take_the_russian_plural_form(days, ru):
    assert ru in mail.sentence("ru", "mail.reminder.before", days, quarter="IV квартал 2026 г.", due="")


def test_due_dates_are_written_as_each_language_writes_dates():
    due = dt.date(2027, 1, 10)
    assert "2027 жылғы 10 қаңтар" in mail.sentence(
        "kk", "mail.reminder.today", due=reminders.i18n.date(due, "kk"), quarter=""
    )
    assert "10 января 2027 г." in mail.sentence(
        "ru", "mail.reminder.today", due=reminders.i18n.date(due, "ru"), quarter=""
    )
    assert "January 10, 2027" in mail.sentence(
        "en", "mail.reminder.today", due=reminders.i18n.date(due, "en"), quarter=""
    )


@pytest.mark.parametrize(
    "hostile, absent",
    [
        ("see https://evil.example/x", "https://evil"),
        ("go to www.evil.com now", "www.evil"),
        ("javascript:alert(1)", "javascript:"),
        ("write to boss@evil.example", "boss@evil"),
        ("evil.com", "evil.com"),
        ("a\nSubject: injected", "\n"),
        ("right\u202eleft", "\u202e"),
    ],
)
def test_user_text_is_made_inert_before_it_enters_a_mail(hostile, absent):
    assert absent not in mail.inert(hostile)


def test_plain_numbers_and_cyrillic_sentences_stay_as_written():
    assert mail.inert("Выполнено на 45.5 %. Протокол № 7 от 02.12.2026 г. Омск") == (
        "Выполнено на 45.5 %. Протокол № 7 от 02.12.2026 г. Омск"
    )


@pytest.mark.parametrize(
    "day, quarter, offset",
    [
        (dt.date(2026, 12, 31), "2026-Q4", -10),
        (dt.date(2027, 1, 7), "2026-Q4", -3),
        (dt.date(2027, 1, 9), "2026-Q4", -3),  # missed on its day: caught up until the next one's
        (dt.date(2027, 1, 11), "2026-Q4", 1),
        (dt.date(2027, 1, 17), "2026-Q4", 7),
        (dt.date(2027, 1, 23), "2026-Q4", 7),
        (dt.date(2026, 9, 30), "2026-Q3", -10),
    ],
)
def test_the_reminder_of_a_day_is_the_latest_offset_on_or_before_it(day, quarter, offset):
    assert reminders.occasion(day) == reminders.Occasion(quarter, reminders.duties.due_date(quarter), offset)


@pytest.mark.parametrize("day", [dt.date(2027, 1, 24), dt.date(2027, 2, 15), dt.date(2026, 12, 30)])
def test_days_far_from_a_due_date_send_no_reminder(day):
    assert reminders.occasion(day) is None


def test_the_reminder_days_are_configurable(monkeypatch):
    monkeypatch.setenv("COOPPLAN_REMINDER_DAYS", "-5, 0")
    assert reminders.offsets() == (-5, 0)
    assert reminders.occasion(dt.date(2027, 1, 10), reminders.offsets()).offset == 0


def test_an_account_gets_an_address_checked_for_form_a_language_and_kinds_turned_off(capsys):
    assert (
        cli.main(["users", "add", "ivanov", "--role", "omsk", "--email", "x@y", "--lang", "ru", "--password-stdin"])
        == 1
    )
    assert "is not an e-mail address" in capsys.readouterr().err
    for bad in ("a@b.c", "a..b@example.kz", "<a@example.kz>", "a@example.kz\nBcc: x@evil.example", "a b@example.kz"):
        with pytest.raises(auth.AuthError):
            auth.valid_email(bad)
    assert auth.valid_email(" Ivanov.A+plan@Akimat.Pavlodar.KZ ") == "ivanov.a+plan@akimat.pavlodar.kz"
    auth.add_user("ivanov", "omsk", PASSWORD, "ivanov@example.ru", lang="ru")
    assert cli.main(["users", "set", "ivanov", "--lang", "kk", "--off", "reminder", "--off", "plan"]) == 0
    account = auth.load_accounts()["ivanov"]
    assert (account["lang"], account["notices_off"]) == ("kk", ["reminder", "plan"])
    assert cli.main(["users", "set", "ivanov", "--on", "plan", "--email", "i@example.kz"]) == 0
    account = auth.load_accounts()["ivanov"]
    assert (account["email"], account["notices_off"]) == ("i@example.kz", ["reminder"])
    assert cli.main(["users", "set", "nobody", "--lang", "kk"]) == 1


@pytest.fixture
def coordinators(monkeypatch):
    monkeypatch.setattr(transaction, "observers", [])
    auth.add_user("pav.coordinator", "pavlodar-coordinator", PASSWORD, "pav@example.kz", lang="kk")
    auth.add_user("omsk.coordinator", "omsk-coordinator", PASSWORD, "omsk@example.ru", lang="ru")
    events.listen()


def queued(kind: str) -> dict[str, dict]:
    return {r["account"]: r for r in Outbox().records().values() if r["kind"] == kind}


def test_a_joint_actions_reports_coming_to_disagree_tell_both_coordinators(data_dir, coordinators):
    dataset = loader.load(data_dir)
    for action in (a for a in dataset.actions if a.lead == "joint"):
        by_quarter: dict = {}
        for report in (r for r in dataset.reports_of(action.id) if r.counts):
            by_quarter.setdefault(report.period, {})[report.side] = report
        for pair in (p for p in by_quarter.values() if len(p) == 2):
            mine = pair["pavlodar"]
            if standing.disagreement(action, list(pair.values())) or mine.status == "done":
                continue
            changed = mine.model_copy(update={"status": "postponed" if mine.status != "postponed" else "in_progress"})
            admin = auth.User("admin", "admin")
            try:
                closing = quarter_file.read(data_dir, mine.period)[0]
                if closing is not None and "pavlodar" in closing.sides:  # a correction through an exception
                    until = dt.date.today() + dt.timedelta(days=30)
                    quarter_store.reopen(data_dir, mine.period, action.id, "pavlodar", until, "исправление", admin)
                store.save_report(data_dir, changed, admin, store.version_as_loaded(data_dir, mine))
            except store.StoreError:
                continue  # a closed quarter, a rule of joint actions: try another
            found = queued("disagreement")
            assert set(found) == {"pav.coordinator", "omsk.coordinator"}
            assert found["pav.coordinator"]["lang"] == "kk" and "алшақтық" in found["pav.coordinator"]["subject"]
            assert "Расхождение в отчётах сторон" in found["omsk.coordinator"]["subject"]
            assert action.id in found["omsk.coordinator"]["subject"]
            return
    pytest.fail("no joint action with two agreeing reports to make disagree")


def test_a_side_closing_its_quarter_tells_the_other_sides_coordinator(data_dir, coordinators):
    dataset = loader.load(data_dir)
    quarter = max(r.period for r in dataset.reports)
    closer = auth.User("pav.coordinator", "pavlodar-coordinator")
    quarter_store.decide(dataset, [r.key for r in quarters.waiting(dataset, "pavlodar")], closer, True)
    dataset = loader.load(data_dir)
    pending = quarters.pending(dataset, quarter, "pavlodar", {})
    for item in (p for p in pending if p.kind == "disagreement_open"):
        quarter_store.settle(data_dir, quarter, item.action, closer, noted=True)
    marked = {p.action: "no report came" for p in pending if p.kind == "report_pending"}
    quarter_store.close(data_dir, quarter, closer, not_received=marked)
    found = queued("closed")
    assert set(found) == {"omsk.coordinator"}  # the other side's; never the one who closed
    assert found["omsk.coordinator"]["subject"].startswith("Павлодарская область закрыла отчётный период")
    assert "/reporting?lang=ru&period=" in found["omsk.coordinator"]["text"]


def test_coordinators_see_the_next_runs_mails_and_the_outbox_and_editors_do_not(data_dir, monkeypatch):
    monkeypatch.setenv("COOPPLAN_PUBLIC_URL", "https://plan.example.kz")
    quarter = max(r.period for r in loader.load(data_dir).reports)
    due = reminders.duties.due_date(quarter)
    auth.add_user("omsk.coordinator", "omsk-coordinator", PASSWORD, "omsk@example.ru", lang="ru")
    auth.add_user("pav.editor", "pavlodar", PASSWORD, "pav@example.kz", lang="kk")
    Outbox().append(
        [
            {
                "key": "plan/omsk.coordinator/1",
                "account": "omsk.coordinator",
                "to": "omsk@example.ru",
                "lang": "ru",
                "kind": "plan",
                "subject": "План утверждён",
                "text": "…",
                "html": "…",
                "state": "queued",
                "at": "2027-01-01T06:00:00+00:00",
            },
            {
                "key": "plan/omsk.coordinator/1",
                "state": "failed",
                "error": "ConnectionRefusedError",
                "at": "2027-01-01T06:00:01+00:00",
            },
        ]
    )
    at = as_user("reporting", auth.User("omsk.coordinator", "omsk-coordinator"), {"lang": "ru", "period": quarter})
    at.date_input(key="notices_day").set_value(due - dt.timedelta(days=10)).run()
    assert not at.exception
    labels = [e.label.replace("\\", "").replace("\u2060", "") for e in at.expander]  # as shown: escapes taken away
    assert any("pav.editor — pav@example.kz (kk)" in label and "Еске салу" in label for label in labels)
    assert any("omsk.coordinator" in label and "План утверждён" in label for label in labels)  # waiting, failed once
    assert any("https://plan.example.kz/reporting?lang=kk" in t.value for t in at.text)
    table = next(d.value for d in at.dataframe if "Ошибка" in d.value.columns)
    assert list(table["Ошибка"]) == ["ConnectionRefusedError"]
    assert list(table["Результат отправки"]) == ["не отправлено, повтор при следующей рассылке"]
    at.multiselect(key="notices_states").set_value(["sent"]).run()
    assert next(d.value for d in at.dataframe if "Ошибка" in d.value.columns).empty
    editor = as_user("reporting", auth.User("pav.editor", "pavlodar"), {"lang": "kk", "period": quarter})
    assert not [e for e in editor.date_input if e.key == "notices_day"]


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_no_mail_sentence_ends_a_date_with_a_second_full_stop(lang):
    day = reminders.i18n.date(dt.date(2027, 1, 10), lang)
    for key in (k for k in reminders.i18n.catalog(lang) if k.startswith("mail.")):
        for count in (1, 3, 5):
            fields = dict.fromkeys(("quarter", "side", "who", "number", "note", "bodies", "accepted"), "x")
            text = reminders.i18n.t(
                lang,
                key,
                count,
                due=day,
                date=day,
                pavlodar="x",
                omsk="x",
                **fields,
                pavlodar_progress="1",
                omsk_progress="1",
                what="x",
                command="x",
            )
            assert ".." not in text, (key, text)


def test_a_wrong_reminder_setting_is_said_in_the_section_not_raised(data_dir, monkeypatch):
    monkeypatch.setenv("COOPPLAN_REMINDER_DAYS", "soon")
    quarter = max(r.period for r in loader.load(data_dir).reports)
    auth.add_user("omsk.coordinator", "omsk-coordinator", PASSWORD, "omsk@example.ru", lang="ru")
    at = as_user("reporting", auth.User("omsk.coordinator", "omsk-coordinator"), {"lang": "ru", "period": quarter})
    assert not at.exception
    assert any("COOPPLAN_REMINDER_DAYS" in e.value and "недоступен" in e.value for e in at.error)
