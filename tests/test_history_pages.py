"""The History page names what each change was about in words, whatever was changed: an
attached document, a report's review, a quarter's close, an exception, a settled
disagreement; never a file path or a catalog key. The actions are found by what they are,
so the module runs over any plan."""

from __future__ import annotations

import datetime as dt

import pytest

from coopplan.data import loader, periods, quarter_file
from coopplan.editing import evidence as attach
from coopplan.editing import history, quarter_store
from coopplan.editing.auth import User
from coopplan.reporting import review
from tests.helpers import ADMIN, as_user, rendered
from tests.test_evidence import META, pdf

COORDINATOR = User("coordinator", "omsk-coordinator")
OMSK = User("omsk1", "omsk")


def submitted_omsk_report(dataset):
    """A report of the Omsk side waiting for its coordinator, in a quarter Omsk has not closed."""
    for report in dataset.reports:
        closing, _ = quarter_file.read(dataset.data_dir, report.period)
        if (
            report.side == "omsk"
            and review.state_of(report) == "submitted"
            and not (closing and "omsk" in closing.sides)
        ):
            return report
    pytest.skip("the plan has no Omsk report waiting for review")


def closed_by_pavlodar(dataset):
    """A quarter Pavlodar has closed, and one of the actions it reported on then."""
    for report in dataset.reports:
        closing, _ = quarter_file.read(dataset.data_dir, report.period)
        if report.side == "pavlodar" and closing is not None and "pavlodar" in closing.sides:
            return report.period, report.action
    pytest.skip("Pavlodar has closed no quarter in this plan")


def labels(lang: str) -> list[str]:
    at = as_user("history", ADMIN, {"lang": lang})
    assert not at.exception
    return [rendered(e.label) for e in at.expander]


def test_each_kind_of_change_is_named_in_words_in_kk_and_ru(data_dir):
    dataset = loader.load(data_dir)
    report = submitted_omsk_report(dataset)
    attach.attach(data_dir, report.key, "letter.pdf", pdf(), {**META, "title": {"ru": "Письмо № 17"}}, OMSK)
    assert quarter_store.decide(dataset, [report.key], COORDINATOR, accept=True)[1] == []
    quarter, action = closed_by_pavlodar(dataset)
    quarter_store.reopen(
        data_dir, quarter, action, "pavlodar", dt.date.today() + dt.timedelta(days=30), "опечатка", ADMIN
    )
    shown = {lang: labels(lang) for lang in ("ru", "kk")}
    q_ru, q_kk = (periods.parse(quarter).label(lang) for lang in ("ru", "kk"))
    r_ru, r_kk = (periods.parse(report.period).label(lang) for lang in ("ru", "kk"))
    assert f"· admin · исключение по мероприятию {action} (Павлодарская область, {q_ru}) открыто" in shown["ru"][0]
    assert (
        f"· coordinator · отчёт по мероприятию {report.action} (Омская область, {r_ru}) принят координатором"
        in shown["ru"][1]
    )
    assert (
        f"· omsk1 · документ «Письмо № 17» к отчёту по мероприятию {report.action} (Омская область, {r_ru}) приложен"
        in shown["ru"][2]
    )
    assert f"{action} іс-шарасы бойынша ерекшелік (Павлодар облысы, {q_kk}) ашылды" in shown["kk"][0]
    assert (
        f"{report.action} іс-шарасы бойынша есеп (Омбы облысы, {r_kk}) үйлестіруші тарапынан қабылданды"
        in shown["kk"][1]
    )
    assert (
        f"«Письмо № 17» құжаты ({report.action} іс-шарасы бойынша есеп: Омбы облысы, {r_kk}) тіркелді" in shown["kk"][2]
    )
    for label in shown["ru"] + shown["kk"]:
        assert "history." not in label and "evidence/" not in label and "quarters/" not in label


def test_a_closed_half_and_a_settled_disagreement_are_named_with_their_side_and_action(data_dir):
    # the entries as the store writes them: the closing file before and after
    dataset = loader.load(data_dir)
    quarter, action = closed_by_pavlodar(dataset)
    closing, _ = quarter_file.read(data_dir, quarter)
    before = closing.to_yaml_dict()
    without = {**before, "sides": {s: c for s, c in before["sides"].items() if s != "pavlodar"}}
    settled = {
        **before,
        "settlements": {**before.get("settlements", {}), action: {"how": "noted", "by": {"omsk": "x"}}},
    }
    for op, old, new in (("close", without, before), ("settle", before, settled)):
        history.append(data_dir, history.new_entry("admin", "", op, old, new, path=f"quarters/{quarter}.yaml"))
    shown = labels("ru")
    label = periods.parse(quarter).label("ru")
    assert shown[0].endswith(f"· admin · расхождение по мероприятию {action} ({label}) зафиксировано")
    assert shown[1].endswith(f"· admin · {label} (Павлодарская область) закрыт")


def test_a_quarters_line_written_by_hand_in_another_shape_is_named_without_failing(data_dir):
    shapes = [
        ("close", {"sides": "pavlodar"}, {"quarter": "2026-Q9", "sides": ["omsk"]}),
        ("settle", {"settlements": ["x"]}, {"quarter": 7, "settlements": {"po-x": "agreed"}}),
        ("reopen", None, {"exceptions": [1, {"action": "<b>x</b>"}]}),
    ]
    for op, before, after in shapes:
        history.append(data_dir, history.new_entry("admin", "", op, before, after, path="quarters/2026-Q3.yaml"))
    shown = labels("ru")
    assert len(shown) == 3 and all("history." not in label for label in shown)
