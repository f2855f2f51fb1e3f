"""The embedded data (the app's own data/): valid, covering the plan, faithful to the
seed, and what README says of it. The one test file that reads data/: every other runs
over the tests' own plan (``tests/data/plan``), so when the official plan replaces
data/, only this file, and README with it, has to agree."""

import datetime as dt
import re
import subprocess
import sys
from collections import Counter

from coopplan.data import loader, model
from coopplan.reporting import amendments
from tests.helpers import ROOT, SHIPPED

KAZAKH_LETTERS = re.compile("[әғқңөұүһіӘҒҚҢӨҰҮҺІ]")
dataset = loader.load(SHIPPED)
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_shipped_data_is_valid():
    assert dataset.problems == []


def test_the_shipped_data_validates_from_the_command_line():
    result = subprocess.run(
        [sys.executable, "-m", "coopplan", "validate", "data"], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert (result.returncode, result.stdout) == (0, "")
    assert "valid, " in result.stderr


def test_the_plan_is_marked_illustrative_exactly_while_readme_says_it_is():
    assert dataset.plan.illustrative == ("is an **illustrative draft**" in README)


def test_readme_gives_the_date_of_the_first_approval_and_the_plan_was_amended_since():
    said = re.search(r"The shipped illustrative plan was approved on\s+(\d+ \w+ \d{4}) \(version (\d+)\)", README)
    assert said, "README says when the shipped plan was approved"
    first = dataset.baselines[0]
    assert first.version == int(said[2]) and first.approved_on == dt.datetime.strptime(said[1], "%d %B %Y").date()
    assert amendments.compare(first, dataset.actions)  # «and amended since»


def test_the_plan_is_marked_as_an_illustrative_example_approved_early_in_2026():
    assert dataset.plan.status == "approved" and dataset.plan.illustrative
    assert dataset.plan.approved_on == dataset.baseline().approved_on == dt.date(2026, 2, 27)
    assert "illustrative" in dataset.plan.note.en.lower()


def test_coverage_of_the_illustrative_plan():
    actions = dataset.actions
    assert len(actions) >= 40
    per_area = Counter(a.area for a in actions)
    assert set(per_area) == set(model.AREA_IDS) and min(per_area.values()) >= 3
    assert {a.lead for a in actions} == set(model.LEADS)
    assert len({a.status for a in actions}) >= 4
    years = {y for a in actions for y in range(a.start_period.year, a.end_period.year + 1)}
    assert years == {2026, 2027, 2028}
    kinds = {p.kind for a in actions for p in (a.start_period, a.end_period)}
    assert kinds == {"year", "quarter", "month", "day"}


def test_titles_and_outcomes_in_kazakh_and_russian():
    for action in dataset.actions:
        for text in (action.title, action.outcome):
            assert text.kk and text.ru, action.id
            assert KAZAKH_LETTERS.search(text.kk), (action.id, text.kk)


def test_every_area_quotes_the_seed_word_for_word():
    seed = (ROOT / "seeds" / "000_2878ce43d6b5c77f.txt").read_text(encoding="utf-8")
    for area in dataset.memorandum.areas:
        assert area.source.file == "seeds/000_2878ce43d6b5c77f.txt"
        assert area.source.quote in seed, area.id


def test_the_seed_is_the_shared_source_unchanged():
    shared = ROOT.parent / "shared" / "seeds" / "000_2878ce43d6b5c77f.txt"
    if shared.exists():
        assert (ROOT / "seeds" / shared.name).read_bytes() == shared.read_bytes()


def test_the_memorandum_names_the_signatories():
    memo = dataset.memorandum
    assert memo.signed_on.isoformat() == "2025-11-13"
    assert memo.party("pavlodar").signatory.name.en == "Asain Baikhanov"
    assert memo.party("omsk").signatory.name.en == "Vitaly Khotsenko"
    assert [p.country for p in memo.parties] == ["KZ", "RU"]
    assert memo.period.years == [2026, 2027, 2028]
