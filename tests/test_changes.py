"""The approved plan as a baseline and what changed since: the comparison of every kind,
quarters counted across granularities, approving (an administrator's act, recorded and
undone like any change), broken baseline files, the command line and the pages."""

import base64
import datetime as dt
import json
import subprocess
import sys

import numpy as np
import pytest

from coopplan import i18n
from coopplan.data import loader
from coopplan.data.model import Action, Baseline, baseline_of
from coopplan.editing import auth, history, store
from coopplan.editing.auth import User
from coopplan.reporting import amendments
from coopplan.views.charts import FADED
from tests.helpers import ADMIN, DATA, ROOT, as_user, run_page, submit, valid_action

SHIPPED = loader.load(DATA)


def action(action_id: str = "t-001", **changes) -> Action:
    return Action.model_validate(valid_action(action_id, **changes))


def baseline(*approved: Action) -> Baseline:
    return Baseline(
        version=1, approved_on=dt.date(2026, 2, 27), approved_by="admin", actions=[baseline_of(a) for a in approved]
    )


@pytest.mark.parametrize(
    "before, after, kind, quarters",
    [
        (("2026-Q2", "2026-12"), ("2026-Q2", "2027-Q2"), "later", 2),
        (("2026-Q2", "2027"), ("2026-Q2", "2027-Q4"), None, 0),  # a year ends as its fourth quarter does
        (("2026-Q2", "2027"), ("2026-Q2", "2028-Q2"), "later", 2),  # a year compared with a quarter
        (("2026-Q2", "2026-05"), ("2026-Q2", "2026-06-15"), "later", 0),  # a month with a day: within the quarter
        (("2026-Q2", "2026-06-15"), ("2026-Q2", "2026-05"), "earlier", 0),
        (("2026-Q3", "2026-12"), ("2026-Q2", "2026-12"), "earlier", -1),  # the end stayed: the start moved
        (("2026-05-15", "2026-05-15"), ("2026-09-01", "2026-09-01"), "later", 1),
    ],
)
def test_a_move_is_read_from_the_days_the_periods_stand_for(before, after, kind, quarters):
    approved = action(start=before[0], end=before[1])
    [*found] = amendments.compare(baseline(approved), [action(start=after[0], end=after[1])])
    if kind is None:
        assert found == []
        return
    [change] = found
    assert change.kinds == (kind,) and change.move.quarters == quarters


def test_every_kind_of_change_is_found_and_counted():
    approved = [
        action("t-1"),
        action("t-2"),
        action("t-3"),
        action("t-4"),
        action("t-5", indicators=[{"id": "v", "name": {"ru": "Посетители"}, "target": 10}]),
        action("t-7"),
    ]
    now = [
        action("t-1", status="cancelled"),
        action("t-3", responsible={"omsk": ["Министерство культуры Омской области"]}),
        action("t-4", title={"ru": "Новое наименование"}),
        action("t-5", indicators=[{"id": "v", "name": {"ru": "Посетители"}, "target": 20}]),
        action("t-6"),
        action("t-7", lead="omsk"),
    ]
    found = {c.action_id: c.kinds for c in amendments.compare(baseline(*approved), now)}
    assert found == {
        "t-1": ("dropped",),  # cancelled
        "t-2": ("dropped",),  # deleted
        "t-3": ("executors",),
        "t-4": ("title",),
        "t-5": ("targets",),
        "t-6": ("added",),
        "t-7": ("lead",),  # a change of lead side is not a change of executing bodies
    }
    counts = amendments.counts(amendments.compare(baseline(*approved), now))
    assert counts == {
        "added": 1,
        "dropped": 2,
        "later": 0,
        "earlier": 0,
        "lead": 1,
        "executors": 1,
        "title": 1,
        "targets": 1,
    }


def test_a_dropped_action_says_whether_it_was_deleted_or_cancelled():
    changed = amendments.compare(baseline(action("t-1"), action("t-2")), [action("t-1", status="cancelled")])
    described = {c.action_id: amendments.describe(c, "ru") for c in changed}
    assert described == {
        "t-1": "исключено из плана (мероприятие отменено)",
        "t-2": "исключено из плана (мероприятие удалено)",
    }
    assert amendments.describe(changed[0], "kk") == "жоспардан алынып тасталды (іс-шара тоқтатылды)"
    assert amendments.describe(changed[1], "kk") == "жоспардан алынып тасталды (іс-шара жойылды)"


def test_a_change_reads_in_a_line_in_each_language():
    [change] = amendments.compare(baseline(action(end="2027")), [action(end="2028-Q2")])
    assert amendments.describe(change, "en") == "end: 2027 -> 2028-Q2 (2 quarters later)"
    assert (
        amendments.describe(change, "ru", labels=True)
        == "срок окончания: было — 2027 г., стало — II квартал 2028 г. (позже на 2 квартала)"
    )
    assert (
        amendments.describe(change, "kk", labels=True)
        == "аяқталу мерзімі: 2027 жыл орнына 2028 жылғы II тоқсан (2 тоқсанға кейінірек)"
    )


def test_the_shipped_plan_was_approved_early_in_2026_and_amended_since():
    assert SHIPPED.plan.status == "approved" and SHIPPED.plan.approved_on == dt.date(2026, 2, 27)
    counts = amendments.counts(amendments.compare(SHIPPED.baseline(), SHIPPED.actions))
    assert counts["later"] >= 2 and counts["earlier"] >= 1 and counts["added"] == 1 and counts["dropped"] == 1


def test_approving_freezes_a_new_version_and_keeps_the_old_one(data_dir):
    saved = store.approve(data_dir, ADMIN, {"ru": "Протокол № 2"})
    dataset = loader.load(data_dir)
    assert [b.version for b in dataset.baselines] == [1, 2] and not dataset.problems
    latest = dataset.baseline()
    assert latest.approved_on == dt.date.today() and latest.approved_by == "admin"
    assert {a.id for a in latest.actions} == {a.id for a in dataset.actions if a.status != "cancelled"}
    assert dataset.plan.status == "approved" and dataset.plan.approved_on == dt.date.today()
    assert amendments.compare(latest, dataset.actions) == []  # nothing changed since the version just made
    assert [(e.op, e.path) for e in history.read(data_dir)[0]] == [
        ("add", "baselines/002.yaml"),
        ("approve", "plan.yaml"),
    ]
    assert saved.entry.path == "baselines/002.yaml"


@pytest.mark.parametrize(
    "user", [None, User("ivanova", "omsk"), User("reader", "viewer")], ids=["viewer", "omsk", "role-viewer"]
)
def test_only_an_administrator_approves(data_dir, user):
    with pytest.raises(store.Forbidden):
        store.approve(data_dir, user)
    assert [b.version for b in loader.load(data_dir).baselines] == [1]


def test_an_approval_is_undone_with_the_baseline_it_froze_and_the_plans_comments_kept(data_dir):
    header = (data_dir / "plan.yaml").read_text(encoding="utf-8").partition("\ntitle:")[0]
    store.approve(data_dir, ADMIN)
    add, approve = history.read(data_dir)[0]
    with pytest.raises(store.StoreError) as caught:  # a baseline alone would leave the plan naming it
        store.undo(data_dir, add, ADMIN)
    assert caught.value.kind == "undo_approval"
    store.undo(data_dir, approve, ADMIN)
    dataset = loader.load(data_dir)
    assert [b.version for b in dataset.baselines] == [1] and dataset.plan.approved_on == dt.date(2026, 2, 27)
    assert [(e.op, e.path) for e in history.read(data_dir)[0][2:]] == [
        ("undo", "plan.yaml"),
        ("undo", "baselines/002.yaml"),
    ]
    assert (data_dir / "plan.yaml").read_text(encoding="utf-8").startswith(header + "\ntitle:")


def test_approving_is_refused_while_an_action_file_does_not_load(data_dir):
    (data_dir / "actions" / "po-003.yaml").write_text("id: po-003\nid: po-003\n", encoding="utf-8")
    with pytest.raises(store.StoreError) as caught:  # po-003 would be left out of the baseline unseen
        store.approve(data_dir, ADMIN)
    assert caught.value.kind == "file_has_problems" and "po-003.yaml" in caught.value.message
    assert [b.version for b in loader.load(data_dir).baselines] == [1]


@pytest.mark.parametrize("note", ["\ufeffПротокол", "Протокол\x0b№ 2"], ids=["byte-order-mark", "control-character"])
def test_an_approval_note_the_loader_would_refuse_is_refused_with_its_problem(data_dir, note):
    with pytest.raises(store.Invalid) as caught:
        store.approve(data_dir, ADMIN, {"ru": note})
    assert caught.value.problems and [b.version for b in loader.load(data_dir).baselines] == [1]


# fmt: off
BROKEN = [
    ("version: 1", "version: 2", "001.yaml:1: version 2 is filed as 001.yaml; name the file 002.yaml"),
    ("approved_on: 2026-02-27", "approved_on: someday", "001.yaml:2: approved_on: Input should be a valid date or datetime, input is too short"),
    ("- id: po-002", "- id: po-001", "001.yaml:24: action po-001 is in the baseline twice"),
]
# fmt: on


@pytest.mark.parametrize("old, new, expected", BROKEN)
def test_a_broken_baseline_file_is_a_problem_with_its_line(data_dir, old, new, expected):
    path = data_dir / "baselines" / "001.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    dataset = loader.load(data_dir)
    assert [str(p).split("/baselines/")[1] for p in dataset.problems] == [expected]
    assert dataset.baselines == [] and len(dataset.actions) == 45  # the plan still shows


def test_the_command_line_lists_the_changes_and_approves(data_dir, tmp_path):
    env = {"COOPPLAN_DATA": str(data_dir), "COOPPLAN_USERS": str(tmp_path / "users.yaml")}
    run = lambda *args: subprocess.run(
        [sys.executable, "-m", "coopplan", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**__import__("os").environ, **env},
    )  # noqa: E731
    listed = run("changes")
    assert listed.returncode == 0 and "po-014: end: 2026-Q4 -> 2027-Q4 (4 quarters later)" in listed.stdout.splitlines()
    assert "8 actions changed since version 1 of 2026-02-27" in listed.stderr
    kk = run("changes", "--lang", "kk")
    assert (
        "po-014: аяқталу мерзімі: 2026 жылғы IV тоқсан орнына 2027 жылғы IV тоқсан (4 тоқсанға кейінірек)" in kk.stdout
    )
    assert "№ 1 редакция бекітілгеннен (2026 жылғы 27 ақпан) бері 8 іс-шара өзгертілді" in kk.stderr
    ru = run("changes", "--lang", "ru")
    assert "po-031: исключено из плана (мероприятие отменено)" in ru.stdout.splitlines()
    assert "С момента утверждения редакции № 1 от 27 февраля 2026 г. изменено 8 мероприятий" in ru.stderr
    refused = run("approve", "--user", "nobody")
    assert refused.returncode == 1 and "not an administrator" in refused.stderr
    auth.add_user("boss", "admin", "a long password", path=tmp_path / "users.yaml")
    assert run("approve", "--user", "boss", "--note", "Протокол № 2").returncode == 0
    assert run("changes").stdout == "" and run("changes", "--baseline", "1").stdout == listed.stdout
    assert run("changes", "--baseline", "9").returncode == 1
    missing = run("changes", "--lang", "ru", "--baseline", "9")
    assert missing.returncode == 1 and missing.stderr.startswith("ошибка: утверждённой редакции № 9 нет (есть: 1, 2)")


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_changes_page_lists_what_changed_with_counts(lang):
    at = run_page("changes", {"lang": lang})
    assert not at.exception
    figures = {m.label: m.value for m in at.metric}
    assert figures[i18n.t(lang, "changes.metric.later")] == "2" and figures[i18n.t(lang, "changes.metric.added")] == "1"
    table = at.dataframe[0].value
    assert list(table.iloc[:, 0]) == ["po-011", "po-014", "po-019", "po-024", "po-028", "po-031", "po-040", "po-045"]


def test_the_overview_shows_the_changes_since_approval():
    at = run_page("overview", {"lang": "ru"})
    figures = {m.label: m.value for m in at.metric}
    assert figures["Перенос на более поздний срок"] == "2" and figures["Исключено"] == "1"


def test_the_filters_narrow_the_changes_and_a_deleted_action_shows_by_its_area(data_dir):
    (data_dir / "actions" / "po-030.yaml").unlink()  # a tourism action deleted since approval
    at = run_page("changes", {"lang": "en", "area": "tourism"})
    assert list(at.dataframe[0].value.iloc[:, 0]) == ["po-028", "po-030", "po-031"]


def opacities(marker: dict) -> list[float]:
    """A trace's opacities, as plotly writes a numpy array: base64 of its bytes."""
    packed = marker["opacity"]
    return list(np.frombuffer(base64.b64decode(packed["bdata"]), dtype=packed["dtype"]))


def test_the_timeline_draws_the_approved_periods_under_the_bars_and_fades_what_was_dropped():
    at = run_page("timeline", {"lang": "ru", "area": "culture_arts,tourism"})
    [spec] = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    approved = next(trace for trace in spec["data"] if trace.get("name", "").startswith("По утверждённому плану"))
    bars = next(trace for trace in spec["data"] if trace.get("customdata") and trace is not approved)
    row = {action: i for i, action in enumerate(approved["customdata"])}
    # po-024 was moved a quarter earlier: its approved bar still spans 2027-Q1
    assert approved["base"][row["po-024"]] == "2027-01-01T00:00:00" and bars["base"][row["po-024"]].startswith(
        "2026-10"
    )
    # po-031, cancelled since approval, is faded in both bars; the others are not
    for trace in (bars, approved):
        faded = zip(trace["customdata"], opacities(trace["marker"]), strict=True)
        assert [action for action, opacity in faded if opacity == FADED] == ["po-031"]
    assert "исключено после утверждения" in approved["hovertext"][row["po-031"]]


def test_an_administrator_approves_from_the_page(data_dir):
    at = as_user("changes", ADMIN, {"lang": "ru"})
    at.text_input(key="approve_note").input("Протокол № 2 от 30.11.2026")
    at.checkbox(key="approve_sure").check()
    submit(at, "approve")
    assert not at.exception and at.success[0].value == "План утверждён в редакции № 2."
    assert loader.load(data_dir).baseline().note.ru == "Протокол № 2 от 30.11.2026"


def test_the_page_says_what_to_fix_when_the_box_is_not_ticked_or_the_note_is_refused(data_dir):
    at = as_user("changes", ADMIN, {"lang": "en"})
    submit(at, "approve")
    assert [w.value for w in at.warning] == ["Tick the box to confirm the approval."]
    at.text_input(key="approve_note").input("Protocol\x0bNo. 2")
    at.checkbox(key="approve_sure").check()
    submit(at, "approve")
    assert not at.exception and at.error and [b.version for b in loader.load(data_dir).baselines] == [1]


def test_an_editor_is_told_that_approving_is_an_administrators_act():
    at = as_user("changes", User("ivanova", "omsk"), {"lang": "en"})
    assert "Only an administrator approves the plan." in [i.value for i in at.info]
