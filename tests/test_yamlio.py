import datetime as dt

import pytest

from coopplan.data import model, yamlio
from tests.helpers import DATA


def test_dumps_keeps_cyrillic_readable_and_key_order():
    text = yamlio.dumps({"title": {"kk": "Ертіс өзені", "ru": "Река Иртыш"}, "area": "environment"})
    assert text == "title:\n  kk: Ертіс өзені\n  ru: Река Иртыш\narea: environment\n"
    assert "\\u" not in text


def test_dumps_never_writes_aliases_for_shared_values():
    day = dt.date(2026, 5, 15)
    text = yamlio.dumps({"start": day, "end": day, "a": [1], "b": [1]})
    assert "&" not in text and "*" not in text
    assert yamlio.loads(text.encode()) == {"start": day, "end": day, "a": [1], "b": [1]}


def test_long_text_stays_on_one_line():
    text = yamlio.dumps({"title": "слово " * 100})
    assert text.count("\n") == 1


@pytest.mark.parametrize("path", sorted((DATA / "actions").glob("*.yaml")), ids=lambda p: p.name)
def test_shipped_action_files_are_written_as_the_app_writes_them(path):
    """A save of an unchanged action rewrites the same bytes: diffs show only changes."""
    text = path.read_text(encoding="utf-8")
    action = model.Action.model_validate(yamlio.loads(path.read_bytes()))
    assert yamlio.dumps(action.to_yaml_dict()) == text


def test_syntax_errors_carry_the_line():
    with pytest.raises(yamlio.YamlError) as caught:
        yamlio.loads(b"a: 1\nb: [\n")
    assert caught.value.line == 3 and caught.value.message.startswith("YAML syntax:")


def test_key_lines_maps_paths_to_lines():
    lines = yamlio.key_lines("a: 1\nb:\n  - x: 2\n  - y: 3\n")
    assert lines[("a",)] == 1 and lines[("b",)] == 2 and lines[("b", 1, "y")] == 4


def test_pure_loader_fallback_gives_the_same_data(monkeypatch):
    import yaml

    monkeypatch.setattr(yamlio, "_Loader", yaml.SafeLoader)
    data = yamlio.loads("title: {ru: Тест}\nstart: 2026-05-15\n".encode())
    assert data == {"title": {"ru": "Тест"}, "start": dt.date(2026, 5, 15)}


@pytest.mark.parametrize(
    "text, line, kind, message",
    [
        ("a: 1\nb: 2\na: 3\n", 3, "duplicate_key", "YAML syntax: key 'a' is given twice; keep one"),
        ("1: x\n0x1: y\n", 2, "duplicate_key", "YAML syntax: key '0x1' is given twice; keep one"),
        (
            "a: 1\nstart: 2027-02-30\n",
            2,
            "bad_value",
            "2027-02-30 is not a valid date; correct it, or quote it to keep it as text",
        ),
        (
            "n: " + "9" * 5000 + "\n",
            1,
            "bad_value",
            "9" * 40 + "… is not a valid whole number; correct it, or quote it to keep it as text",
        ),
        ('a: ok\nb: "\x1b[31m"\n', 2, "control_character", "control character U+001B is not allowed in YAML text"),
        # an alias sends the text through the structure check first: found by test_properties
        ("a: *\x80\n", 1, "control_character", "control character U+0080 is not allowed in YAML text"),
    ],
)
def test_values_yaml_would_lose_or_choke_on_are_refused_with_their_line(text, line, kind, message):
    with pytest.raises(yamlio.YamlError) as caught:
        yamlio.parse(text)
    assert (caught.value.line, caught.value.kind, caught.value.message) == (line, kind, message)


def test_utf16_is_named_as_such():
    with pytest.raises(yamlio.YamlError, match="UTF-16 text, not UTF-8"):
        yamlio.loads("id: t-001\n".encode("utf-16"))
