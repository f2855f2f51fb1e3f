"""Catalogs: complete in kk, ru and en; plurals and formats by CLDR."""

import datetime as dt
import re
from pathlib import Path

import pytest

from coopplan import i18n, model
from tests.conftest import ROOT

DOMAINS = sorted({p.name for p in i18n.LOCALES.glob("*/*.yaml")})
KAZAKH_LETTERS = re.compile("[әғқңөұүһіӘҒҚҢӨҰҮҺІ]")


def keys(lang: str, domain: str) -> set[str]:
    from coopplan import yamlio

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


@pytest.mark.parametrize("count, ru, en", [(1, "1 мероприятие", "1 action"), (3, "3 мероприятия", "3 actions"),
                                           (5, "5 мероприятий", "5 actions"), (21, "21 мероприятие", "21 actions"),
                                           (1234, "1 234 мероприятия", "1,234 actions")])
def test_counts_take_the_plural_form_of_the_language(count, ru, en):
    assert i18n.t("ru", "count.actions", count=count).replace("\xa0", " ") == ru
    assert i18n.t("en", "count.actions", count=count) == en
    assert i18n.t("kk", "count.actions", count=count).endswith("іс-шара")


def test_dates_and_numbers_follow_the_language():
    day = dt.date(2025, 11, 13)
    assert [i18n.date(day, lang) for lang in model.LANGS] == ["2025 жылғы 13 қараша", "13 ноября 2025 г.", "November 13, 2025"]
    assert i18n.percent(0.267, "ru").replace("\xa0", " ") == "27 %"
    assert i18n.percent(0.267, "en") == "27%"


def test_kazakh_catalog_is_written_in_kazakh():
    values = [v for v in i18n.catalog("kk").values() if isinstance(v, str) and len(v) > 12]
    kazakh = [v for v in values if KAZAKH_LETTERS.search(v)]
    assert len(kazakh) / len(values) > 0.8


@pytest.mark.parametrize("requested, accept, expected", [
    ("kk", "ru-RU", "kk"), (None, "ru-RU,ru;q=0.9", "ru"), (None, "en-GB", "en"), (None, "kk-KZ", "kk"),
    (None, "de-DE", "ru"), ("fr", None, "ru"), (None, "de,en;q=0.5", "en"),
])
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
