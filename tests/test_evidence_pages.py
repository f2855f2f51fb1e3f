"""Evidence on the pages (AppTest): the action's card lists each report's files, photos
as thumbnails, to a visitor only that they exist unless marked public; the report form
offers its side's editors to attach, replace and remove."""

from __future__ import annotations

import datetime as dt

import pytest

from coopplan import i18n
from coopplan.data import loader
from coopplan.editing import auth, history, undoing
from coopplan.editing.auth import User
from tests.helpers import as_user, run_page

OMSK = User("ivanova", "omsk")
PAVLODAR = User("pavl", "pavlodar")


@pytest.fixture(autouse=True)
def accounts():
    auth.add_user("ivanova", "omsk", "a long password")
    auth.add_user("pavl", "pavlodar", "a long password")
    auth.add_user("watcher", "viewer", "a long password")


def links(at) -> list[str]:
    return [m.value for m in at.markdown if "](/files/" in m.value]


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_a_visitor_sees_a_public_photo_as_a_thumbnail_and_only_that_other_files_exist(data_dir, lang):
    at = run_page("plan", {"lang": lang, "id": "po-036"})
    assert not at.exception
    assert len(at.get("image")) == 1 and len(links(at)) == 1  # the forum's photo, marked public
    at = run_page("plan", {"lang": lang, "id": "po-001"})
    hidden = [m.value for m in at.markdown if i18n.t(lang, "evidence.hidden") in m.value]
    assert len(hidden) == 4 and not links(at)  # two protocols, each cited by both sides
    assert i18n.t(lang, "evidence.kind.protocol") in hidden[0]


def test_a_signed_in_viewer_gets_each_files_link(data_dir):
    at = as_user("plan", User("watcher", "viewer"), {"lang": "ru", "id": "po-001"})
    assert not at.exception
    assert len(links(at)) == 4 and not [m for m in at.markdown if "после входа" in m.value]


def form_for(data_dir, user, quarter: str, pick: tuple[str, str], lang: str = "ru"):
    """The report form for ``pick``; its quarter is closed in the shipped plan, so an
    administrator opens an exception for it first."""
    from coopplan.editing import quarter_store

    until = dt.date.today() + dt.timedelta(days=30)
    quarter_store.reopen(data_dir, quarter, *pick, until, "a file forgotten", User("admin", "admin"))
    at = as_user("reporting", user, {"lang": lang, "period": quarter, "asof": "2026-12-01"})
    at.selectbox(key="report_pick").set_value(pick).run()
    return at


def test_the_report_form_offers_its_sides_editor_to_attach_and_remove_and_the_removal_is_undone(data_dir):
    at = form_for(data_dir, OMSK, "2026-Q1", ("po-001", "omsk"))
    assert not at.exception
    assert len(at.get("file_uploader")) == 2  # attach more, and replace the protocol already there
    [record] = [r for r in loader.load(data_dir).evidence if r.of == "2026-Q1/po-001-omsk"]
    at.button(key=f"evidence_remove_{record.id}").click().run()
    assert not at.exception
    assert [r for r in loader.load(data_dir).evidence if r.of == "2026-Q1/po-001-omsk"] == []
    assert at.success[0].value.startswith(r"Файл «Протокол № 1 от 26\.03\.2026\.pdf» удалён")
    entry = history.read(data_dir)[0][-1]
    assert entry.path == f"evidence/{record.id}.yaml" and entry.op == "delete"
    assert not as_user("history", OMSK, {"lang": "ru"}).exception  # the history lists the removal
    undoing.undo(data_dir, entry, OMSK)
    assert [r for r in loader.load(data_dir).evidence if r.of == "2026-Q1/po-001-omsk"] == [record]


def test_the_other_sides_editor_sees_the_files_but_no_way_to_change_them(data_dir):
    at = form_for(data_dir, PAVLODAR, "2026-Q1", ("po-001", "pavlodar"))
    assert not at.exception
    omsk_file = next(r for r in loader.load(data_dir).evidence if r.of == "2026-Q1/po-001-omsk")
    assert not [b for b in at.button if b.key == f"evidence_remove_{omsk_file.id}"]
    at = as_user("plan", PAVLODAR, {"lang": "ru", "id": "po-001"})
    assert len(links(at)) == 4
