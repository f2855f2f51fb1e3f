"""Hostile user text is shown as text everywhere, never run: markup and scripts,
markdown and LaTeX, spreadsheet formulas, bidi and invisible characters, very
long strings and line breaks, put into every text field of an action and
followed through every page (AppTest), the charts, every export and back
through import, and one real browser.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from coopplan.data import loader, model, validate
from coopplan.editing import store
from coopplan.exchange import exports, importer, spreadsheet
from coopplan.views import charts
from coopplan.views.filters import Filters
from coopplan.views.texts import WORD_JOINER
from tests.browser import screenshot
from tests.helpers import (
    ADMIN,
    DATA,
    ROOT,
    as_lines,
    as_user,
    details,
    run_page,
    submit,
    valid_action,
    valid_report,
    write_action,
    write_report,
)

LIMIT = 5000  # model.NonEmpty: the longest text one field holds
HOSTILE_TEXTS = {
    "tag_soup": "<b>bold</b><i>",
    "script": "<script>window.__pwned=1</script>",
    "img_onerror": '<img src=x onerror="window.__pwned=1">',
    "iframe_js": '<iframe src="javascript:window.__pwned=1"></iframe>',
    "md_link_js": "[click](javascript:alert(1))",
    "md_image": "![x](https://evil.example/x.png)",
    "md_specials": "**bold** _it_ ~~gone~~ $x^2$ :material/home: :red[red] `code` | a | b | # not a heading",
    "md_blocks": "# Heading\n===\n> quote\n- item\n1. one",
    "html_entities": "&lt;script&gt; &amp; &copy; &#60;b&#62;",
    "backslashes": "C:\\new\\*file*\\\\ \\<b>",
    "autolinks": "www.evil.example http://evil.example/x user@evil.example",
    "long_word": "Павлодар" * (LIMIT // 8),  # no space, no hyphen: nowhere to break
    "long_spaced": ("Омская область " * LIMIT)[: LIMIT - 1] + ".",
    "rtl_override": "\u202egnp.exe\u202c مرحبا بالعالم שלום עולם",
    "zero_width": "zero\u200bwidth\u200djoiner\ufeffbom",
    "combining": "Z\u0338\u0321\u0353a\u0334l\u0337g\u0335o\u0336 e\u0301\u0302",
    "formula_hyperlink": '=HYPERLINK("http://evil","x")',
    "formula_cmd": "+cmd|' /C calc'!A0",
    "formula_at": "@SUM(1)",
    "formula_minus": "-2+3+cmd|' /C calc'!A0",
    "apostrophe": "'=already quoted",
    "line_breaks": "first line\nsecond line\r\nthird\rfourth",
}
HOSTILE = [pytest.param(name, id=name) for name in HOSTILE_TEXTS]
ASOF = "2026-11-25"  # the hostile actions end in June 2026: overdue, so the overview lists them


def action_id(name: str) -> str:
    return "zz-" + name.replace("_", "-")


def one_line(text: str) -> str:
    """An executing body is one name on one line (spreadsheets list one body a line)."""
    return " ".join(text.splitlines())


def hostile_record(name: str) -> dict:
    """A valid action carrying the hostile text in every text field that takes it."""
    text = HOSTILE_TEXTS[name]
    every = {"kk": text, "ru": text, "en": text}
    return valid_action(
        action_id(name),
        title=every,
        description=every,
        outcome=every,
        location=every,
        responsible={"pavlodar": [one_line(text)], "omsk": [one_line(text)]},
        start="2026-Q1",
        end="2026-06",
        budget={"amount": 1500, "currency": "KZT", "source": text},
        indicators=[{"name": every, "unit": every, "target": 3, "actual": 1}],
        # the tag pattern (a-z, 0-9, - and _) lets no hostile text in: see test_no_hostile_text_is_a_tag
        tags=["x_y-z"],
    )


def hostile_reports(name: str) -> list[dict]:
    """Both sides' reports on the hostile action, the text in what was done and in the evidence."""
    text = HOSTILE_TEXTS[name]
    every = {"kk": text, "ru": text, "en": text}
    return [
        valid_report(action_id(name), side, "2026-Q1", done=every, evidence=[one_line(text)[:500]], progress=20)
        for side in ("pavlodar", "omsk")
    ]


@pytest.fixture
def hostile_data(data_dir) -> Path:
    for name in HOSTILE_TEXTS:
        write_action(data_dir, hostile_record(name))
        for report in hostile_reports(name):
            write_report(data_dir, report)
    return data_dir


# ---- what "inert" means ----------------------------------------------------------------------
#
# A page's markdown is read by a real CommonMark parser, independent of the app's
# escaping: raw HTML let through (``html``) and every link scheme accepted, so a
# payload that escaped the escaping shows up as a tag, a link, or text that reads
# differently from what was typed.

COMMONMARK = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
COMMONMARK.validateLink = lambda url: True  # javascript: links too: they must not be made at all
# What markdown itself makes of the page's own markup, with the only attributes it
# gives them. Any other tag or attribute is raw HTML, and links and images are never
# the page's own (it writes none in markdown).
PAGE_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "code",
    "pre",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "blockquote",
    "hr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "s",
    "del",
}
PAGE_ATTRIBUTES = {("ol", "start"), ("th", "style"), ("td", "style"), ("code", "class")}


class _Html(HTMLParser):
    """The tags of an HTML fragment and its text as a browser shows it (references decoded)."""

    def __init__(self, fragment: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list]] = []
        self.text: list[str] = []
        self.feed(fragment)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_data(self, data):
        self.text.append(data)


def as_html(markdown: str) -> _Html:
    return _Html(COMMONMARK.render(markdown))


def shown(markdown: str) -> str:
    """What a reader sees of a piece of markdown: the text of its HTML."""
    return "".join(as_html(markdown).text).strip()


def words(text: str) -> str:
    """Whitespace made single spaces (markdown joins lines and drops breaks at its will),
    without the invisible word joiners that keep bare addresses from becoming links."""
    return " ".join(text.replace(WORD_JOINER, "").split())


def live_markup(raw: str) -> str:
    """What is left of markdown once every backslash escape is taken out: the
    page's own markup, which must not hold HTML or links."""
    return re.sub(r"\\.", "", raw, flags=re.S)


# Markup a page's own markdown never uses, so found live it came from user text:
# HTML, links, character references (&lt; would show as <), setext underlines.
LIVE = re.compile(r"<|\]\(|javascript:|&(#\d+|#x[0-9a-f]+|[a-z]+);|^[ \t]*=+[ \t]*$", re.I | re.M)


def markdown_surfaces(at) -> list[str]:
    """The raw text of every element Streamlit draws as markdown."""
    found = []
    for kind in ("markdown", "caption", "title", "header", "subheader", "info", "warning", "error", "success"):
        found += [e.value for e in getattr(at, kind) if isinstance(e.value, str)]
    found += [e.label for e in at.expander]
    for table in at.table:  # st.table draws each cell as markdown
        frame = table.value
        found += [str(v) for v in frame.to_numpy().ravel()] + [str(i) for i in frame.index]
    return found


# The page's own links, which user text cannot make: an action's page in the plan, and
# an evidence line that is a web address as a whole (no brackets, spaces or quotes in it).
OWN_LINK = re.compile(
    r"\[((?:\\.|[^\[\]\\])*)\]\((?:/plan\?[\w=&%.-]+|<https?://[^\s<>()\[\]\\]+>)\)"
    r'|<a href="/signin\?[\w=&;%.-]*" target="_self">([^<>&]*)</a>'  # the sidebar's sign-in link
)


def assert_inert(at, texts: list[str]) -> list[int]:
    """No element's markdown, rendered, holds a tag or a link of user text; for each
    text, how many elements show it as typed (to a reader: the text of the HTML).
    Zero is no failure here: each test says where its texts must appear."""
    assert not at.exception, [e.value for e in at.exception]
    surfaces = [
        OWN_LINK.sub(lambda m: m.group(1) if m.group(1) is not None else m.group(2), raw)
        for raw in markdown_surfaces(at)
    ]
    seen = []
    for raw in surfaces:
        assert not LIVE.search(live_markup(raw)), raw[:300]
        page = as_html(raw)
        foreign = [
            (tag, attrs)
            for tag, attrs in page.tags
            if tag not in PAGE_TAGS or any((tag, name) not in PAGE_ATTRIBUTES for name, _ in attrs)
        ]
        assert foreign == [], (foreign[:3], raw[:300])
        seen.append(words("".join(page.text)))
    return [sum(words(text) in visible for visible in seen) for text in texts]


def dataframe_cells(at) -> set:
    cells = set()
    for frame in at.dataframe:
        cells |= set(frame.value.to_numpy().ravel().tolist())
    return cells


def plotly_specs(at) -> list[str]:
    return [chart.proto.spec for chart in at.get("plotly_chart")]


def spec_strings(spec: str) -> list[str]:
    """Every string of a plotly figure's JSON, decoded (JSON may write < as \\u003c)."""
    found = []

    def walk(value):
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(json.loads(spec))
    return found


def assert_charts_escaped(at) -> list[str]:
    """Plotly draws texts and hover labels as HTML: no tag of a payload may reach it."""
    strings = [s for spec in plotly_specs(at) for s in spec_strings(spec)]
    for value in strings:
        assert not re.search(r"<(script|img|iframe)|<b>bold", value, re.I), value[:300]
        assert "&quot;" not in value, value[:300]  # plotly would show it as written
    return strings


def chart_places(strings: list[str], texts: list[str]) -> list[int]:
    """For each text, how many chart labels show it in full, as plotly draws them
    (``<br>`` a line break, its few tags dropped, references decoded), whitespace
    aside: hover labels wrap long texts at spaces and inside long words."""
    drawn = ["".join(html.unescape(re.sub(r"<[^>]*>", "", re.sub(r"<br\s*/?>", "\n", s))).split()) for s in strings]
    return [sum("".join(text.split()) in label for label in drawn) for text in texts]


# ---- pages (AppTest) ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", HOSTILE)
def test_the_plan_shows_the_action_in_full_as_text(hostile_data, name):
    text = HOSTILE_TEXTS[name]
    at = run_page("plan", {"lang": "en", "q": action_id(name), "id": action_id(name)})
    assert at.selectbox(key="plan_action").value == action_id(name)
    [places] = assert_inert(at, [text])  # (a body is the text on one line: the same words)
    # heading, description, outcome, both sides' bodies, location, budget source, both sides' reports
    assert places >= 9
    markdown = [m.value for m in at.markdown]
    [heading] = [m for m in markdown if m.startswith("#### ")]
    assert COMMONMARK.render(heading).startswith("<h4>") and words(shown(heading)) == words(text)
    assert "**Tags**: `x_y-z`" in markdown  # a code span shows backslashes as typed: none there
    indicators, table = at.dataframe[0].value, at.dataframe[1].value  # arriving at an action: it comes first
    assert table.iloc[0, 1] == text and table.iloc[0, 7] == one_line(text)
    assert indicators.iloc[0, 0] == text and indicators.iloc[0, 1] == text


def test_the_overview_lists_hostile_titles_as_data(hostile_data):
    at = run_page("overview", {"lang": "ru", "asof": ASOF})
    texts = list(HOSTILE_TEXTS.values())
    assert_inert(at, texts)  # the page's own markdown: no title is shown there
    overdue = at.dataframe[0].value  # its first rows (components.MOST_LISTED): the plan lists them all
    listed = [text for name, text in HOSTILE_TEXTS.items() if action_id(name) in set(overdue.iloc[:, 0])]
    assert len(listed) > len(texts) // 2
    titles = list(overdue.iloc[:, 3])
    assert [titles.count(text) for text in listed] == [1] * len(listed)  # each title once in the overdue list
    assert_charts_escaped(at)


def test_the_timeline_escapes_hover_labels_and_bar_labels(hostile_data):
    at = run_page("timeline", {"lang": "kk", "area": "tourism"})
    texts = list(HOSTILE_TEXTS.values())
    assert_inert(at, texts)  # the page's own markdown: the texts are in the chart only
    strings = assert_charts_escaped(at)
    for text, places in zip(texts, chart_places(strings, texts), strict=True):
        if len(text) <= charts.HOVER_MOST:  # in full in its hover label (a longer one is cut: below)
            assert places >= 1, text[:80]
    bars = json.loads(plotly_specs(at)[0])["data"][0]  # the actions' own bars
    hover = dict(zip(bars["customdata"], bars["hovertext"], strict=True))
    for name, text in HOSTILE_TEXTS.items():
        label = hover[action_id(name)]
        lines = [html.unescape(re.sub(r"</?[bi]>", "", line)) for line in label.split("<br>")]
        assert all(len(line) <= charts.HOVER_WIDTH for line in lines)  # a hover label never wraps itself
        title = "".join(label.removeprefix("<b>").partition("</b>")[0].split("<br>"))
        shown, typed = "".join(html.unescape(title).split()), "".join(text.split())
        if len(text) <= charts.HOVER_MOST:
            assert shown == typed  # every character; line breaks and spaces where it wraps
            assert "".join(one_line(text).split()) in "".join(lines).replace(" ", "")  # the bodies
        else:
            assert shown.endswith("…") and typed.startswith(shown[:-1])
    labels = [s for s in strings if s.startswith("zz-")]
    assert "zz-script · &lt;script&gt;window.__pwned=1&lt;/script&gt;" in labels
    assert 'zz-formula-hyperlink · =HYPERLINK("http://evil","x")' in labels


def test_the_areas_page_lists_hostile_bodies_as_text(hostile_data):
    at = run_page("areas", {"lang": "en"})
    places = assert_inert(at, [one_line(t) for t in HOSTILE_TEXTS.values()])
    assert min(places) >= 2  # in the list of each side's bodies
    assert set(HOSTILE_TEXTS.values()) <= dataframe_cells(at)


def test_the_edit_form_holds_the_exact_text_and_history_shows_the_change(hostile_data):
    at = as_user("edit", ADMIN, {"lang": "en", "id": action_id("script")})
    for name, text in HOSTILE_TEXTS.items():
        at.query_params["id"] = action_id(name)
        at.run()
        assert_inert(at, [text])  # the form holds it in its widgets, checked next
        for lang in model.LANGS:
            assert at.text_input(key=f"f_title_{lang}").value == text
            assert at.text_area(key=f"f_description_{lang}").value == text
        assert at.multiselect(key="f_bodies_pavlodar").value == [one_line(text)]
        assert at.text_input(key="f_budget_source").value == text
    at.query_params["id"] = action_id("img_onerror")
    at.run()
    at.text_input(key="f_title_en").input(HOSTILE_TEXTS["md_link_js"])
    submit(at)
    assert not at.exception and at.success[0].value == f"Saved: {action_id('img_onerror')}."
    assert loader.load(hostile_data).action(action_id("img_onerror")).title.en == HOSTILE_TEXTS["md_link_js"]

    page = as_user("history", ADMIN, {"lang": "en"})
    places = assert_inert(page, [HOSTILE_TEXTS["img_onerror"], HOSTILE_TEXTS["md_link_js"]])
    change = page.table[0].value
    assert [shown(v) for v in change.loc["Title · EN"]] == [HOSTILE_TEXTS["img_onerror"], HOSTILE_TEXTS["md_link_js"]]
    assert places == [1, 2]  # before and after, each in its cell; the new title also names the change


def test_history_shows_every_hostile_record_escaped(data_dir):
    for name in HOSTILE_TEXTS:
        store.save(data_dir, model.Action.model_validate(hostile_record(name)), ADMIN, store.ABSENT)
    at = as_user("history", ADMIN, {"lang": "ru"})
    # the table of an added action shows each field's value as JSON: a line break as \n, a quote as \"
    places = assert_inert(at, [json.dumps(text, ensure_ascii=False)[1:-1] for text in HOSTILE_TEXTS.values()])
    # title, description, outcome, location, budget, indicators; the bodies too where the text is one line
    assert len(at.expander) == len(HOSTILE_TEXTS) and min(places) >= 6


def test_the_import_preview_shows_hostile_rows_as_text(data_dir):
    for name in HOSTILE_TEXTS:  # plain actions on disk; the upload changes them to hostile ones
        write_action(data_dir, valid_action(action_id(name)))
    hostile = [model.Action.model_validate(hostile_record(name)) for name in HOSTILE_TEXTS]
    rows = spreadsheet.read_csv(spreadsheet.to_csv(hostile))
    bad = dict(rows[0], id="zz-bad", status=HOSTILE_TEXTS["script"], area=HOSTILE_TEXTS["md_link_js"])
    upload = io.StringIO(newline="")
    writer = csv.DictWriter(upload, fieldnames=spreadsheet.COLUMNS, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows([*rows, bad])
    at = as_user("import", ADMIN, {"lang": "en"})
    at.file_uploader[0].upload("plan.csv", upload.getvalue().encode("utf-8-sig"), "text/csv").run()
    places = assert_inert(at, list(HOSTILE_TEXTS.values()))
    assert [m.value for m in at.metric] == ["0", str(len(HOSTILE_TEXTS)), "0", "1"]
    assert min(places) >= 1
    assert HOSTILE_TEXTS["script"] in shown(at.warning[0].value)  # the invalid row's reason quotes it
    reasons = at.dataframe[0].value.iloc[-1, -1]
    assert HOSTILE_TEXTS["script"] in reasons  # a table cell: plain data


def test_the_limit_of_a_text_is_said_not_crashed_on(data_dir):
    """20,000 characters with spaces is more than a field holds (LIMIT): refused with the rule."""
    huge = ("Павлодар и Омск " * 2000)[:20_000]
    write_action(data_dir, valid_action("zz-huge", title={"en": huge}))
    at = run_page("plan", {"lang": "en"})
    assert not at.exception
    [problems] = [c.value for c in at.code if "zz-huge" in c.value]
    assert problems.endswith(
        "/zz-huge.yaml:4: The text is too long — title.en: String should have at most 5000 characters"
    )
    assert "zz-huge" not in at.selectbox(key="plan_action").options

    first = loader.load(data_dir).actions[0].id
    form = as_user("edit", ADMIN, {"lang": "en", "id": first})
    form.text_input(key="f_title_en").input(huge)
    submit(form)
    assert "The text is too long" in [shown(e.value) for e in form.error]  # the advice beside the field
    assert "title.en: String should have at most 5000 characters" in details(form)  # the rule behind «details»
    assert form.text_input(key="f_title_en").value == huge  # what was typed is kept
    assert loader.load(data_dir).action(first).title.en != huge


@pytest.mark.parametrize("name", HOSTILE)
def test_no_hostile_text_is_a_tag(name):
    record = valid_action(tags=[HOSTILE_TEXTS[name]])
    with pytest.raises(ValueError, match="tags.0"):
        model.Action.model_validate(record)


# ---- exports and import ------------------------------------------------------------------------

HOSTILE_ACTIONS = [model.Action.model_validate(hostile_record(name)) for name in HOSTILE_TEXTS]
DATASET = loader.load(DATA)


def test_csv_cells_cannot_be_formulas_and_read_back_exactly():
    data = exports.export(DATASET, HOSTILE_ACTIONS, "csv", "ru")
    rows = spreadsheet.read_csv(data)
    cells = [value for row in rows for key, value in row.items() if value and key != spreadsheet.ROW]
    assert all(not cell.startswith(spreadsheet.FORMULA_STARTS) for cell in cells)
    assert (
        '\'=HYPERLINK("http://evil","x")' in cells and "'+cmd|' /C calc'!A0" in cells and "''=already quoted" in cells
    )
    assert [model.Action.model_validate(spreadsheet.row_record(row)) for row in rows] == HOSTILE_ACTIONS


def test_xlsx_cells_cannot_be_formulas_and_read_back_exactly():
    from openpyxl import load_workbook

    data = exports.export(DATASET, HOSTILE_ACTIONS, "xlsx", "kk")
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row if cell.value is not None]
    assert {cell.data_type for cell in cells} <= {"s", "n", "d"}  # no "f": not one formula
    assert all(not cell.value.startswith(spreadsheet.FORMULA_STARTS) for cell in cells if isinstance(cell.value, str))
    rows = importer.read_rows(data, "plan.xlsx")
    words = spreadsheet.Vocabulary.of(DATASET.memorandum, DATASET.bodies)
    assert [model.Action.model_validate(spreadsheet.row_record(row, words)) for row in rows] == HOSTILE_ACTIONS


def test_importing_the_export_changes_nothing(data_dir):
    for action in HOSTILE_ACTIONS:
        write_action(data_dir, action.to_yaml_dict())
    dataset = loader.load(data_dir)
    for fmt in ("csv", "xlsx"):
        rows = importer.read_rows(exports.export(dataset, HOSTILE_ACTIONS, fmt, "en"), f"plan.{fmt}")
        results = importer.preview(rows, dataset)
        assert [(r.action_id, r.kind) for r in results] == [(a.id, "unchanged") for a in HOSTILE_ACTIONS]


def test_a_body_name_with_a_line_break_is_refused_not_split_silently(data_dir):
    """Spreadsheets and the form list one body a line, so a name holding a line break
    would come back as several bodies: such a name is refused, in a file with its line."""
    record = hostile_record("line_breaks") | {
        "responsible": {"pavlodar": [HOSTILE_TEXTS["line_breaks"]], "omsk": ["Министерство экономики Омской области"]}
    }
    path = write_action(data_dir, record)
    dataset = loader.load(data_dir)
    assert dataset.action(record["id"]) is None
    line = next(
        n
        for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if text.lstrip().startswith('- "first line')
    )
    assert [(p.line, p.kind) for p in dataset.problems if p.file.endswith(path.name)] == [(line, "line_break")]
    # the edit form's check says the same beside the bodies
    assert [(p.field, p.kind) for p in validate.record_problems(record, dataset.memorandum)] == [
        ("responsible", "line_break")
    ]


def test_the_word_document_holds_the_literal_text():
    from docx import Document

    for lang in ("en", "kk+ru"):
        document = Document(io.BytesIO(exports.export(DATASET, HOSTILE_ACTIONS, "docx", lang)))
        cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
        for text in HOSTILE_TEXTS.values():
            assert cells.count(as_lines(text)) >= 2  # title and outcome; in kk+ru the two titles
            assert cells.count(one_line(text)) >= 2  # the bodies of each side
        xml = document.element.xml
        assert "<script" not in xml and "<img" not in xml and "<w:hyperlink" not in xml


def test_the_calendar_reads_back_the_same_texts():
    from icalendar import Calendar

    calendar = Calendar.from_ical(exports.export(DATASET, HOSTILE_ACTIONS, "ics", "ru"))
    events = {str(e["uid"]).split("@")[0]: e for e in calendar.walk("VEVENT")}
    for name, text in HOSTILE_TEXTS.items():
        event = events[action_id(name)]
        assert str(event["summary"]) == as_lines(text) and str(event["location"]) == as_lines(text)
        assert str(event["description"]).startswith(as_lines(text))


# ---- no raw HTML anywhere ----------------------------------------------------------------------

RAW_HTML = re.compile(
    r"unsafe_allow_html\s*=\s*True|\bst\.html\b|components\.html|components\.v1|streamlit\.components"
)


# The one raw HTML drawn: the sign-in link, built by ``account.sign_in_link`` from our own
# address and catalog text, every character escaped (Streamlit's markdown links open a
# new tab; the sign-in must come back to the tab it left).
RAW_HTML_ALLOWED = re.compile(r"^\s*sign_in_link\(lang\), unsafe_allow_html=True")


def test_no_page_draws_raw_html_but_the_escaped_sign_in_link():
    """Streamlit draws markdown without raw HTML unless asked; nothing here asks, but for
    the sign-in link, which holds no data text."""
    sources = [*(ROOT / "coopplan").rglob("*.py"), *(ROOT / "pages").glob("*.py"), ROOT / "dashboard.py"]
    assert len(sources) > 20
    found = [
        f"{path.name}:{number}"
        for path in sources
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if RAW_HTML.search(line) and not (path.name == "account.py" and RAW_HTML_ALLOWED.search(line))
    ]
    assert found == []


def test_the_sign_in_link_escapes_every_character_of_its_address():
    from coopplan.ui import account

    link = account.sign_in_link("ru")
    assert link.startswith('<a href="/signin?lang=ru&amp;next=') and link.endswith("</a>")
    assert "<script" not in link and '"' not in link.split('href="')[1].split('"')[0]


# ---- a real browser ----------------------------------------------------------------------------

# Elements a payload would create if it reached the page as HTML or as a live link.
# Bare addresses (www.…, http://…, a@b.c) too: Streamlit's markdown would make them
# links whatever the escaping (GFM autolinks are found in the parsed text), so
# texts.escape_md keeps them plain text, and no link to them may be found.
PAYLOAD_ELEMENTS = """() => [
    ...[...document.querySelectorAll('script')].filter(s => s.textContent.includes('__pwned')).map(() => 'script'),
    ...[...document.querySelectorAll('img[onerror], img[src="x"], img[src*="evil.example"]')].map(() => 'img'),
    ...[...document.querySelectorAll('iframe[src^="javascript"], a[href^="javascript"]')].map(e => e.tagName),
    ...[...document.querySelectorAll('b, i')].filter(e => e.textContent === 'bold').map(() => 'b'),
    ...[...document.querySelectorAll('a[href*="evil"]')].map(a => 'link ' + a.textContent),
]"""


@pytest.mark.browser
def test_hostile_text_stays_text_in_a_real_browser(server, page):
    for name in HOSTILE_TEXTS:
        write_action(server.data_dir, hostile_record(name))
    edited = model.Action.model_validate(hostile_record("img_onerror"))  # an edit of it, for the history page
    version, _ = store.read_version(server.data_dir, edited.id)
    store.save(
        server.data_dir, edited.model_copy(update={"title": model.Text(en=HOSTILE_TEXTS["script"])}), ADMIN, version
    )
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    script = HOSTILE_TEXTS["script"]
    visits = {
        "overview": f"/?lang=en&asof={ASOF}",
        "plan": f"/plan?lang=en&q={action_id('script')}&id={action_id('script')}",
        "plan-long": f"/plan?lang=en&q={action_id('long_word')}&id={action_id('long_word')}",
        "timeline": "/timeline?lang=en&area=tourism",
        "areas": "/areas?lang=en",
        "history": "/history?lang=en",
        "import": "/import?lang=en",
    }
    for name, path in visits.items():
        page.open(path)
        assert page.locator('[data-testid="stException"]').count() == 0, name
        assert page.evaluate(PAYLOAD_ELEMENTS) == [], name
        assert page.evaluate("typeof window.__pwned") == "undefined", name
        # as text in the detail heading, the lists of bodies, the table of a change
        # (a data frame's own cells are drawn on a canvas)
        if name == "plan":
            assert page.locator("h4", has_text=script).is_visible()
        if name == "areas":
            page.locator('[data-testid="stExpander"] summary', has_text="Tourism").click()
            assert page.locator("li", has_text=HOSTILE_TEXTS["md_link_js"]).first.is_visible()
        if name == "history":
            page.locator('[data-testid="stExpander"] summary').first.click()
            assert page.locator('[data-testid="stTable"] td', has_text=script).first.is_visible()
        screenshot(page, f"hostile-{name}")
        width = page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollWidth")
        assert width <= 1280, (name, width)  # long words wrap or scroll inside their element

    for name in ("script", "long_spaced"):  # the timeline of one action: hover its bar
        page.open(f"/timeline?lang=en&q={action_id(name)}")
        bar = next(
            b
            for b in (p.bounding_box() for p in page.locator('[data-testid="stPlotlyChart"] g.point path').all())
            if b and b["width"] > 5
        )
        page.mouse.move(bar["x"] + 5, bar["y"] + bar["height"] / 2)
        label = page.locator("g.hoverlayer g.hovertext").first
        label.wait_for(timeout=10_000)
        if name == "script":
            assert script in label.text_content()  # the text as typed, not an element
        box = label.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 1280, box  # long text wraps inside the window
        screenshot(page, f"hostile-timeline-hover-{name}")
        assert page.evaluate(PAYLOAD_ELEMENTS) == [] and page.evaluate("typeof window.__pwned") == "undefined"
    assert dialogs == []


# ---- reports ---------------------------------------------------------------------------------


def test_the_reporting_page_shows_hostile_titles_and_reports_as_text(hostile_data):
    at = run_page("reporting", {"lang": "ru", "period": "2026-Q1", "asof": ASOF})
    assert_inert(at, list(HOSTILE_TEXTS.values()))
    titles = set(at.dataframe[0].value.iloc[:, 1])
    assert {HOSTILE_TEXTS[name] for name in ("script", "md_link_js", "formula_cmd")} <= titles


def test_the_implementation_report_holds_the_literal_text_and_its_sheet_no_formula(hostile_data):
    from docx import Document
    from openpyxl import load_workbook

    dataset = loader.load(hostile_data)
    hostile = [a for a in dataset.actions if a.id.startswith("zz-")]
    data = exports.implementation(dataset, hostile, "2026-Q1", Filters(), dt.date(2026, 11, 25), "docx", "kk+ru")
    document = Document(io.BytesIO(data))
    cells = "\n".join(cell.text for table in document.tables for row in table.rows for cell in row.cells)
    for text in HOSTILE_TEXTS.values():
        assert as_lines(text) in cells  # what was done, as typed
    assert "<script" not in document.element.xml and "<w:hyperlink" not in document.element.xml
    data = exports.implementation(dataset, hostile, "2026-Q1", Filters(), dt.date(2026, 11, 25), "xlsx", "en")
    sheet = load_workbook(io.BytesIO(data)).active
    values = [c.value for row in sheet.iter_rows(min_row=4) for c in row if isinstance(c.value, str)]
    assert values and not [v for v in values if v.startswith(spreadsheet.FORMULA_STARTS)]
