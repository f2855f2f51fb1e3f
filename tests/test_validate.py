"""Every validation rule: a failing case with its exact ``file:line: message``, and a passing case."""

import pytest

from coopplan.data import loader
from tests.helpers import valid_action, write_action, write_report


def problems_of(folder, kind: str = "actions"):
    """The problem lines of ``folder``, each from the folder of its ``kind`` on."""
    return [str(p).split(f"/{kind}/", 1)[-1] for p in loader.load(folder).problems]


def test_the_minimal_action_is_valid(mini_data):
    write_action(mini_data, valid_action())
    dataset = loader.load(mini_data)
    assert dataset.problems == []
    assert [a.id for a in dataset.actions] == ["t-001"]


TEXT = """\
id: t-001
area: tourism
title:
  ru: Маршрут
lead: joint
responsible:
  omsk: [Министерство экономики Омской области]
start: 2026-Q2
end: 2026-12
status: planned
outcome: {ru: Запущен}
"""


# One case a line: the rule broken, and the line the validator must print.
# fmt: off
RULE_CASES = [
    ("area: tourism", "area: space", "t-001.yaml:2: area: Input should be 'investment_trade', 'agriculture', 'environment', 'healthcare', 'education_science', 'culture_arts', 'tourism', 'sport', 'youth_policy' or 'employment', got 'space'"),
    ("lead: joint", "lead: astana", "t-001.yaml:5: lead: Input should be 'pavlodar', 'omsk' or 'joint', got 'astana'"),
    ("status: planned", "status: finished", "t-001.yaml:10: status: Input should be 'planned', 'in_progress', 'done', 'postponed' or 'cancelled', got 'finished'"),
    ("status: planned", "status: planned\nprogress: 101", "t-001.yaml:11: progress: Input should be less than or equal to 100, got 101"),
    ("status: planned", "status: planned\nprogress: -1", "t-001.yaml:11: progress: Input should be greater than or equal to 0, got -1"),
    ("status: planned", "status: planned\nprogress: lots", "t-001.yaml:11: progress: Input should be a valid integer"),
    ("start: 2026-Q2", "start: 2026-Q5", "t-001.yaml:8: start: '2026-Q5' is not a period: write 2026, 2026-Q2, 2026-05 or 2026-05-15"),
    ("start: 2026-Q2", "start: 2025-Q2", "t-001.yaml:8: start 2025-Q2 is outside the plan period 2026–2028"),
    ("end: 2026-12", "end: 2029", "t-001.yaml:9: end 2029 is outside the plan period 2026–2028"),
    ("end: 2026-12", "end: 2026-03-31", "t-001.yaml:9: end 2026-03-31 is before start 2026-Q2"),
    ("  ru: Маршрут", "  de: Route", "t-001.yaml:4: unknown field 'title.de' (check the spelling)"),
    ("title:\n  ru: Маршрут", "title: {}", "t-001.yaml:3: title: give the text in at least one language (kk, ru or en)"),
    ("title:\n  ru: Маршрут", "title: Маршрут", "t-001.yaml:3: title: Input should be a valid dictionary or instance of Text"),
    ("  ru: Маршрут", "  ru: '   '", "t-001.yaml:4: title.ru: String should have at least 1 character"),
    ("outcome: {ru: Запущен}\n", "", "t-001.yaml:1: required field 'outcome' is missing"),
    ("  omsk: [Министерство экономики Омской области]", "  omsk: []", "t-001.yaml:6: responsible: name at least one executing body (pavlodar or omsk)"),
    ("  omsk: [Министерство экономики Омской области]", "  omsk: Министерство", "t-001.yaml:7: responsible.omsk: Input should be a valid list"),
    ("id: t-001", "id: t-002", "t-001.yaml:1: id 't-002' differs from the file name 't-001.yaml'; they must match"),
    ("status: planned", "status: planned\nstauts: done", "t-001.yaml:11: unknown field 'stauts' (check the spelling)"),
    ("status: planned", "status: planned\nbudget: {amount: -5, currency: KZT}", "t-001.yaml:11: budget.amount: Input should be greater than or equal to 0, got -5"),
    ("status: planned", "status: planned\ntags: [Bad Tag]", "t-001.yaml:11: tags.0: String should match pattern '^[a-z0-9][a-z0-9_-]*$', got 'Bad Tag'"),
]
# fmt: on


@pytest.mark.parametrize("old, new, expected", RULE_CASES)
def test_each_rule_reports_the_line_of_the_offending_key(mini_data, old, new, expected):
    assert old in TEXT
    write_action(mini_data, TEXT.replace(old, new))
    assert problems_of(mini_data) == [expected]


def test_the_unmodified_text_passes(mini_data):
    write_action(mini_data, TEXT)
    assert problems_of(mini_data) == []


def test_unsafe_ids_are_refused(mini_data):
    write_action(mini_data, TEXT.replace("id: t-001", "id: ../etc"), name="t-001")
    assert problems_of(mini_data) == [
        "t-001.yaml:1: id '../etc' differs from the file name 't-001.yaml'; they must match",
        "t-001.yaml:1: id: String should match pattern '^[A-Za-z0-9_-]{1,64}$', got '../etc'",
    ]


def test_ids_that_differ_only_in_case_clash(mini_data):
    write_action(mini_data, valid_action("Po-1"))
    write_action(mini_data, valid_action("po-1"))
    problems = problems_of(mini_data)
    other = mini_data / "actions" / "Po-1.yaml"
    assert problems == [
        f"po-1.yaml:1: id 'po-1' differs from 'Po-1' of {other} only in letter case; ids are one whatever their case"
    ]


def test_every_problem_is_reported_not_just_the_first(mini_data):
    text = (
        TEXT.replace("lead: joint", "lead: x")
        .replace("status: planned", "status: y")
        .replace("end: 2026-12", "end: 2031")
    )
    write_action(mini_data, text)
    lines = [p.split(":")[1] for p in problems_of(mini_data)]
    assert lines == ["5", "9", "10"]


def test_an_area_the_memorandum_lacks_is_refused(mini_data):
    memo = mini_data / "memorandum.yaml"
    memo.write_text(memo.read_text(encoding="utf-8").replace("id: sport", "id: chess"), encoding="utf-8")
    problems = [str(p) for p in loader.load(mini_data).problems]
    assert any(
        p.endswith(
            "areas.7.id: Input should be 'investment_trade', 'agriculture', 'environment', 'healthcare', 'education_science', 'culture_arts', 'tourism', 'sport', 'youth_policy' or 'employment', got 'chess'"
        )
        for p in problems
    )


def test_the_memorandum_must_have_exactly_the_ten_areas_in_order(mini_data):
    memo = mini_data / "memorandum.yaml"
    text = memo.read_text(encoding="utf-8")
    swapped = text.replace("id: tourism", "id: TMP").replace("id: sport", "id: tourism").replace("id: TMP", "id: sport")
    memo.write_text(swapped, encoding="utf-8")
    problems = [str(p) for p in loader.load(mini_data).problems]
    assert len(problems) == 1 and "areas must be the memorandum's ten, in its order" in problems[0]
    assert problems[0].startswith(str(memo) + ":")


def test_the_memorandum_needs_one_party_per_region(mini_data):
    memo = mini_data / "memorandum.yaml"
    memo.write_text(memo.read_text(encoding="utf-8").replace("region: omsk", "region: pavlodar"), encoding="utf-8")
    problems = [str(p) for p in loader.load(mini_data).problems]
    assert any("parties must be one for pavlodar and one for omsk" in p for p in problems)


def test_shipped_memorandum_and_plan_are_valid(mini_data):
    dataset = loader.load(mini_data)
    assert dataset.problems == []
    assert dataset.memorandum is not None and dataset.plan is not None


# ---- reports -------------------------------------------------------------------------------

REPORT = """action: t-001
side: omsk
period: 2026-Q3
date: 2026-10-05
status: in_progress
progress: 40
done:
  ru: Проведено заседание рабочей группы
"""

# One case a line: the report broken, where it is put, and the line the validator must print.
# fmt: off
REPORT_CASES = [
    ("side: omsk", "side: astana", "2026-Q3/t-001-omsk.yaml", "2026-Q3/t-001-omsk.yaml:2: side: Input should be 'pavlodar' or 'omsk', got 'astana'"),
    ("", "", "2026-Q3/t-001-pavlodar.yaml", "2026-Q3/t-001-pavlodar.yaml:1: a report of t-001 by omsk is named t-001-omsk.yaml, not t-001-pavlodar.yaml"),
    ("", "", "2026-Q2/t-001-omsk.yaml", "2026-Q2/t-001-omsk.yaml:3: period 2026-Q3 differs from its folder 2026-Q2; a report of 2026-Q3 goes in reports/2026-Q3/"),
    ("date: 2026-10-05", "date: 2026-06-30", "2026-Q3/t-001-omsk.yaml", "2026-Q3/t-001-omsk.yaml:4: date 2026-06-30 is before 2026-Q3 begins"),
    ("action: t-001", "action: t-404", "2026-Q3/t-404-omsk.yaml", "2026-Q3/t-404-omsk.yaml:1: there is no action t-404; a report belongs to an action of the plan"),
    ("period: 2026-Q3", "period: 2026-09", "2026-Q3/t-001-omsk.yaml", "2026-Q3/t-001-omsk.yaml:3: period: String should match pattern '^\\d{4}-Q[1-4]$', got '2026-09'"),
    ("status: in_progress", "status: cancelled", "2026-Q3/t-001-omsk.yaml", "2026-Q3/t-001-omsk.yaml:5: status: Input should be 'planned', 'in_progress', 'done' or 'postponed', got 'cancelled'"),
    ("progress: 40", "progress: 140", "2026-Q3/t-001-omsk.yaml", "2026-Q3/t-001-omsk.yaml:6: progress: Input should be less than or equal to 100, got 140"),
    ("progress: 40", "progress: 40\nindicators: {visitors: 3}", "2026-Q3/t-001-omsk.yaml", "2026-Q3/t-001-omsk.yaml:7: t-001 has no indicator 'visitors' (its indicators: none with an id)"),
    ("done:\n  ru: Проведено заседание рабочей группы\n", "", "2026-Q3/t-001-omsk.yaml", "2026-Q3/t-001-omsk.yaml:1: required field 'done' is missing"),
]
# fmt: on


@pytest.mark.parametrize("old, new, where, expected", REPORT_CASES)
def test_each_report_rule_reports_the_line_of_the_offending_key(mini_data, old, new, where, expected):
    write_action(mini_data, TEXT)
    quarter, name = where.split("/")
    write_report(mini_data, REPORT.replace(old, new) if old else REPORT, quarter, name.removesuffix(".yaml"))
    assert problems_of(mini_data, "reports") == [expected]


def test_a_side_that_does_not_lead_an_action_reports_nothing_on_it(mini_data):
    write_action(mini_data, TEXT.replace("lead: joint", "lead: pavlodar"))
    write_report(mini_data, REPORT, "2026-Q3", "t-001-omsk")
    assert problems_of(mini_data, "reports") == [
        "2026-Q3/t-001-omsk.yaml:2: omsk does not report on t-001; its reports are by pavlodar"
    ]


def test_the_reports_folder_holds_quarters_only(mini_data):
    write_action(mini_data, TEXT)
    (mini_data / "reports" / "autumn").mkdir(parents=True)
    (mini_data / "reports" / "notes.txt").write_text("x")
    write_report(mini_data, REPORT, "2026-Q3", "t-001-omsk")
    (mini_data / "reports" / "2026-Q3" / "t-001-pavlodar.yml").write_text(REPORT)
    assert problems_of(mini_data, "reports") == [
        "2026-Q3/t-001-pavlodar.yml:1: report files end in .yaml; rename it",
        "autumn:1: the reports folder holds one folder a quarter, named like 2026-Q3; move or remove this",
        "notes.txt:1: the reports folder holds one folder a quarter, named like 2026-Q3; move or remove this",
    ]


def test_indicator_ids_are_used_once_and_targets_fall_inside_the_period(mini_data):
    indicators = """indicators:
- id: visitors
  name: {ru: Посетители}
  targets: {2026: 10, 2029: 30}
- id: visitors
  name: {ru: Гости}
  baseline: {value: 4, year: 2030}
"""
    write_action(mini_data, TEXT + indicators)
    assert problems_of(mini_data) == [
        "t-001.yaml:15: a target for 2029, outside the plan period 2026–2028",
        "t-001.yaml:16: indicator id 'visitors' is used twice",
        "t-001.yaml:18: a baseline of 2030, after the plan period",
    ]


def test_a_report_waits_unread_while_its_actions_file_has_problems(mini_data):
    write_action(mini_data, TEXT.replace("status: planned", "status: lost"))
    write_report(mini_data, REPORT, "2026-Q3", "t-001-omsk")
    dataset = loader.load(mini_data)
    assert [p.file.rsplit("/", 2)[-2] for p in dataset.problems] == ["actions"]  # the action's problem alone
    assert dataset.reports == [] and loader.check(mini_data, workers=2) == (0, dataset.problems)
