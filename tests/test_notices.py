"""Mail reminders and notices through a real SMTP server on the loopback (aiosmtpd):
who gets what on each reminder day, in which language, with which links; each mail
once, whatever runs twice, at once, or against a server that fails; report texts
that cannot become markup or links; and a quarter lived through, day by day."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections import Counter
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest

from coopplan import cli
from coopplan.data import loader
from coopplan.data.model import Report
from coopplan.editing import auth, quarter_store, store, transaction
from coopplan.notices import events, reminders, run
from coopplan.notices.outbox import Outbox
from coopplan.reporting import duties, quarters
from tests.helpers import ADMIN, ROOT, as_user
from tests.smtp_servers import Inbox, Misbehaving, free_port

PUBLIC = "https://plan.example.kz"
PASSWORD = "correct horse battery"


@pytest.fixture
def inbox(monkeypatch):
    """A real SMTP server on the loopback, and the mail settings pointing at it."""
    from aiosmtpd.controller import Controller

    handler = Inbox()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    for name, value in {
        "COOPPLAN_SMTP_HOST": "127.0.0.1",
        "COOPPLAN_SMTP_PORT": str(port),
        "COOPPLAN_SMTP_SECURITY": "none",
        "COOPPLAN_SMTP_TIMEOUT": "2",
        "COOPPLAN_MAIL_FROM": "plan@example.kz",
        "COOPPLAN_PUBLIC_URL": PUBLIC,
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("COOPPLAN_REMINDER_DAYS", raising=False)
    yield handler
    controller.stop()


@pytest.fixture
def quiet_observers(monkeypatch):
    """The store's observers as this test sets them, emptied again after it."""
    monkeypatch.setattr(transaction, "observers", [])


def latest_quarter(data_dir) -> str:
    return max(r.period for r in loader.load(data_dir).reports)


def body_owing(data_dir, quarter: str, side: str) -> str:
    """An executing body of ``side`` that still owes a report for ``quarter``."""
    dataset = loader.load(data_dir)
    owed = [d for d in duties.duties(dataset.actions, dataset.reports, quarter, dt.date.max) if d.report is None]
    return next(b for d in owed if d.side == side for b in getattr(d.action.responsible, side))


def accounts(data_dir, quarter: str) -> dict[str, str]:
    """The accounts of a quarter's mail (name → language): an editor of each side for one
    body, in kk and ru; each side's coordinator; an editor who turned reminders off; a
    viewer with an address, who owes nothing; an administrator without one."""
    auth.add_user(
        "pav.editor",
        "pavlodar",
        PASSWORD,
        "pav.editor@example.kz",
        bodies=[body_owing(data_dir, quarter, "pavlodar")],
        lang="kk",
    )
    auth.add_user(
        "omsk.editor",
        "omsk",
        PASSWORD,
        "omsk.editor@example.ru",
        bodies=[body_owing(data_dir, quarter, "omsk")],
        lang="ru",
    )
    auth.add_user("pav.coordinator", "pavlodar-coordinator", PASSWORD, "pav.coord@example.kz", lang="kk")
    auth.add_user("omsk.coordinator", "omsk-coordinator", PASSWORD, "omsk.coord@example.ru", lang="ru")
    auth.add_user("quiet", "omsk", PASSWORD, "quiet@example.ru", lang="ru")
    auth.set_user("quiet", off=["reminder"])
    auth.add_user("viewer", "viewer", PASSWORD, "viewer@example.kz", lang="kk")
    auth.add_user("admin", "admin", PASSWORD)
    return {"pav.editor": "kk", "omsk.editor": "ru", "pav.coordinator": "kk", "omsk.coordinator": "ru"}


def reminder_days(quarter: str) -> list[dt.date]:
    due = duties.due_date(quarter)
    return [due + dt.timedelta(days=offset) for offset in reminders.DEFAULT_OFFSETS]


def notify(day: dt.date, *extra: str) -> int:
    return cli.main(["notify", "--date", day.isoformat(), *extra])


def account_of(mail) -> str:
    return mail.to[0].split("@")[0].replace("coord", "coordinator")


def links(text: str) -> list[str]:
    return [word for word in text.split() if word.startswith(("http://", "https://"))]


class Hrefs(HTMLParser):
    def __init__(self, html: str):
        super().__init__()
        self.found: list[str] = []
        self.tags: set[str] = set()
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.found += [value for name, value in attrs if name == "href"]


def test_reminders_at_each_offset_reach_exactly_the_accounts_that_owe_in_their_languages(data_dir, inbox):
    quarter = latest_quarter(data_dir)
    langs = accounts(data_dir, quarter)
    dataset = loader.load(data_dir)
    for day in reminder_days(quarter):
        assert notify(day) == 0
        got = inbox.take()
        owed = duties.duties(dataset.actions, dataset.reports, quarter, day)
        people = {p.name: p for p in run.recipients()}
        expected = {name for name in langs if reminders.owed_by(people[name], owed) or people[name].coordinates}
        assert {account_of(m) for m in got} == expected, day
        for mail in got:
            name = account_of(mail)
            lang = langs[name]
            assert mail.message["Content-Language"] == lang
            assert ("тоқсан" if lang == "kk" else "квартал") in mail.message["Subject"]
            assert {"kk": "Құрметті әріптес!", "ru": "Уважаемый коллега!"}[lang] in mail.text
            assert f"users set {name} --off reminder" in mail.text  # how to turn it off
            mine = {d.action.id for d in reminders.owed_by(people[name], owed)}
            found = [parse_qs(urlsplit(u).query) for u in links(mail.text) if "action=" in u]
            if not people[name].coordinates:
                assert {q["action"][0] for q in found} == mine
            for query, url in zip(found, [u for u in links(mail.text) if "action=" in u], strict=True):
                assert url.startswith(f"{PUBLIC}/reporting?") and query["period"] == [quarter]
                assert query["lang"] == [lang]
            assert set(links(mail.text)) == {h for h in Hrefs(mail.html).found}
        assert notify(day) == 0
        assert inbox.take() == []  # a second run the same day sends nothing


def test_a_reminders_link_opens_the_report_form_of_its_action(data_dir, inbox):
    quarter = latest_quarter(data_dir)
    accounts(data_dir, quarter)
    notify(reminder_days(quarter)[0])
    mail = next(m for m in inbox.take() if account_of(m) == "omsk.editor")
    link = next(u for u in links(mail.text) if "action=" in u)
    query = {k: v[0] for k, v in parse_qs(urlsplit(link).query).items()}
    at = as_user("reporting", auth.User("omsk.editor", "omsk"), query)
    assert not at.exception
    assert at.selectbox(key="report_pick").value == (query["action"], query["side"])


def test_two_notify_runs_at_once_send_each_mail_once(data_dir, inbox):
    quarter = latest_quarter(data_dir)
    accounts(data_dir, quarter)
    day = reminder_days(quarter)[1].isoformat()
    command = [sys.executable, "-m", "coopplan", "notify", "--date", day]
    runs = [subprocess.Popen(command, cwd=ROOT, env=os.environ.copy(), stderr=subprocess.PIPE) for _ in range(2)]
    assert [r.wait(timeout=60) for r in runs] == [0, 0]
    got = inbox.take()
    counted = Counter(m.message["Message-ID"] for m in got)
    assert got and set(counted.values()) == {1}
    assert len(got) == len(Outbox().records())


@pytest.mark.parametrize("how", ["refuse", "hang", "drop"])
def test_a_failing_mail_server_loses_nothing_and_the_next_run_sends(data_dir, inbox, monkeypatch, how):
    quarter = latest_quarter(data_dir)
    accounts(data_dir, quarter)
    day = reminder_days(quarter)[0]
    good = os.environ["COOPPLAN_SMTP_PORT"]
    bad = Misbehaving(how) if how != "refuse" else None
    monkeypatch.setenv("COOPPLAN_SMTP_PORT", str(bad.port if bad else free_port()))
    monkeypatch.setenv("COOPPLAN_SMTP_TIMEOUT", "0.3")
    try:
        assert notify(day) == 0  # logged, never fatal
    finally:
        if bad:
            bad.close()
    records = Outbox().records()
    assert records and all(r["state"] in ("queued", "failed") for r in records.values())
    assert any(r["state"] == "failed" and r.get("error") for r in records.values())
    monkeypatch.setenv("COOPPLAN_SMTP_PORT", good)
    assert notify(day) == 0
    got = inbox.take()
    assert sorted(m.message["Message-ID"] for m in got) == sorted(set(m.message["Message-ID"] for m in got))
    assert len(got) == len(records)
    assert all(r["state"] == "sent" for r in Outbox().records().values())


def test_a_mail_left_sending_by_a_crash_is_sent_again_not_lost(data_dir, inbox):
    quarter = latest_quarter(data_dir)
    accounts(data_dir, quarter)
    box = Outbox()
    mails = run.due(loader.load(data_dir), reminder_days(quarter)[0], box, PUBLIC)
    box.queue(mails)
    box.append([{"key": mails[0].key, "state": "sending", "at": "2026-12-31T06:00:00+00:00"}])  # and then the crash
    assert notify(reminder_days(quarter)[0]) == 0
    got = inbox.take()
    assert mails[0].subject in {m.message["Subject"] for m in got}
    assert len(got) == len(mails)


HOSTILE = (
    "<script>alert(1)</script><img src=x onerror=alert(2)> [click](http://evil.example/a) "
    "https://evil.example/b www.evil.example javascript:alert(3) evil@evil.example\u202e"
)


def submitted_report(data_dir, side: str) -> Report:
    dataset = loader.load(data_dir)
    return next(r for r in quarters.waiting(dataset, side) if dataset.action(r.action) is not None)


def resubmit(data_dir, report: Report, editor: auth.User) -> None:
    """``editor`` takes ``report`` back as a draft and submits it: its author now."""
    for state in ("draft", "submitted"):
        version = store.read_report_version(data_dir, report.key)[0]
        store.save_report(data_dir, report.model_copy(update={"state": state}), editor, version)


def test_hostile_report_texts_are_inert_in_both_parts_of_a_mail(data_dir, inbox, quiet_observers):
    quarter = latest_quarter(data_dir)
    accounts(data_dir, quarter)
    events.listen()
    editor, coordinator = auth.User("quiet", "omsk"), auth.User("omsk.coordinator", "omsk-coordinator")
    report = submitted_report(data_dir, "omsk")
    resubmit(data_dir, report, editor)
    done, refused = quarter_store.decide(loader.load(data_dir), [report.key], coordinator, False, HOSTILE)
    assert done == [report.key], refused
    assert notify(dt.date.today()) == 0
    returned = [m for m in inbox.take() if "quiet@" in m.to[0]]
    assert len(returned) == 1
    mail = returned[0]
    parsed = Hrefs(mail.html)
    assert parsed.tags <= {"html", "head", "meta", "title", "body", "p", "ul", "li", "b", "br", "a", "h3"}
    assert parsed.found and all(h.startswith(f"{PUBLIC}/reporting?") for h in parsed.found)
    assert "<script" not in mail.html and "&lt;script&gt;" in mail.html
    for part in (mail.text, mail.html):
        assert "http://evil" not in part and "https://evil" not in part and "www.evil" not in part
        assert "javascript:" not in part and "evil@evil" not in part and "\u202e" not in part
    assert all(u.startswith(PUBLIC) for u in links(mail.text))


def test_a_quarter_lived_day_by_day_sends_every_reminder_and_notice_once_in_kk_and_ru(data_dir, inbox, quiet_observers):
    quarter = latest_quarter(data_dir)
    langs = accounts(data_dir, quarter)
    events.listen()
    first, second, after, last = reminder_days(quarter)
    sent: list = []

    def day(when: dt.date) -> list:
        assert notify(when) == 0
        got = inbox.take()
        assert notify(when) == 0 and inbox.take() == []  # the same day again: nothing
        sent.extend(got)
        return got

    assert {account_of(m) for m in day(first)} == set(langs)
    omsk_editor, omsk_coordinator = auth.User("omsk.editor", "omsk"), auth.User("omsk.coordinator", "omsk-coordinator")
    # an editor corrects a waiting report and submits it again; its coordinator returns it, then accepts it
    report = submitted_report(data_dir, "omsk")
    users = auth.load_accounts()
    users["omsk.editor"].pop("bodies")  # reports for the whole side, as the report's body may be another
    auth.save_accounts(users)
    resubmit(data_dir, report, omsk_editor)
    quarter_store.decide(loader.load(data_dir), [report.key], omsk_coordinator, False, "Уточните номер протокола")
    resubmit(data_dir, report, omsk_editor)
    quarter_store.decide(loader.load(data_dir), [report.key], omsk_coordinator, True)
    got = day(second)
    kinds = Counter((account_of(m), m.message["Subject"].split(":")[0]) for m in got)
    assert ("omsk.coordinator", "Поступил отчёт на рассмотрение") in kinds
    assert ("omsk.editor", "Отчёт возвращён на доработку") in kinds
    assert ("omsk.editor", "Отчёт принят") in kinds
    returned = next(m for m in got if m.message["Subject"].startswith("Отчёт возвращён"))
    assert "Уточните номер протокола" in returned.text
    # the plan approved by an administrator: every coordinator hears of it
    store.approve(data_dir, ADMIN)
    got = day(after)
    plan = [m for m in got if "жоспар" in m.message["Subject"].lower() or "План" in m.message["Subject"]]
    assert {account_of(m) for m in plan} == {"pav.coordinator", "omsk.coordinator"}
    assert {m.message["Content-Language"] for m in plan} == {"kk", "ru"}
    day(last)
    keys = Counter(m.message["Message-ID"] for m in sent)
    assert set(keys.values()) == {1}
    assert {m.message["Content-Language"] for m in sent} == {"kk", "ru"}
    reminded = Counter(account_of(m) for m in sent if "reminder" in Outbox().records().get(_key(m), {}).get("kind", ""))
    assert reminded and all(count <= len(reminders.DEFAULT_OFFSETS) for count in reminded.values())


def _key(mail) -> str:
    import hashlib

    wanted = mail.message["Message-ID"].strip("<>").split("@")[0]
    return next(k for k in Outbox().records() if hashlib.sha256(k.encode()).hexdigest()[:32] == wanted)


def test_the_web_process_sends_a_notice_at_once_from_its_background_sender(
    data_dir, inbox, quiet_observers, monkeypatch
):
    quarter = latest_quarter(data_dir)
    accounts(data_dir, quarter)
    monkeypatch.setattr(events, "_sender", None)
    events.listen(background=True)  # as the web server's start does when SMTP is set up
    sender = events._sender
    report = submitted_report(data_dir, "omsk")
    resubmit(data_dir, report, auth.User("quiet", "omsk"))  # submitted: its coordinator hears of it
    assert sender.delivered.wait(20)
    got = inbox.take()
    assert [account_of(m) for m in got] == ["omsk.coordinator"]
    assert got[0].message["Subject"].startswith("Поступил отчёт на рассмотрение")
    assert notify(dt.date.today()) == 0 and inbox.take() == []  # the daily run finds it sent


def test_a_dry_run_prints_who_would_get_what_and_sends_and_records_nothing(data_dir, inbox, capsys):
    quarter = latest_quarter(data_dir)
    accounts(data_dir, quarter)
    assert notify(reminder_days(quarter)[0], "--dry-run") == 0
    out = capsys.readouterr().out
    assert "pav.editor <pav.editor@example.kz> [kk] reminder" in out
    assert "omsk.coordinator <omsk.coord@example.ru> [ru] reminder" in out
    assert inbox.take() == [] and Outbox().records() == {}


@pytest.mark.parametrize(
    "setting, value, says",
    [
        ("COOPPLAN_SMTP_SECURITY", "ssl", "none, starttls or tls"),
        ("COOPPLAN_SMTP_PORT", "smtp", "a port number"),
        ("COOPPLAN_PUBLIC_URL", "plan.example.kz", "COOPPLAN_PUBLIC_URL"),
        ("COOPPLAN_MAIL_FROM", "nobody", "COOPPLAN_MAIL_FROM"),
        ("COOPPLAN_REMINDER_DAYS", "-10,soon", "COOPPLAN_REMINDER_DAYS"),
        ("COOPPLAN_SMTP_PASSWORD_FILE", "/nonexistent/password", "cannot read it"),
    ],
)
def test_a_wrong_mail_setting_is_named_with_what_to_write_and_nothing_is_sent(
    data_dir, inbox, monkeypatch, capsys, setting, value, says
):
    accounts(data_dir, latest_quarter(data_dir))
    monkeypatch.setenv(setting, value)
    assert notify(dt.date(2027, 1, 1)) == 1
    err = capsys.readouterr().err
    assert says in err and "Traceback" not in err
    assert inbox.take() == []


def test_a_date_not_written_as_a_date_is_refused_with_its_form(capsys):
    with pytest.raises(SystemExit) as refused:
        cli.main(["notify", "--date", "31.12.2026"])
    assert refused.value.code == 2
    err = capsys.readouterr().err
    assert "'31.12.2026' is not a day" in err and "Traceback" not in err
