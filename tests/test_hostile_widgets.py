"""Data text is never markdown in a widget either: a label, a help text or an option that
Streamlit draws as markdown shows hostile names as typed, no live link and no remote
image (a beacon fetched when the other side opens the page) (issue 30, item 6)."""

from __future__ import annotations

import pytest

from coopplan.editing.auth import User
from tests.helpers import ADMIN, as_user, valid_action, write_action
from tests.test_hostile_text import HOSTILE_TEXTS, PAGE_TAGS, as_html

MARKUP = ["md_link_js", "md_image", "img_onerror", "script", "md_specials", "autolinks", "tag_soup"]
PAVLODAR = User("pavlodar.editor", "pavlodar")


def hostile(name: str, number: int) -> dict:
    text = HOSTILE_TEXTS[name]
    every = {"kk": text, "ru": text, "en": text}
    return valid_action(
        f"zz-{number:03d}",
        lead="pavlodar",
        title=every,
        description=every,
        outcome=every,
        responsible={"pavlodar": [" ".join(text.split())], "omsk": []},
        start="2026-Q3",
        end="2026-12",
        indicators=[{"id": f"i{number}", "name": every, "unit": every, "target": 3, "actual": 1}],
    )


def markdown_parts(at) -> list[tuple[str, str]]:
    """(where, text) of everything Streamlit draws as markdown in a widget: labels, help
    texts, radio and pills options, expander labels."""
    found: list[tuple[str, str]] = []

    def walk(node) -> None:
        for child in getattr(node, "children", {}).values():
            proto = getattr(child, "proto", None)
            kind = type(child).__name__
            if proto is not None:
                for field in ("label", "help"):
                    value = getattr(proto, field, None)
                    if isinstance(value, str) and value:
                        found.append((f"{kind}.{field}", value))
                if kind == "Radio":
                    found.extend((f"{kind}.option", option) for option in proto.options)
                if kind == "ButtonGroup":
                    found.extend((f"{kind}.option", option.content) for option in proto.options)
            walk(child)

    walk(at._tree)
    return found


def assert_inert(parts: list[tuple[str, str]]) -> None:
    for where, text in parts:
        rendered = as_html(text)
        tags = {tag for tag, _ in rendered.tags}
        assert tags <= PAGE_TAGS, (where, text, tags)
        assert "a" not in tags and "img" not in tags, (where, text)


@pytest.mark.parametrize("name", MARKUP)
def test_an_indicators_name_in_the_report_forms_label_stays_text(mini_data, monkeypatch, name):
    monkeypatch.setenv("COOPPLAN_DATA", str(mini_data))
    write_action(mini_data, hostile(name, 1))
    at = as_user("reporting", PAVLODAR, {"lang": "ru", "period": "2026-Q4"})
    assert not at.exception
    labels = [text for where, text in markdown_parts(at) if where == "NumberInput.label"]
    assert labels, "the report form shows the indicator"
    assert_inert(markdown_parts(at))


@pytest.mark.parametrize(
    "page, query",
    [
        ("overview", {}),
        ("plan", {"id": "zz-001"}),
        ("timeline", {}),
        ("areas", {}),
        ("reporting", {"period": "2026-Q4"}),
        ("changes", {}),
        ("edit", {"id": "zz-001"}),
        ("history", {}),
        ("import", {}),
    ],
)
def test_no_widget_on_any_page_draws_data_text_as_markdown(mini_data, monkeypatch, page, query):
    monkeypatch.setenv("COOPPLAN_DATA", str(mini_data))
    for number, name in enumerate(MARKUP, start=1):
        write_action(mini_data, hostile(name, number))
    for user in (ADMIN, PAVLODAR):
        at = as_user(page, user, {"lang": "en", **query})
        assert not at.exception, (page, at.exception)
        assert_inert(markdown_parts(at))
