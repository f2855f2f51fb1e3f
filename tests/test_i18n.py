"""Catalogs: complete in kk, ru and en; plurals and formats by CLDR."""

import datetime as dt
import re
from pathlib import Path

import pytest

from coopplan import i18n
from coopplan.data import model
from tests.helpers import ROOT

DOMAINS = sorted({p.name for p in i18n.LOCALES.glob("*/*.yaml")})
KAZAKH_LETTERS = re.compile("[әғқңөұүһіӘҒҚҢӨҰҮҺІ]")


def keys(lang: str, domain: str) -> set[str]:
    from coopplan.data import yamlio

    path = i18n.LOCALES / lang / domain
    return set(yamlio.loads(path.read_bytes())) if path.exists() else set()


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_catalog_has_the_keys_the_others_have(domain):
    per_lang = {lang: keys(lang, domain) for lang in model.LANGS}
    every = set.union(*per_lang.values())
    for lang, found in per_lang.items():
        assert not every - found, f"{lang}/{domain} lacks {sorted(every - found)}"


def test_plural_entries_have_the_forms_each_language_needs():
    needs = {"kk": {"one", "other"}, "ru": {"one", "few", "many", "other"}, "en": {"one", "other"}}
    for lang in model.LANGS:
        for key, value in i18n.catalog(lang).items():
            if isinstance(value, dict):
                assert needs[lang] <= set(value), (lang, key)


@pytest.mark.parametrize(
    "count, ru, en",
    [
        (1, "1 мероприятие", "1 action"),
        (3, "3 мероприятия", "3 actions"),
        (5, "5 мероприятий", "5 actions"),
        (21, "21 мероприятие", "21 actions"),
        (1234, "1 234 мероприятия", "1,234 actions"),
    ],
)
def test_counts_take_the_plural_form_of_the_language(count, ru, en):
    assert i18n.t("ru", "count.actions", count=count).replace("\xa0", " ") == ru
    assert i18n.t("en", "count.actions", count=count) == en
    assert i18n.t("kk", "count.actions", count=count).endswith("іс-шара")


def test_dates_and_numbers_follow_the_language():
    day = dt.date(2025, 11, 13)
    assert [i18n.date(day, lang) for lang in model.LANGS] == [
        "2025 жылғы 13 қараша",
        "13 ноября 2025 г.",
        "November 13, 2025",
    ]
    assert i18n.percent(0.267, "ru").replace("\xa0", " ") == "27 %"
    assert i18n.percent(0.267, "en") == "27%"


def test_kazakh_catalog_is_written_in_kazakh():
    values = [v for v in i18n.catalog("kk").values() if isinstance(v, str) and len(v) > 12]
    kazakh = [v for v in values if KAZAKH_LETTERS.search(v)]
    assert len(kazakh) / len(values) > 0.8


@pytest.mark.parametrize(
    "requested, accept, expected",
    [
        ("kk", "ru-RU", "kk"),
        (None, "ru-RU,ru;q=0.9", "ru"),
        (None, "en-GB", "en"),
        (None, "kk-KZ", "kk"),
        (None, "de-DE", "ru"),
        ("fr", None, "ru"),
        (None, "de,en;q=0.5", "en"),
    ],
)
def test_language_choice(requested, accept, expected, monkeypatch):
    monkeypatch.delenv("COOPPLAN_LANG", raising=False)
    assert i18n.negotiate(requested, accept) == expected


def test_the_configured_default(monkeypatch):
    monkeypatch.setenv("COOPPLAN_LANG", "kk")
    assert i18n.negotiate(None, None) == "kk"


def test_data_text_falls_back_and_says_from_where():
    assert i18n.text(model.Text(ru="Только по-русски"), "en") == ("Только по-русски", "ru")
    assert i18n.text(model.Text(ru="Да", en="Yes"), "en") == ("Yes", None)


def literal_keys(source: str) -> set[str]:
    return set(re.findall(r"""\bt\((?:lang, |view\.lang, )?["']([a-z_]+\.[a-z_.]+)["']""", source))


def test_every_key_the_code_uses_exists():
    sources = [*ROOT.glob("pages/*.py"), ROOT / "dashboard.py", *ROOT.glob("coopplan/*.py")]
    used = set().union(*(literal_keys(Path(p).read_text(encoding="utf-8")) for p in sources))
    used |= {f"status.{s}" for s in model.STATUSES} | {f"lead.{lead}" for lead in model.LEADS}
    assert used and not used - set(i18n.catalog("en"))


def test_pages_hold_no_hard_coded_text():
    for path in [*ROOT.glob("pages/*.py"), ROOT / "dashboard.py"]:
        text = path.read_text(encoding="utf-8")
        assert not re.search("[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]", text), path.name


def test_every_problem_of_a_broken_folder_has_advice_in_each_language(mini_data, tmp_path):
    from coopplan.data import loader, yamlio
    from tests.helpers import valid_action, write_action

    broken = {
        "binary": b"\x00\x01",
        "not-utf8": "title: Павлодар".encode("cp1251"),
        "syntax": b"id: [unclosed",
        "alias": b"a: &x 1\nb: *x\n",
        "tag": b"id: !!python/object/apply:os.system [ls]\n",
        "deep": b"a: " + b"[" * 250 + b"]" * 250 + b"\n",
        "big": b"#" * (yamlio.MAX_FILE_BYTES + 1),
        "list": b"- 1\n",
    }
    for name, content in broken.items():
        write_action(mini_data, content, name)
    records = {
        "t-001": valid_action("t-001", status="finished", extra=1, progress=120, title=None),
        "t-002": valid_action("T 2", start="2031", end="2026-Q1"),
        "t-003": valid_action(
            "t-003", responsible={"pavlodar": [], "omsk": []}, outcome={}, start="someday", tags="one"
        ),
        "t-004": valid_action(
            "t-004", progress="half", indicators=[{"name": {"ru": "x"}, "target": "many"}], updated="yesterday"
        ),
        "t-007": valid_action("t-007", budget=[1]),
    }
    for name, record in records.items():
        write_action(mini_data, record, name)
    (mini_data / "actions" / "t-005.yml").write_text("id: t-005\n")
    outside = tmp_path / "outside.yaml"
    outside.write_text("id: t-006\n")
    (mini_data / "actions" / "t-006.yaml").symlink_to(outside)
    (mini_data / "plan.yaml").unlink()

    problems = loader.load(mini_data).problems
    kinds = {p.kind for p in problems}
    assert len(kinds) >= 26, sorted(kinds)
    for lang in model.LANGS:
        lacking = sorted(k for k in kinds if f"problem.{k}" not in i18n.catalog(lang))
        assert not lacking, f"{lang} has no advice for {lacking}"
    assert i18n.problem("ru", "not_utf8", "not UTF-8 text") == "Сохраните файл в кодировке UTF-8 — not UTF-8 text"
    assert i18n.problem("ru", "no_such_kind", "as it was") == "as it was"
