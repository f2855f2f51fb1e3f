"""One term per concept in each language's catalogs: the plan an akim and a governor sign
calls a thing by one name, never by that name in one place and a synonym in another."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from coopplan.i18n import catalog


@dataclass(frozen=True)
class Term:
    lang: str
    concept: str  # in English: names the test case
    term: str  # the word the catalogs use for it
    preferred: str  # pattern of the term the catalogs use
    competitors: tuple[str, ...]  # patterns of synonyms that must not stand in for it
    old: tuple[str, ...]  # wordings the competitors must catch (some were in the catalogs before issue 16)
    where: tuple[str, ...] = ()  # key prefixes where the concept lives; empty: every key

    def __str__(self) -> str:
        return f"{self.lang} {self.concept}"


TERMS = [
    # Kazakh
    Term(
        "kk",
        "action",
        "іс-шара",
        r"іс-шара",
        (r"(?<![\w-])шара\w*", r"\bоқиға\w*", r"\bәрекет\w*"),
        ("Жаңа шара", "Оқиғаны өңдеу"),
    ),
    Term("kk", "area", "бағыт", r"бағыт", (r"\bсала\w*", r"\bсфера\w*"), ("Ынтымақтастық салалары",)),
    Term(
        "kk", "status", "мәртебе", r"мәртебе", (r"\bстатус\w*", r"\bкүй(?:і|ін|іне)?\b"), ("Статус", "Іс-шараның күйі")
    ),
    Term(
        "kk",
        "executing bodies",
        "орындаушылар",
        r"орындаушы",
        (r"\bұйым(?!дастыр)\w*", r"\bжауаптылар\w*", r"\bорган(?:дар|ы)\w*"),
        ("Атаулар, сипаттамалар мен ұйымдар бойынша барлық тілде іздейді",),
    ),
    Term(
        "kk",
        "form of completion",
        "аяқталу нысаны",
        r"аяқталу нысаны",
        (r"\bаяқтау нысан\w*", r"\bаяқталу түр\w*", r"\bнәтиже нысан\w*"),
        ("Аяқтау нысаны",),
    ),
    Term(
        "kk",
        "upload",
        "жүктеп салу",
        r"жүктеп сал",
        (r"\bжүктеңіз\b",),
        (
            "Жоспар экспортының немесе бос үлгінің пішіміндегі .xlsx не .csv файлын жүктеңіз.",
            ".xlsx немесе .csv файлын жүктеңіз",
        ),
    ),
    Term(
        "kk",
        "download",
        "жүктеп алу",
        r"жүктеп ал",
        (r"\bжүктеу\b", r"\bжүктеп сал\w*"),
        ("Жүктеу",),
        where=("export.",),
    ),
    # Russian
    Term(
        "ru",
        "action",
        "мероприятие",
        r"мероприяти",
        (r"\bсобыти\w*", r"\bакци(?:я|и|ю|ей)\b", r"\bмеры\b"),
        ("Новое событие", "Меры по сотрудничеству"),
    ),
    Term(
        "ru",
        "area",
        "направление",
        r"направлени",
        (r"\bсфер\w*", r"\bотрасл\w*", r"\bобласт\w* сотрудничества"),
        ("Сферы сотрудничества", "Области сотрудничества"),
    ),
    Term(
        "ru", "status", "статус", r"статус", (r"\bсостояни[ея]\b",), ("Состояние",)
    ),  # «по состоянию на» is the as-of date
    Term(
        "ru",
        "executing bodies",
        "исполнители",
        r"исполнител",
        (r"\bорганизаци\w*", r"\bответственн\w*\b(?!\s+исполнител)", r"\bорган(?:ы|ов)\b"),
        ("Ответственные Павлодарской области", "Ищет по наименованиям, описаниям и организациям на всех языках"),
    ),
    Term(
        "ru",
        "form of completion",
        "форма завершения",
        r"форма завершения",
        (r"\bформа (?:окончания|исполнения|выполнения)\b", r"\bвид завершения\b"),
        ("Форма окончания",),
    ),
    Term(
        "ru",
        "upload",
        "загрузить",
        r"\bзагруз",
        (r"\bвыгрузит[еь]\b", r"\bзакача\w*", r"\bподгруз\w*"),
        ("Выгрузите файл .xlsx или .csv",),
    ),
    Term(
        "ru",
        "download",
        "скачать",
        r"\bскача",
        (r"\bзагруз\w*", r"\bвыгрузит[еь]\b"),
        ("Загрузить", "Выгрузить"),
        where=("export.",),
    ),
    # English
    Term(
        "en",
        "action",
        "action",
        r"\baction",
        (r"\bevents?\b", r"\bmeasures?\b", r"\bactivit(?:y|ies)\b"),
        ("New event",),
    ),
    Term(
        "en",
        "area",
        "area",
        r"\barea",
        (r"\bdirections?\b", r"\bspheres?\b", r"\bfields? of cooperation\b"),
        ("Directions of cooperation",),
    ),
    Term("en", "status", "status", r"\bstatus", (r"\bstate\b", r"\bstage\b"), ("State",)),
    Term(
        "en",
        "executing bodies",
        "executing bodies",
        r"\bbod(?:y|ies)\b",
        (r"\borgani[sz]ations?\b", r"\bresponsible\b", r"\bexecutors?\b"),
        ("Responsible organisations of Pavlodar Region",),
    ),
    Term(
        "en",
        "form of completion",
        "form of completion",
        r"form of completion",
        (r"\boutcome\b", r"\bcompletion form\b"),
        ("Outcome",),
    ),
    Term(
        "en",
        "upload",
        "upload",
        r"\bupload",
        (r"\bsubmit\b", r"\bload (?:a|an|the) (?:file|spreadsheet)\b"),
        ("Submit an .xlsx or .csv file",),
        where=("import.",),  # a report is submitted, a file uploaded
    ),
    Term(
        "en", "download", "download", r"\bdownload", (r"\bupload\w*", r"\bsave as\b"), ("Upload",), where=("export.",)
    ),
]


def texts(term: Term) -> dict[str, str]:
    """The catalog's texts where the concept lives, plural forms as key.form."""
    found = {}
    for key, value in catalog(term.lang).items():
        if term.where and not key.startswith(term.where):
            continue
        forms = value.items() if isinstance(value, dict) else [("", value)]
        for form, text in forms:
            found[f"{key}.{form}" if form else key] = str(text)
    return found


def competing(term: Term, text: str) -> list[str]:
    return [m.group(0) for p in term.competitors for m in re.finditer(p, text, flags=re.IGNORECASE)]


@pytest.mark.parametrize("term", TERMS, ids=str)
def test_each_concept_has_one_term_in_every_catalog(term):
    stray = {key: competing(term, text) for key, text in texts(term).items() if competing(term, text)}
    assert not stray, f"{term}: use «{term.term}», not {stray}"


@pytest.mark.parametrize("term", TERMS, ids=str)
def test_the_preferred_term_is_the_one_in_use(term):
    assert any(re.search(term.preferred, text, flags=re.IGNORECASE) for text in texts(term).values()), term


@pytest.mark.parametrize("term", TERMS, ids=str)
def test_the_table_catches_the_wording_it_replaced(term):
    for text in term.old:
        assert competing(term, text), (term, text)
        assert not re.search(term.preferred, text, flags=re.IGNORECASE), (term, text)
