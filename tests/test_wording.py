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
    # Terms added by the second review (2026-12): each catches the wording it corrected
    Term("kk", "target", "жоспарлы мән", r"жоспарлы мән", (r"\bнысаналы\w*",), ("Нысаналы мәндер: {targets}",)),
    Term(
        "ru", "target", "плановое значение", r"плановы\w* значени", (r"\bцелев\w*",), ("Целевые значения: {targets}",)
    ),
    Term(
        "kk",
        "average progress",
        "орташа орындалу",
        r"орташа орындалу\b",
        (r"\bорташа орындалуы\b",),
        ("Бағыттар бойынша орташа орындалуы: {items}.",),
    ),
    Term(
        "ru",
        "average progress",
        "средняя степень выполнения",
        r"средн\w+ степен\w* выполнения",
        (r"\bсредн\w+ выполнени\w*",),
        ("Среднее выполнение по направлениям: {items}.",),
    ),
    Term(
        "kk",
        "approved version",
        "редакция",
        r"редакция",
        (r"\bнұсқа\w*", r"-нұсқа\w*"),
        ("1-нұсқа, бекітілген күні: 2026 жылғы 27 ақпан", "Бекітілген нұсқа"),
        where=(
            "changes.",
            "timeline.baseline",
            "rdoc.annex_changes",
            "history.",
            "problem.undo_approval",
            "problem.baseline",
        ),
    ),
    Term(
        "ru",
        "approved version",
        "редакция",
        r"редакци",
        (r"\bверси\w*",),
        ("версия 1 от 27 февраля 2026 г.", "Утверждённая версия"),
        where=(
            "changes.",
            "timeline.baseline",
            "rdoc.annex_changes",
            "history.",
            "problem.undo_approval",
            "problem.baseline",
        ),
    ),
    Term(
        "kk",
        "later",
        "кейінірек",
        r"кейінірек",
        (r"\bкешірек\b", r"\bкейінге ауыстыр\w*"),
        ("4 тоқсанға кешірек", "Кейінге ауыстырылды"),
        where=("changes.",),
    ),
    Term(
        "ru",
        "later",
        "на более поздний срок",
        r"на более поздний срок",
        (r"\bперенесено позже\b", r"\bперенесено раньше\b"),
        ("Перенесено позже", "Перенесено раньше"),
        where=("changes.",),
    ),
    Term(
        "kk",
        "cancel (status)",
        "тоқтату",
        r"тоқтат",
        (r"\bкүшін жо\w*",),  # annulling a legal act, not a working group's decision on an action
        ("Іс-шараның күшін жою туралы шешімді жұмыс тобы қабылдайды.",),
    ),
    Term(
        "ru",
        "cancel (status)",
        "отмена",
        r"\bотмен(?:а|ы|е|у|ено)\b",
        (r"\bотмените отч\w*",),  # a report is withdrawn (undone), an action cancelled
        ("Отмените отчёт, изменивший эти значения",),
    ),
    Term(
        "kk",
        "undo (advice)",
        "кері қайтарыңыз",
        r"кері қайтарыңыз",
        (r"\bболдырмаңыз\b",),  # «do not allow» as an imperative
        ("Жоспардың бекітілуін болдырмаңыз", "Алдымен кейінгі өзгерістерді болдырмаңыз"),
        where=("problem.",),
    ),
    Term(
        "ru",
        "undo (advice)",
        "отзовите",
        r"\bотзовите\b",
        (r"\bотмените отч\w*",),
        ("Отмените отчёт, изменивший эти значения",),
        where=("problem.",),
    ),
    Term(
        "kk",
        "implementation",
        "іске асырылу барысы",
        r"іске асырылу барысы",
        (r"\bорындалу барысы\w*",),
        ("Орындалу барысы туралы ақпарат (Word)",),
    ),
    Term(
        "ru",
        "implementation",
        "о ходе реализации",
        r"о ходе реализации",
        (r"\bо ходе выполнения\b",),
        ("представьте отчёт о ходе выполнения",),
    ),
    Term(
        "kk",
        "report date",
        "Есеп жасалған күн",
        r"есеп жасалған күн",
        (r"\bесеп күні\b",),  # one letter from «Есепті күн», the as-of date
        ("Есеп күні",),
    ),
    Term(
        "ru",
        "report date",
        "Дата отчёта",
        r"дата отчёта",
        (r"\bотчётн\w+ дат\w*",),  # reads as the as-of date, «По состоянию на»
        ("Отчётная дата",),
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
