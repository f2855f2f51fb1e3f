"""Hypothesis strategies for the plan's data, reusable by any test.

``action_records()`` draws VALID action records exactly as the app writes them
to ``actions/<id>.yaml`` (``Action.to_yaml_dict()``: fields in model order,
empty ones left out, years as numbers, days as dates), so a test can compare
what comes back with the record itself. ``form_values()`` draws what a user can
put into the edit form (the flat mapping ``forms.values_from_action`` produces), mixing
plausible values and garbage.
"""

from __future__ import annotations

import calendar
import datetime as dt

from hypothesis import strategies as st

from coopplan.data import fields, model
from coopplan.editing import forms

FIRST_YEAR, LAST_YEAR = 2026, 2028  # the shipped memorandum's plan period
KAZAKH = "әғқңөұүһіӘҒҚҢӨҰҮҺІ"
# Words and fragments that have broken text handling somewhere before: scripts,
# direction marks, zero-width joiners, markup, spreadsheet formulas, YAML and
# Markdown syntax, Excel's own escapes, format fields.
HOSTILE_PIECES = (
    "Павлодар облысының әкімдігі",
    "Министерство экономики Омской области",
    "Қазақстан",
    "Ертіс",
    "«кавычки»",
    "שלום",
    "مرحبا بكم",
    "\u200f",
    "\u200e",
    "\u202e",
    "\u2066",
    "\u2069",
    "\u200b",
    "\u200c",
    "\u200d",
    "\u2060",
    "\ufeff",
    "\u00ad",
    "\u00a0",
    "\u202f",
    "\u2028",
    "\u2029",
    "\u0085",
    "😀",
    "👨‍👩‍👧",
    "e\u0301",
    "ǅ",
    "<script>alert(1)</script>",
    "<b>",
    "&amp;",
    "&#x41;",
    "]]>",
    "<!--",
    "=1+2",
    "+7 701 000 00 00",
    "-5",
    "@SUM(A1)",
    '=HYPERLINK("http://x")',
    "'",
    "''",
    '"',
    "\\",
    "\\n",
    "_x000D_",
    "_x005F_",
    "{name}",
    "{0}",
    "%s",
    "*",
    "**",
    "_",
    "`",
    "#",
    "|",
    "[x](http://x)",
    "$x$",
    "- ",
    ": ",
    "? ",
    "&a",
    "!!str",
    "---",
    "...",
    "null",
    "~",
    "yes",
    "0x1F",
    "1e3",
    "2026-05-15",
    "\t",
    "\n",
    "\r\n",
    "\r",
    "  ",
    "BEGIN:VEVENT",
    ";",
    ",",
    "\\,",
)
# What text refuses (``model.NonEmpty``): control characters other than tab and
# line breaks, and the two non-characters, none of which a Word or Excel file can hold.
REFUSED_CHARACTERS = "".join(chr(c) for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20))) + "\ufffe\uffff"
REFUSED_PIECES = ("\x1b[2J\x1b[31m", "\x07", "\x00", "\x0b", "\x1f", "\uffff", "\ufffe")
storable_character = st.characters(exclude_categories=("Cs",), exclude_characters=REFUSED_CHARACTERS)
# Any character a UTF-8 file or a browser can carry (no lone surrogates).
any_character = st.characters(exclude_categories=("Cs",))


def canonical_text(value: str) -> bool:
    """A text as the model keeps it: trimmed, not empty."""
    return bool(value) and value == model.trim_text(value)


def _joined(pieces: st.SearchStrategy[str], max_pieces: int) -> st.SearchStrategy[str]:
    return st.lists(pieces, max_size=max_pieces).map("".join)


# A text the model accepts, as it keeps it.
text_values = (
    _joined(
        st.one_of(st.sampled_from(HOSTILE_PIECES), st.text(storable_character, max_size=6), st.sampled_from(KAZAKH)), 5
    )
    .map(model.trim_text)
    .filter(canonical_text)
)
# A body's name the model accepts: a text on one line, without tabs either
# (``model.BODY_PATTERN``: kind ``line_break``); other line separators (U+2028,
# U+0085…) are allowed and drawn.
body_names = text_values.filter(lambda b: not any(c < " " for c in b))


def free_text(max_pieces: int = 5) -> st.SearchStrategy[str]:
    """Anything typed or pasted: possibly blank, possibly with characters text refuses."""
    return _joined(
        st.one_of(st.sampled_from(HOSTILE_PIECES), st.sampled_from(REFUSED_PIECES), st.text(any_character, max_size=6)),
        max_pieces,
    )


@st.composite
def multilingual(draw) -> dict:
    """``{kk: …, ru: …, en: …}`` with at least one language, in the model's key order."""
    langs = draw(st.sets(st.sampled_from(model.LANGS), min_size=1))
    return {lang: draw(text_values) for lang in model.LANGS if lang in langs}


action_ids = st.from_regex(model.ID_PATTERN, fullmatch=True)
tags = st.from_regex(model.TAG_PATTERN, fullmatch=True).filter(lambda t: len(t) <= 30)
# Amounts as people write them: whole, or with up to two decimals, within the 15
# significant digits Excel keeps (openpyxl writes 16, so more would not come back).
numbers = st.one_of(st.integers(0, 10**15 - 1), st.decimals(0, 10**9, places=2).map(float)).map(
    lambda n: int(n) if isinstance(n, float) and n.is_integer() else n
)  # as to_yaml_dict writes them


@st.composite
def periods(draw) -> tuple[dt.date, dt.date, object]:
    """(first day, last day, value as a file holds it) of a period in the plan's years."""
    year = draw(st.integers(FIRST_YEAR, LAST_YEAR))
    kind = draw(st.sampled_from(("year", "quarter", "month", "day")))
    if kind == "year":
        return dt.date(year, 1, 1), dt.date(year, 12, 31), year
    if kind == "quarter":
        quarter = draw(st.integers(1, 4))
        last_month = 3 * quarter
        return (
            dt.date(year, last_month - 2, 1),
            dt.date(year, last_month, calendar.monthrange(year, last_month)[1]),
            f"{year}-Q{quarter}",
        )
    month = draw(st.integers(1, 12))
    days = calendar.monthrange(year, month)[1]
    if kind == "month":
        return dt.date(year, month, 1), dt.date(year, month, days), f"{year}-{month:02d}"
    day = dt.date(year, month, draw(st.integers(1, days)))
    return day, day, day


@st.composite
def start_and_end(draw) -> tuple[object, object]:
    """A start and an end inside the plan period, the end not before the start."""
    first, second = draw(periods()), draw(periods())
    if second[1] < first[0]:  # then the other way round is in order
        first, second = second, first
    return first[2], second[2]


@st.composite
def indicators(draw) -> dict:
    indicator: dict = {"name": draw(multilingual())}
    if draw(st.booleans()):
        indicator["unit"] = draw(multilingual())
    for key in ("target", "actual"):
        if draw(st.booleans()):
            indicator[key] = draw(numbers)
    return indicator


def _budgets() -> st.SearchStrategy[dict]:
    amounts = st.fixed_dictionaries(
        {"amount": numbers, "currency": st.from_regex(model.CURRENCY_PATTERN, fullmatch=True)},
        optional={"source": text_values},
    )
    return amounts.map(lambda budget: {"budget": budget})


@st.composite
def _responsible(draw) -> dict:
    """At least one side names a body (any lead may have either side's bodies), and a
    body's name is one line (spreadsheets and the form list a side's bodies one a
    line), so it holds no LF nor CR."""
    sides = draw(st.sampled_from((("pavlodar",), ("omsk",), ("pavlodar", "omsk"))))
    return {"responsible": {side: draw(st.lists(body_names, min_size=1, max_size=3)) for side in sides}}


@st.composite
def _stamps(draw) -> dict:
    stamp = draw(st.datetimes(dt.datetime(2025, 1, 1), dt.datetime(2029, 1, 1))).replace(microsecond=0)
    return {
        "updated": stamp.replace(tzinfo=dt.UTC).isoformat().replace("+00:00", "Z"),
        "updated_by": draw(text_values),
    }


def _one(name: str, values: st.SearchStrategy) -> st.SearchStrategy[dict]:
    return values.map(lambda value: {name: value})


# A valid value of each declared field (``coopplan.data.fields``), as the part of the
# record it makes; ``action_records`` fails on a declared field missing here.
VALID: dict[str, st.SearchStrategy[dict]] = {
    "id": _one("id", action_ids),
    "area": _one("area", st.sampled_from(model.AREA_IDS)),
    "lead": _one("lead", st.sampled_from(model.LEADS)),
    "status": _one("status", st.sampled_from(model.STATUSES)),
    "progress": _one("progress", st.integers(0, 100)),
    "period": start_and_end().map(lambda period: {"start": period[0], "end": period[1]}),
    **{name: _one(name, multilingual()) for name in fields.TEXT_FIELDS},
    "responsible": _responsible(),
    "budget": _budgets(),
    "indicators": _one("indicators", st.lists(indicators(), min_size=1, max_size=3)),
    "tags": _one("tags", st.lists(tags, min_size=1, max_size=4)),
    "updated": _stamps(),
}


def optional(declared: fields.Field) -> bool:
    """Whether an action may leave the field out."""
    return not any(model.Action.model_fields[name].is_required() for name in declared.model)


@st.composite
def action_records(draw, action_id: st.SearchStrategy[str] | None = None) -> dict:
    """A valid action record, as ``Action.to_yaml_dict()`` writes it: each declared field
    drawn from ``VALID``, the optional ones present or not."""
    record: dict = {}
    for declared in fields.FIELDS:
        if optional(declared) and not draw(st.booleans()):
            continue
        if declared.name == "id" and action_id is not None:
            record["id"] = draw(action_id)
        else:
            record |= draw(VALID[declared.name])
    return fields.in_model_order(record)


# ---- the edit form ---------------------------------------------------------------------

typed_periods = st.one_of(
    periods().map(lambda p: str(p[2])),  # what the form shows
    st.sampled_from(
        (
            "2026",
            " 2027-Q3 ",
            "2026-Q5",
            "2026-13",
            "2026-02-30",
            "2030",
            "2025-12",
            "Q2 2026",
            "II квартал 2026",
            "2027-1",
            "",
            " ",
            "2026-05-15T10:00",
            "２０２６",
            "-2026",
            "2026-05-15 ",
        )
    ),
    free_text(3),
)
typed_bodies = st.lists(st.one_of(text_values, free_text(2)), max_size=4)
cell_numbers = st.one_of(
    st.none(),
    st.just(float("nan")),
    st.integers(-5, 10**15),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(("", " ", "12", "1,5", "abc", "-1")),
)


@st.composite
def indicator_rows(draw) -> dict:
    """A row of the indicators editor: text cells may be None (never typed in), numbers NaN."""
    text_cell = st.one_of(st.none(), st.just(""), text_values, free_text(2))
    row = {f"{part}_{lang}": draw(text_cell) for part in ("name", "unit") for lang in model.LANGS}
    row["target"], row["actual"] = draw(cell_numbers), draw(cell_numbers)
    return row


def _garbage() -> dict[str, st.SearchStrategy]:
    """What each form field can hold besides a valid value; fails on a field of the form
    (``coopplan.data.fields``) that has none here."""
    garbage = {
        "id": st.one_of(action_ids, st.sampled_from(("x" * 65, "../etc", "po 046", ""))),
        "area": st.sampled_from(("space", "")),  # a stale session, not the select box
        "lead": st.sampled_from(model.LEADS),
        "status": st.sampled_from(model.STATUSES),
        "bodies_pavlodar": typed_bodies,
        "bodies_omsk": typed_bodies,
        "start": typed_periods,
        "end": typed_periods,
        "progress": st.integers(0, 20).map(lambda n: 5 * n),  # a 0–100 slider in steps of 5
        "budget_amount": st.one_of(st.none(), st.floats(0, 1e15, allow_nan=False), st.integers(0, 10**9).map(float)),
        "budget_currency": st.sampled_from((None, "KZT", "RUB", "USD", "EUR")),
        "budget_source": free_text(2),
        "tags": st.one_of(
            st.lists(tags, max_size=4).map(", ".join),
            st.sampled_from(("", " , ,", "Туризм", "sport,  youth", "UPPER", "a b", "tag;other", "-x")),
            free_text(2),
        ),
        "indicators": st.lists(indicator_rows(), max_size=3),
    }
    for declared in fields.FIELDS:
        for key in declared.form:
            if declared.multilingual:
                garbage[key] = st.one_of(st.just(""), text_values, free_text(3))
            elif key not in garbage:
                raise LookupError(f"no garbage drawn for the form's {key}: add it to tests/strategies.py")
    return garbage


GARBAGE = _garbage()


@st.composite
def form_values(draw) -> dict:
    """Anything a user can put into the edit form, as the page collects it: a valid
    action's values with a few fields typed over, plausibly or not.

    Choices (area, lead, status, currency) come from select boxes and the
    progress from a 0–100 slider, so they take the widgets' values; everything
    typed is free.
    """
    values = forms.values_from_action(model.Action.model_validate(draw(action_records())))
    for key in draw(st.sets(st.sampled_from(sorted(GARBAGE)), max_size=4)):
        values[key] = draw(GARBAGE[key])
    return values
